// collect.js: collect mode. Tick "Collect my digits": the page asks for a digit ("Draw a 7"),
// Enter (or Save) keeps the drawing in this browser (localStorage) and asks for the next;
// Space clears, Skip, Undo last save; Download gives the drawings as one file that
// `digitlab drawings` and `load_drawings` read. Nothing leaves the page unless you download it.
// The format and the choice of prompt are drawings.js (pure functions); this is wiring.

import { CONFIG } from "./config.js";
import * as drawings from "./drawings.js";

const pad = window.digitlab;
const canvas = document.getElementById("canvas");
document.querySelector(".pad").insertAdjacentHTML("afterend", `
  <section class="collect">
    <label><input id="collect-on" type="checkbox"> Collect my digits</label>
    <div id="collect-panel" hidden>
      <p id="collect-prompt" class="label" aria-live="polite"></p>
      <label>Your name <input id="collect-writer" size="16"
        title="letters, digits, - and _; leave the anonymous id if you like"></label>
      <div class="controls">
        <button id="collect-save" type="button">Save (Enter)</button>
        <button id="collect-skip" type="button">Skip</button>
        <button id="collect-undo" type="button">Undo last save</button>
        <button id="collect-download" type="button">Download</button>
      </div>
      <p id="collect-counts"></p>
      <p id="collect-status" aria-live="polite"></p>
    </div>
  </section>`);
const $ = (id) => document.getElementById(id);
const writerInput = $("collect-writer");
writerInput.value = localStorage.getItem(`${drawings.STORAGE_KEY}-writer`) ?? drawings.anonymousWriter();

let records = drawings.loadRecords(localStorage);
let prompt = drawings.nextDigit(drawings.countDigits(records));
let times = []; // ms since the first point, parallel to the pad's strokes
let started = null;

/** Give the pad's new points the time now (called after every pen event). */
function syncTimes() {
  const strokes = pad.strokes();
  if (!strokes.length) started = null; // cleared (button, Space)
  if (started === null && strokes.length) started = performance.now();
  const now = started === null ? 0 : performance.now() - started;
  times.length = Math.min(times.length, strokes.length);
  strokes.forEach((points, i) => {
    times[i] ??= [];
    while (times[i].length < points.length) times[i].push(now);
  });
}
for (const type of ["pointerdown", "pointermove", "pointerup", "pointercancel"]) {
  canvas.addEventListener(type, syncTimes);
}

function newDrawing(digit, message) {
  pad.clear();
  times = [];
  started = null;
  prompt = digit;
  show(message);
}

function show(message, error = false) {
  const counts = drawings.countDigits(records);
  $("collect-prompt").textContent = `Draw ${prompt === 8 ? "an" : "a"} ${prompt}`;
  $("collect-counts").textContent = "Saved per digit: "
    + counts.map((n, d) => `${d}: ${n}`).join("  ") + `   total ${records.length}`;
  $("collect-status").textContent = message;
  $("collect-status").classList.toggle("error", error);
}

async function save() {
  await pad.settled();
  syncTimes();
  const reading = pad.state();
  try {
    if (reading.status === "small") throw new Error(drawings.TOO_SMALL_MESSAGE);
    if (reading.status !== "digit") throw new Error(drawings.EMPTY_MESSAGE);
    const writer = writerInput.value.trim();
    const record = drawings.makeRecord({
      label: prompt, strokes: pad.strokes(), times, writer,
      canvasSize: CONFIG.canvasSize, penWidth: CONFIG.penWidth,
    });
    records = [...drawings.loadRecords(localStorage), record]; // another tab may have saved
    drawings.saveRecords(localStorage, records);
    localStorage.setItem(`${drawings.STORAGE_KEY}-writer`, writer);
    newDrawing(drawings.nextDigit(drawings.countDigits(records)), `Saved your ${record.label}.`);
  } catch (error) {
    show(error.message, true);
  }
}

function skip() {
  newDrawing(drawings.nextDigit(drawings.countDigits(records), Math.random, prompt), "Skipped.");
}

function undo() {
  const last = records.at(-1);
  if (!last) return show("Nothing to undo.");
  records = records.slice(0, -1);
  drawings.saveRecords(localStorage, records);
  newDrawing(last.label, `Took back your last ${last.label}.`);
}

/** The kept drawings as a .jsonl file (one per writer name in use: the last one typed). */
function download() {
  const blob = new Blob([drawings.toJsonl(records)], { type: "application/x-ndjson" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${writerInput.value.trim() || "drawings"}.jsonl`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

$("collect-on").addEventListener("change", (event) => {
  $("collect-panel").hidden = !event.target.checked;
  show("");
});
$("collect-save").addEventListener("click", save);
$("collect-skip").addEventListener("click", skip);
$("collect-undo").addEventListener("click", undo);
$("collect-download").addEventListener("click", download);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !$("collect-panel").hidden && event.target !== writerInput) {
    event.preventDefault();
    save();
  }
});

pad.collect = { save, skip, undo, prompt: () => prompt, records: () => records,
                jsonl: () => drawings.toJsonl(records) };
