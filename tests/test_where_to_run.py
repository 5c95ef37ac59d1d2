"""The routes to the course besides `make` (README "Where to run it"), checked as far as a
machine without Colab, Binder or VS Code can: their files parse and point where they should.

Colab: every lesson opens with a badge linking to its own file in the repository, and its
first code cell installs digitlab only inside Colab and turns on Colab's custom widget
manager (ipycanvas needs it). Binder: binder/ builds an environment with a Python digitlab
supports, installs this checkout and fetches MNIST. VS Code: .vscode/settings.json lets
its notebooks load the widgets' JavaScript.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import nbformat
import pytest
import yaml
from packaging.specifiers import SpecifierSet

from digitlab.config import PROJECT_DIR
from digitlab.course import lesson_paths

PROJECT = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
REPOSITORY = PROJECT["urls"]["Repository"]  # https://github.com/digitlab/digitlab
LESSONS = lesson_paths(PROJECT_DIR / "notebooks")
COLAB_CELL = f"""\
# Runs only in Google Colab: install digitlab, fetch MNIST, enable the widget manager (drawing pad).
import sys

if "google.colab" in sys.modules:
    %pip install -q "digitlab @ git+{REPOSITORY}"
    from google.colab import output

    output.enable_custom_widget_manager()
    !digitlab data fetch"""
COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)"
                        r"/blob/main/([\w./-]+\.ipynb)")


def colab_badge(path: str) -> str:
    return ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/{REPOSITORY.removeprefix('https://github.com/')}"
            f"/blob/main/{path})")


def _python_version(spec: str) -> str:
    return re.fullmatch(r"python\s*=\s*(3\.\d+)", spec)[1]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_lesson_opens_with_its_own_colab_badge_and_the_colab_cell(lesson):
    nb = nbformat.read(lesson, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert colab_badge(f"notebooks/{lesson.name}") in first.source
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code[0].source.strip() == COLAB_CELL


def test_readme_links_open_files_that_exist():
    readme = (PROJECT_DIR / "README.md").read_text()
    links = COLAB_LINK.findall(readme)
    assert links, "the README has no Open in Colab link"
    for repository, path in links:
        assert f"https://github.com/{repository}" == REPOSITORY
        assert (PROJECT_DIR / path).is_file(), path
    binder = re.findall(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/main\?urlpath=lab/tree/"
                        r"([\w./-]+)", readme)
    assert binder, "the README has no Binder link"
    for repository, path in binder:
        assert f"https://github.com/{repository}" == REPOSITORY
        assert (PROJECT_DIR / path).exists(), path


def test_binder_builds_a_supported_python_installs_digitlab_and_fetches_mnist():
    env = yaml.safe_load((PROJECT_DIR / "binder" / "environment.yml").read_text())
    python = [_python_version(d) for d in env["dependencies"]
              if isinstance(d, str) and d.startswith("python")]
    assert len(python) == 1 and python[0] in SpecifierSet(PROJECT["requires-python"])
    post_build = PROJECT_DIR / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "repo2docker runs postBuild only if executable"
    subprocess.run(["bash", "-n", str(post_build)], check=True)  # it parses
    commands = [line.strip() for line in post_build.read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert "python -m pip install --no-cache-dir -e ." in commands
    assert commands[-1] == "digitlab data fetch"


def test_vscode_loads_the_widgets_javascript():
    settings = json.loads((PROJECT_DIR / ".vscode" / "settings.json").read_text())
    assert settings["jupyter.widgetScriptSources"] == ["jsdelivr.com", "unpkg.com"]
