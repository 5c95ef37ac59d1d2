// collect.js: collect mode. Tick "Collect my digits": the page asks for a digit ("Draw a 7"),
// Enter (or Save) keeps the drawing in this browser (localStorage) and asks for the next;
// Space clears, Skip, Undo last save; Download gives the drawings as one file that
// `digitlab drawings` and `load_drawings` read. Nothing leaves the page unless you download it.
// The format and the choice of prompt are drawings.js (pure functions); this is wiring.

import { CONFIG } from "./config.js";
import * as drawings from "./drawings.js";
import { relabelAll, say, sayAsIs } from "./language.js";

const pad = window.digitlab;
const canvas = document.getElementById("canvas");
document.querySelector(".pad").insertAdjacentHTML("afterend", `
  <section class="collect">
    <label><input id="collect-on" type="checkbox">
      <span data-text="web.collect_on"></span></label>
    <div id="collect-panel" hidden>
      <p id="collect-prompt" class="label" aria-live="polite"></p>
      <label><span data-text="web.writer"></span> <input id="collect-writer" size="16"
        data-title="web.writer_title"></label>
      <div class="controls">
        <button id="collect-save" type="button" data-text="collector.save"></button>
        <button id="collect-skip" type="button" data-text="collector.skip"></button>
        <button id="collect-undo" type="button" data-text="collector.undo"></button>
        <button id="collect-download" type="button" data-text="web.download"></button>
      </div>
      <p id="collect-counts"></p>
      <p id="collect-status" aria-live="polite"></p>
    </div>
  </section>`);
const $ = (id) => document.getElementById(id);
relabelAll($("collect-panel").parentElement);
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

function newDrawing(digit, ...message) {
  pad.clear();
  times = [];
  started = null;
  prompt = digit;
  show(...message);
}

/** Show the prompt, the counts and a message: a text's key and fields (digitlab.texts), or
 * nothing; `error` marks it as a reason the drawing was not saved. */
function show(key, fields = {}, error = false) {
  const counts = drawings.countDigits(records);
  say($("collect-prompt"), prompt === 8 ? "collector.prompt_an" : "collector.prompt",
    { digit: prompt });
  say($("collect-counts"), "web.collect_counts", {
    counts: counts.map((n, d) => `${d}: ${n}`).join("  "), total: records.length });
  if (key) say($("collect-status"), key, fields);
  else sayAsIs($("collect-status"), "");
  $("collect-status").classList.toggle("error", error);
}

async function save() {
  await pad.settled();
  syncTimes();
  const reading = pad.state();
  try {
    if (reading.status === "small") {
      return show("collector.not_saved", { reason: drawings.TOO_SMALL_MESSAGE }, true);
    }
    if (reading.status !== "digit") return show("collector.empty", {}, true);
    const writer = writerInput.value.trim();
    const record = drawings.makeRecord({
      label: prompt, strokes: pad.strokes(), times, writer,
      canvasSize: CONFIG.canvasSize, penWidth: CONFIG.penWidth,
    });
    records = [...drawings.loadRecords(localStorage), record]; // another tab may have saved
    drawings.saveRecords(localStorage, records);
    localStorage.setItem(`${drawings.STORAGE_KEY}-writer`, writer);
    newDrawing(drawings.nextDigit(drawings.countDigits(records)), "collector.saved",
      { digit: record.label });
  } catch (error) { // a bad writer name, full storage: the library's English sentence
    show();
    sayAsIs($("collect-status"), error.message);
    $("collect-status").classList.add("error");
  }
}

function skip() {
  newDrawing(drawings.nextDigit(drawings.countDigits(records), Math.random, prompt),
    "collector.skipped");
}

function undo() {
  const last = records.at(-1);
  if (!last) return show("web.nothing_to_undo");
  records = records.slice(0, -1);
  drawings.saveRecords(localStorage, records);
  newDrawing(last.label, "collector.took_back", { digit: last.label });
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
  show();
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
