"""Every text the library shows a learner, in English and Simplified Chinese.

One home for them: the notebook's drawing pad, the collector, the exported web pages (which
receive these texts as JSON), plot titles and labels, reports and exercise checks all read
them through `digitlab.i18n.tr`. A key names where the text appears (`pad.` the drawing
pad and web page, `web.` the web pages only, `collector.`, `plot.`, `report.`, `check.`,
`cli.`); `{name}` marks a value filled in. A test keeps both languages complete and their
placeholders equal. Error messages are not here: they stay English.
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
    # Keys ending in _html hold markup of our own; {name} placeholders as above. The pages get
    # the pad.*, collector.* and web.* texts (digitlab.web.export.page_texts).
    "web.language_name": {"en": "English", "zh": "中文"},  # each language in its own words
    "web.switch_aria": {"en": "Language", "zh": "语言"},
    "web.title": {"en": "digitlab: draw a digit", "zh": "digitlab：写一个数字"},
    "web.heading": {"en": "Draw a digit", "zh": "写一个数字"},
    "web.canvas_aria": {"en": "Drawing area: draw one digit", "zh": "书写区域：请写一个数字"},
    "web.hint": {
        "en": "Mouse, pen or finger. Space clears too.",
        "zh": "鼠标、触控笔或手指都可以。按空格键也能清除。",
    },
    "web.loading": {"en": "Loading the model…", "zh": "正在加载模型…"},
    "web.preview_aria": {"en": "The 28x28 image the model reads", "zh": "模型读取的 28x28 图像"},
    "web.footer_html": {
        "en": "A Keras model trained in the digitlab course, run in your browser by ONNX "
        "Runtime Web. Nothing you draw leaves this page. "
        '<a href="train.html">Train your own network in the browser</a>.',
        "zh": "在 digitlab 课程中训练的 Keras 模型，由 ONNX Runtime Web 在你的浏览器里运行。"
        "你写的内容不会离开这个网页。"
        '<a href="train.html">在浏览器中训练你自己的网络</a>。',
    },
    "web.error": {"en": "The page hit an error: {message}", "zh": "网页出错了：{message}"},
    # shown in both languages when the page is opened as a file (served.js)
    "web.serve_over_http": {
        "en": "This page must be served over http: in a terminal run `python -m http.server -d "
        "FOLDER` (FOLDER = this page's folder) and open {address}",
        "zh": "这个网页需要通过 http 打开：在终端运行 `python -m http.server -d FOLDER`"
        "（FOLDER 是这个网页所在的文件夹），然后打开 {address}",
    },
    "web.collect_on": {"en": "Collect my digits", "zh": "采集我写的数字"},
    "web.writer": {"en": "Your name", "zh": "你的名字"},
    "web.writer_title": {
        "en": "letters, digits, - and _; leave the anonymous id if you like",
        "zh": "字母、数字、- 和 _；也可以保留匿名 ID",
    },
    "web.download": {"en": "Download", "zh": "下载"},
    "web.collect_counts": {
        "en": "Saved per digit: {counts}   total {total}",
        "zh": "各数字已保存：{counts}   合计 {total}",
    },
    "web.nothing_to_undo": {"en": "Nothing to undo.", "zh": "没有可撤销的。"},
    "web.train_title": {
        "en": "digitlab: train a network in your browser", "zh": "digitlab：在浏览器中训练网络",
    },
    "web.train_heading": {"en": "Train a network in your browser", "zh": "在浏览器中训练网络"},
    "web.train_intro_html": {
        "en": "TensorFlow.js trains the course's dense network or CNN right here, on MNIST "
        "images that came with this page or on Kaggle's <code>train.csv</code>. Move the "
        "slider, train, and watch the validation accuracy grow with the training set. "
        '<a href="index.html">Back to the drawing page</a>.',
        "zh": "TensorFlow.js 就在这里训练课程中的全连接网络或 CNN，用的是本网页自带的 MNIST "
        "图像或 Kaggle 的 <code>train.csv</code>。拖动滑块、开始训练，看验证准确率如何随训练集"
        '增大而提高。<a href="index.html">返回手写页面</a>。',
    },
    "web.settings_aria": {"en": "Training settings", "zh": "训练设置"},
    "web.model": {"en": "Model", "zh": "模型"},
    "web.model_dense": {"en": "dense baseline (lesson 02)", "zh": "全连接基线模型（第 2 课）"},
    "web.model_cnn": {"en": "course CNN (lesson 03)", "zh": "课程的 CNN（第 3 课）"},
    "web.data": {"en": "Data", "zh": "数据"},
    "web.source_sample": {"en": "MNIST sample of this page", "zh": "本网页自带的 MNIST 样本"},
    "web.source_csv": {
        "en": "your train.csv (choose it below)", "zh": "你的 train.csv（在下面选择）",
    },
    "web.csv_input": {"en": "Kaggle train.csv", "zh": "Kaggle 的 train.csv"},
    "web.train_size": {"en": "Training images:", "zh": "训练图像数："},
    "web.epochs": {"en": "Epochs", "zh": "轮数（epoch）"},
    "web.train": {"en": "Train", "zh": "训练"},
    "web.stop": {"en": "Stop", "zh": "停止"},
    "web.loading_tfjs": {
        "en": "Loading TensorFlow.js and the sample…", "zh": "正在加载 TensorFlow.js 和样本数据…",
    },
    "web.charts_aria": {"en": "Training curves", "zh": "训练曲线"},
    "web.try_aria": {"en": "Try the trained model", "zh": "试试训练好的模型"},
    "web.try_heading": {
        "en": "Draw a digit for the model you trained", "zh": "给你训练的模型写一个数字",
    },
    "web.train_hint": {
        "en": "Drawing works while a network trains.", "zh": "网络训练时也可以书写。",
    },
    "web.train_first": {"en": "Train a model first", "zh": "请先训练一个模型"},
    "web.keep": {
        "en": "The last model trained is kept in this browser.",
        "zh": "最近训练的模型保存在这个浏览器里。",
    },
    "web.download_model": {"en": "Download it", "zh": "下载模型"},
    "web.train_footer": {
        "en": "TensorFlow.js 4.22 from this page's own folder, in a Web Worker. Nothing you "
        "draw or load leaves this page.",
        "zh": "TensorFlow.js 4.22 来自本网页自己的文件夹，在 Web Worker 中运行。"
        "你写的和加载的内容都不会离开这个网页。",
    },
    "web.reading_file": {"en": "Reading {name}…", "zh": "正在读取 {name}…"},
    "web.training": {
        "en": "Training the {model} network on {n} images…",
        "zh": "正在用 {n} 张图像训练 {model} 网络…",
    },
    "web.stopping": {"en": "Stopping after this batch…", "zh": "这一批次结束后停止…"},
    "web.ready": {
        "en": "Ready: {n_train} training and {n_val} validation images (MNIST's training "
        "split).",
        "zh": "就绪：{n_train} 张训练图像和 {n_val} 张验证图像（取自 MNIST 的训练集）。",
    },
    "web.ready_kept": {
        "en": "Ready: {n_train} training and {n_val} validation images (MNIST's training "
        "split). Kept from last time: the {model} network trained on {n} images.",
        "zh": "就绪：{n_train} 张训练图像和 {n_val} 张验证图像（取自 MNIST 的训练集）。"
        "保留了上次的模型：用 {n} 张图像训练的 {model} 网络。",
    },
    "web.csv_progress": {
        "en": "Reading train.csv: {rows} rows ({percent}%)",
        "zh": "正在读取 train.csv：{rows} 行（{percent}%）",
    },
    "web.csv_option": {
        "en": "{name}: {n_train} training, {n_val} validation images",
        "zh": "{name}：{n_train} 张训练图像，{n_val} 张验证图像",
    },
    "web.csv_loaded": {
        "en": "Loaded {name}: a tenth of its rows held out for validation.",
        "zh": "已加载 {name}：留出其中十分之一的行作为验证集。",
    },
    "web.csv_error": {
        "en": "{message}. Nothing of this file is used.",
        "zh": "{message}。这个文件的内容都不会被使用。",
    },
    "web.backend": {"en": "Backend: {backend}, {reason}.", "zh": "后端：{backend}，{reason}。"},
    "web.epoch_times": {
        "en": "Time per epoch: {times} ({backend} backend).",
        "zh": "每轮用时：{times}（{backend} 后端）。",
    },
    # {outcome}: web.done or web.stopped; {accuracy}: web.val_accuracy or nothing;
    # {kept}: web.kept or web.not_kept
    "web.finished": {
        "en": "{outcome}{accuracy}. The pad below reads with this model now{kept}",
        "zh": "{outcome}{accuracy}。下面的手写板现在用这个模型识别{kept}",
    },
    "web.done": {"en": "Done", "zh": "训练完成"},
    "web.stopped": {"en": "Stopped", "zh": "已停止"},
    "web.val_accuracy": {
        "en": ": validation accuracy {percent}%", "zh": "，验证准确率 {percent}%",
    },
    "web.kept": {"en": ".", "zh": "。"},
    "web.not_kept": {
        "en": " (this browser could not keep it for your next visit).",
        "zh": "（这个浏览器没能保存它，下次访问时不会保留）。",
    },
    "web.training_failed": {"en": "Training failed.", "zh": "训练失败。"},
    "web.model_ready": {
        "en": "Model: {model}, trained on {n} images. Draw!",
        "zh": "模型：{model}，用 {n} 张图像训练。写一个数字试试！",
    },
    "web.loss_title": {"en": "Loss (x: epochs)", "zh": "损失（横轴：轮）"},
    "web.accuracy_title": {"en": "Accuracy (x: epochs)", "zh": "准确率（横轴：轮）"},
    "web.sizes_title": {
        "en": "Validation accuracy vs training images", "zh": "验证准确率与训练图像数",
    },
    "web.training_loss": {"en": "training loss", "zh": "训练损失"},
    "web.validation_loss": {"en": "validation loss", "zh": "验证损失"},
    "web.training_accuracy": {"en": "training accuracy", "zh": "训练准确率"},
    "web.validation_accuracy": {"en": "validation accuracy", "zh": "验证准确率"},
    "web.network": {"en": "{name} network", "zh": "{name} 网络"},
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
    "cli.course_running": {
        "en": "Running the lessons in {folder} in {mode}; executed copies go to {out}",
        "zh": "正在以{mode}运行 {folder} 中的课程；执行后的副本保存到 {out}",
    },
    "cli.course_fast": {"en": "fast mode (DIGITLAB_FAST=1)", "zh": "快速模式（DIGITLAB_FAST=1）"},
    "cli.course_full": {"en": "full mode", "zh": "完整模式"},
    "cli.course_lesson": {
        "en": "{lesson}: {status} in {seconds} s", "zh": "{lesson}：{status}，用时 {seconds} 秒",
    },
    # the summary table's headings (digitlab.course.format_summary)
    "cli.summary_lesson": {"en": "lesson", "zh": "课程"},
    "cli.summary_seconds": {"en": "seconds", "zh": "秒"},
    "cli.summary_status": {"en": "status", "zh": "状态"},
    "cli.summary_accuracies": {"en": "test accuracies", "zh": "测试准确率"},
    "cli.summary_total": {"en": "total", "zh": "合计"},
    "cli.summary_ok": {"en": "{ok}/{n} lessons ok", "zh": "{ok}/{n} 课运行成功"},
    "cli.summary_failed": {"en": "{lesson} failed: {error}", "zh": "{lesson} 运行失败：{error}"},
    "cli.summary_stale": {
        "en": "{lesson} quotes a figure no output prints: {figure}",
        "zh": "{lesson} 引用了一个没有任何输出打印的数字：{figure}",
    },
    "cli.drawings_writer": {"en": "writer", "zh": "书写者"},
    "cli.drawings_total": {"en": "total", "zh": "合计"},
    "cli.drawings_count": {
        "en": "{n} drawings by {writers} writers", "zh": "{writers} 位书写者，共 {n} 个手写数字",
    },
    "cli.wrote_csv": {
        "en": "Wrote {path} (label,pixel0..pixel783)",
        "zh": "已写入 {path}（label,pixel0..pixel783）",
    },
    "cli.wrote_idx": {
        "en": "Wrote {folder}/drawings-images-idx3-ubyte and drawings-labels-idx1-ubyte",
        "zh": "已写入 {folder}/drawings-images-idx3-ubyte 和 drawings-labels-idx1-ubyte",
    },
    "cli.merged": {
        "en": "Merged {n} new drawings into {folder}",
        "zh": "已把 {n} 个新的手写数字合并到 {folder}",
    },
    #
    # ---- plots: titles, axis labels, legends
    # ---- reports, tables and summaries printed in the lessons
    # ---- exercise checks (digitlab.checks)
}
