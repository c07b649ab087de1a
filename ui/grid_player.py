"""Self-contained HTML + SVG + JavaScript players for :mod:`convviz.frames` data.

Every frame travels to the browser once, as JSON, and the player steps through them
client-side: play / pause / step / scrub / speed never cost a Streamlit rerun. Pages show
the result with ``st.iframe(html, height="content")`` (Streamlit measures the player).

Safety: nothing user-controlled is pasted into markup. Labels and data go into one
JSON blob (with ``<``, ``>`` and ``&`` escaped, so ``</script>`` cannot end the script
early) and are written into the page with ``textContent``; the only attribute
interpolated, ``lang``, goes through :func:`html.escape`.
"""
from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from convviz import Frame1D, FrameSet, format_number

__all__ = ["GRID_LABELS", "SIGNAL_LABELS", "safe_json", "grid_player_html", "signal_player_html"]

#: Label keys :func:`grid_player_html` needs (the page passes translated strings).
GRID_LABELS = ("play", "pause", "prev", "next", "first", "last", "speed", "step", "scrubber", "input", "kernel",
               "kernel_rotated", "window", "output", "value", "weight", "product", "running",
               "running_max", "legend_pad", "legend_pad_max", "legend_inserted", "legend_window",
               "legend_current", "legend_done", "hint", "max", "avg")
#: Label keys :func:`signal_player_html` needs.
SIGNAL_LABELS = ("play", "pause", "prev", "next", "first", "last", "speed", "step", "scrubber", "f", "g_flipped",
                 "product", "result", "position")


