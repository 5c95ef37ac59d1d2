// trainer-worker.js: TensorFlow.js training in a Web Worker, a thread of its own, so the
// page's drawing pad and its Stop button answer while a network trains.
//
// The page sends messages {type, ...}; the worker answers with messages too:
//   init               -> ready {nTrain, nVal, webgl, saved}  (sample loaded, saved model)
//   csv {file}         -> csvProgress {rows, bytes, total}, then csvLoaded {nTrain, nVal}
//                         or csvError {message}; the sample stays in use after an error
//   train {model, nTrain, epochs, batchSize, source, backend?, nVal?}
//                      -> backend {backend, reason}, batch {...}, epoch {...}, done {...}
//   stop               -> the run ends after the batch in progress (done {stopped: true})
//   predict {id, image28}  -> prediction {id, probabilities}
//   download           -> files {json, weights}: TF.js's model.json and weights file
// Anything that fails answers error {message}.

import "./tfjs/tf.es2017.min.js"; // TensorFlow.js (sets the global `tf`)
import "./tfjs/tf-backend-wasm.es2017.min.js"; // its WebAssembly backend
import { TRAINING } from "./train-config.js";
import { backendPlan, classifyRenderer } from "./backends.js";
import { createCsvReader } from "./csv.js";
import { decodeSample, firstN, holdOut, normalize, validationSize } from "./data.js";
import { BUILDERS, compileLikeTheLessons, modelJson } from "./models.js";

const tf = globalThis.tf;
tf.wasm.setWasmPaths(new URL("tfjs/", import.meta.url).href); // the page's own .wasm files
const SAVED = "indexeddb://digitlab-trained"; // the last trained model, kept in the browser
export const WEIGHTS_FILE = "digitlab-model.weights.bin";

const data = { sample: null, csv: null };
let model = null; // the model the pad reads with: the last one trained (or kept)
let info = null; // what it is: {model, nTrain, valAcc, backend, source}
let run = null; // the training in progress: {stopRequested, batchesAfterStop}

const handlers = {
  async init() {
    const response = await fetch(TRAINING.sampleFile);
    if (!response.ok) throw new Error(`${TRAINING.sampleFile}: HTTP ${response.status}`);
    data.sample = decodeSample(await response.arrayBuffer(), TRAINING.nTrain, TRAINING.nVal);
    try {
      model = await tf.loadLayersModel(SAVED);
      info = model.getUserDefinedMetadata()?.digitlab ?? null;
    } catch {
      model = null; // nothing kept yet
    }
    post({ type: "ready", nTrain: TRAINING.nTrain, nVal: TRAINING.nVal, webgl: webglKind(),
      saved: model ? info : null });
  },

  async csv({ file }) {
    const reader = createCsvReader();
    let bytes = 0;
    const text = file.stream().pipeThrough(new TextDecoderStream("utf-8", { fatal: true }));
    const parts = text.getReader();
    try {
      for (;;) {
        const { done, value } = await parts.read();
        if (done) break;
        reader.push(value);
        bytes += value.length;
        post({ type: "csvProgress", rows: reader.rows, bytes, total: file.size });
      }
      const all = reader.finish();
      data.csv = holdOut(all, validationSize(all.n)); // replaced only once all of it is good
      post({ type: "csvLoaded", name: file.name, nTrain: data.csv.train.n,
        nVal: data.csv.val.n });
    } catch (error) {
      const what = error instanceof TypeError ? "not UTF-8 text" : error.message;
      post({ type: "csvError", message: `${file.name}: ${what}` });
    }
  },

  async train(options) {
    if (run) throw new Error("a training run is already going: stop it first");
    const source = options.source === "csv" ? data.csv : data.sample;
    if (!source) throw new Error("no train.csv is loaded: choose one first");
    run = { stopRequested: false, batchesAfterStop: 0 };
    try {
      await trainRun(source, options);
    } finally {
      run = null;
    }
  },

  stop() {
    if (run) run.stopRequested = true;
  },

  predict({ id, image28 }) {
    if (!model) {
      post({ type: "prediction", id, probabilities: null });
      return;
    }
    const probabilities = tf.tidy(() =>
      model.predict(tf.tensor4d(image28, [1, 28, 28, 1])).dataSync());
    post({ type: "prediction", id, probabilities: Array.from(probabilities) });
  },

  async download() {
    if (!model) throw new Error("train a model first");
    let saved;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }));
    const weights = new tf.io.CompositeArrayBuffer(saved.weightData).slice();
    const json = JSON.stringify(modelJson(saved, WEIGHTS_FILE));
    post({ type: "files", json, weights }, [weights]);
  },
};

