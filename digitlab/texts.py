"""Every text the library shows a learner, in English and Simplified Chinese.

One home for them: the notebook's drawing pad, the collector, the exported web pages (which
receive these texts as JSON), plot titles and labels, reports and exercise checks all read
them through `digitlab.i18n.tr`. A key names where the text appears (`pad.` the drawing
pad and web page, `collector.`, `plot.`, `report.`, `check.`, `cli.`); `{name}` marks a
value filled in. A test keeps both languages complete and their placeholders equal.
Error messages are not here: they stay English.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # The drawing pad (lesson 07) and the web page (lesson 08) say the same things.
    "pad.empty": {"en": "Draw a digit", "zh": "请写一个数字"},
    "pad.too_small": {"en": "Draw a bigger digit", "zh": "请把数字写大一些"},
    # ---- the web pages (lessons 08 and 09)
    # ---- the collector (lesson 10)
    # ---- the command line (digitlab --lang zh ...)
    #
    # ---- plots: titles, axis labels, legends
    # ---- reports, tables and summaries printed in the lessons
    # ---- exercise checks (digitlab.checks)
}
