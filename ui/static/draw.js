// The Try-it drawing canvas (ui/learn/draw.py): a Streamlit custom component (st.components.v2).
// ui/learn/draw.py appends `export default cvDraw;` (this file stays a plain script, so
// `node --check` parses it). Streamlit calls cvDraw on mount and again whenever the data from
// Python changes; the canvas and its listeners are made once and kept on the element.
//
// data: {png, clear, hint, label, brush, colours}: png is the last drawing Python has (to draw it
// again if the canvas was made anew); words; the brush width in canvas pixels; the palette roles
// background (the paper), text (the ink), line and muted, as --cv-<role> for draw.css.
// Returns the drawing to Python with setStateValue("png", <PNG data URL>) when a stroke ends,
// and setStateValue("png", null) after Clear.
function cvDraw(component) {
  const data = component.data || {};
  const root = component.parentElement.querySelector(".cv-draw");
  if (!root) {
    return undefined;
  }
  const canvas = root.querySelector(".cv-draw-canvas");
  const clear = root.querySelector(".cv-draw-clear");
  const hint = root.querySelector(".cv-draw-hint");
  const ctx = canvas.getContext("2d");

  // words may change with the language: set on every call
  clear.textContent = data.clear || "";
  hint.textContent = data.hint || "";
  canvas.setAttribute("aria-label", data.label || "");
  for (const [name, colour] of Object.entries(data.colours || {})) {  // convviz/pictures/palette.py
    root.style.setProperty(`--cv-${name}`, colour);
  }

  let state = canvas.cvState;
  const fresh = !state;
  if (fresh) {
    state = { drawing: false, last: null, blank: true, send: null, opts: data };
    canvas.cvState = state;
  }
  state.send = component.setStateValue;  // the newest setter (a rerun may hand a new one)
  state.opts = data;

  function paper() {
    ctx.save();
    ctx.fillStyle = state.opts.colours.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
    state.blank = true;
  }

  function point(event) {
    const rect = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - rect.left) * (canvas.width / rect.width),
      y: (event.clientY - rect.top) * (canvas.height / rect.height),
    };
  }

  function stroke(from, to) {
    ctx.strokeStyle = state.opts.colours.text;
    ctx.lineWidth = state.opts.brush;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    state.blank = false;
  }

  if (fresh) {
    paper();
    if (data.png) {  // the canvas was made anew (the page was redrawn): show the drawing Python has
      const image = new Image();
      image.onload = () => {
        ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
        state.blank = false;
      };
      image.src = data.png;
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      state.drawing = true;
      state.last = point(event);
      stroke(state.last, state.last);  // a tap is a dot
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!state.drawing) {
        return;
      }
      event.preventDefault();
      const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const move of (moves.length ? moves : [event])) {
        const next = point(move);
        stroke(state.last, next);
        state.last = next;
      }
    });
    const end = () => {
      if (!state.drawing) {
        return;
      }
      state.drawing = false;
      state.last = null;
      state.send("png", canvas.toDataURL("image/png"));
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("lostpointercapture", end);
    clear.addEventListener("click", () => {
      state.drawing = false;
      paper();
      state.send("png", null);
    });
  }
  return undefined;
}
