"""environment.yml (conda) and pyproject.toml (pip) must name the same Python packages; the
browser tests tell Debian's chromium from Ubuntu's snap."""

import os
import re
import tomllib

import yaml
from packaging.specifiers import SpecifierSet

from conftest import is_snap
from digitlab.config import PROJECT_DIR

NOT_PYTHON_PACKAGES = {"python", "pip", "nodejs", "font-ttf-noto-cjk"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        deps += extra
    return {_name(d): d for d in deps}


def _environment():
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    specs = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            specs += [d for d in dep["pip"] if not d.startswith("-e")]
        else:
            specs.append(dep)
    return {_name(d): d for d in specs if _name(d) not in NOT_PYTHON_PACKAGES}


def test_same_packages():
    pip, conda = _pyproject(), _environment()
    assert sorted(pip) == sorted(conda), (
        f"only in pyproject: {sorted(set(pip) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(pip))}"
    )


def test_same_lower_bounds():
    pip, conda = _pyproject(), _environment()
    for name in pip:
        bound = re.search(r">=\s*([\w.]+)", pip[name])
        assert bound is not None, f"{name} has no lower bound in pyproject.toml"
        assert f">={bound.group(1)}" in conda[name].replace(" ", ""), (
            f"{name}: pyproject says {pip[name]!r}, environment.yml {conda[name]!r}"
        )


def test_required_course_packages_are_named():
    required = {"tensorflow", "numpy", "matplotlib", "pillow", "jupyterlab", "ipywidgets",
                "ipycanvas", "nbval", "pytest"}
    assert required <= set(_pyproject())


def test_conda_python_is_one_digitlab_supports():
    requires = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"][
        "requires-python"]
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    pins = [re.fullmatch(r"python\s*=\s*(3\.\d+)", d) for d in env["dependencies"]
            if isinstance(d, str) and d.startswith("python")]
    assert len(pins) == 1 and pins[0] is not None, "environment.yml: pin one python=3.x"
    assert pins[0][1] in SpecifierSet(requires), f"python={pins[0][1]} is not {requires}"



def test_ubuntus_snap_chromium_is_recognised_and_debians_is_not(tmp_path):
    snap = tmp_path / "usr" / "bin" / "snap"
    snap.parent.mkdir(parents=True)
    snap.write_bytes(b"\x7fELF snapd")
    linked = tmp_path / "chromium"
    linked.symlink_to(snap)  # /snap/bin/chromium -> /usr/bin/snap
    shim = tmp_path / "chromium-browser"  # Ubuntu's deb: a script that runs the snap
    shim.write_text('#!/bin/sh\nexec /snap/bin/chromium "$@"\n')
    launcher = tmp_path / "debian-chromium"  # Debian's /usr/bin/chromium: a script too
    launcher.write_text('#!/bin/sh\nexec /usr/lib/chromium/chromium "$@"\n')
    assert is_snap(str(linked)) and is_snap(str(shim))
    assert not is_snap(str(launcher))
    if os.access("/usr/bin/chromium", os.X_OK):
        assert not is_snap("/usr/bin/chromium")
