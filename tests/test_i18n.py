"""One language setting, one catalog: both languages complete, and what the library draws,
prints and checks follows `set_language`."""

from __future__ import annotations

import io
import json
import string
import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from digitlab import i18n
from digitlab.checks import check_in_range, check_most_confused, check_param_count
from digitlab.config import PROJECT_DIR
from digitlab.evaluate import report_from_probabilities
from digitlab.i18n import check_language, language, pad, set_language, tr, tr_name
from digitlab.plots import plot_confusion_matrix, plot_history, plot_model_comparison
from digitlab.texts import TEXTS

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def english_afterwards():
    """The setting is global: every test leaves the library in English."""
    yield
    set_language("en")
    plt.close("all")


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_both_languages_with_the_same_placeholders(key):
    texts = TEXTS[key]
    assert set(texts) == set(i18n.LANGUAGES)
    assert all(text.strip() for text in texts.values()), texts
    assert _fields(texts["en"]) == _fields(texts["zh"])


def test_tr_fills_the_fields_in_the_language_set_or_asked():
    assert tr("check.params.ok", count="1,290") == "1,290 parameters, as expected"
    assert tr("check.params.ok", lang="zh", count="1,290") == "1,290 个参数，与预期一致"
    set_language("zh")
    assert language() == "zh"
    assert tr("plot.confusion.title") == "混淆矩阵"
    assert tr("plot.confusion.title", lang="en") == "confusion matrix"


def test_a_name_the_catalog_does_not_know_is_shown_as_given():
    set_language("zh")
    assert tr_name("report.on", "test") == "测试集"
    assert tr_name("report.on", "my drawings") == "my drawings"


def test_pad_counts_a_chinese_character_as_two_columns():
    assert pad("准确率", 8, ">") == "  准确率"
    assert pad("accuracy", 10) == "accuracy  "


def test_an_unknown_language_is_refused_in_one_sentence_and_changes_nothing():
    with pytest.raises(ValueError, match=r"^language must be one of en, zh, got 'fr'$"):
        check_language("fr")
    with pytest.raises(ValueError):
        set_language("fr")
    assert language() == "en"
    with pytest.raises(ValueError):
        tr("plot.digit", lang="fr")


def _titles(fig) -> list[str]:
    return [ax.get_title() for ax in fig.axes]


def test_set_language_changes_what_the_plots_draw_and_back():
    cm = np.eye(10, dtype=int)
    assert plot_confusion_matrix(cm).get_title() == "confusion matrix"
    set_language("zh")
    ax = plot_confusion_matrix(cm)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("混淆矩阵", "预测值", "真实值")
    axes = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}, metrics=("loss",))
    assert axes.get_title() == "损失"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["训练集", "验证集"]
    rows = [{"name": "dense", "params": 113546, "seconds": 3.0, "accuracy": 0.97}]
    assert _titles(plot_model_comparison(rows))[1:] == ["参数量", "训练时间（秒）"]
    set_language("en")
    assert plot_confusion_matrix(cm).get_title() == "confusion matrix"
    assert _titles(plot_model_comparison(rows))[1:] == ["parameters", "training time (s)"]


def test_reports_print_in_the_language_set():
    labels = np.array([0, 1, 2, 3])
    probs = np.eye(10)[[0, 1, 2, 4]]
    report = report_from_probabilities(labels, probs)
    assert str(report).startswith("test accuracy 75.00% on 4 images (1 mistakes)\nper digit: ")
    set_language("zh")
    assert str(report).startswith("测试集准确率 75.00%，共 4 张图像（1 个错误）\n各数字：")


def _model_of_7850_parameters():
    """What check_param_count reads of a Keras model: one Dense layer, 784 x 10 + 10."""
    layer = SimpleNamespace(name="dense", count_params=lambda: 7850)
    return SimpleNamespace(layers=[layer], count_params=lambda: 7850)


def test_the_checks_speak_chinese_after_set_language():
    cm = np.eye(10, dtype=int) * 5
    cm[4, 9] = 7
    assert str(check_in_range("loss", 2.3, 2.2, 2.4)) == "✔ loss 2.3 is within the expected 2.2-2.4"
    set_language("zh")
    assert str(check_in_range("loss", 2.3, 2.2, 2.4)) == "✔ loss 2.3 在预期范围 2.2-2.4 之内"
    assert str(check_in_range("loss", 3, 2.2, 2.4, hint="看学习率")) == (
        "✘ loss 3 高于预期范围 2.2-2.4：看学习率"
    )
    model = _model_of_7850_parameters()
    assert str(check_param_count(model, 7850)) == "✔ 7,850 个参数，与预期一致"
    assert str(check_param_count(model, 7840)).startswith("✘ 模型有 7,850 个参数，你预期的是 7,840")
    assert str(check_most_confused(cm, (4, 9))) == "✔ 把 4 认成 9 是最常见的错误（7 次）"


