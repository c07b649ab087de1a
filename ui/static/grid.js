const D = JSON.parse(document.getElementById("cv-data").textContent);
const L = D.labels, S = D.sizes;
const gh = D.grid.length, gw = D.grid[0].length, oh = D.output.length, ow = D.output[0].length;
const kh = D.ksize[0], kw = D.ksize[1];
const cell = S.cell, oc = S.ocell, kc = S.kcell, gap = 56, top = 30;
// Two arrangements, each drawn in its own units: "row" (input, kernel, output side by side) and
// "stacked" (the kernel and the output under the input, for a phone). The drawing is scaled to the
// room there is: the frame's width, and the browser window's height less Streamlit's header, the
// transport bar and one line of the equation, so the window on the input and the output cell being
// filled are on screen together (a projector at 1280 x 720 included). Side by side unless stacking
// draws the cells much larger (a phone); chosen again when the frame or the window is resized.
const lowerY = top + gh * cell + 40;  // stacked: where the kernel and output rows start
const ROW = {name: "row", W: gw * cell + gap + kw * kc + gap + ow * oc + 4,
             H: top + Math.max(gh * cell, oh * oc, kh * kc + 40) + 6};
const STACKED = {name: "stacked", W: Math.max(gw * cell, kw * kc + gap + ow * oc) + 4,
                 H: lowerY + Math.max(oh * oc, kh * kc) + 6};
const zoom = parseFloat(getComputedStyle(document.body).zoom) || 1;  // presentation mode: > 1
const svg = document.getElementById("cv-svg");
const eq = document.getElementById("cv-eq"), terms = document.getElementById("cv-terms");

function room() {
  let height = window.innerHeight, header = 0;
  try {  // the page around the frame (same origin in Streamlit); alone, the frame's own window
    if (window.parent !== window) {
      height = window.parent.innerHeight;
      const bar = window.parent.document.querySelector('[data-testid="stHeader"]');
      header = bar ? bar.getBoundingClientRect().height : 0;
    }
  } catch (err) { /* another origin: the frame's own height */ }
  const above = document.querySelector(".bar").getBoundingClientRect().bottom;
  const eqStyle = getComputedStyle(eq);
  const line = (parseFloat(eqStyle.minHeight) + parseFloat(eqStyle.marginTop) + parseFloat(eqStyle.marginBottom)) * zoom;
  const left = height - header - above - line - 8;
  // A window too short to hold any drawing (or an unknown one): fit the width only.
  return {width: document.documentElement.clientWidth, height: left >= 160 ? left : Infinity};
}
// Screen px per drawing unit: at most the full size (zoom), less to fit the room.
const fit = (a, r) => Math.min(zoom, r.width / a.W, r.height / a.H);

let layout = null, px = zoom, cells = [], outs = [];  // px: screen px per drawing unit
let current = 0, peeking = -1, T = null;
function build(a) {
  const narrow = a === STACKED;
  document.body.dataset.layout = a.name;
  svg.textContent = "";
  svg.setAttribute("viewBox", "0 0 " + a.W + " " + a.H);
  const kx = narrow ? 0 : gw * cell + gap, ox = kx + kw * kc + gap;
  const oy = narrow ? lowerY : top;
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
  cells = [];
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
      const g = el("g", {class: "k", "data-testid": "cv-k"}, svg);
      el("rect", {x: kx + j * kc, y: ky + i * kc, width: kc, height: kc}, g);
      el("text", {x: kx + j * kc + kc / 2, y: ky + i * kc + kc / 2, "font-size": fs(kc, D.kernel[i][j])}, g,
         D.kernel[i][j]);
    }
  } else {
    const g = el("g", {class: "k", "data-testid": "cv-k"}, svg);
    el("rect", {x: kx, y: ky, width: kw * kc, height: kh * kc}, g);
    el("text", {x: kx + kw * kc / 2, y: ky + kh * kc / 2, "font-size": 22}, g, D.op === "max" ? L.max : L.avg);
  }
  if (narrow) el("text", {x: kx + kw * kc + gap / 2, y: ky + kh * kc / 2, "font-size": 30, class: "arrow"}, svg, "\u2192");
  else el("text", {x: kx + kw * kc / 2, y: ky + kh * kc + 24, "font-size": 30, class: "arrow"}, svg, "\u2192");
  outs = D.frames.map((f, k) => {
    const [i, j] = f.out;
    const g = el("g", {class: "out", "data-k": k, "data-i": i, "data-j": j, "data-testid": "cv-out"}, svg);
    el("rect", {x: ox + j * oc, y: oy + i * oc, width: oc, height: oc}, g);
    el("text", {x: ox + j * oc + oc / 2, y: oy + i * oc + oc / 2, "font-size": fs(oc, f.result)}, g, f.result);
    g.addEventListener("mouseenter", () => {
      if (peeking >= 0) mark(peeking, "peek", false);
      if (k === current) { peeking = -1; return; }
      peeking = k; mark(k, "peek", true); writeStep(k);
    });
    g.addEventListener("mouseleave", () => {
      if (peeking >= 0) { mark(peeking, "peek", false); peeking = -1; writeStep(current); }
    });
    g.addEventListener("click", () => { T.setPlaying(false); T.show(k); });
    return g;
  });
}
function relayout() {
  const r = room(), sRow = fit(ROW, r), sStacked = fit(STACKED, r);
  const a = sStacked > 1.3 * sRow ? STACKED : ROW;
  px = a === ROW ? sRow : sStacked;
  if (a !== layout) {
    layout = a;
    peeking = -1;
    build(a);
  }
  svg.setAttribute("width", a.W * px / zoom); svg.setAttribute("height", a.H * px / zoom);
  // The grids' titles keep a readable size on screen (13 px, more when presenting) however small
  // the drawing is scaled.
  svg.querySelectorAll("text.title").forEach((t) => { t.style.fontSize = Math.max(15, 13 * zoom / px) + "px"; });
  if (T) { mark(current, "win", true); outs.forEach((g, i) => g.classList.toggle("done", i < current)); }
}
function mark(k, cls, on) {
  const f = D.frames[k];
  f.cells.forEach(([r, c], t) => {
    const x = cells[r][c];
    x.g.classList.toggle(cls, on);
    if (cls === "win" && D.kernel) {
      const [ti, tj] = f.taps[t];
      x.w.textContent = on && cell * px >= 34 ? "\u00D7" + D.kernel[ti][tj] : "";  // room on screen for it
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
relayout();
T = makeTransport(D.frames.length, L, render);
relayout();  // the bar has its labels now, and so its final height
// Again after a resize: of the frame (the sidebar opened or closed, a narrower window) or of the
// browser window (its height). One pass per animation frame.
let pending = false;
function onResize() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; relayout(); });
}
window.addEventListener("resize", onResize);
try {
  if (window.parent !== window) {
    const outer = window.parent;
    outer.addEventListener("resize", onResize);
    window.addEventListener("pagehide", () => outer.removeEventListener("resize", onResize));
  }
} catch (err) { /* another origin */ }
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
