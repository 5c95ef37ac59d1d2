// ui.js: the page's wiring. Pointer events draw on the canvas (mouse, pen and finger alike),
// the drawing is read with preprocess.js and model.js, and the label, bars and preview show
// the result, in the page's language (language.js). Machinery you can skim: the ideas are in
// preprocess.js and model.js.

import { CONFIG } from "./config.js";
import { onLanguageChange, say } from "./language.js";
import { loadModel, predict } from "./model.js";
import { buildPad } from "./pad.js";
import * as preprocess from "./preprocess.js";

buildPad(document.querySelector(".pad"));
const canvas = document.getElementById("canvas");
const ink = canvas.getContext("2d", { willReadFrequently: true });
const preview = document.getElementById("preview").getContext("2d");
const label = document.getElementById("label");
const errorBox = document.getElementById("error");
const size = CONFIG.canvasSize;
canvas.width = canvas.height = size; // digitlab.strokes.CANVAS_SIZE, in canvas pixels
// PIL (the notebook pad's raster) centres point (x, y) on pixel (x, y); a canvas puts it on
// that pixel's corner. Half a pixel of shift makes both paint the same pixels.
ink.translate(0.5, 0.5);

// -- the pen: white ink on a transparent canvas (the black is CSS), so the ink is the alpha
// channel. Round caps and joins, a dot where the pen lands, like digitlab.strokes.

const strokes = [];
let activePointer = null;

function startStroke(x, y) {
  strokes.push([[x, y]]);
  ink.fillStyle = ink.strokeStyle = "#fff";
  ink.lineWidth = CONFIG.penWidth;
  ink.lineCap = ink.lineJoin = "round";
  ink.beginPath();
  ink.arc(x, y, CONFIG.penWidth / 2, 0, 2 * Math.PI);
  ink.fill();
  requestReading(false);
}

function extendStroke(x, y) {
  const points = strokes[strokes.length - 1];
  const [x0, y0] = points[points.length - 1];
  points.push([x, y]);
  ink.beginPath();
  ink.moveTo(x0, y0);
  ink.lineTo(x, y);
  ink.stroke();
  requestReading(false);
}

function finishStroke() {
  strokeEndedAt = performance.now();
  requestReading(true); // the last reading always matches the finished drawing
}

function clearPad() {
  generation += 1; // a reading still running for the old drawing is not shown
  strokes.length = 0;
  activePointer = null;
  ink.clearRect(-1, -1, size + 2, size + 2); // all of it, despite the half-pixel shift
  show({ status: "empty" });
}

/** Canvas pixel coordinates of a pointer event (the canvas may be shown smaller). */
function canvasPoint(event) {
  const rect = canvas.getBoundingClientRect();
  return [
    ((event.clientX - rect.left) * size) / rect.width,
    ((event.clientY - rect.top) * size) / rect.height,
  ];
}