async function trainRun(source, options) {
  const backend = await chooseBackend(options);
  post({ type: "backend", ...backend });
  const train = firstN(source.train, options.nTrain);
  const val = firstN(source.val, options.nVal ?? source.val.n);
  const tensors = tf.tidy(() => ({
    x: tf.tensor4d(normalize(train.images), [train.n, 28, 28, 1]),
    y: tf.tensor2d(train.labels, [train.n, 1], "float32"),
    xVal: tf.tensor4d(normalize(val.images), [val.n, 28, 28, 1]),
    yVal: tf.tensor2d(val.labels, [val.n, 1], "float32"),
  }));
  tf.util.assert(BUILDERS[options.model], () => `unknown model ${options.model}`);
  const next = compileLikeTheLessons(tf, BUILDERS[options.model](tf), TRAINING.learningRate);
  const batchSize = options.batchSize ?? TRAINING.batchSize;
  const batchesPerEpoch = Math.ceil(train.n / batchSize);
  let epochStart = 0;
  let lastBatchEnd = 0;
  let batches = 0;
  let last = {};
  try {
    await next.fit(tensors.x, tensors.y, {
      epochs: options.epochs ?? TRAINING.epochs,
      batchSize,
      shuffle: true,
      validationData: [tensors.xVal, tensors.yVal],
      yieldEvery: "never", // the worker yields after each batch itself (below)
      callbacks: {
        onEpochBegin: async () => {
          epochStart = performance.now();
        },
        onBatchEnd: async (batch, logs) => {
          lastBatchEnd = performance.now();
          batches++;
          if (run.stopRequested) run.batchesAfterStop++;
          post({ type: "batch", batch: batches, epochFraction: batches / batchesPerEpoch,
            loss: logs.loss, accuracy: logs.acc });
          await yieldToMessages(); // a Stop or a drawing sent meanwhile is handled now
          if (run.stopRequested) next.stopTraining = true;
        },
        onEpochEnd: async (epoch, logs) => {
          last = logs;
          post({ type: "epoch", epoch: epoch + 1, loss: logs.loss, accuracy: logs.acc,
            valLoss: logs.val_loss, valAccuracy: logs.val_acc,
            seconds: (lastBatchEnd - epochStart) / 1000 });
        },
      },
    });
  } finally {
    tf.dispose(Object.values(tensors));
  }
  model?.dispose();
  model = next;
  info = { model: options.model, nTrain: train.n, valAcc: last.val_acc ?? null,
    backend: backend.backend, source: options.source ?? "sample" };
  model.setUserDefinedMetadata({ digitlab: info });
  let kept = true;
  try {
    await model.save(SAVED); // kept in the browser (IndexedDB) for the next visit
  } catch {
    kept = false; // e.g. a private window without storage: the model still works here
  }
  post({ type: "done", stopped: run.stopRequested, batches,
    batchesAfterStop: run.batchesAfterStop, kept, ...info });
}

/** Switch TF.js to the first backend of the plan that starts (or the one asked for). */
async function chooseBackend(options) {
  const plan = options.backend
    ? [{ backend: options.backend, reason: "chosen by the caller" }]
    : backendPlan(options.model, webglKind());
  for (const choice of plan) {
    if (await tf.setBackend(choice.backend).catch(() => false)) return choice;
  }
  throw new Error(`no TF.js backend started (tried ${plan.map((p) => p.backend).join(", ")})`);
}

let webgl;
function webglKind() {
  if (webgl === undefined) {
    const gl = self.OffscreenCanvas ? new OffscreenCanvas(1, 1).getContext("webgl2") : null;
    const debug = gl?.getExtension("WEBGL_debug_renderer_info");
    webgl = classifyRenderer(gl && (debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)
      : gl.getParameter(gl.RENDERER)));
  }
  return webgl;
}

/** Let the worker handle the messages that arrived (a macrotask, without setTimeout's
 * 4 ms clamp). */
const channel = new MessageChannel();
function yieldToMessages() {
  return new Promise((resolve) => {
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });
}

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

self.onmessage = async ({ data: message }) => {
  try {
    await handlers[message.type](message);
  } catch (error) {
    post({ type: "error", message: String(error?.message ?? error), during: message.type });
  }
};
