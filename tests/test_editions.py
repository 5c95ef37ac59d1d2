"""The English and Chinese editions kept in step (issue 24): tests/twins.py holds the rules.

The first half checks the committed notebooks: every English lesson and solutions notebook
has its Chinese twin in notebooks/zh/ and back; each twin follows its English notebook cell
by cell; its outputs show no missing-glyph warnings; its links open itself in Colab, lead to
its English edition and to files that exist. The second half tests the rules themselves on
small notebooks made here, and on twins made mechanically from every English lesson.
"""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from twins import (
    COLAB,
    PARAMETERS,
    ZH_ONLY_LINES,
    cell_role,
    code_problems,
    colab_url,
    edition_link_problems,
    headings,
    link_problems,
    source,
    tofu_problems,
    twin_problems,
)

import digitlab.lesson_files as lesson_files_module
from digitlab.cli import main
from digitlab.config import PROJECT_DIR
from digitlab.lesson_files import edition_dir, lesson_files
from digitlab.teach import (
    BEGIN,
    END,
    EXERCISES_HEADING,
    exercise_statements,
    nbgrader_course,
    solution_sections,
)

ENGLISH = PROJECT_DIR / "notebooks"
CHINESE = edition_dir("zh", ENGLISH)


def _files(folder):
    return [path.as_posix() for path in lesson_files(folder)] if folder.is_dir() else []


ENGLISH_FILES, CHINESE_FILES = _files(ENGLISH), _files(CHINESE)
TWINS = [name for name in CHINESE_FILES if name in ENGLISH_FILES]


def read(path):
    return nbformat.read(path, as_version=4)


def report(path, problems):
    """One line per problem, each naming the notebook and the cell."""
    where = path.relative_to(PROJECT_DIR)
    return "\n".join(f"{where} {problem}" for problem in problems)


# -- the committed notebooks -------------------------------------------------------------

def test_every_notebook_has_its_chinese_twin_and_back():
    missing = [f"notebooks/zh/{name}: missing, the Chinese twin of notebooks/{name}"
               for name in ENGLISH_FILES if name not in CHINESE_FILES]
    orphans = [f"notebooks/zh/{name}: has no English notebooks/{name}"
               for name in CHINESE_FILES if name not in ENGLISH_FILES]
    assert not missing + orphans, "\n".join(missing + orphans)


@pytest.mark.parametrize("name", TWINS)
def test_the_chinese_twin_follows_the_english_cell_by_cell(name):
    problems = twin_problems(read(ENGLISH / name), read(CHINESE / name))
    assert not problems, report(CHINESE / name, problems)


@pytest.mark.parametrize("name", CHINESE_FILES)
def test_chinese_outputs_show_no_missing_glyphs(name):
    problems = tofu_problems(read(CHINESE / name))
    assert not problems, report(CHINESE / name, problems)


@pytest.mark.parametrize("name", CHINESE_FILES)
def test_a_chinese_notebook_opens_itself_in_colab_and_links_to_its_english_edition(name):
    problems = edition_link_problems(read(CHINESE / name), f"notebooks/zh/{name}",
                                     f"notebooks/{name}")
    assert not problems, report(CHINESE / name, problems)


@pytest.mark.parametrize("path", [ENGLISH / name for name in ENGLISH_FILES]
                         + [CHINESE / name for name in CHINESE_FILES],
                         ids=lambda path: path.relative_to(ENGLISH).as_posix())
def test_relative_links_and_images_lead_to_files(path):
    problems = link_problems(read(path), path)
    assert not problems, report(path, problems)


# -- the rules themselves ------------------------------------------------------------------

COLAB_CELL = ('# Runs only in Google Colab: install digitlab.\nimport sys\n\n'
              'if "google.colab" in sys.modules:\n'
              '    %pip install -q "digitlab @ git+https://github.com/digitlab/digitlab"\n'
              '    !digitlab data fetch')
ZH_COLAB_CELL = ('# 仅在 Google Colab 中运行：安装 digitlab。\nimport sys\n\n'
                 'if "google.colab" in sys.modules:\n'
                 '    %pip install -q "digitlab @ git+https://github.com/digitlab/digitlab"\n'
                 '    !apt-get -qq install -y fonts-wqy-microhei\n'
                 '    !digitlab data fetch')
PARAMETERS_CELL = "from digitlab.config import fast_mode\n\nFAST = fast_mode()  # tests: True"
ZH_PARAMETERS_CELL = ('from digitlab.config import fast_mode\nfrom digitlab.i18n import '
                      'set_language\n\nFAST = fast_mode()  # 测试时为 True\nset_language("zh")')


