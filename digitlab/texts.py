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
        "zh": "柱：均值；点：每个随机种子；斜线：只有一个随机种子",
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
        "zh": "层 {layer} 的特征图（{channels} 个通道，{when}）",
    },
    "plot.filters.weight": {"en": "weight", "zh": "权重"},
    "plot.filters.title": {
        "en": "filters of layer {layer} ({size}, input channel 0)",
        "zh": "层 {layer} 的卷积核（{size}，输入通道 0）",
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
        "zh": "digitlab，本课程的 CNN（第 03 课）",
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
        "zh": "keras.io，Simple MNIST convnet（现在的官方示例）",
    },
    # the kinds of non-digit of lesson 06 (nondigits.KINDS), as pad_verdicts prints them
    "report.kind.noise": {"en": "noise", "zh": "噪点"},
    "report.kind.dot": {"en": "dot", "zh": "圆点"},
    "report.kind.short line": {"en": "short line", "zh": "短线"},
    "report.kind.scribble": {"en": "scribble", "zh": "涂鸦"},
    "report.kind.letter": {"en": "letter", "zh": "字母"},
    # format_file_result (lesson 05, digitlab predict)
    "report.file.error": {"en": "{name}: error: {error}", "zh": "{name}：错误：{error}"},
    "report.file.digit": {
        "en": "{name}: {digit} ({confidence})",
        "zh": "{name}：{digit}（{confidence}）",
    },
    "report.file.not_sure": {
        "en": "{name}: not sure (best guess {digit}, {confidence})",
        "zh": "{name}：不确定（最可能是 {digit}，{confidence}）",
    },
    # course_model's sentence (lessons 04-07, 10)
    "report.model.lesson03": {
        "en": "the CNN you trained in lesson 03 ({described})",
        "zh": "你在第 03 课训练的 CNN（{described}）",
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
        "zh": "它在 {n} 张验证集图像上只认对了 {accuracy}（请在第 03 课重新训练）",
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
        "zh": "{summary}，但模型对画布 {canvases} 的读法不同",
    },
    "check.preprocessing.same": {"en": "{summary}, same predictions", "zh": "{summary}，预测相同"},
}
