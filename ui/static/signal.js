const D = JSON.parse(document.getElementById("cv-data").textContent);
const L = D.labels;
const nf = D.f.length, ng = D.g.length, lo = -(ng - 1), hi = nf + ng - 2;
const cols = hi - lo + 1, cw = Math.max(34, Math.min(56, Math.floor(900 / cols))), lw = 150, rh = 50;
const W = lw + cols * cw + 4, H = 5 * rh + 10;
const svg = document.getElementById("cv-svg");
svg.setAttribute("viewBox", "0 0 " + W + " " + H);
svg.setAttribute("width", W); svg.setAttribute("height", H);
const X = (pos) => lw + (pos - lo) * cw;
const rows = [L.position, "f(\u03C4)", L.g_flipped, L.product, L.result];
rows.forEach((name, i) => el("text", {x: 6, y: i * rh + rh / 2 + 4, "text-anchor": "start", class: "title",
                                     style: "text-anchor:start"}, svg, name));
for (let p = lo; p <= hi; p++)
  el("text", {x: X(p) + cw / 2, y: rh / 2 + 4, class: "title"}, svg, String(p));
const fcells = D.f.map((v, i) => {
  const g = el("g", {class: "cell", "data-testid": "cv-f"}, svg);
  el("rect", {x: X(i), y: rh + 4, width: cw, height: rh - 8}, g);
  el("text", {x: X(i) + cw / 2, y: rh + rh / 2, "font-size": 18}, g, v);
  return g;
});
const gcells = D.g.map((v, m) => {
  const g = el("g", {class: "k", "data-testid": "cv-g"}, svg);
  el("rect", {x: 0, y: 2 * rh + 4, width: cw, height: rh - 8}, g);
  el("text", {x: cw / 2, y: 2 * rh + rh / 2 + 2, "font-size": v.length > 3 ? 13 : 18}, g, v);
  el("text", {x: 4, y: 2 * rh + 13, "font-size": 11, style: "text-anchor:start", "font-weight": 400}, g,
     "g" + String.fromCharCode(0x2080 + m));
  return g;
});
const pcells = [];
for (let p = lo; p <= hi; p++) {
  const t = el("text", {x: X(p) + cw / 2, y: 3 * rh + rh / 2, "font-size": 17, class: "prod1d"}, svg, "");
  pcells.push(t);
}
const outs = D.frames.map((fr, t) => {
  const g = el("g", {class: "out", "data-testid": "cv-out1d"}, svg);
  el("rect", {x: X(t), y: 4 * rh + 4, width: cw, height: rh - 8}, g);
  el("text", {x: X(t) + cw / 2, y: 4 * rh + rh / 2, "font-size": fr.total.length > 3 ? 13 : 17}, g, fr.total);
  g.addEventListener("click", () => { T.setPlaying(false); T.show(t); });
  return g;
});
const eq = document.getElementById("cv-eq");
function render(t) {
  const fr = D.frames[t];
  gcells.forEach((g, m) => g.setAttribute("transform", "translate(" + X(fr.gpos[m]) + ",0)"));
  fcells.forEach((g, i) => g.classList.toggle("win", fr.taus.includes(i)));
  pcells.forEach((p) => { p.textContent = ""; });
  fr.taus.forEach((tau, i) => { pcells[tau - lo].textContent = fr.products[i]; });
  outs.forEach((g, i) => { g.classList.toggle("done", i < t); g.classList.toggle("cur", i === t); });
  eq.textContent = fr.eq;
  document.body.dataset.step = String(t);
}
const T = makeTransport(D.frames.length, L, render);
