const D = JSON.parse(document.getElementById("cv-data").textContent);
const L = D.labels;
const nin = D.grid.length, gh = D.grid[0].length, gw = D.grid[0][0].length;
const nout = D.weight.length, kh = D.weight[0][0].length, kw = D.weight[0][0][0].length;
// Wide: one column per input channel, its padded grid on top and the kernel slice that reads it
// below, the outputs on the right. Narrow (a phone): one row per channel, grid then slice, the
// outputs underneath, so the numbers keep a readable size.
const cell = Math.max(16, Math.min(40, Math.floor(260 / Math.max(gh, gw))));
const zoom = parseFloat(getComputedStyle(document.body).zoom) || 1;
const avail = (document.documentElement.clientWidth || window.innerWidth) / zoom;
const kcWide = Math.max(16, Math.min(36, Math.floor(150 / Math.max(kh, kw))));
const colW = Math.max(gw * cell, kw * kcWide) + 34, top = 26, left = 4, oc = 58;
const wideW = left + nin * colW + 10 + oc + 110;
const narrow = avail < 0.8 * wideW;
document.body.dataset.layout = narrow ? "stacked" : "row";
const kc = narrow ? Math.max(16, Math.min(28, Math.floor(90 / Math.max(kh, kw)))) : kcWide;
const rowH = Math.max(gh * cell, kh * kc + 18) + 36;
const kTop = top + gh * cell + 34;
const gx = (c) => narrow ? left : left + c * colW, gy = (c) => narrow ? top + c * rowH : top;
const sx = (c) => narrow ? left + gw * cell + 22 : gx(c), sy = (c) => narrow ? gy(c) + 16 : kTop;
const outX = narrow ? left : left + nin * colW + 10;
const outXY = (o) => narrow ? [left + o * (oc + 70), top + nin * rowH] : [outX, top + o * (oc + 14)];
const W = narrow ? Math.max(left + gw * cell + 22 + kw * kc + 8, left + nout * (oc + 70)) : wideW;
const H = narrow ? top + nin * rowH + oc + 10 : Math.max(kTop + kh * kc + 8, top + nout * (oc + 14) + 10);
const svg = document.getElementById("cv-svg");
svg.setAttribute("viewBox", "0 0 " + W + " " + H);
svg.setAttribute("width", W); svg.setAttribute("height", H);
const defs = el("defs", {}, svg);
const pat = el("pattern", {id: "hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse",
                           patternTransform: "rotate(45)"}, defs);
