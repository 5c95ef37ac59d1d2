// data.js: the training page's images and labels, as plain arrays (no TF.js, no DOM).
//
// A data set is {images: Uint8Array(n * 784), labels: Uint8Array(n), n}: grey levels
// 0-255, row by row, like MNIST's files. The worker turns one into tensors when it trains.

export const IMAGE_BYTES = 28 * 28;

/** The sample written by `digitlab export web` (mnist-sample.bin), as
 * {train, val}: training images, training labels, validation images, validation labels,
 * one after the other (digitlab.web.training_page.sample_bytes). */
export function decodeSample(buffer, nTrain, nVal) {
  const expected = (nTrain + nVal) * (IMAGE_BYTES + 1);
  if (buffer.byteLength !== expected) {
    throw new Error(`the training sample has ${buffer.byteLength} bytes, expected ${expected} ` +
      `for ${nTrain} + ${nVal} images: export the page again`);
  }
  const bytes = new Uint8Array(buffer);
  let offset = 0;
  const take = (count) => bytes.subarray(offset, (offset += count));
  const train = { images: take(nTrain * IMAGE_BYTES), labels: take(nTrain), n: nTrain };
  const val = { images: take(nVal * IMAGE_BYTES), labels: take(nVal), n: nVal };
  for (const [name, set] of [["training", train], ["validation", val]]) {
    const bad = set.labels.findIndex((label) => label > 9);
    if (bad >= 0) throw new Error(`the ${name} label of image ${bad} is ${set.labels[bad]}`);
  }
  return { train, val };
}

/** The first `n` images of a set (the sample is in random order: a random subset). */
export function firstN(set, n) {
  const count = Math.min(n, set.n);
  return {
    images: set.images.subarray(0, count * IMAGE_BYTES),
    labels: set.labels.subarray(0, count),
    n: count,
  };
}

/** A small seeded random generator (mulberry32): the same seed, the same numbers. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Split a set (a loaded train.csv) into {train, val} at random, seeded: `nVal` images are
 * held out for validation, the rest (in random order) are for training. */
export function holdOut(set, nVal, seed = 0) {
  if (!(nVal > 0 && nVal < set.n)) {
    throw new Error(`cannot hold out ${nVal} of ${set.n} images for validation`);
  }
  const order = Array.from({ length: set.n }, (_, i) => i);
  const next = random(seed);
  for (let i = order.length - 1; i > 0; i--) { // Fisher-Yates
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const gather = (indices) => {
    const images = new Uint8Array(indices.length * IMAGE_BYTES);
    const labels = new Uint8Array(indices.length);
    indices.forEach((from, to) => {
      images.set(set.images.subarray(from * IMAGE_BYTES, (from + 1) * IMAGE_BYTES),
        to * IMAGE_BYTES);
      labels[to] = set.labels[from];
    });
    return { images, labels, n: indices.length };
  };
  return { train: gather(order.slice(nVal)), val: gather(order.slice(0, nVal)) };
}

/** How many of a train.csv's rows to hold out: a tenth, like 4,200 of Kaggle's 42,000. */
export function validationSize(n) {
  return Math.max(1, Math.round(n / 10));
}

/** Images as the model reads them: float32 0..1 (digitlab.data.normalize_images). */
export function normalize(images) {
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i] / 255;
  return out;
}
