"""Docstrings that cannot drift: each helper's "Lesson NN" tag is the first lesson using it.

The notebooks' code cells are parsed for `from digitlab.x import y` and `import digitlab.x`
(then `digitlab.x.y`). A public function or class of digitlab that a lesson imports must
name the first such lesson in its docstring ("Lesson 05 ..."). A helper no lesson imports
(one that works behind another, such as `fit_and_score` behind `compare_models`) may only
name a lesson whose text or code names it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import digitlab
from digitlab.config import PROJECT_DIR

# Both editions: a helper only the Chinese lessons call (set_language) is tagged by them.
NOTEBOOKS = [*sorted((PROJECT_DIR / "notebooks").glob("[0-9][0-9]_*.ipynb")),
             *sorted((PROJECT_DIR / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))]
TAG = re.compile(r"\b[Ll]esson (\d\d)")
MACHINERY = {"digitlab.__main__", "digitlab.cli", "digitlab.course"}


def _text(notebook: Path) -> str:
    """Everything the notebook says, markdown and code."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def _code(notebook: Path) -> str:
    """The notebook's code cells as Python, IPython magics and shell lines left out."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = [line for cell in cells if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines()
             if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def _names_used(tree: ast.AST) -> set[tuple[str, str]]:
    """`(module, name)` of every digitlab helper the code imports or reaches as an attribute."""
    used, aliases = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("digitlab"):
            used |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("digitlab"):
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = ast.unparse(node.value)
            if owner in aliases:
                used.add((aliases[owner], node.attr))
    return used


def _first_use() -> dict[object, int]:
    """Each helper object a lesson uses -> the number of the first lesson using it."""
    first: dict[object, int] = {}
    for notebook in NOTEBOOKS:
        lesson = int(notebook.name[:2])
        for module, name in _names_used(ast.parse(_code(notebook))):
            helper = getattr(importlib.import_module(module), name)
            if inspect.isfunction(helper) or inspect.isclass(helper):
                first.setdefault(helper, lesson)
    return first


def _helpers() -> dict[str, object]:
    """Every public function and class defined in a digitlab module, by its full name."""
    found = {}
    for info in pkgutil.walk_packages(digitlab.__path__, "digitlab."):
        if info.name in MACHINERY:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                    and obj.__module__ == info.name):
                found[f"{info.name}.{name}"] = obj
    return found


def _tag(obj: object) -> int | None:
    match = TAG.search(inspect.getdoc(obj) or "")
    return int(match.group(1)) if match else None


def test_the_notebooks_are_found():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("fullname", sorted(_helpers()))
def test_lesson_tag_is_the_first_lesson_that_uses_the_helper(fullname):
    helper = _helpers()[fullname]
    first, tag = _first_use().get(helper), _tag(helper)
    if first is None:
        if tag is not None:
            named = [nb for nb in NOTEBOOKS if int(nb.name[:2]) == tag
                     and re.search(rf"\b{helper.__name__}\b", _text(nb))]
            assert named, (f"{fullname} says lesson {tag:02d}, but no lesson imports it and "
                           f"lesson {tag:02d} does not name it")
    else:
        assert tag == first, (f"{fullname} is first used in lesson {first:02d}; its docstring "
                              f"should say 'Lesson {first:02d}', not {tag}")


def test_the_parser_sees_both_import_styles():
    tree = ast.parse("from digitlab.plots import show_digits, plot_history\n"
                     "import digitlab.train as t\nimport digitlab.models\n"
                     "t.train(m)\ndigitlab.models.build_cnn()\n")
    assert _names_used(tree) == {("digitlab.plots", "show_digits"),
                                 ("digitlab.plots", "plot_history"),
                                 ("digitlab.train", "train"),
                                 ("digitlab.models", "build_cnn")}
