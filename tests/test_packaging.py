"""The built sdist and wheel, and digitlab installed from the wheel the way a learner gets it.

The distributions are built offline (`python -m build --no-isolation`, the setuptools of
this environment) from a copy of this checkout. The learner's digitlab is that wheel in a
fresh virtualenv outside the repository, with `pip install --no-deps --no-index`; the fresh
venv sees this environment's site-packages through a .pth file, so TensorFlow and the rest
are not downloaded again, but its own digitlab comes first. Its commands run from another
folder with a temporary $HOME and no network (proxies point nowhere, npm is offline): MNIST
is found, verified, in Keras's cache ($HOME/.keras/datasets/mnist.npz, written here from
the real MNIST) and must land in the user's cache folder, never in site-packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from digitlab.config import PACKAGE_DIR, PROJECT_DIR
from digitlab.i18n import tr
from digitlab.lesson_files import SHIPPED_PATTERNS, edition_dir, lesson_files

VERSION = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]["version"]
SDIST_FOLDERS = ("tests", "notebooks", "docs", "benchmarks", "scripts", "binder", ".ci",
                 ".vscode")
SDIST_FILES = ("LICENSE", "README.md", "Makefile", "environment.yml", "pyproject.toml",
               "setup.py", "MANIFEST.in", "conftest.py")
NOT_SOURCE = {".git", ".venv", "venv", "build", "dist", "artifacts", "models", "node_modules",
              "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
              ".ipynb_checkpoints"}
NOWHERE = "http://127.0.0.1:9"  # the discard port: any download attempt fails at once
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
SUBPROCESS_LIMIT = 1800  # seconds; a hang fails the test instead of stalling CI


def _not_source(folder: str, names: list[str]) -> set[str]:
    """For shutil.copytree: what a clean clone would not have (caches, venvs, MNIST)."""
    ignored = {name for name in names if name in NOT_SOURCE or name.endswith(".egg-info")}
    if Path(folder) == PROJECT_DIR / "data":
        ignored |= set(names) - {"README.md"}
    return ignored


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, text output captured; a failure shows its output."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=SUBPROCESS_LIMIT, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> tuple[Path, Path]:
    """(sdist, wheel): `python -m build` makes the sdist, then the wheel from it."""
    source = tmp_path_factory.mktemp("checkout") / "digitlab"
    shutil.copytree(PROJECT_DIR, source, symlinks=True, ignore=_not_source)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source])
    return (out / f"digitlab-{VERSION}.tar.gz", out / f"digitlab-{VERSION}-py3-none-any.whl")


def _source_files(folder: Path) -> set[str]:
    return {path.relative_to(PROJECT_DIR).as_posix() for path in folder.rglob("*")
            if path.is_file() and not (NOT_SOURCE & set(path.relative_to(PROJECT_DIR).parts))
            and path.suffix != ".pyc"}


def test_wheel_holds_the_package_model_samples_lessons_and_license(dists):
    _, wheel = dists
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(f"digitlab-{VERSION}.dist-info/METADATA").decode()
        notebooks = {name: zf.read(f"digitlab/notebooks/{name}") for name in (
            p.as_posix() for p in lesson_files(PROJECT_DIR / "notebooks", SHIPPED_PATTERNS))}
    shipped = _source_files(PACKAGE_DIR)  # every module and data file: model, samples, page
    assert {"digitlab/pretrained/course_cnn.keras", "digitlab/web/page/index.html",
            "digitlab/samples/drawings/synthetic-a.jsonl"} <= shipped
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    for name, data in notebooks.items():  # both editions: English, and Chinese in zh/
        assert data == (PROJECT_DIR / "notebooks" / name).read_bytes(), name
    shipped_lessons = {name.removeprefix("digitlab/notebooks/") for name in names
                       if name.startswith("digitlab/notebooks/")}
    assert shipped_lessons == set(notebooks)
    assert f"digitlab-{VERSION}.dist-info/licenses/LICENSE" in names
    assert {name.split("/")[0] for name in names} == {"digitlab", f"digitlab-{VERSION}.dist-info"}
    assert "License-Expression: MIT" in metadata
    assert "Requires-Python: <3.14,>=3.11" in metadata
    assert "Requires-Dist: keras>=3" in metadata
    assert "Project-URL: Repository, https://github.com/digitlab/digitlab" in metadata


def test_sdist_holds_everything_the_tests_need(dists):
    sdist, _ = dists
    top = f"digitlab-{VERSION}"
    with tarfile.open(sdist) as tf:
        members = {m.name.removeprefix(f"{top}/"): m for m in tf.getmembers() if m.isfile()}
    wanted = set(SDIST_FILES)
    for folder in SDIST_FOLDERS:
        files = _source_files(PROJECT_DIR / folder)
        assert files, f"{folder}/ is empty in the checkout"
        wanted |= files
    assert {"tests/conftest.py", "notebooks/01_data.ipynb", "docs/SEEDS.md"} <= wanted
    assert wanted <= set(members), f"missing from the sdist: {sorted(wanted - set(members))}"
    assert not [name for name in members if name.endswith(".pyc") or name.startswith("data/mnist")]
    assert members["scripts/install-system-packages"].mode & 0o111, "lost its executable bit"
    assert members[".ci/run"].mode & 0o111


@dataclass(frozen=True)
class Learner:
    """digitlab installed from the wheel in a fresh venv; commands run in `work`."""

    venv: Path
    site_packages: Path
    home: Path
    work: Path
    env: dict[str, str]

    def run(self, *args, **kwargs) -> subprocess.CompletedProcess:
        return _run(args, cwd=self.work, env=self.env, **kwargs)

    def python(self, code: str) -> str:
        return self.run(self.venv / "bin" / "python", "-c", code).stdout.strip()

    def installed_files(self) -> set[Path]:
        """The files in the venv's site-packages, bytecode caches aside."""
        return {path for path in self.site_packages.rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}


