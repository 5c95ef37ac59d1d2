// i18n.js: the pages' two languages as pure functions (no page, no browser: node runs them in
// tests/test_web_language.py). The texts are digitlab.texts', written by the export as
// texts.js; language.js wires these functions to the page.

/** The language to show: the learner's earlier choice if it is one of `available`, else the
 * first of the browser's preferred languages (navigator.languages, e.g. ["zh-CN", "en"])
 * that is available, else `fallback`. Any Chinese (zh, zh-CN, zh-TW, ...) picks "zh". */
export function pickLanguage(preferred, stored, available, fallback = "en") {
  if (available.includes(stored)) return stored;
  for (const tag of preferred ?? []) {
    const primary = String(tag).toLowerCase().split("-")[0];
    if (available.includes(primary)) return primary;
  }
  return fallback;
}

/** The text `key` of `texts` with each {name} filled from `fields`, as Python's str.format
 * fills it; a field that is itself {key, fields} is a text of its own, filled in turn. */
export function fill(texts, key, fields = {}) {
  const text = texts[key];
  if (text === undefined) throw new Error(`texts.js has no text "${key}"`);
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`the text "${key}" needs a value for {${name}}`);
    return value !== null && typeof value === "object"
      ? fill(texts, value.key, value.fields) : String(value);
  });
}

/** Where an element shows its text: data-text (its text), data-html (markup of our own
 * catalog), data-title and data-aria (attributes); data-fields holds the JSON fields. */
export const SLOTS = {
  text: (element, text) => (element.textContent = text),
  html: (element, text) => (element.innerHTML = text),
  title: (element, text) => element.setAttribute("title", text),
  aria: (element, text) => element.setAttribute("aria-label", text),
};

/** Give each element its texts from `texts` (one language's): what re-labels a page. */
export function relabel(elements, texts) {
  for (const element of elements) {
    const fields = JSON.parse(element.dataset.fields ?? "{}");
    for (const [slot, put] of Object.entries(SLOTS)) {
      const key = element.dataset[slot];
      if (key) put(element, fill(texts, key, fields));
    }
  }
}

/** The value for <html lang>: a BCP 47 tag for the language. */
export const htmlLang = (language) => (language === "zh" ? "zh-CN" : language);