def safe_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so no ``</script>`` or ``<!--`` can
    appear, and the text is still valid JSON / JavaScript.

    >>> safe_json({"a": "</script><b>"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _labels(labels: Mapping[str, str], needed: Sequence[str]) -> dict[str, str]:
    missing = [k for k in needed if k not in labels]
    if missing:
        raise KeyError(f"labels missing: {missing}")
    return {k: str(labels[k]) for k in needed}


def _sizes(fs: FrameSet) -> dict[str, int]:
    """Cell sizes in CSS px: big on small grids (projector), shrinking to fit large ones."""
    gh, gw = fs.grid.shape
    oh, ow = fs.output.shape
    kh, kw = fs.kernel_size
    cell = max(18, min(56, 560 // max(gh, gw)))
    ocell = max(18, min(56, 420 // max(oh, ow)))
    kcell = max(18, min(48, 200 // max(kh, kw)))
    return {"cell": cell, "ocell": ocell, "kcell": kcell}


_CSS = """
:root { --orange:#E69F00; --orange-edge:#B35C00; --orange-soft:#FFE2AA; --blue:#0060A8;
        --blue-soft:#CCE2F5; --pad:#DEDEDE; --ink:#141414; --muted:#6E6E6E; }
* { box-sizing: border-box; }
body { margin:0; font-family: "Source Sans Pro", "Noto Sans KR", "Noto Sans CJK KR", system-ui, sans-serif;
       color:var(--ink); background:#fff; }
.bar { display:flex; flex-wrap:wrap; gap:6px; align-items:center; margin:4px 0 8px; }
.bar button { font-size:17px; padding:6px 12px; border:1px solid #b8b8b8; border-radius:6px;
              background:#f6f6f6; cursor:pointer; min-width:44px; }
.bar button:hover { background:#ebebeb; }
.bar button.primary { background:var(--blue); color:#fff; border-color:var(--blue); min-width:110px; }
.bar input[type=range] { flex:1 1 200px; min-width:160px; accent-color:var(--blue); }
.bar .step { font-size:18px; font-weight:600; min-width:130px; }
.bar label { font-size:15px; }
.bar select { font-size:15px; padding:3px; }
svg { display:block; max-width:100%; height:auto; }
svg text { font-family: inherit; dominant-baseline:central; text-anchor:middle; pointer-events:none; }
.cell rect { stroke:#999; stroke-width:1; fill:#fff; }
.cell.pad rect { fill:url(#hatch); }
.cell.ins rect { fill:#F0F0F0; }
.cell text.v { fill:var(--ink); }
.cell.pad text.v, .cell.ins text.v { fill:var(--muted); }
.cell.win rect { fill:var(--orange-soft); stroke:var(--orange-edge); stroke-width:3; }
.cell.win text.v { font-weight:700; }
.cell.peek rect { stroke:var(--blue); stroke-width:3; stroke-dasharray:5 3; }
.cell text.w { fill:var(--blue); font-weight:600; display:none; }
.cell.win text.w { display:block; }
.k rect { fill:var(--blue-soft); stroke:var(--blue); stroke-width:1.5; }
.k text { fill:var(--blue); font-weight:700; }
.out rect { fill:#fff; stroke:#999; cursor:pointer; }
.out text { display:none; }
.out.done rect { fill:var(--blue-soft); }
.out.done text, .out.cur text { display:block; }
.out.cur rect { fill:var(--orange); stroke:var(--orange-edge); stroke-width:3; }
.out.cur text { font-weight:700; }
.out.peek rect { stroke:var(--blue); stroke-width:3; }
.title { fill:var(--muted); font-size:15px; }
.eq { font-size:21px; line-height:1.45; margin:8px 0 4px; word-break:break-word; min-height:1.5em; }
.eq b { color:var(--orange-edge); }
.terms { overflow-x:auto; }
.terms table { border-collapse:collapse; font-size:16px; }
.terms th { text-align:left; padding:2px 10px 2px 0; color:var(--muted); font-weight:600; white-space:nowrap; }
.terms td { text-align:center; padding:2px 7px; border-left:1px solid #e2e2e2; min-width:34px; }
.terms tr.prod td { color:var(--blue); }
.terms tr.run td { font-weight:700; }
.legend { display:flex; flex-wrap:wrap; gap:14px; font-size:14px; color:#333; margin-top:8px; align-items:center; }
.legend span.sw { display:inline-block; width:16px; height:16px; border:1px solid #999; vertical-align:-3px; margin-right:4px; }
.hint { font-size:14px; color:var(--muted); margin-top:4px; }
"""

# Shared transport: play / pause / step / scrub / speed / keyboard, calling render(step).
_TRANSPORT_JS = """
const NS = "http://www.w3.org/2000/svg";
// Create an SVG element with attributes (and text), appended to parent.
function el(tag, attrs, parent, text) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function makeTransport(n, L, render) {
  const $ = (id) => document.getElementById(id);
  const play = $("cv-play"), scrub = $("cv-scrub"), speed = $("cv-speed"), label = $("cv-step");
  $("cv-first").textContent = "|\\u25C0"; $("cv-first").title = L.first; $("cv-first").setAttribute("aria-label", L.first);
  $("cv-prev").textContent = "\\u25C0 " + L.prev; $("cv-next").textContent = L.next + " \\u25B6";
  $("cv-last").textContent = "\\u25B6|"; $("cv-last").title = L.last; $("cv-last").setAttribute("aria-label", L.last);
  $("cv-speed-label").textContent = L.speed + " ";
  scrub.setAttribute("aria-label", L.scrubber);
  scrub.max = String(n - 1);
  let step = 0, timer = null;
  function show(k) {
    step = Math.max(0, Math.min(n - 1, k));
    scrub.value = String(step);
    label.textContent = L.step.replace("{i}", String(step + 1)).replace("{n}", String(n));
    render(step);
  }
  function setPlaying(on) {
    if (timer) { clearInterval(timer); timer = null; }
    if (on) {
      if (step >= n - 1) show(0);
      timer = setInterval(() => { if (step >= n - 1) setPlaying(false); else show(step + 1); },
                          900 / parseFloat(speed.value));
    }
    play.textContent = on ? "\\u23F8 " + L.pause : "\\u25B6 " + L.play;
    play.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.dataset.playing = on ? "1" : "0";
  }
  play.onclick = () => setPlaying(!timer);
  $("cv-prev").onclick = () => { setPlaying(false); show(step - 1); };
  $("cv-next").onclick = () => { setPlaying(false); show(step + 1); };
  $("cv-first").onclick = () => { setPlaying(false); show(0); };
  $("cv-last").onclick = () => { setPlaying(false); show(n - 1); };
  scrub.oninput = () => { setPlaying(false); show(parseInt(scrub.value, 10)); };
  speed.onchange = () => { if (timer) setPlaying(true); };
  document.addEventListener("keydown", (e) => {
    if (e.target && e.target.tagName === "SELECT") return;
    if (e.key === " ") { e.preventDefault(); setPlaying(!timer); }
    else if (e.key === "ArrowRight") { e.preventDefault(); setPlaying(false); show(step + 1); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); setPlaying(false); show(step - 1); }
  });
  setPlaying(false);
  show(0);
  return { show, setPlaying, get step() { return step; } };
}
"""

_BAR = """
<div class="bar">
  <button id="cv-first" data-testid="cv-first"></button>
  <button id="cv-prev" data-testid="cv-prev"></button>
  <button id="cv-play" class="primary" data-testid="cv-play"></button>
  <button id="cv-next" data-testid="cv-next"></button>
  <button id="cv-last" data-testid="cv-last"></button>
  <input id="cv-scrub" data-testid="cv-scrub" type="range" min="0" value="0" step="1" aria-label="">
  <span id="cv-step" class="step" data-testid="cv-step" aria-live="polite"></span>
  <label><span id="cv-speed-label"></span><select id="cv-speed" data-testid="cv-speed">
    <option value="0.25">0.25×</option><option value="0.5">0.5×</option>
    <option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option>
  </select></label>
</div>
"""

_GRID_JS = """
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
el("rect", {width: 8, height: 8, fill: "#DEDEDE"}, pat);
el("line", {x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#B9B9B9", "stroke-width": 2}, pat);
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
if (narrow) el("text", {x: kx + kw * kc + gap / 2, y: ky + kh * kc / 2, "font-size": 30, fill: "#888"}, svg, "\\u2192");
else el("text", {x: kx + kw * kc / 2, y: ky + kh * kc + 24, "font-size": 30, fill: "#888"}, svg, "\\u2192");
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
      x.w.textContent = on && cell >= 34 ? "\\u00D7" + D.kernel[ti][tj] : "";
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
  const items = [["#FFE2AA", L.legend_window], ["#E69F00", L.legend_current], ["#CCE2F5", L.legend_done],
                 ["repeating-linear-gradient(45deg,#DEDEDE 0 4px,#B9B9B9 4px 6px)",
                  D.op === "max" ? L.legend_pad_max : L.legend_pad]];
  if (D.op === "transposed") items.push(["#F0F0F0", L.legend_inserted]);
  items.forEach(([bg, text]) => {
    const s = document.createElement("span");
    const sw = document.createElement("span"); sw.className = "sw"; sw.style.background = bg;
    s.appendChild(sw); s.appendChild(document.createTextNode(text)); box.appendChild(s);
  });
  document.getElementById("cv-hint").textContent = L.hint;
}
legend();
"""


def _document(lang: str, body: str, data_json: str, script: str, scale: float = 1.0) -> str:
    # Presentation mode: the whole player (buttons, grid, numbers) grows with the page's text.
    zoom = f"body {{ zoom: {float(scale):.3g}; }}" if scale != 1 else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}"><head><meta charset="utf-8">'
        f"<style>{_CSS}{zoom}</style></head><body>{body}"
        f'<script type="application/json" id="cv-data">{data_json}</script>'
        # One function scope: no player name can clash with a window global (``top``, ``name``...).
        f"<script>(function () {{\n{_TRANSPORT_JS}{script}\n}})();</script></body></html>"
    )


def grid_player_html(fs: FrameSet, labels: Mapping[str, str], *, lang: str = "en", scale: float = 1.0) -> str:
    """The sliding-window player for ``fs`` as one HTML document.

    Parameters
    ----------
    fs : FrameSet
        From :func:`convviz.animation_frames`.
    labels : mapping
        Translated strings for every key in :data:`GRID_LABELS`; ``step`` is a template
        with ``{i}`` and ``{n}``.
    lang : str, keyword-only
        Document language (``"en"``, ``"ko"``).
    scale : float, keyword-only
        Size factor for presentation mode (``ui.presentation.scale()``).

    Returns
    -------
    str
        HTML for ``st.iframe``.

    Examples
    --------
    >>> import numpy as np
    >>> from convviz import conv_frames
    >>> fs = conv_frames(np.ones((3, 3), int), np.ones((2, 2), int))
    >>> page = grid_player_html(fs, {k: k for k in GRID_LABELS})
    >>> page.startswith("<!DOCTYPE html>") and "cv-play" in page
    True
    """
    data = fs.to_data()
    data["ksize"] = list(fs.kernel_size)
    data["sizes"] = _sizes(fs)
    data["labels"] = _labels(labels, GRID_LABELS)
    body = (_BAR + '<svg id="cv-svg" data-testid="cv-svg" role="img"></svg>'
            '<div id="cv-eq" class="eq" data-testid="cv-eq"></div>'
            '<div id="cv-terms" class="terms" data-testid="cv-terms"></div>'
            '<div id="cv-legend" class="legend"></div><div id="cv-hint" class="hint"></div>')
    return _document(lang, body, safe_json(data), _GRID_JS, scale)


# --- 1-D convolution player --------------------------------------------------------------------

_SIGNAL_JS = """
const D = JSON.parse(document.getElementById("cv-data").textContent);
const L = D.labels;
const nf = D.f.length, ng = D.g.length, lo = -(ng - 1), hi = nf + ng - 2;
const cols = hi - lo + 1, cw = Math.max(34, Math.min(56, Math.floor(900 / cols))), lw = 150, rh = 50;
const W = lw + cols * cw + 4, H = 5 * rh + 10;
const svg = document.getElementById("cv-svg");
svg.setAttribute("viewBox", "0 0 " + W + " " + H);
svg.setAttribute("width", W); svg.setAttribute("height", H);
const X = (pos) => lw + (pos - lo) * cw;
const rows = [L.position, "f(\\u03C4)", L.g_flipped, L.product, L.result];
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
  const t = el("text", {x: X(p) + cw / 2, y: 3 * rh + rh / 2, "font-size": 17, fill: "#0060A8"}, svg, "");
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
"""


def signal_player_html(frames: Sequence[Frame1D], f: Sequence[float], g: Sequence[float],
                       labels: Mapping[str, str], *, lang: str = "en", scale: float = 1.0) -> str:
    """A player for the 1-D convolution ``(f*g)(t)``: ``g`` flipped, slid along ``f``.

    Parameters
    ----------
    frames : sequence of Frame1D
        From :func:`convviz.conv1d_frames` of ``f`` and ``g``.
    f, g : sequence of float
        The two signals.
    labels : mapping
        Translated strings for every key in :data:`SIGNAL_LABELS`.
    lang : str, keyword-only

    Returns
    -------
    str
        HTML for ``st.iframe``.

    Examples
    --------
    >>> from convviz import conv1d_frames
    >>> page = signal_player_html(conv1d_frames([1, 2], [1, 1]), [1, 2], [1, 1],
    ...                           {k: k for k in SIGNAL_LABELS})
    >>> "cv-data" in page
    True
    """
    data = {
        "f": [format_number(v) for v in f],
        "g": [format_number(v) for v in g],
        "frames": [{"t": fr.t, "taus": list(fr.taus), "gpos": list(fr.g_positions),
                    "products": [format_number(v) for v in fr.products],
                    "total": format_number(fr.total), "eq": fr.equation} for fr in frames],
        "labels": _labels(labels, SIGNAL_LABELS),
    }
    body = (_BAR + '<svg id="cv-svg" data-testid="cv-svg1d" role="img"></svg>'
            '<div id="cv-eq" class="eq" data-testid="cv-eq"></div>')
    return _document(lang, body, safe_json(data), _SIGNAL_JS, scale)

