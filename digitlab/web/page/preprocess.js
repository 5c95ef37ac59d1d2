// preprocess.js: the drawing as the 28x28 image the model expects.
//
// Pure functions, no DOM: each one mirrors a function of digitlab/preprocess.py step for
// step (named in its comment), so the page sees exactly what the notebook's drawing pad
// sees. `config` holds the constants written by `digitlab export web` (config.js).
// Arrays: an RGBA image is a Uint8ClampedArray (canvas ImageData.data), row by row; grey
// images are Float32Array, row by row, like numpy's float32 arrays.

/** Round half to even, as Python's round() does (round(2.5) == 2). */
export function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The median of a list of numbers, as numpy.median (the mean of the middle two). */
export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The pixels along the four edges. Mirrors _border. */
export function border(channel, width, height) {
  const edge = [];
  for (let x = 0; x < width; x++) edge.push(channel[x]);
  for (let x = 0; x < width; x++) edge.push(channel[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) edge.push(channel[y * width]);
  for (let y = 1; y < height - 1; y++) edge.push(channel[y * width + width - 1]);
  return edge;
}

/** The channel that carries the ink, 0..1: alpha when the border is mostly transparent
 * (an HTML canvas), else luminance like PIL's convert("L"). Mirrors _signal. */
export function signal(rgba, width, height) {
  const n = width * height;
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) alpha[i] = rgba[4 * i + 3];
  const out = new Float32Array(n);
  if (median(border(alpha, width, height)) < 0.5 * 255) {
    for (let i = 0; i < n; i++) out[i] = alpha[i] / 255;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
    out[i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255; // PIL's ITU-R 601
  }
  return out;
}

/** Ink strength per pixel (1 = strongest ink, 0 = background), or null when nothing was
 * drawn (Python raises EmptyDrawingError). Mirrors ink_map. */
export function inkMap(rgba, width, height, config) {
  const sig = signal(rgba, width, height);
  const background = median(border(sig, width, height));
  let darkest = Infinity;
  let brightest = -Infinity;
  for (const v of sig) {
    darkest = Math.min(darkest, v);
    brightest = Math.max(brightest, v);
  }
  // Dark ink on light paper or light ink on dark: the ink is what differs most.
  const darkInk = background - darkest >= brightest - background;
  const peak = darkInk ? background - darkest : brightest - background;
  if (peak < config.minContrast) return null;
  const floor = config.noiseFloor * peak; // faint smudges count as paper
  const ink = new Float32Array(sig.length);
  let strong = 0;
  for (let i = 0; i < sig.length; i++) {
    const raw = darkInk ? background - sig[i] : sig[i] - background;
    ink[i] = Math.min(1, Math.max(0, (raw - floor) / (peak - floor)));
    if (ink[i] >= 0.5) strong++;
  }
  return strong < config.minInkPixels ? null : ink;
}

/** Bounding box {top, bottom, left, right} (inclusive) of the pixels where `isInk(value)`,
 * by default every pixel with any ink (numpy's `ink.any(axis)` in canvas_to_mnist). */
export function inkBox(ink, width, height, isInk = (v) => v > 0) {
  let [top, bottom, left, right] = [height, -1, width, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (isInk(ink[y * width + x])) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  return bottom < 0 ? null : { top, bottom, left, right };
}

/** Too small to read? The not-a-digit rule of the drawing pad: the longer side of the box
 * around the ink of at least half strength is under minDigitExtent x the canvas's shorter
 * side (digitlab.preprocess.MIN_DIGIT_EXTENT). */
export function tooSmall(ink, width, height, config) {
  const box = inkBox(ink, width, height, (v) => v >= 0.5);
  const extent = Math.max(box.bottom - box.top + 1, box.right - box.left + 1);
  return extent < config.minDigitExtent * Math.min(width, height);
}

/** Weights of one output pixel over the input pixels, as Pillow's precompute_coeffs
 * (libImaging/Resample.c) computes them for the BOX and BILINEAR filters. */
function coefficients(inSize, outSize, box) {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = (box ? 0.5 : 1.0) * filterscale;
  const filter = box
    ? (x) => (x > -0.5 && x <= 0.5 ? 1 : 0)
    : (x) => Math.max(0, 1 - Math.abs(x));
  const rows = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5));
    const weights = [];
    let total = 0;
    for (let x = xmin; x < xmax; x++) {
      const w = filter((x - center + 0.5) / filterscale);
      weights.push(w);
      total += w;
    }
    rows.push({ xmin, weights: weights.map((w) => (total !== 0 ? w / total : w)) });
  }
  return rows;
}

