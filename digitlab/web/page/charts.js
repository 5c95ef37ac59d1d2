// charts.js: line charts on a <canvas>, hand-drawn: the live loss and accuracy curves and
// the accuracy-versus-training-size chart. `layout` is pure (tested under node); `draw`
// paints its result on a canvas 2D context.

const PAD = { left: 44, right: 10, top: 22, bottom: 30 };

/** "Nice" tick values covering [lo, hi]: about `count` steps of 1, 2 or 5 x 10^k. */
export function ticks(lo, hi, count = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

/** Where everything goes on a `width` x `height` chart of `series`
 * ([{name, colour, points: [[x, y], ...]}]) with axis ranges `x` and `y` ([lo, hi]; a
 * missing bound follows the data): {lines: [{name, colour, path: [[px, py], ...]}],
 * xTicks: [{value, px}], yTicks: [{value, py}], box}. */
export function layout(series, width, height, { x = [], y = [] } = {}) {
  const all = series.flatMap((s) => s.points);
  const bound = (given, values, pick) => given ?? (values.length ? pick(...values) : 0);
  let [x0, x1] = [bound(x[0], all.map((p) => p[0]), Math.min),
    bound(x[1], all.map((p) => p[0]), Math.max)];
  let [y0, y1] = [bound(y[0], all.map((p) => p[1]), Math.min),
    bound(y[1], all.map((p) => p[1]), Math.max)];
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) [y0, y1] = [y0 - 0.5, y0 + 0.5];
  const box = { left: PAD.left, top: PAD.top, right: width - PAD.right,
    bottom: height - PAD.bottom };
  const px = (v) => box.left + ((v - x0) / (x1 - x0)) * (box.right - box.left);
  const py = (v) => box.bottom - ((v - y0) / (y1 - y0)) * (box.bottom - box.top);
  return {
    box,
    lines: series.map((s) => ({ ...s, path: s.points.map(([a, b]) => [px(a), py(b)]) })),
    xTicks: ticks(x0, x1).map((value) => ({ value, px: px(value) })),
    yTicks: ticks(y0, y1).map((value) => ({ value, py: py(value) })),
  };
}

/** Paint a chart: axes, ticks, one line per series (dots with `dots`), a legend (in the
 * `legend` corner: "top" or "bottom" right), a title. */
export function draw(ctx, series,
  { title = "", x, y, dots = false, format = String, legend = "top" } = {}) {
  const { width, height } = ctx.canvas;
  const chart = layout(series, width, height, { x, y });
  const { box } = chart;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#222";
  ctx.fillText(title, box.left, 14);
  ctx.strokeStyle = "#bbb";
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.textAlign = "right";
  for (const { value, py } of chart.yTicks) ctx.fillText(format(value), box.left - 4, py + 4);
  ctx.textAlign = "center";
  for (const { value, px } of chart.xTicks) ctx.fillText(String(value), px, box.bottom + 14);
  ctx.textAlign = "left";
  chart.lines.forEach(({ name, colour, path }, i) => {
    ctx.strokeStyle = ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    path.forEach(([px, py], j) => (j ? ctx.lineTo(px, py) : ctx.moveTo(px, py)));
    ctx.stroke();
    if (dots || path.length === 1) {
      for (const [px, py] of path) ctx.fillRect(px - 3, py - 3, 6, 6);
    }
    const row = legend === "top" ? box.top + 14 + 14 * i
      : box.bottom - 8 - 14 * (chart.lines.length - 1 - i);
    ctx.fillText(name, box.right - 120, row);
  });
}
