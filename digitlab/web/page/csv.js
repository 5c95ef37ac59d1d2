// csv.js: Kaggle's digit-recognizer train.csv, read piece by piece as the file streams in.
//
// Pure functions, no DOM: the training page's worker feeds the file's text to a reader in
// chunks, so a 42,000-row file (73 MB) never sits in memory as one string and the page
// stays responsive. Rows are `label,pixel0,...,pixel783`, as digitlab.data.read_kaggle_csv
// reads them; the first malformed row stops the reading with its line number (the header
// is line 1) and what is wrong with it, and nothing of a half-read file is returned.

export const N_PIXELS = 784;
export const HEADER = ["label", ...Array.from({ length: N_PIXELS }, (_, i) => `pixel${i}`)];
export const MAX_LINE = 8192; // characters; a valid row (785 numbers) has at most 3,140

/** A malformed file: the message names the line (header = line 1) and what is wrong. */
export class CsvError extends Error {
  constructor(line, message) {
    super(line === null ? message : `line ${line} (row ${line - 1}): ${message}`);
    this.name = "CsvError";
    this.line = line;
  }
}

/** The 785 numbers of one data line into `out` (label first), or a CsvError saying why not.
 * Only whole numbers are accepted: pixels 0-255, the label 0-9. */
export function parseRow(text, lineNumber, out) {
  let count = 0;
  let value = 0;
  let digits = 0;
  const end = text.length;
  for (let i = 0; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : 44; // a comma closes the last value
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
    } else if (code === 44) {
      if (digits === 0) {
        throw new CsvError(lineNumber, `value ${count + 1} is empty`);
      }
      if (count < out.length) out[count] = value;
      const limit = count === 0 ? 9 : 255;
      if (value > limit) {
        const what = count === 0 ? "the label" : `pixel${count - 1}`;
        throw new CsvError(lineNumber, `${what} is ${value}, expected a whole number 0-${limit}`);
      }
      count++;
      value = 0;
      digits = 0;
    } else {
      const start = text.lastIndexOf(",", i) + 1;
      const stop = text.indexOf(",", i);
      const shown = text.slice(start, stop < 0 ? end : stop).slice(0, 20);
      throw new CsvError(lineNumber,
        `value ${count + 1} (${JSON.stringify(shown)}) is not a whole number`);
    }
  }
  if (count !== HEADER.length) {
    throw new CsvError(lineNumber, `${count} values, the header has ${HEADER.length}`);
  }
}

/** A streaming reader: `push(text)` each chunk as it arrives, then `finish()` for
 * {images: Uint8Array(n * 784), labels: Uint8Array(n), n}. Either throws a CsvError. */
export function createCsvReader() {
  let pending = "";
  let lineNumber = 0;
  let headerSeen = false;
  let n = 0;
  let images = new Uint8Array(1024 * N_PIXELS);
  let labels = new Uint8Array(1024);
  const row = new Uint8Array(HEADER.length);

  function grow() {
    const bigger = new Uint8Array(images.length * 2);
    bigger.set(images);
    images = bigger;
    const more = new Uint8Array(labels.length * 2);
    more.set(labels);
    labels = more;
  }

  function line(text) {
    lineNumber++;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (!headerSeen) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark
      const names = text.split(",");
      if (names.length !== HEADER.length || names.some((name, i) => name.trim() !== HEADER[i])) {
        const hint = names[0] === "pixel0"
          ? "this is a test.csv (no label column): choose the train.csv"
          : `found ${names.length} columns starting ${JSON.stringify(names.slice(0, 2))}`;
        throw new CsvError(lineNumber, `the header must be label,pixel0,...,pixel783; ${hint}`);
      }
      headerSeen = true;
      return;
    }
    if (text.trim() === "") return; // blank lines are skipped, as in read_kaggle_csv
    parseRow(text, lineNumber, row);
    if (n === labels.length) grow();
    labels[n] = row[0];
    images.set(row.subarray(1), n * N_PIXELS);
    n++;
  }

  return {
    /** Read the complete lines of `text` (the rest waits for the next chunk). */
    push(text) {
      pending += text;
      let start = 0;
      let newline;
      while ((newline = pending.indexOf("\n", start)) >= 0) {
        if (newline - start > MAX_LINE) throw tooLong(lineNumber + 1);
        line(pending.slice(start, newline));
        start = newline + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE) throw tooLong(lineNumber + 1);
    },
    /** The rows read so far (for a progress display). */
    get rows() {
      return n;
    },
    /** The last line, then everything read; throws when there was no header or no row. */
    finish() {
      if (pending !== "") line(pending);
      pending = "";
      if (!headerSeen) throw new CsvError(null, "the file is empty: expected Kaggle's train.csv");
      if (n === 0) throw new CsvError(null, "the file has a header but no rows of digits");
      return { images: images.slice(0, n * N_PIXELS), labels: labels.slice(0, n), n };
    },
  };
}

function tooLong(lineNumber) {
  return new CsvError(lineNumber,
    `longer than ${MAX_LINE} characters, longer than any row of 785 numbers`);
}

/** Read a whole text (tests, small files) with the streaming reader, in chunks of `size`. */
export function readCsvText(text, size = 65536) {
  const reader = createCsvReader();
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
  return reader.finish();
}
