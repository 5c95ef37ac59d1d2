"""Figures quoted in markdown are found, and checked against what the code cells printed."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from digitlab.quoted import output_text, quoted_figures, stale_figures


def lesson(markdown, printed, html=""):
    outputs = [new_output("stream", name="stdout", text=printed)]
    if html:
        outputs.append(new_output("display_data", data={"text/html": html, "text/plain": "T"}))
    return new_notebook(
        cells=[new_markdown_cell(markdown), new_code_cell("train()", outputs=outputs)]
    )


def figures(markdown):
    return [figure for figure, _, _ in quoted_figures(markdown)]


def test_checked_figures_are_two_decimal_percentages_and_parameter_counts():
    text = (
        "The CNN reached 99.32% (dense: 98.49 %) with 215,514 parameters; the dense net has\n"
        "101770 trainable params. The bar is 99.3%, about 98% is typical, images are 28x28,\n"
        "and 10 classes use 0.25 dropout; 1,000 images; 12.5% of pixels."
    )
    assert figures(text) == ["99.32%", "98.49 %", "215,514 parameters", "101770 trainable params"]


def test_bounds_rough_figures_quotations_and_code_are_not_checked():
    text = (
        "Reference B reported 99.43% after 50 epochs; the requirement is ≥ 99.30%; "
        "C has about 455,000 parameters, over 99.00% is good. `print('97.12%')` and "
        "<!-- 97.13% --> and [a link](results-97.14%.html) are not prose."
    )
    assert figures(text) == []
    assert figures("| B | 99.43% |\n<!-- figures: reported -->") == []
    far = "B reported its result in a table. Our run, measured here today, gives 97.16%"
    assert figures(far) == ["97.16%"]


def test_a_stale_figure_is_reported_and_a_printed_one_is_not():
    nb = lesson(
        "The CNN reached 99.32% with 215,514 parameters, the dense net 98.50%.",
        "cnn: test accuracy 99.32% on 10,000 images\nTotal params: 215,514 (841.85 KB)\n",
    )
    [stale] = stale_figures(nb)
    assert (stale.cell, stale.figure) == (0, "98.50%")
    assert str(stale).startswith("cell 0: 98.50% is not in any output (…")


def test_digits_must_match_whole_numbers_not_parts_of_others():
    nb = lesson("It has 1,234 parameters and reached 9.32%.", "params 11,234 and 99.32%\n")
    assert [s.figure for s in stale_figures(nb)] == ["1,234 parameters", "9.32%"]
    nb = lesson("It has 1,234 parameters.", "Total params: 1234\n")
    assert stale_figures(nb) == []


def test_html_outputs_and_earlier_lessons_count_as_printed():
    nb = lesson("A table: 97.85%; lesson 02's dense net: 98.49%.", "", html="<td>97.85%</td>")
    assert [s.figure for s in stale_figures(nb)] == ["98.49%"]
    assert stale_figures(nb, ["dense: test accuracy 98.49%"]) == []
    assert "<td>97.85%</td>" in output_text(nb)


def test_chinese_prose_figures_are_found_whatever_punctuation_surrounds_them():
    text = (
        "卷积神经网络在测试集上达到 99.32%。稠密网络（98.49%）较低，准确率为97.85％；"
        "它有 215,514 个参数，稠密网络有101770个可训练参数，参数量为 1,199,882。\n"
        "目标是 99.3%，训练5轮，共 60,000 张图像，图像大小 28x28，10 个类别，随机失活率 0.25。"
    )
    assert figures(text) == ["99.32%", "98.49%", "97.85％", "215,514 个参数",
                             "101770个可训练参数", "参数量为 1,199,882"]
    assert [needle for _, needle, _ in quoted_figures(text)] == [
        "99.32%", "98.49%", "97.85%", "215,514", "101770", "1,199,882"]


def test_chinese_bounds_rough_figures_and_quotations_are_not_checked():
    text = (
        "作业要求测试准确率 ≥ 99.30%；参考文献 B 报告了 50 轮后 99.43% 的结果；"
        "C 约有 455,000 个参数，大约为 98.70%，准确率 99.10% 以上即可，"
        "误差在 0.15% 左右。"
    )
    assert figures(text) == []


def test_a_chinese_figure_is_checked_against_the_outputs():
    nb = lesson(
        "卷积神经网络达到 99.32%（215,514 个参数），稠密网络达到98.50%。",
        "cnn: test accuracy 99.32% on 10,000 images\nTotal params: 215,514 (841.85 KB)\n",
    )
    [stale] = stale_figures(nb)
    assert (stale.cell, stale.figure) == (0, "98.50%")
    assert str(stale) == ("cell 0: 98.50% is not in any output "
                          "(…络达到 99.32%（215,514 个参数），稠密网络达到98.50%。…)")
