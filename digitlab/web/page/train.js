// train.js: the training page's wiring. Buttons, slider and file picker send messages to
// the worker (trainer-worker.js), which trains; its answers are drawn as curves and text.
// The pad reads a drawing with preprocess.js, as the drawing page does, and the worker's
// model. Every text is in the page's language (language.js). Machinery you can skim: the
// ideas are in models.js, csv.js and the worker.

import { CONFIG } from "./config.js";
import { TRAINING } from "./train-config.js";
import { draw } from "./charts.js";
import { onLanguageChange, say, sayAsIs, t } from "./language.js";
import { buildPad } from "./pad.js";
import * as preprocess from "./preprocess.js";

const $ = (id) => document.getElementById(id);
buildPad(document.querySelector(".pad"));
const count = (n) => n.toLocaleString("en"); // 12,000 in both languages
const worker = new Worker("trainer-worker.js", { type: "module" });
const listeners = []; // [types, resolve] pairs waiting for an answer (the test hook)
/** The worker's next message of one of `types`. */
const once = (...types) => new Promise((resolve) => listeners.push([types, resolve]));

const state = {
  ready: false,
  training: false,
  curves: null, // the run being drawn
  runs: [], // finished runs: {model, nTrain, valAcc, backend}
  epochTimes: [],
  backend: null,
  csv: null,
};
const COLOURS = { train: "#1565c0", val: "#ef6c00", dense: "#2e7d32", cnn: "#6a1b9a" };

// -- settings and buttons

const size = $("size");
size.max = TRAINING.nTrain;
size.value = TRAINING.nTrain;
$("epochs").value = TRAINING.epochs;
const showSize = () => ($("size-value").textContent = Number(size.value).toLocaleString("en"));
size.addEventListener("input", showSize);
showSize();

$("source").addEventListener("change", () => {
  const n = $("source").value === "csv" ? state.csv.nTrain : TRAINING.nTrain;
  size.max = n;
  size.min = Math.min(500, n);
  size.step = n % 500 === 0 ? 500 : 1; // every size up to all of them can be chosen
  size.value = Math.min(Number(size.value), n);
  showSize();
});

$("csv").addEventListener("change", () => {
  const file = $("csv").files[0];
  if (!file) return;
  say($("status"), "web.reading_file", { name: file.name });
  worker.postMessage({ type: "csv", file });
});

function startTraining(options) {
  state.training = true;
  state.curves = { loss: [], accuracy: [], valLoss: [], valAccuracy: [], options };
  state.epochTimes = [];
  $("train").disabled = true;
  $("stop").disabled = false;
  say($("status"), "web.training", { model: options.model, n: count(options.nTrain) });
  drawCurves();
  worker.postMessage({ type: "train", ...options });
}

$("train").addEventListener("click", () => startTraining({
  model: $("model").value,
  source: $("source").value,
  nTrain: Number(size.value),
  epochs: Math.max(1, Math.round(Number($("epochs").value) || TRAINING.epochs)),
}));
$("stop").addEventListener("click", () => {
  worker.postMessage({ type: "stop" });
  say($("status"), "web.stopping");
});
$("download").addEventListener("click", () => worker.postMessage({ type: "download" }));

// -- what the worker says

