// backends.js: which TensorFlow.js backend trains which model, and why (pure functions).
//
// TF.js 4.22 computes with one of three backends: "webgl" (the graphics card through
// WebGL; without one the browser may emulate it in software), "wasm" (WebAssembly on the
// CPU, fast for small dense networks, but it has no gradient kernels for convolutions,
// e.g. Conv2DBackpropFilter, so it cannot train a CNN) and "cpu" (plain JavaScript, the
// slowest, always there).

/** What a WebGL renderer string says: "none" (no WebGL), "software" (emulated on the CPU:
 * SwiftShader, llvmpipe) or "hardware" (a graphics card). */
export function classifyRenderer(renderer) {
  if (!renderer) return "none";
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)
    ? "software" : "hardware";
}

/** The backends to try for `model` ("dense" or "cnn"), best first, each with the reason
 * the page shows: [{backend, reason}]. `webgl` is classifyRenderer's answer. */
export function backendPlan(model, webgl) {
  const cpu = { backend: "cpu", reason: "plain JavaScript: the slowest backend, the fallback" };
  const plan = [];
  if (model === "dense") {
    plan.push({ backend: "wasm",
      reason: "WebAssembly: the fastest on a CPU for a small dense network" });
    if (webgl !== "none") {
      plan.push({ backend: "webgl", reason: "WebGL, because WebAssembly could not start here" });
    }
  } else if (webgl === "hardware") {
    plan.push({ backend: "webgl",
      reason: "WebGL on your graphics card: convolutions run in parallel on the GPU" });
  } else if (webgl === "software") {
    plan.push({ backend: "webgl", reason: "WebGL emulated on the CPU (no graphics card): slow, " +
      "but WebAssembly cannot train convolutions (no Conv2DBackpropFilter in TF.js 4.22)" });
  } else {
    cpu.reason = "plain JavaScript: no WebGL here, and WebAssembly cannot train convolutions " +
      "(no Conv2DBackpropFilter in TF.js 4.22); the slowest backend";
  }
  plan.push(cpu);
  return plan;
}
