const D = JSON.parse(document.getElementById("cv-data").textContent);
const L = D.labels, S = D.sizes;
const gh = D.grid.length, gw = D.grid[0].length, oh = D.output.length, ow = D.output[0].length;
const kh = D.ksize[0], kw = D.ksize[1];
const cell = S.cell, oc = S.ocell, kc = S.kcell, gap = 56, top = 30;
// Side by side (input, kernel, output) where there is room; on a narrow screen (a phone) the
// kernel and output go under the input, so the numbers are not shrunk to an unreadable size.
const wideW = gw * cell + gap + kw * kc + gap + ow * oc + 4;
const zoom = parseFloat(getComputedStyle(document.body).zoom) || 1;
const narrow = (document.documentElement.clientWidth || window.innerWidth) / zoom < 0.8 * wideW;
document.body.dataset.layout = narrow ? "stacked" : "row";
const lowerY = top + gh * cell + 40;  // stacked: where the kernel and output rows start
const kx = narrow ? 0 : gw * cell + gap, ox = kx + kw * kc + gap;
const oy = narrow ? lowerY : top;
const W = narrow ? Math.max(gw * cell, ox + ow * oc) + 4 : ox + ow * oc + 4;
const H = narrow ? lowerY + Math.max(oh * oc, kh * kc) + 6
                 : top + Math.max(gh * cell, oh * oc, kh * kc + 40) + 6;
const svg = document.getElementById("cv-svg");
svg.setAttribute("viewBox", "0 0 " + W + " " + H);
svg.setAttribute("width", W); svg.setAttribute("height", H);
const defs = el("defs", {}, svg);
const pat = el("pattern", {id: "hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse",
                           patternTransform: "rotate(45)"}, defs);
el("rect", {width: 8, height: 8, class: "hatch-bg"}, pat);
el("line", {x1: 0, y1: 0, x2: 0, y2: 8, class: "hatch-line", "stroke-width": 2}, pat);
const fs = (c, s) => Math.max(9, Math.round(c * (s.length > 3 ? 0.3 : s.length > 2 ? 0.36 : 0.44)));
el("text", {x: gw * cell / 2, y: 12, class: "title"}, svg, L.input);
el("text", {x: kx + kw * kc / 2, y: narrow ? lowerY - 18 : 12, class: "title"}, svg,
   D.op === "transposed" ? L.kernel_rotated : (D.kernel ? L.kernel : L.window));