canvas.addEventListener("pointerdown", (event) => {
  if (activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
  event.preventDefault();
  activePointer = event.pointerId;
  canvas.setPointerCapture(event.pointerId);
  canvas.focus();
  startStroke(...canvasPoint(event));
});
canvas.addEventListener("pointermove", (event) => {
  if (event.pointerId !== activePointer) return;
  const moves = event.getCoalescedEvents?.() ?? [];
  for (const move of moves.length ? moves : [event]) extendStroke(...canvasPoint(move));
});
for (const type of ["pointerup", "pointercancel"]) {
  canvas.addEventListener(type, (event) => {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    finishStroke();
  });
}
const clearButton = document.getElementById("clear");
clearButton.addEventListener("click", clearPad); // mouse, keyboard
// and on lifting a finger: Chrome on phones drops the click of a tap that comes within about
// 0.3 s of the end of a drawing stroke (measured in its mobile emulation). Clearing twice is fine.
clearButton.addEventListener("pointerup", (event) => event.pointerType === "touch" && clearPad());
document.addEventListener("keydown", (event) => {
  if (event.key === " " && !(event.ctrlKey || event.metaKey)) {
    event.preventDefault(); // no page scroll, no button press: just clear
    clearPad();
  }
});

// -- reading the drawing: at most every throttleMs while drawing, always when a stroke ends.

const session = loadModel();
let lastReading = -Infinity;
let running = false;
let again = false;
let generation = 0;
let strokeEndedAt = null;
let settledWaiters = [];
const timings = []; // ms from the end of a stroke to its reading shown (benchmarks/web.py)

function requestReading(force) {
  if (running) {
    again ||= force;
  } else if (force || performance.now() - lastReading >= CONFIG.throttleMs) {
    readLoop();
  }
}

async function readLoop() {
  running = true;
  try {
    do {
      again = false;
      lastReading = performance.now();
      const endedAt = strokeEndedAt;
      const started = generation;
      const reading = await read();
      if (started !== generation) continue; // cleared meanwhile
      show(reading);
      if (endedAt !== null && endedAt === strokeEndedAt) {
        timings.push(performance.now() - endedAt);
        strokeEndedAt = null;
      }
    } while (again);
  } catch (error) {
    showError(error);
  } finally {
    running = false;
    settledWaiters.forEach((resolve) => resolve());
    settledWaiters = [];
  }
}

/** What the model makes of the canvas now: the pad's rule, then the model if it is a digit. */
async function read() {
  const pixels = ink.getImageData(0, 0, size, size).data;
  const reading = preprocess.readDrawing(pixels, size, size, CONFIG);
  if (reading.status !== "digit") return reading;
  reading.probabilities = await predict(await session, reading.image28, CONFIG.mnistSize);
  return reading;
}

// -- showing it: label, ten bars, the 28x28 preview.

const bars = document.getElementById("bars");
let shown = { text: label.textContent, probabilities: new Array(10).fill(0), image28: null };
onLanguageChange(() => (shown.text = label.textContent)); // the label follows by itself

function show(reading) {
  const probabilities = reading.probabilities ? Array.from(reading.probabilities) : new Array(10).fill(0);
  const best = probabilities.indexOf(Math.max(...probabilities));
  const confident = probabilities[best] >= CONFIG.threshold;
  if (reading.status === "digit") {
    say(label, ...(confident ? ["pad.prediction", { digit: best }] : ["pad.not_sure"]));
  } else {
    say(label, reading.status === "small" ? "pad.too_small" : "pad.empty");
  }
  const text = label.textContent;
  [...bars.children].forEach((row, digit) => {
    row.classList.toggle("top", reading.status === "digit" && digit === best);
    row.classList.toggle("unsure", !confident);
    row.querySelector(".fill").style.width = `${(probabilities[digit] * 100).toFixed(1)}%`;
    row.querySelector(".pct").textContent = `${Math.round(probabilities[digit] * 100)}%`;
  });
  const side = CONFIG.mnistSize;
  const picture = preview.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const grey = reading.image28 ? Math.round(reading.image28[i] * 255) : 0;
    picture.data.set([grey, grey, grey, 255], 4 * i);
  }
  preview.putImageData(picture, 0, 0);
  shown = { text, status: reading.status, probabilities,
            image28: reading.image28 ? Array.from(reading.image28) : null };
}

function showError(error) {
  errorBox.hidden = false;
  say(errorBox, "web.error", { message: String(error.message ?? error) });
  console.error(error);
}

session.then(() => show({ status: "empty" }), showError);

// -- a hook for tests and benchmarks: replay strokes through the same pen functions.

function settled() {
  return running ? new Promise((resolve) => settledWaiters.push(resolve)) : Promise.resolve();
}

window.digitlab = {
  config: CONFIG,
  preprocess,
  timings,
  ready: session.then(() => true),
  clear: clearPad,
  settled,
  state: () => shown,
  strokes: () => structuredClone(strokes),
  /** The canvas's RGBA bytes, base64 (a plain array of 313,600 numbers takes seconds). */
  pixels() {
    const bytes = ink.getImageData(0, 0, size, size).data;
    let binary = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return btoa(binary);
  },
  /** Draw strokes (lists of [x, y] canvas points) as the pointer would; resolves with the
   * reading shown once the last one is done. */
  async drawStrokes(list) {
    for (const [first, ...rest] of list) {
      startStroke(...first);
      for (const point of rest) extendStroke(...point);
      finishStroke();
    }
    await settled();
    return shown;
  },
};