def _learner_env(venv: Path, home: Path) -> dict[str, str]:
    """This environment minus what would point at the checkout, the real $HOME or a network."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DIGITLAB_DATA", "DIGITLAB_FAST")
    env = {key: value for key, value in os.environ.items()
           if key not in dropped and not key.startswith(("XDG_", "JUPYTER", "PIP_"))}
    env.update(HOME=str(home), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               npm_config_offline="true", NO_PROXY="", no_proxy="")
    for proxy in ("http_proxy", "https_proxy", "all_proxy"):
        env[proxy] = env[proxy.upper()] = NOWHERE
    return env


@pytest.fixture(scope="module")
def learner(dists, tmp_path_factory) -> Learner:
    """The wheel in a fresh venv outside the repository, TensorFlow borrowed from here."""
    _, wheel = dists
    root = tmp_path_factory.mktemp("learner")
    venv, home, work = root / "venv", root / "home", root / "work"
    home.mkdir()
    work.mkdir()
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    env = _learner_env(venv, home)
    site_packages = Path(_run(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        env=env).stdout.strip())
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
          "--no-deps", "--no-index", "--no-cache-dir", "--disable-pip-version-check", wheel],
         env=env)
    # Only now, so pip never sees (nor offers to replace) this environment's digitlab:
    ours = dict.fromkeys(sysconfig.get_path(key) for key in ("purelib", "platlib"))
    (site_packages / "dev-environment.pth").write_text("".join(f"{p}\n" for p in ours))
    return Learner(venv, site_packages, home, work, env)


@pytest.fixture(scope="module")
def keras_cached_mnist(learner) -> Path:
    """The real MNIST as Keras caches it, in the learner's $HOME (fetch verifies and uses it)."""
    from digitlab.data import MissingDataError, load_mnist

    try:
        (x_train, y_train), (x_test, y_test) = load_mnist()
    except MissingDataError as exc:
        pytest.skip(str(exc))
    path = learner.home / ".keras" / "datasets" / "mnist.npz"
    path.parent.mkdir(parents=True)
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path


@pytest.fixture(scope="module")
def fetched(learner, keras_cached_mnist) -> tuple[subprocess.CompletedProcess, set[Path]]:
    """`digitlab data fetch` run once by the learner, and the site-packages files before it."""
    before = learner.installed_files()
    return learner.run("digitlab", "data", "fetch"), before


def test_the_learner_imports_the_installed_wheel_not_the_checkout(learner):
    location = Path(learner.python("import digitlab; print(digitlab.__file__)"))
    assert location == learner.site_packages / "digitlab" / "__init__.py"
    assert learner.python("import tensorflow; print('borrowed')") == "borrowed"
    lessons = learner.python("from digitlab.course import LESSONS_DIR; print(LESSONS_DIR)")
    assert Path(lessons) == learner.site_packages / "digitlab" / "notebooks"  # course run's


