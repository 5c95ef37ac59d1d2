// language.js: the page's language. It starts as the browser's (or the learner's earlier
// choice, kept in localStorage), a 中文 / English switch changes it, and every text on the
// page follows at once, without reloading. The texts are digitlab.texts' (texts.js, written
// by the export: a classic script the page loads first); the decisions are pure functions in
// i18n.js. Machinery you can skim.

import { fill, htmlLang, pickLanguage, relabel, SLOTS } from "./i18n.js";

const TEXTS = globalThis.DIGITLAB_TEXTS;

const STORAGE_KEY = "digitlab-language";
const LANGUAGES = Object.keys(TEXTS);
const SELECTOR = Object.keys(SLOTS).map((slot) => `[data-${slot}]`).join(", ");
const listeners = [];

function storedChoice() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: the browser's language, every visit
  }
}

let current = pickLanguage(navigator.languages, storedChoice(), LANGUAGES);

/** The language shown: "en" or "zh". */
export const language = () => current;

/** The text `key` in the language shown, filled with `fields`. */
export const t = (key, fields) => fill(TEXTS[current], key, fields);

/** Show the text `key` (filled with `fields`) in `element`, in every language from now on. */
export function say(element, key, fields = {}) {
  element.dataset.text = key;
  element.dataset.fields = JSON.stringify(fields);
  relabel([element], TEXTS[current]);
}

/** Show `text` that is in no catalog (an error from a browser API) as it is. */
export function sayAsIs(element, text) {
  delete element.dataset.text;
  delete element.dataset.fields;
  element.textContent = text;
}

/** Give every marked element under `root` its text in the language shown. */
export function relabelAll(root = document) {
  relabel(root.querySelectorAll(SELECTOR), TEXTS[current]);
}

/** Call `listener(language)` after each switch (for what a page draws, e.g. charts). */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** Show the page in `lang` and remember the choice. */
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) throw new Error(`no texts for the language "${lang}"`);
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the switch still works on this visit
  }
  showLanguage();
  listeners.forEach((listener) => listener(lang));
}

// -- the switch: each language named in its own words (中文, English)

const nav = document.createElement("nav");
nav.className = "languages";
for (const lang of LANGUAGES) {
  const button = document.createElement("button");
  button.type = "button";
  button.lang = htmlLang(lang);
  button.dataset.language = lang;
  button.textContent = TEXTS[lang]["web.language_name"];
  button.addEventListener("click", () => setLanguage(lang));
  nav.append(button);
}
document.querySelector("main").prepend(nav);

function showLanguage() {
  document.documentElement.lang = htmlLang(current);
  nav.setAttribute("aria-label", t("web.switch_aria"));
  for (const button of nav.children) {
    button.setAttribute("aria-pressed", String(button.dataset.language === current));
  }
  relabelAll();
}

showLanguage();