el("text", {x: ox + ow * oc / 2, y: narrow ? lowerY - 18 : 12, class: "title"}, svg, L.output);
const cells = [];
for (let r = 0; r < gh; r++) {
  const row = [];
  for (let c = 0; c < gw; c++) {
    const kind = D.kind[r][c];
    const g = el("g", {class: "cell" + (kind === 1 ? " pad" : kind === 2 ? " ins" : ""),
                       "data-r": r, "data-c": c, "data-testid": "cv-in"}, svg);
    el("rect", {x: c * cell, y: top + r * cell, width: cell, height: cell}, g);
    const v = D.grid[r][c];
    el("text", {class: "v", x: c * cell + cell / 2, y: top + r * cell + cell / 2,
                "font-size": fs(cell, v)}, g, v);
    const w = el("text", {class: "w", x: c * cell + cell - 3, y: top + r * cell + cell - 8,
                          "font-size": Math.max(9, Math.round(cell * 0.26)), "text-anchor": "end"}, g, "");
    w.style.textAnchor = "end";
    row.push({g, v: g.children[1], w});
  }
  cells.push(row);
}
const ky = narrow ? lowerY : top + Math.max(0, (Math.max(gh * cell, oh * oc) - kh * kc) / 2);
if (D.kernel) {
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const g = el("g", {class: "k"}, svg);
    el("rect", {x: kx + j * kc, y: ky + i * kc, width: kc, height: kc}, g);
    el("text", {x: kx + j * kc + kc / 2, y: ky + i * kc + kc / 2, "font-size": fs(kc, D.kernel[i][j])}, g,
       D.kernel[i][j]);
  }
} else {
  const g = el("g", {class: "k"}, svg);
  el("rect", {x: kx, y: ky, width: kw * kc, height: kh * kc}, g);
  el("text", {x: kx + kw * kc / 2, y: ky + kh * kc / 2, "font-size": 22}, g, D.op === "max" ? L.max : L.avg);
}
if (narrow) el("text", {x: kx + kw * kc + gap / 2, y: ky + kh * kc / 2, "font-size": 30, class: "arrow"}, svg, "\u2192");
else el("text", {x: kx + kw * kc / 2, y: ky + kh * kc + 24, "font-size": 30, class: "arrow"}, svg, "\u2192");
const outs = [];
D.frames.forEach((f, k) => {
  const [i, j] = f.out;
  const g = el("g", {class: "out", "data-k": k, "data-i": i, "data-j": j, "data-testid": "cv-out"}, svg);
  el("rect", {x: ox + j * oc, y: oy + i * oc, width: oc, height: oc}, g);
  el("text", {x: ox + j * oc + oc / 2, y: oy + i * oc + oc / 2, "font-size": fs(oc, f.result)}, g, f.result);
  outs.push(g);
});
const eq = document.getElementById("cv-eq"), terms = document.getElementById("cv-terms");
let current = 0, peeking = -1;
function mark(k, cls, on) {
  const f = D.frames[k];
  f.cells.forEach(([r, c], t) => {
    const x = cells[r][c];
    x.g.classList.toggle(cls, on);
    if (cls === "win" && D.kernel) {
      const [ti, tj] = f.taps[t];
      x.w.textContent = on && cell >= 34 ? "\u00D7" + D.kernel[ti][tj] : "";
    }
  });
  outs[k].classList.toggle(cls === "win" ? "cur" : "peek", on);
}
function writeStep(k) {
  const f = D.frames[k];
  eq.textContent = "";
  const b = document.createElement("b");
  b.textContent = "y[" + f.out[0] + ", " + f.out[1] + "]";
  eq.appendChild(b);
  eq.appendChild(document.createTextNode(" = " + f.eq));
  terms.textContent = "";
  const table = document.createElement("table");
  const rows = [[L.value, f.cells.map(([r, c]) => D.grid[r][c]), ""]];
  if (D.kernel) {
    rows.push([L.weight, f.taps.map(([i, j]) => D.kernel[i][j]), ""]);
    rows.push([L.product, f.products, "prod"]);
  }
  rows.push([D.op === "max" ? L.running_max : L.running, f.running, "run"]);
  rows.forEach(([name, vals, cls]) => {
    const tr = document.createElement("tr");
    if (cls) tr.className = cls;
    const th = document.createElement("th"); th.textContent = name; tr.appendChild(th);
    vals.forEach((v) => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
    table.appendChild(tr);
  });
  terms.appendChild(table);
}
function render(k) {
  if (peeking >= 0) { mark(peeking, "peek", false); peeking = -1; }
  mark(current, "win", false);
  outs.forEach((g, i) => g.classList.toggle("done", i < k));
  current = k;
  mark(k, "win", true);
  writeStep(k);
  document.body.dataset.step = String(k);
}
const T = makeTransport(D.frames.length, L, render);
outs.forEach((g, k) => {
  g.addEventListener("mouseenter", () => {
    if (peeking >= 0) mark(peeking, "peek", false);
    if (k === current) { peeking = -1; return; }
    peeking = k; mark(k, "peek", true); writeStep(k);
  });
  g.addEventListener("mouseleave", () => {
    if (peeking >= 0) { mark(peeking, "peek", false); peeking = -1; writeStep(current); }
  });
  g.addEventListener("click", () => { T.setPlaying(false); T.show(k); });
});
function legend() {
  const box = document.getElementById("cv-legend");
  const items = [["var(--cv-window)", L.legend_window], ["var(--cv-current)", L.legend_current], ["var(--cv-done)", L.legend_done],
                 ["repeating-linear-gradient(45deg,var(--cv-pad) 0 4px,var(--cv-hatch) 4px 6px)",
                  D.op === "max" ? L.legend_pad_max : L.legend_pad]];
  if (D.op === "transposed") items.push(["var(--cv-inserted)", L.legend_inserted]);
  items.forEach(([bg, text]) => {
    const s = document.createElement("span");
    const sw = document.createElement("span"); sw.className = "sw"; sw.style.background = bg;
    s.appendChild(sw); s.appendChild(document.createTextNode(text)); box.appendChild(s);
  });
  document.getElementById("cv-hint").textContent = L.hint;
}
legend();