def test_chinese_titles_render_without_missing_glyphs():
    if i18n.cjk_font_name() is None:
        pytest.skip(f"no font with Chinese glyphs here (install {i18n.FONT_PACKAGE})")
    set_language("zh")
    fig = plot_confusion_matrix(np.eye(10)).figure
    fig.suptitle("层 'conv2d' 的卷积核（5x5，输入通道 0）")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing


def test_a_bold_chinese_title_logs_nothing(caplog):
    # The CJK fonts have one weight: bold Chinese falls back to regular, without a log line
    # in the lesson's output ("findfont: Failed to find font weight bold ...").
    if i18n.cjk_font_name() is None:
        pytest.skip(f"no font with Chinese glyphs here (install {i18n.FONT_PACKAGE})")
    import matplotlib.pyplot as plt

    set_language("zh")
    fig, ax = plt.subplots()
    ax.set_title("真实数字 3，预测 5", fontweight="bold")
    with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    assert not [r for r in caplog.records if "font weight" in r.getMessage()]


def test_without_a_chinese_font_one_line_warns_and_the_fonts_stay(monkeypatch):
    monkeypatch.setattr(i18n, "cjk_font_name", lambda: None)
    family = list(matplotlib.rcParams["font.family"])
    with pytest.warns(UserWarning, match="no font with Chinese glyphs") as caught:
        set_language("zh")
    assert len(caught) == 1 and "\n" not in str(caught[0].message)
    assert i18n.FONT_PACKAGE in str(caught[0].message)
    assert list(matplotlib.rcParams["font.family"]) == family
    assert tr("plot.digit") == "数字"  # the texts are Chinese all the same


def test_back_to_english_restores_the_font_list():
    if i18n.cjk_font_name() is None:
        pytest.skip(f"no font with Chinese glyphs here (install {i18n.FONT_PACKAGE})")
    family = list(matplotlib.rcParams["font.family"])
    set_language("zh")
    assert i18n.cjk_font_name() in matplotlib.rcParams["font.family"]
    set_language("zh")  # twice: still one way back
    set_language("en")
    assert list(matplotlib.rcParams["font.family"]) == family


GROUPS = ("plot.metric", "plot.curve", "report.on", "report.kind", "report.project",
          "report.source", "report.family", "report.reader")
"""Catalog groups read by a name the code holds (`tr_name`, f"plot.curve.{kind}"): the
library's, and the lessons' own labels (`tr_name("report.reader", name)`)."""


def _lesson_code() -> str:
    """The code cells of the English lessons and solutions (their twins run the same code)."""
    notebooks = PROJECT_DIR / "notebooks"
    return "\n".join("".join(cell["source"])
                     for path in [*notebooks.glob("*.ipynb"), *notebooks.glob("solutions/*.ipynb")]
                     for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     if cell["cell_type"] == "code")


@pytest.mark.parametrize("prefix", ["plot.", "report.", "check."])
def test_every_plot_report_and_check_text_is_read_by_the_library_or_a_lesson(prefix):
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in Path(i18n.__file__).parent.rglob("*.py")
                       if path.name != "texts.py") + _lesson_code()
    unused = [key for key in TEXTS if key.startswith(prefix)
              and f'"{key}"' not in source and f"'{key}'" not in source
              and not any(key.startswith(f"{group}.") and f'"{group}' in source
                          for group in GROUPS)]
    assert not unused, f"texts no code reads: {unused}"


def test_the_names_lessons_print_through_tr_name_have_both_languages():
    """Lessons 06 and 07 print every kind of non-digit and every source of drawn digits by
    `tr_name`: a name missing from the catalog would reach the Chinese lesson in English."""
    from digitlab.drawn import SOURCES
    from digitlab.nondigits import KINDS

    set_language("zh")
    for group, names in (("report.kind", KINDS), ("report.source", SOURCES)):
        for name in names:
            assert tr_name(group, name) == TEXTS[f"{group}.{name}"]["zh"] != name
