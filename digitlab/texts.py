"""Every text the library shows a learner, in English and Simplified Chinese.

One home for them: the notebook's drawing pad, the collector, the exported web pages (which
receive these texts as JSON), plot titles and labels, reports and exercise checks all read
them through `digitlab.i18n.tr`. They live in `texts.toml` next to this file, read once
when this module is imported. Each text there is a table named by its key, holding one
string a language:

    ["pad.prediction"]
    en = "Prediction: {digit}"
    zh = "预测：{digit}"

A key names where the text appears (`pad.` the drawing pad and web page, `web.` the web
pages only, `collector.`, `plot.`, `report.`, `check.`, `cli.`); `{name}` marks a value
filled in. The file's comments group the keys and explain particular texts; a long string
is a TOML multi-line string whose lines end in a backslash (joined without the line
break). A test keeps both languages complete and their placeholders equal. Error messages
are not here: they stay English.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

TEXTS: dict[str, dict[str, str]] = tomllib.loads(
    Path(__file__).with_name("texts.toml").read_text(encoding="utf-8"))
"""key -> {language: text}, in the file's order."""