el("rect", {width: 8, height: 8, class: "hatch-bg"}, pat);
el("line", {x1: 0, y1: 0, x2: 0, y2: 8, class: "hatch-line", "stroke-width": 2}, pat);
const fsz = (c, s) => Math.max(9, Math.round(c * (s.length > 3 ? 0.3 : s.length > 2 ? 0.36 : 0.44)));
const inWin = new Set(D.cells.map(([r, c]) => r + "," + c));
const chans = [];
for (let c = 0; c < nin; c++) {
  const x0 = gx(c), y0 = gy(c);
  const g = el("g", {class: "chan", "data-c": c, "data-testid": "cv-chan"}, svg);
  el("text", {x: x0 + gw * cell / 2, y: y0 - 14, class: "title"}, g, L.in_channel.replace("{c}", String(c)));
  el("rect", {x: x0 - 3, y: y0 - 3, width: gw * cell + 6, height: gh * cell + 6, fill: "none",
              stroke: D.colours[c % D.colours.length], "stroke-width": 4, rx: 3}, g);
  const wins = [];
  for (let r = 0; r < gh; r++) for (let q = 0; q < gw; q++) {
    const cg = el("g", {class: "cell" + (D.kind[r][q] ? " pad" : "")}, g);
    el("rect", {x: x0 + q * cell, y: y0 + r * cell, width: cell, height: cell}, cg);
    el("text", {class: "v", x: x0 + q * cell + cell / 2, y: y0 + r * cell + cell / 2,
                "font-size": fsz(cell, D.grid[c][r][q])}, cg, D.grid[c][r][q]);
    if (inWin.has(r + "," + q)) wins.push(cg);
  }
  const note = el("text", {x: sx(c) + kw * kc / 2, y: sy(c) + 20, class: "title"}, g, L.not_read);
  chans.push({g, wins, note});
}
// Output column: one box per output channel, at the chosen position.
const outs = [];
for (let o = 0; o < nout; o++) {
  const [x, y] = outXY(o);
  const g = el("g", {class: "out", "data-o": o, "data-testid": "cv-out"}, svg);
  el("rect", {x: x, y: y, width: oc, height: oc}, g);
  el("text", {x: x + oc / 2, y: y + oc / 2, "font-size": fsz(oc, D.result[o])}, g, D.result[o]);
  const name = el("text", {x: x + oc + 6, y: y + oc / 2, class: "title"}, svg,
                  L.out_channel.replace("{o}", String(o)));
  name.style.textAnchor = "start";
  outs.push(g);
}
const sliceLayer = el("g", {}, svg);
function drawSlices(o) {
  while (sliceLayer.firstChild) sliceLayer.removeChild(sliceLayer.firstChild);
  D.reads[o].forEach((c, q) => {
    const x0 = sx(c), y0 = sy(c);
    el("text", {x: x0 + kw * kc / 2, y: y0 - 12, class: "title"}, sliceLayer,
       L.kernel_slice.replace("{o}", String(o)).replace("{c}", String(c)));
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const g = el("g", {class: "k", "data-testid": "cv-slice"}, sliceLayer);
      el("rect", {x: x0 + j * kc, y: y0 + i * kc, width: kc, height: kc}, g);
      el("text", {x: x0 + j * kc + kc / 2, y: y0 + i * kc + kc / 2, "font-size": fsz(kc, D.weight[o][q][i][j])},
         g, D.weight[o][q][i][j]);
    }
  });
}
const eq = document.getElementById("cv-eq"), terms = document.getElementById("cv-terms");
let shownSlices = -1;
function render(k) {
  const s = D.steps[k];
  if (shownSlices !== s.o) { drawSlices(s.o); shownSlices = s.o; }
  const reads = new Set(D.reads[s.o]);
  chans.forEach((ch, c) => {
    const read = reads.has(c);
    ch.g.classList.toggle("unread", !read);
    ch.note.style.display = read ? "none" : "block";
    ch.wins.forEach((w) => { w.classList.toggle("win", read); w.classList.toggle("now", s.c === c); });
  });
  outs.forEach((g, o) => {
    g.classList.toggle("cur", o === s.o);
    // An output value shows once its bias step has been reached.
    const lastDone = D.steps.findIndex((t) => t.o === o && t.phase === "bias");
    g.classList.toggle("done", lastDone <= k && o !== s.o);
    g.classList.toggle("shown", lastDone <= k);
  });
  eq.textContent = "";
  const b = document.createElement("b");
  const where = "[" + s.o + ", " + D.position[0] + ", " + D.position[1] + "]";
  b.textContent = "y" + where;
  eq.appendChild(b);
  const phase = s.phase === "channel" ? L.phase_channel.replace("{c}", String(s.c))
              : s.phase === "sum" ? L.phase_sum : L.phase_bias;
  eq.appendChild(document.createTextNode(" (" + phase + "): " + s.eq));
  terms.textContent = "";
  const table = document.createElement("table");
  let rows;
  if (s.phase === "channel") rows = [[L.value, s.values, ""], [L.weight, s.weights, ""], [L.product, s.products, "prod"]];
  else if (s.phase === "sum") rows = [[L.channel_sum, s.sums, "prod"], [L.sum, [s.total], "run"]];
  else rows = [[L.sum, [s.sums.length ? s.eq.split(" + ")[0] : ""], ""], [L.bias, [D.bias[s.o]], "prod"],
               [L.result, [s.total], "run"]];
  rows.forEach(([name, vals, cls]) => {
    const tr = document.createElement("tr");
    if (cls) tr.className = cls;
    const th = document.createElement("th"); th.textContent = name; tr.appendChild(th);
    vals.forEach((v) => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
    table.appendChild(tr);
  });
  terms.appendChild(table);
  document.body.dataset.step = String(k);
  document.body.dataset.phase = s.phase;
  document.body.dataset.out = String(s.o);
}
makeTransport(D.steps.length, L, render);
