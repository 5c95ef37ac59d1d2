"""Figures quoted in a lesson's prose must be printed by its code: find the ones that are not.

The course runner (`digitlab course run`) checks every executed lesson of both editions
with `stale_figures`. What it checks, exactly, in the markdown cells (code spans, HTML
comments and links' targets excluded):

* percentages with two decimals, "99.32%", "99.32 %" or "99.32％" (targets and rough
  figures such as "99.3%", "about 98%" have fewer decimals and are not checked);
* parameter counts, "215,514 parameters", "1,199,882 trainable params", "11738 params",
  and in Chinese "215,514 个参数", "1,199,882 个可训练参数", "参数量为 215,514".

Chinese prose glues numbers to words and punctuation ("准确率为99.32%。", "（99.32%）"):
a figure is found by its digits, whatever stands around it.

A figure passes when the same text ("99.32%"; "215,514" or "215514") appears in the output
of any code cell of the lesson (stream, result or display text, HTML included; above or
below the prose), or in the outputs of the lessons run before it. A figure is exempt when
it is a quotation rather than a measurement: within `MARKER_WINDOW` characters after one
of EXTERNAL_MARKERS ("reported 99.43%", "报告了 99.43%"), or anywhere in a markdown cell containing
`<!-- figures: reported -->` (e.g. a table of the write-ups' reported results); or when it
is a bound or a rough figure: right after one of ROUGH_MARKERS ("≥ 99.30%", "about
455,000 parameters", "约 455,000 个参数") or right before one of ROUGH_AFTER ("99.30% 以上").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

EXTERNAL_MARKERS = ("reported", "reports", "claims", "requirement", "required",
                    "报告了", "报告的", "报告为", "所报告", "声称", "宣称", "要求")
MARKER_WINDOW = 40  # characters before a figure searched for a marker
ROUGH_MARKERS = (
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "over",
    "under",
    "at least",
    "at most",
    "~",
    "≈",
    "≥",
    "≤",
    ">",
    "<",
    "约",
    "大约",
    "大概",
    "接近",
    "将近",
    "超过",
    "高于",
    "低于",
    "至少",
    "至多",
    "不到",
    "不足",
)
ROUGH_AFTER = ("左右", "以上", "以下", "上下")  # Chinese puts these after the figure
_ROUGH = re.compile(
    "(?:" + "|".join(re.escape(m) for m in ROUGH_MARKERS) + r")\s*(?:为|是)?\s*$", re.I)
_ROUGH_AFTER = re.compile(r"\s*(?:" + "|".join(ROUGH_AFTER) + ")")
CELL_MARKER = "<!-- figures: reported -->"

_COUNT = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)"
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}\.\d\d)\s?[%％]")
_PARAMS = re.compile(
    _COUNT + r"(?:\s+(?:trainable\s+)?(?:parameters|params)\b|\s*个?(?:可训练的?)?参数)", re.I
)
_PARAMS_AFTER = re.compile(r"参数(?:量|数量|总数|个数)\s*(?:为|是|共|[：:])?\s*" + _COUNT)
_HIDDEN = re.compile(r"`[^`]*`|<!--.*?-->|\]\([^)]*\)", re.S)  # code, comments, link targets


@dataclass(frozen=True)
class StaleFigure:
    """A figure in markdown cell `cell` (counting all cells from 0) printed by no code cell."""

    cell: int
    figure: str
    context: str

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.figure} is not in any output (…{self.context}…)"


def output_texts(
    nb, kinds: Sequence[str] = ("text/plain", "text/html", "text/markdown"), errors: bool = True
) -> Iterator[str]:
    """Each text the notebook's code cells printed (streams) or displayed (the `kinds` of
    each result), and with `errors` each error's `name: value`. The one walker over outputs."""
    for cell in nb.cells:
        for output in cell.get("outputs", ()) if cell.cell_type == "code" else ():
            if output.get("output_type") == "stream":
                yield _joined(output.get("text", ""))
            data = output.get("data", {})
            yield from (_joined(data[kind]) for kind in kinds if kind in data)
            if errors and output.get("output_type") == "error":
                yield f"{output.get('ename', '')}: {output.get('evalue', '')}"


def _joined(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def output_text(nb) -> str:
    """All the text the notebook's code cells printed or displayed, joined."""
    return "\n".join(output_texts(nb))


def quoted_figures(markdown: str) -> list[tuple[str, str, str]]:
    """The checked figures in one markdown cell: (figure as written, text to find in the
    outputs, a little context) in the order they appear, exempt ones left out."""
    if CELL_MARKER in markdown:
        return []
    text = _HIDDEN.sub(lambda m: " " * len(m.group()), markdown)
    found = []
    for pattern, needle in ((_PERCENT, lambda m: f"{m[1]}%"), (_PARAMS, lambda m: m[1]),
                            (_PARAMS_AFTER, lambda m: m[1])):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - MARKER_WINDOW) : match.start()].lower()
            if (any(marker in before for marker in EXTERNAL_MARKERS) or _ROUGH.search(before)
                    or _ROUGH_AFTER.match(text, match.end())):
                continue
            context = " ".join(text[max(0, match.start() - 30) : match.end() + 10].split())
            found.append((match.start(), " ".join(match.group().split()), needle(match), context))
    return [tuple(figure) for _, *figure in sorted(found)]


def _printed(needle: str, outputs: str) -> bool:
    if needle.endswith("%"):
        pattern = rf"(?<![\d.]){re.escape(needle[:-1])} ?%"
        return re.search(pattern, outputs) is not None
    bare = needle.replace(",", "")
    with_commas = f"{int(bare):,}"
    return re.search(rf"(?<![\d,.])(?:{with_commas}|{bare})(?![\d,]\d)", outputs) is not None


def stale_figures(nb, earlier_outputs: Iterable[str] = ()) -> list[StaleFigure]:
    """The figures quoted in `nb`'s markdown (see the module docstring) that neither its own
    code cells' outputs nor `earlier_outputs` (text of lessons run before) contain.
    Course runner; lessons are written so that this is empty after a full run."""
    outputs = "\n".join([output_text(nb), *earlier_outputs])
    stale = []
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        for figure, needle, context in quoted_figures(source):
            if not _printed(needle, outputs):
                stale.append(StaleFigure(number, figure, context))
    return stale
