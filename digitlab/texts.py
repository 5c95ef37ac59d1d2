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
    "pad.prediction": {"en": "Prediction: {digit}", "zh": "预测：{digit}"},
    "pad.not_sure": {"en": "Prediction: not sure", "zh": "预测：不确定"},
    "pad.clear": {"en": "Clear", "zh": "清除"},
    "pad.pen_width": {"en": "Pen width", "zh": "笔宽"},
    "pad.seen": {"en": "What the model sees:", "zh": "模型看到的图像："},
    "pad.hint": {
        "en": "Draw with the mouse or a finger. Space clears once you have clicked the canvas.",
        "zh": "用鼠标或手指书写。点击画布之后，按空格键也能清除。",
    },
    "pad.bar": {"en": "probability of {digit}", "zh": "{digit} 的概率"},
    "pad.error": {"en": "The drawing pad hit an error:", "zh": "手写板出错了："},
    # ---- the web pages (lessons 08 and 09)
    # ---- the collector (lesson 10)
    "collector.prompt": {"en": "Draw a {digit}", "zh": "请写一个 {digit}"},
    "collector.prompt_an": {"en": "Draw an {digit}", "zh": "请写一个 {digit}"},  # an 8
    "collector.save": {"en": "Save (Enter)", "zh": "保存（Enter）"},
    "collector.skip": {"en": "Skip", "zh": "跳过"},
    "collector.undo": {"en": "Undo last save", "zh": "撤销上次保存"},
    "collector.saving_to": {
        "en": "Saving to {path} as {writer}.", "zh": "保存到 {path}，书写者：{writer}。",
    },
    "collector.saved": {"en": "Saved your {digit}.", "zh": "已保存你写的 {digit}。"},
    "collector.skipped": {"en": "Skipped.", "zh": "已跳过。"},
    "collector.nothing_to_undo": {
        "en": "Nothing to undo: no drawing saved since the collector started.",
        "zh": "没有可撤销的：数字采集器启动以来还没有保存过数字。",
    },
    "collector.took_back": {
        "en": "Took back your last {digit}.", "zh": "已撤销你上次保存的 {digit}。",
    },
    "collector.empty": {
        "en": "the drawing is empty: draw the digit before saving",
        "zh": "还没有写数字：请先写数字，再保存。",
    },
    # {reason}: the library's (English) sentence why the ink is not a digit
    "collector.not_saved": {"en": "{reason}", "zh": "未保存，请把数字写大一些。（{reason}）"},
    "collector.per_digit": {"en": "Saved per digit:", "zh": "各数字已保存："},
    "collector.total": {"en": "total", "zh": "合计"},
    # ---- the command line (digitlab --lang zh ...)
    "cli.predicted": {
        "en": "{name}: {digit} ({confidence})", "zh": "{name}：{digit}（{confidence}）",
    },
    "cli.not_sure": {
        "en": "{name}: not sure (best guess {best}, {confidence})",
        "zh": "{name}：不确定（最可能是 {best}，{confidence}）",
    },
    "cli.file_error": {"en": "{name}: error: {error}", "zh": "{name}：出错：{error}"},
    "cli.lessons_copied": {
        "en": "Copied {n} lesson notebooks to {folder}",
        "zh": "已把 {n} 个课程笔记本复制到 {folder}",
    },
    "cli.lessons_kept": {
        "en": "Kept {n} files already there, unchanged (they may hold your edits): {names}",
        "zh": "保留了 {n} 个已有的文件，没有改动（其中可能有你的修改）：{names}",
    },
    "cli.lessons_dangling": {"en": " (a link to nothing)", "zh": "（指向不存在的文件的链接）"},
    "cli.lessons_fresh": {
        "en": "For a fresh copy of a lesson, rename or delete yours and run this again, "
        "or copy into a new folder.",
        "zh": "如果想要某一课的全新副本，请先重命名或删除你的文件再运行一次，"
        "或者复制到一个新文件夹。",
    },
    "cli.lessons_open": {
        "en": "Open them with `jupyter lab {folder}`; run them all headless with "
        "`digitlab course run --notebooks {folder}`.",
        "zh": "用 `jupyter lab {folder}` 打开它们；用 `digitlab course run --notebooks {folder}` "
        "在无界面模式下运行全部课程。",
    },
    #
    # ---- plots: titles, axis labels, legends
    # ---- reports, tables and summaries printed in the lessons
    # ---- exercise checks (digitlab.checks)
}
