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
    "web.preview_aria": {"en": "The 28x28 image the model reads", "zh": "模型看到的 28x28 图像"},
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
    "web.nothing_to_undo": {"en": "Nothing to undo.", "zh": "没有可撤销的内容。"},
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
        '增大而提高。<a href="index.html">返回手写网页</a>。',
    },
    "web.settings_aria": {"en": "Training settings", "zh": "训练设置"},
    "web.model": {"en": "Model", "zh": "模型"},
    "web.model_dense": {"en": "dense baseline (lesson 02)", "zh": "全连接基线模型（第 2 课）"},
    "web.model_cnn": {"en": "course CNN (lesson 03)", "zh": "课程 CNN（第 3 课）"},
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
    "web.stopping": {"en": "Stopping after this batch…", "zh": "当前批次结束后停止…"},
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
        "zh": "{message}。此文件中的数据一概不用。",
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
        "zh": "（浏览器未能保存它，下次访问时将不再保留）。",
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
        "zh": "没有可撤销的内容：数字采集器启动后还没有保存过数字。",
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
    # plot_history and LiveHistory (lessons 02, 03); metric names Keras records
    "plot.epoch": {"en": "epoch", "zh": "轮"},
    "plot.metric.loss": {"en": "loss", "zh": "损失"},
    "plot.metric.accuracy": {"en": "accuracy", "zh": "准确率"},
    "plot.curve.train": {"en": "train", "zh": "训练集"},
    "plot.curve.validation": {"en": "validation", "zh": "验证集"},
    "plot.curve.run": {"en": "{run} ({kind})", "zh": "{run}（{kind}）"},
    "plot.live_epoch": {"en": "epoch {epoch}: {values}", "zh": "第 {epoch} 轮：{values}"},
    # plot_confusion_matrix (lesson 04)
    "plot.confusion.predicted": {"en": "predicted", "zh": "预测值"},
    "plot.confusion.true": {"en": "true", "zh": "真实值"},
    "plot.confusion.title": {"en": "confusion matrix", "zh": "混淆矩阵"},
    "plot.confusion.title_normalized": {
        "en": "confusion matrix (row fractions)",
        "zh": "混淆矩阵（按行归一化）",
    },
    # plot_probabilities (lesson 02)
    "plot.probabilities.title": {
        "en": "prediction: {digit} ({confidence})",
        "zh": "预测：{digit}（{confidence}）",
    },
    "plot.digit": {"en": "digit", "zh": "数字"},
    "plot.probability": {"en": "probability", "zh": "概率"},
    # plot_model_comparison, plot_accuracy_vs_train_size (lesson 04)
    "plot.comparison.error": {
        "en": "validation error (100% - accuracy)",
        "zh": "验证集错误率（100% - 准确率）",
    },
    "plot.comparison.params": {"en": "parameters", "zh": "参数量"},
    "plot.comparison.seconds": {"en": "training time (s)", "zh": "训练时间（秒）"},
    "plot.comparison.legend": {
        "en": "bars: mean; dots: each seed; hatched: one seed",
        "zh": "柱：均值；点：各随机种子；斜线填充：仅一个随机种子",
    },
    "plot.sizes.xlabel": {"en": "training examples", "zh": "训练样本数"},
    "plot.sizes.ylabel": {"en": "validation accuracy", "zh": "验证集准确率"},
    "plot.sizes.title": {"en": "accuracy vs training-set size", "zh": "准确率与训练集大小"},
    # show_feature_maps, show_filters (lesson 03)
    "plot.maps.weighted_sum": {"en": "weighted sum", "zh": "加权和"},
    "plot.maps.activation": {"en": "activation", "zh": "激活值"},
    "plot.maps.before": {
        "en": "before the activation, one scale centred on 0",
        "zh": "激活之前，统一色标，以 0 为中心",
    },
    "plot.maps.one_scale": {"en": "one scale", "zh": "统一色标"},
    "plot.maps.title": {
        "en": "feature maps of layer {layer} ({channels} channels, {when})",
        "zh": "{layer} 层的特征图（{channels} 个通道，{when}）",
    },
    "plot.filters.weight": {"en": "weight", "zh": "权重"},
    "plot.filters.title": {
        "en": "filters of layer {layer} ({size}, input channel 0)",
        "zh": "{layer} 层的卷积核（{size}，输入通道 0）",
    },
    # show_preprocessing (lesson 06)
    "plot.steps.canvas": {"en": "1. the canvas, {size}", "zh": "1. 画布，{size}"},
    "plot.steps.crop": {"en": "2. the ink, cropped: {size}", "zh": "2. 裁剪出的笔迹：{size}"},
    "plot.steps.naive": {
        "en": "naive: canvas squashed to 28x28",
        "zh": "简单做法：整个画布压缩到 28x28",
    },
    "plot.steps.recipe": {"en": "MNIST recipe: 20x20, centred", "zh": "MNIST 做法：20x20，居中"},
    "plot.steps.model": {
        "en": "model: {digit} ({confidence})",
        "zh": "模型：{digit}（{confidence}）",
    },
    # plot_confidence_histogram, plot_reliability (lesson 06)
    "plot.calibration.right": {"en": "right", "zh": "预测正确"},
    "plot.calibration.wrong": {"en": "wrong", "zh": "预测错误"},
    "plot.calibration.count": {"en": "{name} ({count})", "zh": "{name}（{count}）"},
    "plot.calibration.confidence": {
        "en": "confidence (top probability)",
        "zh": "置信度（最大概率）",
    },
    "plot.calibration.share": {"en": "share of predictions", "zh": "预测所占比例"},
    "plot.calibration.perfect": {"en": "perfectly calibrated", "zh": "完美校准"},
    "plot.calibration.bin_confidence": {
        "en": "confidence (mean of the bin)",
        "zh": "置信度（区间内的均值）",
    },
    "plot.calibration.bin_accuracy": {"en": "accuracy (of the bin)", "zh": "准确率（区间内）"},
    "plot.calibration.title": {
        "en": "Reliability (dot size: predictions in the bin)",
        "zh": "可靠性图（点的大小：区间内的预测数）",
    },
    # TrainSizeExplorer (lesson 04)
    "plot.explorer.slider": {"en": "Training images", "zh": "训练图像数"},
    "plot.explorer.by_size": {
        "en": "Accuracy against training-set size",
        "zh": "准确率与训练集大小",
    },
    "plot.explorer.curves": {
        "en": "Learning curves, {size} training images",
        "zh": "学习曲线，{size} 张训练图像",
    },
    "plot.explorer.line": {
        "en": "{name}: {accuracy} validation accuracy with {size} training images",
        "zh": "{name}：用 {size} 张训练图像，验证集准确率 {accuracy}",
    },
    # ---- reports, tables and summaries printed in the lessons
    # what a report was measured on (EvaluationReport.on, RunSummary.scored_on)
    "report.on.test": {"en": "test", "zh": "测试集"},
    "report.on.validation": {"en": "validation", "zh": "验证集"},
    # EvaluationReport (lesson 02)
    "report.evaluation": {
        "en": "{on} accuracy {accuracy} on {n} images ({mistakes} mistakes)\n"
              "per digit: {per_digit}",
        "zh": "{on}准确率 {accuracy}，共 {n} 张图像（{mistakes} 个错误）\n各数字：{per_digit}",
    },
    # compare_models, ComparisonTable (lesson 04)
    "report.compare.training": {
        "en": "--- {name}, seed {seed}: training on {n} images",
        "zh": "--- {name}，随机种子 {seed}：在 {n} 张图像上训练",
    },
    "report.compare.one_seed": {"en": "{accuracy} (1 seed)", "zh": "{accuracy}（1 个随机种子）"},
    "report.compare.seeds": {
        "en": "mean {mean} ({low}-{high}, {n} seeds)",
        "zh": "均值 {mean}（{low}-{high}，{n} 个随机种子）",
    },
    "report.compare.line": {
        "en": "{name}: {on} accuracy {accuracy}, {params} parameters, {seconds} s "
              "(reported test: {reported})",
        "zh": "{name}：{on}准确率 {accuracy}，{params} 个参数，{seconds} 秒"
              "（报告的测试集准确率：{reported}）",
    },
    "report.compare.model": {"en": "model", "zh": "模型"},
    "report.compare.from": {"en": "from (SEEDS.md)", "zh": "出处（SEEDS.md）"},
    "report.compare.params": {"en": "parameters", "zh": "参数量"},
    "report.compare.seconds": {"en": "training s", "zh": "训练时间（秒）"},
    "report.compare.accuracy": {"en": "{on} accuracy", "zh": "{on}准确率"},
    "report.compare.reported": {"en": "reported test accuracy", "zh": "报告的测试集准确率"},
    # where each model of lesson 04 comes from (ComparisonTable; SEEDS.md's references A-E)
    "report.project.dense": {
        "en": "B, the assignment's dense baseline",
        "zh": "B，课程作业的全连接基线",
    },
    "report.project.cnn": {
        "en": "digitlab, the course CNN (lesson 03)",
        "zh": "digitlab，本课程的 CNN（第 3 课）",
    },
    "report.project.tfjs_cnn": {
        "en": "A, TensorFlow.js in the browser",
        "zh": "A，浏览器中的 TensorFlow.js",
    },
    "report.project.assignment_cnn": {
        "en": "B, the university assignment",
        "zh": "B，大学课程作业",
    },
    "report.project.browser_cnn": {
        "en": "C, Python trains, browser predicts",
        "zh": "C，Python 训练、浏览器预测",
    },
    "report.project.own_images_cnn": {
        "en": "D, Keras CNN and own images",
        "zh": "D，Keras CNN 与自己的图像",
    },
    "report.project.keras_example": {
        "en": "E, the Keras example",
        "zh": "E，Keras 官方示例",
    },
    "report.project.keras_io_convnet": {
        "en": "keras.io, Simple MNIST convnet (today's example)",
        "zh": "keras.io，Simple MNIST convnet（当前的官方示例）",
    },
    # the kinds of non-digit of lesson 06 (nondigits.KINDS), as pad_verdicts prints them
    "report.kind.noise": {"en": "noise", "zh": "噪声"},
    "report.kind.dot": {"en": "dot", "zh": "圆点"},
    "report.kind.short line": {"en": "short line", "zh": "短线"},
    "report.kind.scribble": {"en": "scribble", "zh": "涂鸦"},
    "report.kind.letter": {"en": "letter", "zh": "字母"},
    # where lesson 07's drawn digits come from (drawn.SOURCES), as its tables print them
    "report.source.skeleton": {"en": "skeleton", "zh": "MNIST 骨架"},
    "report.source.styles": {"en": "styles", "zh": "风格"},
    "report.source.fonts": {"en": "fonts", "zh": "字体"},
    # the models lessons 07 and 10 compare, by the names their `readers` dicts give them
    "report.reader.MNIST only": {"en": "MNIST only", "zh": "纯 MNIST 模型"},
    "report.reader.shipped": {"en": "shipped", "zh": "自带模型"},
    "report.reader.lesson 03": {"en": "lesson 03", "zh": "第 3 课模型"},
    # course_model's sentence (lessons 04-07, 10)
    "report.model.lesson03": {
        "en": "the CNN you trained in lesson 03 ({described})",
        "zh": "你在第 3 课训练的 CNN（{described}）",
    },
    "report.model.shipped": {
        "en": "the model shipped with digitlab ({described}){rejected}",
        "zh": "digitlab 自带的模型（{described}）{rejected}",
    },
    "report.model.rejected": {
        "en": "; {path} was not used: {problem}",
        "zh": "；没有使用 {path}：{problem}",
    },
    "report.model.diverged": {
        "en": "its weights are not all finite (the training diverged)",
        "zh": "它的权重不全是有限值（训练发散了）",
    },
    "report.model.poor": {
        "en": "it reads only {accuracy} of {n} validation images right (retrain it in lesson 03)",
        "zh": "它在 {n} 张验证集图像上只认对了 {accuracy}（请在第 3 课重新训练）",
    },
    "report.model.unreadable": {
        "en": "{path}, its record is unreadable and was ignored",
        "zh": "{path}，其记录无法读取，已忽略",
    },
    "report.model.no_accuracy": {
        "en": "{path}, no test accuracy recorded",
        "zh": "{path}，没有记录测试集准确率",
    },
    "report.model.bad_accuracy": {
        "en": "{path}, its recorded test accuracy is not a fraction from 0 to 1 (ignored)",
        "zh": "{path}，记录的测试集准确率不是 0 到 1 之间的比例（已忽略）",
    },
    "report.model.accuracy": {
        "en": "{path}, test accuracy {accuracy} when saved",
        "zh": "{path}，保存时的测试集准确率为 {accuracy}",
    },
    # reliability table (lesson 06)
    "report.reliability.confidence": {"en": "confidence", "zh": "置信度"},
    "report.reliability.mean": {"en": "mean conf", "zh": "平均置信度"},
    "report.reliability.accuracy": {"en": "accuracy", "zh": "准确率"},
    "report.reliability.ece": {
        "en": "expected calibration error {ece}",
        "zh": "期望校准误差（ECE）{ece}",
    },
    # pad_verdicts (lesson 06)
    "report.verdicts": {
        "en": "{kind} n={n} not sure {not_sure}  too small {too_small}  read as a digit {digit}",
        "zh": "{kind} n={n} 不确定 {not_sure}  太小 {too_small}  识别为数字 {digit}",
    },
    # ---- exercise checks (digitlab.checks)
    "check.params.ok": {
        "en": "{count} parameters, as expected",
        "zh": "{count} 个参数，与预期一致",
    },
    "check.params.wrong": {
        "en": "the model has {count} parameters, you expected {expected} (off by {off}); "
              "per layer: {per_layer}",
        "zh": "模型有 {count} 个参数，你预期的是 {expected}（相差 {off}）；各层：{per_layer}",
    },
    "check.range.diverged": {
        "en": "{name} is {value}: training diverged; try a smaller learning rate",
        "zh": "{name} 是 {value}：训练发散了；试试更小的学习率",
    },
    "check.range.ok": {
        "en": "{name} {value} is within the expected {low}-{high}",
        "zh": "{name} {value} 在预期范围 {low}-{high} 之内",
    },
    "check.range.below": {
        "en": "{name} {value} is below the expected {low}-{high}",
        "zh": "{name} {value} 低于预期范围 {low}-{high}",
    },
    "check.range.above": {
        "en": "{name} {value} is above the expected {low}-{high}",
        "zh": "{name} {value} 高于预期范围 {low}-{high}",
    },
    "check.range.hint": {"en": "{verdict}: {hint}", "zh": "{verdict}：{hint}"},
    "check.confused.ok": {
        "en": "{true} read as {predicted} is the most frequent mistake ({count})",
        "zh": "把 {true} 认成 {predicted} 是最常见的错误（{count} 次）",
    },
    "check.confused.wrong": {
        "en": "{true} read as {predicted} happens {yours} times, but {top_true} read as "
              "{top_predicted} happens {count} times: read the row of the true digit, the "
              "column of the prediction, off the diagonal",
        "zh": "把 {true} 认成 {predicted} 出现了 {yours} 次，而把 {top_true} 认成 "
              "{top_predicted} 出现了 {count} 次：行是真实数字，列是预测，"
              "看对角线以外的格子",
    },
    "check.shapes.ok": {
        "en": "all {n} layer output shapes match",
        "zh": "全部 {n} 层的输出形状都一致",
    },
    "check.shapes.count": {
        "en": "the model has {n} layers, you gave {given} shapes",
        "zh": "模型有 {n} 层，你给出了 {given} 个形状",
    },
    "check.shapes.wrong": {
        "en": "{layer} ({kind}) outputs {got}, you expected {want}",
        "zh": "{layer}（{kind}）输出 {got}，你预期的是 {want}",
    },
    "check.preprocessing.shape": {
        "en": "canvas {number}: expected a (28, 28) image, got {shape}",
        "zh": "画布 {number}：应为 (28, 28) 的图像，得到的是 {shape}",
    },
    "check.preprocessing.values": {
        "en": "canvas {number}: expected pixel values in [0, 1], got {low}..{high} "
              "(np.clip(image, 0, 1) after resizing)",
        "zh": "画布 {number}：像素值应在 [0, 1] 之内，得到的是 {low}..{high}"
              "（缩放之后用 np.clip(image, 0, 1)）",
    },
    "check.preprocessing.summary": {
        "en": "mean pixel difference {mean} (worst: canvas {worst}, {worst_mean}) on {n} canvases",
        "zh": "在 {n} 张画布上，平均像素差 {mean}（最差：画布 {worst}，{worst_mean}）",
    },
    "check.preprocessing.too_far": {
        "en": "{summary}, more than {tolerance}: show canvas {worst} next to canvas_to_mnist's "
              "(crop, 20 px longer side, centre of mass at (14, 14))",
        "zh": "{summary}，超过了 {tolerance}：把画布 {worst} 和 canvas_to_mnist 的结果并排显示"
              "（裁剪、长边缩放到 20 px、质心放在 (14, 14)）",
    },
    "check.preprocessing.disagree": {
        "en": "{summary}, but the model reads canvases {canvases} differently",
        "zh": "{summary}，但模型对画布 {canvases} 的识别结果不同",
    },
    "check.preprocessing.same": {"en": "{summary}, same predictions", "zh": "{summary}，预测相同"},
}