const on = {
  ready(message) {
    state.ready = true;
    $("train").disabled = false;
    const kept = message.saved;
    const sizes = { n_train: count(message.nTrain), n_val: count(message.nVal) };
    if (kept) say($("status"), "web.ready_kept", { ...sizes, model: kept.model, n: kept.nTrain });
    else say($("status"), "web.ready", sizes);
    if (kept) useModel(kept);
  },
  csvProgress({ rows, bytes, total }) {
    say($("status"), "web.csv_progress",
      { rows: count(rows), percent: Math.round((100 * bytes) / total) });
  },
  csvLoaded(message) {
    state.csv = message;
    $("error").hidden = true;
    const option = $("source").querySelector("option[value=csv]");
    option.disabled = false;
    say(option, "web.csv_option",
      { name: message.name, n_train: count(message.nTrain), n_val: count(message.nVal) });
    $("source").value = "csv";
    $("source").dispatchEvent(new Event("change"));
    say($("status"), "web.csv_loaded", { name: message.name });
  },
  csvError(message) {
    showError("web.csv_error", { message: message.message });
    sayAsIs($("status"), "");
  },
  backend(message) {
    state.backend = message;
    say($("backend"), "web.backend", { backend: message.backend, reason: message.reason });
  },
  batch(message) {
    state.curves.loss.push([message.epochFraction, message.loss]);
    state.curves.accuracy.push([message.epochFraction, message.accuracy]);
    drawCurves();
  },
  epoch(message) {
    state.curves.valLoss.push([message.epoch, message.valLoss]);
    state.curves.valAccuracy.push([message.epoch, message.valAccuracy]);
    state.epochTimes.push(message.seconds);
    say($("epoch-times"), "web.epoch_times", {
      times: state.epochTimes.map((s) => `${s.toFixed(1)} s`).join(", "),
      backend: state.backend.backend });
    drawCurves();
  },
  done(message) {
    state.training = false;
    $("train").disabled = false;
    $("stop").disabled = true;
    if (!message.stopped && message.valAcc !== null) {
      state.runs.push(message);
      drawSizes();
    }
    say($("status"), "web.finished", {
      outcome: { key: message.stopped ? "web.stopped" : "web.done" },
      accuracy: message.valAcc === null ? "" :
        { key: "web.val_accuracy", fields: { percent: (100 * message.valAcc).toFixed(1) } },
      kept: { key: message.kept ? "web.kept" : "web.not_kept" },
    });
    useModel(message);
  },
  prediction(message) {
    predictions.get(message.id)?.(message.probabilities);
    predictions.delete(message.id);
  },
  files({ json, weights }) {
    const links = $("links");
    links.replaceChildren();
    for (const [name, blob] of [["digitlab-model.json", new Blob([json],
      { type: "application/json" })], ["digitlab-model.weights.bin", new Blob([weights])]]) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.textContent = name;
      links.append(link);
    }
  },
  error(message) {
    if (message.during === "train") {
      state.training = false;
      $("train").disabled = false;
      $("stop").disabled = true;
      say($("status"), "web.training_failed");
    }
    showErrorAsIs(message.message);
  },
};

worker.onmessage = ({ data: message }) => {
  on[message.type]?.(message);
  for (const entry of listeners.filter(([types]) => types.includes(message.type))) {
    listeners.splice(listeners.indexOf(entry), 1);
    entry[1](message);
  }
};
worker.onerror = (event) =>
  showErrorAsIs(event.message || "the training worker failed to start");
worker.postMessage({ type: "init" });

/** Show the text `key` of digitlab.texts as an error. */
function showError(key, fields) {
  $("error").hidden = false;
  say($("error"), key, fields);
}

/** Show an error message from TensorFlow.js or the worker (English) as it is. */
function showErrorAsIs(text) {
  $("error").hidden = false;
  sayAsIs($("error"), text);
}

// -- the charts

function drawCurves() {
  const c = state.curves;
  const x = [0, c.options.epochs];
  draw($("loss-chart").getContext("2d"), [
    { name: t("web.training_loss"), colour: COLOURS.train, points: c.loss },
    { name: t("web.validation_loss"), colour: COLOURS.val, points: c.valLoss },
  ], { title: t("web.loss_title"), x, y: [0, undefined] });
  draw($("accuracy-chart").getContext("2d"), [
    { name: t("web.training_accuracy"), colour: COLOURS.train, points: c.accuracy },
    { name: t("web.validation_accuracy"), colour: COLOURS.val, points: c.valAccuracy },
  ], { title: t("web.accuracy_title"), x, y: [0, 1], legend: "bottom",
    format: (v) => `${Math.round(v * 100)}%` });
}

function drawSizes() {
  const series = TRAINING.models.map((name) => ({
    name: t("web.network", { name }),
    colour: COLOURS[name],
    points: state.runs.filter((r) => r.model === name).map((r) => [r.nTrain, r.valAcc])
      .sort((a, b) => a[0] - b[0]),
  })).filter((s) => s.points.length);
  const lowest = Math.min(...state.runs.map((r) => r.valAcc));
  draw($("size-chart").getContext("2d"), series, {
    title: t("web.sizes_title"), dots: true, legend: "bottom",
    x: [0, Math.max(Number(size.max), ...state.runs.map((r) => r.nTrain))],
    y: [Math.max(0, Math.floor(lowest * 20 - 1) / 20), 1],
    format: (v) => `${(v * 100).toFixed(0)}%`,
  });
}

onLanguageChange(() => { // the charts are drawn, not marked up: draw them again
  if (state.curves) drawCurves();
  if (state.runs.length) drawSizes();
});

// -- the pad: pen strokes on a canvas, read by preprocess.js and the worker's model

const canvas = $("canvas");
const ink = canvas.getContext("2d", { willReadFrequently: true });
const side = CONFIG.canvasSize;
canvas.width = canvas.height = side;
ink.translate(0.5, 0.5); // as on the drawing page: the same pixels as digitlab.strokes
const readings = { id: 0, shown: null };
const predictions = new Map(); // request id -> resolve, for the worker's answers
let lastRequest = 0;

/** The worker model's ten probabilities for a 28x28 image (null before any model). */
function predict(image28) {
  const id = ++lastRequest;
  worker.postMessage({ type: "predict", id, image28 });
  return new Promise((resolve) => predictions.set(id, resolve));
}
let pointer = null;
let last = null;

