// The front end of nnlib.explorers.ch08.DrawDigit: an anywidget ES module with no imports,
// so it runs offline in JupyterLab, VS Code and Colab with no extension to build.
//
// The student draws on a canvas with pointer events (mouse, touch screen or stylus alike).
// At the end of each stroke, the list of strokes (x, y in canvas pixels) goes to Python,
// which renders, preprocesses and classifies it (nnlib.data.render_strokes,
// nnlib.data.preprocess_drawing, the model) and sends back the 28 x 28 image the network
// sees, its 10 confidences and the predicted digit. This file only draws them.

const NEUTRAL = "#555555", ACCENT = "#D55E00";      // the course's colours (nnlib.plot)

function h(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

function render({ model, el }) {
  const size = model.get("size");
  const root = h("div", "nnlib-draw");
  el.appendChild(root);

  // --- left: the canvas and its buttons -------------------------------------------
  const left = h("div", "nnlib-draw-left");
  const canvas = h("canvas", "nnlib-draw-canvas");
  canvas.setAttribute("aria-label", "drawing canvas: draw one digit with the mouse, a finger or a pen");
  canvas.setAttribute("role", "img");
  canvas.style.width = size + "px";
  canvas.style.height = size + "px";
  const buttons = h("div", "nnlib-draw-buttons");
  const clear = h("button", "nnlib-draw-clear", "Clear");
  clear.type = "button";
  clear.title = "Wipe the canvas and draw again";
  const undo = h("button", "nnlib-draw-undo", "Undo stroke");
  undo.type = "button";
  undo.title = "Take back the last stroke";
  buttons.append(clear, undo);
  left.append(canvas, buttons);

  // --- right: what the network sees and what it says ------------------------------
  const right = h("div", "nnlib-draw-right");
  const top = h("div", "nnlib-draw-top");
  const seenBox = h("div", "nnlib-draw-seen-box");
  const seen = h("canvas", "nnlib-draw-seen");
  seen.width = 28;
  seen.height = 28;
  seen.setAttribute("role", "img");
  seen.setAttribute("aria-label", "the 28 by 28 image the network sees");
  seenBox.append(h("div", "nnlib-draw-label", "the network sees"), seen,
                 h("div", "nnlib-draw-note", "28 × 28 pixels"));
  const answerBox = h("div", "nnlib-draw-answer-box");
  const digit = h("div", "nnlib-draw-digit", "?");
  const confidence = h("div", "nnlib-draw-confidence", "");
  answerBox.append(h("div", "nnlib-draw-label", "the network says"), digit, confidence);
  top.append(seenBox, answerBox);

  const chart = h("div", "nnlib-draw-chart");
  const title = h("div", "nnlib-draw-label", "confidence for each digit");
  const plot = h("div", "nnlib-draw-plot");            // bars over gridlines at 0.5 and 1, axis on the left
  for (const level of [0, 0.5, 1]) {
    const label = h("div", "nnlib-draw-ylabel", String(level));
    label.style.bottom = (100 * level) + "%";
    plot.appendChild(label);
    if (level === 0) continue;
    const line = h("div", "nnlib-draw-grid");
    line.style.bottom = (100 * level) + "%";
    plot.appendChild(line);
  }
  const ticks = h("div", "nnlib-draw-ticks");
  const bars = [], values = [];
  for (let k = 0; k < 10; k++) {
    const col = h("div", "nnlib-draw-col");
    const bar = h("div", "nnlib-draw-bar");
    const value = h("div", "nnlib-draw-value", "");
    bar.style.height = "0%";
    col.append(bar, value);
    plot.appendChild(col);
    ticks.appendChild(h("div", "nnlib-draw-tick", String(k)));
    bars.push(bar);
    values.push(value);
  }
  chart.append(title, plot, ticks);
  right.append(top, chart);

  const status = h("div", "nnlib-explorer-status nnlib-draw-status", "");
  status.setAttribute("aria-live", "polite");
  const row = h("div", "nnlib-draw-row");
  row.append(left, right);
  root.append(row, status);

  // --- the canvas: pointer events for mouse, touch and pen ---------------------------
  const ctx = canvas.getContext("2d");
  let strokes = (model.get("strokes") || []).map(s => s.map(p => [p[0], p[1]]));
  let current = null, t0 = null;

  function setup() {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111111";
    ctx.fillStyle = "#111111";
    ctx.lineWidth = model.get("pen");
  }

  function drawStroke(s) {
    if (s.length === 1) {
      ctx.beginPath();
      ctx.arc(s[0][0], s[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(s[0][0], s[0][1]);
    for (let i = 1; i < s.length; i++) ctx.lineTo(s[i][0], s[i][1]);
    ctx.stroke();
  }

  function redraw() {
    ctx.clearRect(0, 0, size, size);
    for (const s of strokes) drawStroke(s);
    if (current) drawStroke(current);
  }

  function point(e) {
    const r = canvas.getBoundingClientRect();        // the border box: skip the border
    const x = (e.clientX - r.left - canvas.clientLeft) * size / canvas.clientWidth;
    const y = (e.clientY - r.top - canvas.clientTop) * size / canvas.clientHeight;
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }

  function send() {
    const now = strokes.map(s => s.slice());
    if (JSON.stringify(now) === JSON.stringify(model.get("strokes") || [])) return;   // Clear on a blank canvas
    t0 = performance.now();
    root.dataset.pending = "1";
    model.set("strokes", now);
    model.save_changes();
  }

  canvas.addEventListener("pointerdown", e => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = [point(e)];
    redraw();
  });
  canvas.addEventListener("pointermove", e => {
    if (!current) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const ev of (events.length ? events : [e])) {
      const p = point(ev), last = current[current.length - 1];
      if (p[0] === last[0] && p[1] === last[1]) continue;
      current.push(p);
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
    }
  });
  function finish() {                  // pointer up (capture is released by itself), cancelled or lost
    if (!current) return;
    strokes.push(current);
    current = null;
    redraw();
    send();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("lostpointercapture", finish);

  clear.addEventListener("click", () => { strokes = []; current = null; redraw(); send(); });
  undo.addEventListener("click", () => { strokes.pop(); redraw(); send(); });

  // --- what Python sends back -------------------------------------------------------
  const seenCtx = seen.getContext("2d");
  function update() {
    const probs = model.get("probs") || [], image = model.get("image") || [], d = model.get("digit");
    const best = probs.length ? probs.indexOf(Math.max(...probs)) : -1;
    for (let k = 0; k < 10; k++) {
      const p = probs.length ? probs[k] : 0;
      const height = (100 * Math.max(0, Math.min(1, p))).toFixed(1) + "%";
      bars[k].style.height = height;
      bars[k].style.background = k === best ? ACCENT : NEUTRAL;
      bars[k].parentElement.title = probs.length ? `digit ${k}: confidence ${(100 * p).toFixed(1)}%` : "";
      values[k].style.bottom = height;
      values[k].textContent = k === best ? Math.round(100 * p) + "%" : "";
    }
    const pixels = seenCtx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = image.length ? 255 - image[i] : 255;          // ink dark on white, as show_digit
      pixels.data.set([v, v, v, 255], 4 * i);
    }
    seenCtx.putImageData(pixels, 0, 0);
    digit.textContent = d >= 0 ? String(d) : "?";
    digit.classList.toggle("nnlib-draw-none", d < 0);
    confidence.textContent = d >= 0 && probs.length ? `${Math.round(100 * probs[d])}% confident` : "";
    status.textContent = model.get("message");
    root.dataset.digit = d >= 0 ? String(d) : "";
    root.dataset.version = String(model.get("version"));
    root.dataset.pythonMs = String(model.get("python_ms"));
    if (t0 !== null) {                      // for the tests: pointer up → bars changed and painted
      const start = t0;
      t0 = null;
      requestAnimationFrame(() => {
        root.dataset.latencyMs = (performance.now() - start).toFixed(1);
        delete root.dataset.pending;
      });
    }
  }

  function fromPython() {
    const s = model.get("strokes") || [];
    if (JSON.stringify(s) !== JSON.stringify(strokes)) {     // set from Python (or another view)
      strokes = s.map(st => st.map(p => [p[0], p[1]]));
      redraw();
    }
  }

  setup();
  redraw();
  update();
  model.on("change:version", update);
  model.on("change:strokes", fromPython);
  return () => {
    model.off("change:version", update);
    model.off("change:strokes", fromPython);
  };
}

export default { render };
