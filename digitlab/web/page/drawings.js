// drawings.js: the page's collect mode keeps drawings in the format of
// digitlab/data/drawings.py (one JSON line per drawing), so `load_drawings` reads the
// downloaded file. Pure functions, no DOM; collect.js wires them to the page.

export const FORMAT = "digitlab-drawing";
export const VERSION = 1;
export const WRITER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/; // as WRITER_PATTERN in Python
export const STORAGE_KEY = "digitlab-drawings";
export const EMPTY_MESSAGE = "the drawing is empty: draw the digit before saving";
export const TOO_SMALL_MESSAGE = "not saved: the drawing is too small to be a digit "
  + "(a tap, a dot or a short line): draw a bigger digit"; // as drawing_record says

/** A random anonymous writer id such as "anon-3f2a1c9e", as anonymous_writer() makes. */
export function anonymousWriter(bytes = crypto.getRandomValues(new Uint8Array(4))) {
  return "anon-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A digit to ask for: random among those with the fewest drawings, never `avoid`.
 * Mirrors digitlab.collector.next_digit. */
export function nextDigit(counts, random = Math.random, avoid = null) {
  const candidates = [...Array(10).keys()].filter((d) => d !== avoid);
  const least = Math.min(...candidates.map((d) => counts[d]));
  const choices = candidates.filter((d) => counts[d] === least);
  return choices[Math.floor(random() * choices.length)];
}

/** How many drawings of each digit `records` hold. */
export function countDigits(records) {
  const counts = new Array(10).fill(0);
  for (const record of records) counts[record.label] += 1;
  return counts;
}

const round2 = (v) => Math.round(v * 100) / 100;

/** The record of one drawing: `strokes` lists of [x, y] canvas points, `times` the same
 * shape in ms since the first point. Throws an Error with one sentence for a bad label,
 * a bad writer id or no strokes. */
export function makeRecord({ label, strokes, times, writer, canvasSize, penWidth,
                             date = new Date(), id = null, version = "web" }) {
  if (!Number.isInteger(label) || label < 0 || label > 9) {
    throw new Error(`a label is a digit from 0 to 9, got ${label}`);
  }
  if (!WRITER_PATTERN.test(writer ?? "")) {
    throw new Error("a writer id is 1-40 letters, digits, '_' or '-' (starting with a letter "
                    + `or digit), got ${JSON.stringify(writer)}`);
  }
  if (!strokes.length) throw new Error(EMPTY_MESSAGE);
  return {
    format: FORMAT,
    v: VERSION,
    id: id ?? Array.from(crypto.getRandomValues(new Uint8Array(8)),
                         (b) => b.toString(16).padStart(2, "0")).join(""),
    label,
    writer,
    date: date.toISOString().replace(/\.\d+Z$/, "Z"),
    digitlab: version,
    canvas: canvasSize,
    strokes: strokes.map((points, i) => ({
      width: penWidth,
      points: points.map(([x, y], j) => [round2(x), round2(y), round2(times[i][j])]),
    })),
  };
}

/** The records as the file `load_drawings` reads: one JSON line each. */
export function toJsonl(records) {
  return records.map((record) => JSON.stringify(record) + "\n").join("");
}

/** The records kept in `storage` (localStorage); a damaged entry gives none, not an error. */
export function loadRecords(storage) {
  try {
    const records = JSON.parse(storage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(records) ? records : [];
  } catch {
    return [];
  }
}

/** Keep `records` in `storage` (one setItem: all or nothing). */
export function saveRecords(storage, records) {
  storage.setItem(STORAGE_KEY, JSON.stringify(records));
}
