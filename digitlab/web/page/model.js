// model.js: the exported Keras model (model.onnx) run by ONNX Runtime Web's WebAssembly
// backend. Everything the page loads comes from its own folder: no CDN, no other server.

import * as ort from "./ort/ort.wasm.min.mjs";

/** Load model.onnx into an inference session (single-threaded WebAssembly). */
export async function loadModel(url = "model.onnx") {
  // Look for the .wasm and its glue code (.mjs) in ./ort/, not on a CDN.
  ort.env.wasm.wasmPaths = new URL("ort/", document.baseURI).href;
  // Threads need a cross-origin-isolated page, which a plain static server does not give.
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(url, { executionProviders: ["wasm"] });
}

/** The model's ten probabilities for one 28x28 image (Float32Array of 784, 0..1). */
export async function predict(session, image28, size) {
  const input = new ort.Tensor("float32", image28, [1, size, size, 1]);
  const outputs = await session.run({ [session.inputNames[0]]: input });
  return Float32Array.from(outputs[session.outputNames[0]].data);
}
