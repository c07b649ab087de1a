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
  $("cv-first").textContent = "|\u25C0"; $("cv-first").title = L.first; $("cv-first").setAttribute("aria-label", L.first);
  $("cv-prev").textContent = "\u25C0 " + L.prev; $("cv-next").textContent = L.next + " \u25B6";
  $("cv-last").textContent = "\u25B6|"; $("cv-last").title = L.last; $("cv-last").setAttribute("aria-label", L.last);
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
    play.textContent = on ? "\u23F8 " + L.pause : "\u25B6 " + L.play;
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