def test_version(learner):
    assert VERSION in learner.run("digitlab", "--version").stdout.split()


def test_fetch_puts_mnist_in_the_users_cache_not_site_packages(learner, fetched):
    result, before = fetched
    cache = Path(learner.python(
        "import platformdirs; print(platformdirs.user_cache_dir('digitlab'))"))
    assert cache.is_relative_to(learner.home)
    found = {path.name: path for path in cache.rglob("*-ubyte")}
    assert sorted(found) == sorted(MNIST_FILES), f"in {cache}: {sorted(found)}"
    assert str(found[MNIST_FILES[0]].parent) in result.stdout  # it says where
    assert learner.installed_files() == before, "fetch wrote into site-packages"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lessons_are_copied_to_a_folder_of_the_learners_choice(learner, lang):
    result = learner.run("digitlab", "lessons", f"my-lessons-{lang}", "--lang", lang)
    folder = learner.work / f"my-lessons-{lang}"
    copied = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.ipynb"))
    edition = edition_dir(lang, PROJECT_DIR / "notebooks")
    assert copied == sorted(p.as_posix() for p in lesson_files(edition))
    assert "solutions/01_solutions.ipynb" in copied
    assert (folder / "01_data.ipynb").read_bytes() == (edition / "01_data.ipynb").read_bytes()
    summary = tr("cli.lessons_copied", lang=lang, n=len(copied), folder=f"my-lessons-{lang}")
    assert summary in result.stdout  # --lang zh: the Chinese edition, told in Chinese


def test_a_sample_is_predicted_with_nothing_on_stderr(learner):
    sample = learner.site_packages / "digitlab" / "samples" / "7_thick.png"
    predicted = learner.run("digitlab", "predict", sample)
    assert predicted.stdout.startswith(f"{sample}: 7 (")
    assert predicted.stderr == ""


WHEEL_LESSON = "05_save_load_and_your_images.ipynb"
"""The lesson the wheel test runs: it reads the installed package's model and samples and the
MNIST the learner fetched. The whole course runs in fast mode once, under nbval (`make test`)."""


def test_a_copied_lesson_runs_on_the_installed_package(learner, fetched):
    copied = learner.work / "course-lessons"
    learner.run("digitlab", "lessons", copied)
    lessons = learner.work / "one-lesson"
    lessons.mkdir()
    shutil.copyfile(copied / WHEEL_LESSON, lessons / WHEEL_LESSON)
    original = (lessons / WHEEL_LESSON).read_bytes()
    before = learner.installed_files()
    result = learner.run("digitlab", "course", "run", "--fast", "--notebooks", lessons,
                         "--out", "executed")
    assert "1/1 lessons ok" in result.stdout
    assert [p.name for p in (learner.work / "executed").glob("*.ipynb")] == [WHEEL_LESSON]
    assert (lessons / WHEEL_LESSON).read_bytes() == original
    assert learner.installed_files() == before, "the lesson wrote into site-packages"


def test_the_installed_package_finds_the_web_runtime_in_the_users_cache(learner):
    """The web lesson exports a page with it; npm is offline here, so it is copied from the
    checkout's cache that `make data` fills."""
    from digitlab.web.runtime import PAGE_RUNTIMES, runtime_dir

    cache = Path(learner.python(
        "import platformdirs; print(platformdirs.user_cache_dir('digitlab'))"))
    for _, package in PAGE_RUNTIMES:
        ours = runtime_dir(package)
        if not ours.is_dir():
            pytest.skip(f"{ours} is missing: run `make data` (python -m digitlab.web.runtime)")
        shutil.copytree(ours, cache / ours.name)
    found = learner.python("from digitlab.web.runtime import ensure_runtime, runtime_dir; "
                           "print(len(ensure_runtime()), runtime_dir())")
    files = sum(len(package.files) for _, package in PAGE_RUNTIMES)
    assert found.split() == [str(files), str(cache / runtime_dir().name)]


def test_the_package_version_is_the_one_pyproject_declares():
    from digitlab import __version__

    assert __version__ == VERSION
