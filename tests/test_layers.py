"""The library's layers, written down once and held: nothing imports upward, nothing in a cycle.

Every module of `digitlab/` is read with `ast` (imports inside functions and under
`TYPE_CHECKING` count too: a lazy import is still a dependency). A module may import its own
layer or a lower one, never a higher one, and the imports between modules form no cycle.
A new module fails here until it is added to `LAYERS`, in the layer its imports allow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from digitlab.config import PACKAGE_DIR

BASE, MODEL, VIEWS, COURSE = "base", "model", "views", "course"
ORDER = (BASE, MODEL, VIEWS, COURSE)
"""Lowest first: a layer may import only itself and the layers before it."""

LAYERS: dict[str, str] = {
    # base: data, files, preprocessing, drawings; numpy and PIL, never Keras models
    "config": BASE,
    "texts": BASE,
    "i18n": BASE,
    "atomic": BASE,
    "machine": BASE,
    "tflog": BASE,
    "strokes": BASE,
    "preprocess": BASE,
    "redraw": BASE,
    "drawn": BASE,
    "samples": BASE,
    "nondigits": BASE,
    "data": BASE,
    "data.fetch": BASE,
    "data.idx": BASE,
    "data.kaggle": BASE,
    "data.mnist": BASE,
    "data.drawings": BASE,
    "data.verified": BASE,
    "paths": BASE,
    # model: building, training, judging, saving and running Keras models
    "": MODEL,  # digitlab/__init__.py: `digitlab.load_pretrained()`
    "models": MODEL,
    "recipes": MODEL,
    "leave_out": MODEL,
    "augment": MODEL,
    "train": MODEL,
    "evaluate": MODEL,
    "finetune": MODEL,
    "saving": MODEL,
    "lesson_model": MODEL,
    "predict": MODEL,
    "your_images": MODEL,
    # views: what a learner looks at: plots, widgets, the web page
    "plots": VIEWS,
    "calibration": VIEWS,
    "explore": VIEWS,
    "widget": VIEWS,
    "collector": VIEWS,
    "stroke_plots": VIEWS,
    "web": VIEWS,
    "web.export": VIEWS,
    "web.tfjs": VIEWS,
    "web.training_page": VIEWS,
    "web.runtime": VIEWS,
    # course: exercises, comparisons across lessons, the course runner and the command line
    "checks": COURSE,
    "compare": COURSE,
    "course": COURSE,
    "quoted": COURSE,
    "grade": COURSE,
    "teach": COURSE,
    "lesson_files": COURSE,
    "cli": COURSE,
    "__main__": COURSE,
}
"""Each module of digitlab (dotted, without `digitlab.`) and its layer. Add new modules here."""



def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE_DIR.rglob("*.py"))
    if "__pycache__" not in path.parts
}


def _local(target: str) -> str | None:
    """The digitlab module an import of `target` loads (`digitlab.data.load_mnist` -> `data`)."""
    if target != "digitlab" and not target.startswith("digitlab."):
        return None
    local = target.removeprefix("digitlab").removeprefix(".")
    while local not in MODULES and "." in local:
        local = local.rsplit(".", 1)[0]
    return local if local in MODULES else ""


def _imports(name: str, path: Path) -> set[str]:
    """The digitlab modules `name` imports anywhere in its file (dotted, without `digitlab.`)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "":
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [_local(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from .x import y
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(["digitlab", *base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from digitlab.data import fetch` imports a module; `... import load_mnist` a name
            targets = [_local(f"{module}.{alias.name}") for alias in node.names]
        else:
            continue
        found.update(
            target for target in targets
            if target is not None and target != name
        )
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    missing = sorted(name or "__init__" for name in MODULES if name not in LAYERS)
    assert not missing, (
        f"digitlab modules without a layer: {missing}. Add each to LAYERS in "
        "tests/test_layers.py as base, model, views or course: the lowest layer whose "
        "modules it imports (see the README's library table)."
    )


def test_table_names_only_modules_that_exist():
    gone = sorted(name for name in LAYERS if name not in MODULES)
    assert not gone, f"LAYERS names modules that do not exist: {gone}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n in LAYERS))
def test_nothing_imports_upward(name):
    rank = ORDER.index(LAYERS[name])
    upward = sorted(
        f"digitlab.{target} ({LAYERS[target]})"
        for target in GRAPH[name]
        if target in LAYERS and ORDER.index(LAYERS[target]) > rank
    )
    assert not upward, f"digitlab.{name or '__init__'} ({LAYERS[name]}) imports upward: {upward}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph` as a list of modules, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle():
    cycle = _cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(f"digitlab.{m}" for m in cycle)


def test_the_checks_catch_what_they_claim():
    """The reader itself: a lazy relative import is seen, and a cycle is found."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    assert "preprocess" in GRAPH["checks"]  # top-level import
    assert "samples" in GRAPH["checks"]  # import inside a function
    assert "data.fetch" in GRAPH["data"]  # package __init__ importing its own module
    assert "" in GRAPH["cli"] and "lesson_model" not in GRAPH[""]  # `from digitlab import`