/** Anti-aliased resize: area average (Pillow's BOX) when shrinking, bilinear when
 * enlarging; rows first, then columns, float32 in between, as Pillow does. Mirrors _resize. */
export function resize(image, width, height, outWidth, outHeight) {
  const box = outWidth * outHeight <= width * height;
  let current = image;
  let w = width;
  if (outWidth !== width) {
    const coeffs = coefficients(width, outWidth, box);
    const next = new Float32Array(outWidth * height);
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < outWidth; xx++) {
        const { xmin, weights } = coeffs[xx];
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += current[y * w + xmin + k] * weights[k];
        next[y * outWidth + xx] = sum;
      }
    }
    current = next;
    w = outWidth;
  }
  if (outHeight !== height) {
    const coeffs = coefficients(height, outHeight, box);
    const next = new Float32Array(w * outHeight);
    for (let yy = 0; yy < outHeight; yy++) {
      const { xmin: ymin, weights } = coeffs[yy];
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += current[(ymin + k) * w + x] * weights[k];
        next[yy * w + x] = sum;
      }
    }
    current = next;
  }
  return current === image ? Float32Array.from(image) : current;
}

/** Paste `digit` into a 28x28 field so its centre of mass lands on (14, 14), rounded like
 * Python and stopped at the edges. Mirrors _centre_by_mass. */
export function centreByMass(digit, width, height, config) {
  const size = config.mnistSize;
  let total = 0;
  let sumY = 0;
  let sumX = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = digit[y * width + x];
      total += v;
      sumY += v * y;
      sumX += v * x;
    }
  }
  // numpy sums the float32 image in float32: a centre that is a half to within float32
  // precision (a symmetric stroke) is exactly a half there, and round() takes the even side.
  const centreY = Math.fround(sumY / total);
  const centreX = Math.fround(sumX / total);
  const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
  const top = clamp(roundHalfEven(config.mnistCentre - centreY), size - height);
  const left = clamp(roundHalfEven(config.mnistCentre - centreX), size - width);
  const field = new Float32Array(size * size);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) field[(top + y) * size + left + x] = digit[y * width + x];
  }
  return field;
}

/** The MNIST recipe on an ink map: crop to the ink, scale so the longer side is 20 px
 * (aspect kept), strongest ink = 1, centre of mass at (14, 14). Mirrors canvas_to_mnist
 * after its ink_map step. */
export function inkToMnist(ink, width, height, config) {
  const { top, bottom, left, right } = inkBox(ink, width, height);
  const [cropH, cropW] = [bottom - top + 1, right - left + 1];
  const crop = new Float32Array(cropH * cropW);
  for (let y = 0; y < cropH; y++) {
    for (let x = 0; x < cropW; x++) crop[y * cropW + x] = ink[(top + y) * width + left + x];
  }
  const scale = config.digitBox / Math.max(cropH, cropW);
  const outH = Math.max(1, roundHalfEven(cropH * scale));
  const outW = Math.max(1, roundHalfEven(cropW * scale));
  const digit = resize(crop, cropW, cropH, outW, outH);
  let peak = 0;
  for (const v of digit) peak = Math.max(peak, v);
  for (let i = 0; i < digit.length; i++) digit[i] /= peak;
  return centreByMass(digit, outW, outH, config);
}

/** What the page makes of a drawing: {status: "empty"}, {status: "small"} or
 * {status: "digit", image28} (Float32Array of 784, white on black, 0..1). The pad's rule. */
export function readDrawing(rgba, width, height, config) {
  const ink = inkMap(rgba, width, height, config);
  if (ink === null) return { status: "empty" };
  if (tooSmall(ink, width, height, config)) return { status: "small" };
  return { status: "digit", image28: inkToMnist(ink, width, height, config) };
}

/** canvas_to_mnist: the 28x28 image for any drawing with ink, or null when it is blank. */
export function canvasToMnist(rgba, width, height, config) {
  const ink = inkMap(rgba, width, height, config);
  return ink === null ? null : inkToMnist(ink, width, height, config);
}