def english():
    return new_notebook(cells=[
        new_markdown_cell("# Lesson 1 — the data\n\nWe read the files."),
        new_code_cell(COLAB_CELL),
        new_code_cell(PARAMETERS_CELL),
        new_markdown_cell("## 1. The files\n\nMNIST has 60,000 training images."),
        new_code_cell('x_train = load()\nprint(f"{len(x_train):,} images, the first is a '
                      '{y[0]}")  # count them\nplt.title("Digits")', metadata={"tags": ["t"]}),
        new_markdown_cell("### 1.2 Pixels\n\n```python\n# not a heading\n```"),
    ])


def chinese():
    return new_notebook(cells=[
        new_markdown_cell("# 第 1 课 — 数据\n\n我们读取文件。"),
        new_code_cell(ZH_COLAB_CELL),
        new_code_cell(ZH_PARAMETERS_CELL),
        new_markdown_cell("## 1. 文件\n\nMNIST 有 60,000 张训练图像。"),
        new_code_cell('x_train = load()\nprint(f"共 {len(x_train):,} 张图像，第一张是 '
                      '{y[0]}")  # 数一数\nplt.title("Digits")', metadata={"tags": ["t"]}),
        new_markdown_cell("### 1.2 像素\n\n```python\n# 不是标题\n```"),
    ])


def with_source(nb, cell, text):
    changed = copy.deepcopy(nb)
    changed.cells[cell].source = text
    return changed


def test_a_faithful_twin_passes():
    assert twin_problems(english(), chinese()) == []


def test_a_changed_identifier_fails_naming_the_cell():
    zh = chinese()
    twin = with_source(zh, 4, zh.cells[4].source.replace("x_train = load()", "x_val = load()"))
    assert twin_problems(english(), twin) == [
        "cell 4: code differs from the English: 'x_train' became 'x_val'"]


def test_comments_may_be_translated_and_strings_with_chinese_may_differ():
    zh = chinese()
    twin = with_source(zh, 4, zh.cells[4].source.replace('"Digits"', '"手写数字"')
                       .replace("# 数一数", "# a comment in any words"))
    assert twin_problems(english(), twin) == []


def test_a_string_changed_without_chinese_fails():
    zh = chinese()
    twin = with_source(zh, 4, zh.cells[4].source.replace('"Digits"', '"Digit"'))
    assert twin_problems(english(), twin) == [
        "cell 4: a string changed without being translated: '\"Digits\"' became '\"Digit\"'"]


def test_a_translated_f_string_keeps_its_fields():
    zh = chinese()
    twin = with_source(zh, 4, zh.cells[4].source.replace("{y[0]}", "{y[1]}"))
    [problem] = twin_problems(english(), twin)
    assert problem.startswith("cell 4: a string changed without being translated: 'f\"{len(")


def test_words_inside_a_field_may_be_translated_but_not_the_code_around_them():
    english = """print(f"{source}: {digits or 'none'}")"""
    assert code_problems(english, """print(f"{source}：{digits or '无'}")""", None) == []
    [problem] = code_problems(english, """print(f"{source}：{labels or '无'}")""", None)
    assert "a string changed without being translated" in problem


def test_code_added_or_removed_fails():
    zh = chinese()
    longer = with_source(zh, 4, zh.cells[4].source + "\nplt.show()")
    assert twin_problems(english(), longer) == [
        "cell 4: code differs from the English: the Chinese has more code from 'plt'"]
    shorter = with_source(zh, 4, "x_train = load()")
    assert twin_problems(english(), shorter) == [
        "cell 4: code differs from the English: the English has more code from 'print'"]


def test_the_language_lines_belong_in_their_cells_and_must_be_there():
    zh = chinese()
    no_language = with_source(zh, 2, zh.cells[2].source.replace('set_language("zh")', ""))
    assert twin_problems(english(), no_language) == [
        "cell 2: the parameters cell lacks the line 'set_language(\"zh\")'"]
    elsewhere = with_source(no_language, 4, zh.cells[4].source + '\nset_language("zh")')
    assert twin_problems(english(), elsewhere)[1] == (
        "cell 4: code differs from the English: the Chinese has more code from 'set_language'")
    no_font = with_source(zh, 1, ZH_COLAB_CELL.replace(ZH_ONLY_LINES[COLAB][0], ""))
    assert twin_problems(english(), no_font) == [
        "cell 1: the colab cell lacks the line '!apt-get -qq install -y fonts-wqy-microhei'"]


def test_a_changed_magic_fails():
    zh = chinese()
    twin = with_source(zh, 1, ZH_COLAB_CELL.replace("data fetch", "data fetch --force"))
    [problem] = twin_problems(english(), twin)
    assert problem.startswith("cell 1: a string changed without being translated: "
                              "\"'digitlab data fetch'\"")