function penTo(x, y, start) {
  ink.fillStyle = ink.strokeStyle = "#fff";
  ink.lineWidth = CONFIG.penWidth;
  ink.lineCap = ink.lineJoin = "round";
  ink.beginPath();
  if (start) {
    ink.arc(x, y, CONFIG.penWidth / 2, 0, 2 * Math.PI);
    ink.fill();
  } else {
    ink.moveTo(...last);
    ink.lineTo(x, y);
    ink.stroke();
  }
  last = [x, y];
}

function point(event) {
  const rect = canvas.getBoundingClientRect();
  return [((event.clientX - rect.left) * side) / rect.width,
    ((event.clientY - rect.top) * side) / rect.height];
}

canvas.addEventListener("pointerdown", (event) => {
  if (pointer !== null) return;
  event.preventDefault();
  pointer = event.pointerId;
  canvas.setPointerCapture(pointer);
  penTo(...point(event), true);
});
canvas.addEventListener("pointermove", (event) => {
  if (event.pointerId === pointer) penTo(...point(event), false);
});
for (const type of ["pointerup", "pointercancel"]) {
  canvas.addEventListener(type, (event) => {
    if (event.pointerId !== pointer) return;
    pointer = null;
    readPad();
  });
}

function clearPad() {
  readings.id++;
  ink.clearRect(-1, -1, side + 2, side + 2);
  show({ status: "empty" }, null);
}
$("clear").addEventListener("click", clearPad);

/** Read the pad: the drawing page's rule and 28x28 image, then the worker's model. */
async function readPad() {
  const id = ++readings.id;
  const reading = preprocess.readDrawing(ink.getImageData(0, 0, side, side).data, side, side,
    CONFIG);
  let probabilities = null;
  if (reading.status === "digit") probabilities = await predict(reading.image28);
  if (id === readings.id) show(reading, probabilities);
  return readings.shown;
}

const bars = $("bars");
onLanguageChange(() => readings.shown && (readings.shown.text = $("label").textContent));

function show(reading, probabilities) {
  const p = probabilities ?? new Array(10).fill(0);
  const best = p.indexOf(Math.max(...p));
  const confident = p[best] >= CONFIG.threshold;
  const label = $("label");
  if (reading.status === "small") say(label, "pad.too_small");
  else if (reading.status !== "digit") say(label, "pad.empty");
  else if (!probabilities) say(label, "web.train_first");
  else say(label, ...(confident ? ["pad.prediction", { digit: best }] : ["pad.not_sure"]));
  const text = label.textContent;
  [...bars.children].forEach((row, digit) => {
    row.classList.toggle("top", probabilities !== null && digit === best);
    row.classList.toggle("unsure", !confident);
    row.querySelector(".fill").style.width = `${(p[digit] * 100).toFixed(1)}%`;
    row.querySelector(".pct").textContent = `${Math.round(p[digit] * 100)}%`;
  });
  const preview = $("preview").getContext("2d");
  const picture = preview.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const grey = reading.image28 ? Math.round(reading.image28[i] * 255) : 0;
    picture.data.set([grey, grey, grey, 255], 4 * i);
  }
  preview.putImageData(picture, 0, 0);
  readings.shown = { text, status: reading.status, probabilities,
    image28: reading.image28 ? Array.from(reading.image28) : null };
}

/** A model is ready in the worker: the pad reads with it from now on. */
function useModel(about) {
  $("download").disabled = false;
  $("links").replaceChildren();
  say($("label"), "web.model_ready", { model: about.model, n: about.nTrain });
  if (readings.shown?.status === "digit") readPad();
}

// -- a hook for tests and benchmarks: the same messages the buttons send

window.digitlab = {
  ready: once("ready"),
  state: () => structuredClone({ ...state, curves: state.curves && { ...state.curves } }),
  /** Train as the Train button does; resolves with the worker's "done" message. */
  train(options) {
    const done = once("done", "error").then((answer) => {
      if (answer.type === "error") throw new Error(answer.message);
      return answer;
    });
    startTraining({ source: "sample", epochs: TRAINING.epochs, ...options });
    return done;
  },
  stop: () => $("stop").click(),
  predict: (image28) => predict(Float32Array.from(image28)),
  batches: () => state.curves?.loss.length ?? 0,
  csvAnswer: () => once("csvLoaded", "csvError"),
  /** Draw strokes (lists of [x, y] canvas points) as the pointer would; the reading. */
  async drawStrokes(strokes) {
    clearPad();
    for (const [first, ...rest] of strokes) {
      penTo(...first, true);
      for (const p of rest) penTo(...p, false);
    }
    return readPad();
  },
};
