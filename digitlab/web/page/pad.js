// pad.js: the drawing pad's markup (canvas, Clear button, label, ten probability bars and the
// 28x28 preview), one template for the drawing page and the training page. A page holds an
// empty <div class="pad" data-hint="..." data-label="..."> naming the texts of its hint and
// first label (digitlab.texts keys); ui.js and train.js build the pad there before wiring it.

import { relabelAll } from "./language.js";

const bar = (digit) =>
  `<li data-title="pad.bar" data-fields='{"digit":${digit}}'><span>${digit}</span>` +
  '<span class="track"><span class="fill"></span></span><span class="pct">0%</span></li>';

/** Build the pad into `placeholder` (the page's `.pad`), in the language shown. */
export function buildPad(placeholder) {
  const { hint, label } = placeholder.dataset;
  placeholder.innerHTML = `
    <div class="drawing">
      <canvas id="canvas" width="280" height="280" data-aria="web.canvas_aria"
              tabindex="0"></canvas>
      <div class="controls">
        <button id="clear" type="button" data-text="pad.clear"></button>
        <small data-text="${hint}"></small>
      </div>
    </div>
    <div class="reading">
      <p id="label" class="label" aria-live="polite" data-text="${label}"></p>
      <ol id="bars" class="bars">${Array.from({ length: 10 }, (_, d) => bar(d)).join("")}</ol>
      <p class="seen" data-text="pad.seen"></p>
      <canvas id="preview" width="28" height="28" data-aria="web.preview_aria"></canvas>
    </div>`;
  relabelAll(placeholder);
}