def test_cells_out_of_step_fail_once():
    zh = chinese()
    zh.cells.insert(3, new_markdown_cell("多出来的一段。"))
    assert twin_problems(english(), zh) == [
        "cell 6: the English has 6 cells, the Chinese 7",
        "cell 3: headings (level, number) [] where the English has [(2, '1')]",
        "cell 4: a markdown cell where the English has a code cell",
    ]


def test_tags_headings_and_untranslated_markdown_fail():
    zh = chinese()
    zh.cells[4].metadata["tags"] = []
    zh.cells[3].source = "### 1. 文件"
    zh.cells[5].source = "### 1.3 像素"
    zh.cells[0].source = "# Lesson 1 — the data\n\nWe read the files, `读取`."
    assert twin_problems(english(), zh) == [
        "cell 0: markdown with words but no Chinese: translate it",
        "cell 3: headings (level, number) [(3, '1')] where the English has [(2, '1')]",
        "cell 4: tags [] where the English has ['t']",
        "cell 5: headings (level, number) [(3, '1.3')] where the English has [(3, '1.2')]",
    ]


def test_headings_ignore_code_blocks():
    assert headings("# 第 1 课\n## 2. 训练\n```\n# x = 1\n```\n#### 2.1.3 细节") == [
        (1, ""), (2, "2"), (4, "2.1.3")]


def test_missing_glyph_warnings_in_outputs_fail():
    nb = chinese()
    nb.cells[4].outputs = [new_output(
        "stream", name="stderr", text="/x/plots.py:12: UserWarning: Glyph 25163 (\\N{CJK "
        "UNIFIED IDEOGRAPH-624B}) missing from font(s) DejaVu Sans.\n  fig.canvas.draw()\n")]
    [problem] = tofu_problems(nb)
    assert problem.startswith("cell 4: an output says a font lacks Chinese glyphs: /x/plots.py")
    nb.cells[4].outputs = [new_output("stream", name="stdout", text="60,000 张图像\n")]
    assert tofu_problems(nb) == []


def test_links_lead_to_files_and_the_chinese_edition_to_itself(tmp_path):
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pad.png").write_bytes(b"png")
    (tmp_path / "notebooks" / "01_data.ipynb").write_text("{}")
    path = tmp_path / "notebooks" / "zh" / "01_data.ipynb"
    nb = chinese()
    nb.cells[0].source = (
        f"# 第 1 课\n\n[![在 Colab 中打开](https://x/badge.svg)]({colab_url('notebooks/zh/01_data.ipynb')})"
        " [English](../01_data.ipynb#top)\n\n![画板](../../docs/pad.png) <img src=\"../../docs/"
        "missing.png\"> [练习](#练习) [网页](https://example.org/a.png)")
    assert link_problems(nb, path) == [
        "cell 0: the link '../../docs/missing.png' leads to no file"]
    assert edition_link_problems(nb, "notebooks/zh/01_data.ipynb", "notebooks/01_data.ipynb") == []
    nb.cells[0].source = nb.cells[0].source.replace("notebooks/zh/", "notebooks/").replace(
        "../01_data.ipynb", "01_data.ipynb")
    assert edition_link_problems(nb, "notebooks/zh/01_data.ipynb", "notebooks/01_data.ipynb") == [
        "cell 0: Colab opens notebooks/01_data.ipynb, not notebooks/zh/01_data.ipynb",
        "cell 0: no Colab badge opening notebooks/zh/01_data.ipynb",
        "cell 0: no link to the English edition (notebooks/01_data.ipynb)",
    ]


def make_twin(nb, name):
    """A twin of an English notebook as a translator would start it: the language lines
    added, one comment and every markdown cell 'translated' (headings kept)."""
    twin = copy.deepcopy(nb)
    for cell in twin.cells:
        role = cell_role(cell)
        if role == PARAMETERS:
            cell.source = "\n".join([*ZH_ONLY_LINES[PARAMETERS], cell.source])
        elif role == COLAB:
            cell.source = re.sub(r"^(\s+)(!digitlab)", rf"\1{ZH_ONLY_LINES[COLAB][0]}\n\1\2",
                                 cell.source, count=1, flags=re.M)
            cell.source = re.sub(r"^#.*", "# 仅在 Google Colab 中运行", cell.source, count=1)
        elif cell.cell_type == "markdown":
            titles = [f"{'#' * level} {number} 标题".replace("  ", " ")
                      for level, number in headings(source(cell))]
            cell.source = "\n\n".join([*titles, "中文说明。"])
    twin.cells[0].source += (f"\n\n[在 Colab 中打开]({colab_url('notebooks/zh/' + name)}) · "
                             "[English](" + "../" * (name.count("/") + 1) + name + ")")
    return twin


