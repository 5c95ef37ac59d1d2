// models.js: the course's dense baseline and CNN in TensorFlow.js's Layers API, line for
// line like build_dense and build_cnn in digitlab/models.py (lesson 09 shows them side by
// side). `tf` is the TensorFlow.js library, passed in so this file runs anywhere.
// Weights start as Keras starts them (Glorot-uniform kernels, zero biases), and come out in
// the same order with the same shapes, so digitlab.web.tfjs.load_tfjs_weights can put them
// back into the Keras builder.

/** The dense baseline (lesson 02): Flatten -> per entry of `units` Dense + ReLU, then
 * dropout -> softmax. */
export function buildDense(tf, units = [128, 64, 64], dropout = 0.1) {
  const model = tf.sequential({ name: "dense" });
  // a 28x28 grey image; its 28 rows end to end: 784 numbers
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  for (const n of units) {
    // every input to every unit, then max(0, x)
    model.add(tf.layers.dense({ units: n, activation: "relu" }));
    // silence a random `dropout` share while training
    model.add(tf.layers.dropout({ rate: dropout }));
  }
  // 10 probabilities summing to 1
  model.add(tf.layers.dense({ units: 10, activation: "softmax" }));
  return model;
}

/** The course CNN (lesson 03): per entry of `filters` a 5x5 convolution with a ReLU ->
 * 2x2 max-pool, then dropout -> Dense(128) -> dropout -> softmax. */
export function buildCnn(tf, filters = [16, 32], kernelSize = 5, denseUnits = 128,
  dropout = 0.25) {
  const model = tf.sequential({ name: "cnn" });
  model.add(tf.layers.inputLayer({ inputShape: [28, 28, 1] })); // a 28x28 grey image
  for (const n of filters) {
    // n filters of 5x5, each followed by max(0, x); "same" keeps the 28x28 size
    model.add(tf.layers.conv2d({ filters: n, kernelSize, padding: "same", activation: "relu" }));
    // keep the strongest response per 2x2: half the size
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  // 28x28 -> 14x14 (16 maps) -> 7x7 (32 maps)
  model.add(tf.layers.flatten()); // all maps as one vector: 7 * 7 * 32 = 1,568 numbers
  model.add(tf.layers.dropout({ rate: dropout })); // drop 25% while training
  model.add(tf.layers.dense({ units: denseUnits, activation: "relu" })); // combine the parts
  model.add(tf.layers.dropout({ rate: dropout }));
  model.add(tf.layers.dense({ units: 10, activation: "softmax" })); // 10 probabilities
  return model;
}

export const BUILDERS = { dense: buildDense, cnn: buildCnn };

/** Compile as the lessons do: Adam, sparse categorical cross-entropy (integer labels),
 * accuracy. */
export function compileLikeTheLessons(tf, model, learningRate) {
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: "sparseCategoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

/** The model.json of TF.js's own download format for saved `artifacts` (what
 * model.save hands a save handler), its weights in the file `weightsName` beside it. */
export function modelJson(artifacts, weightsName) {
  return {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
}