@pytest.mark.parametrize("name", ENGLISH_FILES)
def test_a_twin_made_from_each_english_notebook_passes_and_a_slip_fails(name):
    nb = read(ENGLISH / name)
    twin = make_twin(nb, name)
    assert twin_problems(nb, twin) == []
    assert edition_link_problems(twin, f"notebooks/zh/{name}", f"notebooks/{name}") == []
    code = [i for i, cell in enumerate(twin.cells)
            if cell.cell_type == "code" and cell_role(cell) is None and "=" in cell.source]
    twin.cells[code[0]].source = twin.cells[code[0]].source.replace("=", "==", 1)
    assert twin_problems(nb, twin)[0].startswith(f"cell {code[0]}: code differs")


# -- the teacher's kit reads both editions ---------------------------------------------------

def _exercise_numbers(folder, lesson):
    """(numbered exercises of the lesson, sections of its solutions) as teach reads them."""
    solutions = folder / "solutions" / f"{lesson[:2]}_solutions.ipynb"
    if not solutions.is_file() or not any(EXERCISES_HEADING.search(source(cell))
                                          for cell in read(folder / lesson).cells):
        return None
    return (sorted(exercise_statements(read(folder / lesson))[1]),
            sorted(solution_sections(read(solutions))[1]))


@pytest.mark.parametrize("name", [name for name in TWINS if "/" not in name])
def test_teach_reads_the_same_exercises_in_both_editions(name):
    assert _exercise_numbers(CHINESE, name) == _exercise_numbers(ENGLISH, name), (
        f"notebooks/zh/{name}: `digitlab teach nbgrader` reads other exercises than in English "
        "(the `## 练习` heading, the numbered items, the solutions' `## N.` sections)")


def write_chinese_lesson(folder):
    """notebooks/zh/ as a translator writes it: lesson 01 with two exercises, its solutions."""
    (folder / "solutions").mkdir(parents=True)
    lesson = new_notebook(cells=[
        new_markdown_cell("# 第 1 课 — 数据"),
        new_markdown_cell("## 练习\n\n参考答案（CI 会运行）：[solutions/01_solutions.ipynb]"
                          "(solutions/01_solutions.ipynb)。先自己试一试。\n\n"
                          "1. **两数相加。** 算出 1 + 2。\n   *自查：* 和为 3。\n"
                          "2. **为什么？** 说明原因。"),
    ])
    solutions = new_notebook(cells=[
        new_markdown_cell("# 第 1 课 — 练习参考答案"),
        new_code_cell(ZH_PARAMETERS_CELL),
        new_markdown_cell("## 1. 两数相加"),
        new_code_cell("total = 1 + 2\nassert total == 3"),
        new_markdown_cell("和为 3。\n\n## 2. 为什么\n\n因为如此。"),
    ])
    nbformat.write(lesson, folder / "01_data.ipynb")
    nbformat.write(solutions, folder / "solutions" / "01_solutions.ipynb")
    return folder


def test_teach_nbgrader_builds_a_chinese_assignment(tmp_path):
    generated = nbgrader_course(tmp_path / "course", write_chinese_lesson(tmp_path / "zh"))
    cells = read(generated.notebooks[0]).cells
    texts = [cell.source for cell in cells]
    assert "先自己试一试。" in texts[0] and "参考答案" not in texts[0]
    assert [text for text in texts if "两数相加" in text or "为什么" in text] == [
        "## Exercise 1\n\n**两数相加。** 算出 1 + 2。\n*自查：* 和为 3。",
        "## Exercise 2\n\n**为什么？** 说明原因。"]
    assert f"{BEGIN}\ntotal = 1 + 2\n{END}" in texts and "assert total == 3" in texts
    assert generated.points == 3  # one check, two written answers


def test_teach_command_takes_the_chinese_edition(tmp_path, monkeypatch, capsys):
    write_chinese_lesson(tmp_path / "notebooks" / "zh")
    monkeypatch.setattr(lesson_files_module, "LESSONS_DIR", tmp_path / "notebooks")
    assert main(["teach", "nbgrader", str(tmp_path / "out"), "--lang", "zh"]) == 0
    assert "Wrote 1 nbgrader assignment(s)" in capsys.readouterr().out
    assert (tmp_path / "out" / "source" / "lesson01" / "01_exercises.ipynb").is_file()


def test_the_font_for_chinese_plots_is_installed_everywhere_the_course_runs():
    from digitlab.i18n import FONT_PACKAGE

    script = (PROJECT_DIR / "scripts" / "install-system-packages").read_text()
    assert f"need+=({FONT_PACKAGE})" in script  # make test, on Debian
    assert ZH_ONLY_LINES[COLAB] == (f"!apt-get -qq install -y {FONT_PACKAGE}",)  # Colab
