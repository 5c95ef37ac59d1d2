"""Folders decided in one place (`digitlab.config`): MNIST, models, course runs, Keras's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from digitlab import config


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(config.DATA_ENV, raising=False)


def test_explicit_argument_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(config.DATA_ENV, "/elsewhere")
    assert config.data_dir(tmp_path / "mine") == tmp_path / "mine"


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_argument_is_refused(empty):
    with pytest.raises(ValueError, match="empty string"):
        config.data_dir(empty)


def test_environment_variable_beats_the_checkout(monkeypatch):
    monkeypatch.setenv(config.DATA_ENV, "~/mnist-here")
    assert config.data_dir() == Path.home() / "mnist-here"


def test_source_checkout_uses_data_mnist(no_env):
    assert config.source_checkout() == config.PROJECT_DIR  # the tests run from a checkout
    assert config.data_dir() == config.PROJECT_DIR / "data" / "mnist"
    assert config.cache_dir() == config.PROJECT_DIR / "data"  # the npm packages too


def test_installed_package_uses_the_user_cache(tmp_path, monkeypatch, no_env):
    site_packages = tmp_path / "site-packages"
    (site_packages / "digitlab").mkdir(parents=True)
    monkeypatch.setattr(config, "PROJECT_DIR", site_packages)
    monkeypatch.setattr(config.source_checkout, "__defaults__", (site_packages,))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config.data_dir() == tmp_path / "cache" / "digitlab" / "mnist"
    assert config.cache_dir() == tmp_path / "cache" / "digitlab"
    assert config.course_run_dir() == tmp_path / "cache" / "digitlab" / "course"
    assert config.models_dir() == tmp_path / "data" / "digitlab" / "models"
    assert config.models_dir(fast=True) == tmp_path / "data" / "digitlab" / "fast"


def test_a_checkout_keeps_its_outputs_in_the_project_not_the_working_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert config.course_run_dir() == config.PROJECT_DIR / "build" / "course"
    assert config.models_dir() == config.PROJECT_DIR / "models"
    assert config.models_dir(fast=True) == config.PROJECT_DIR / "build" / "fast"


def test_keras_cache_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    assert config.keras_cache_dir() == Path.home() / ".keras" / "datasets"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "k"))
    assert config.keras_cache_dir() == tmp_path / "k" / "datasets"


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_a_threshold_outside_0_to_1_is_one_sentence(threshold):
    with pytest.raises(ValueError, match=r"^threshold must be between 0 and 1, got"):
        config.check_threshold(threshold)
    assert config.check_threshold(0.7) == 0.7


@pytest.mark.parametrize(
    ("pyproject", "notebooks", "is_checkout"),
    [('[project]\nname = "digitlab"\n', True, True),
     ('[project]\nname = "digitlab"\n', False, False),  # a pyproject alone is not enough
     ('[project]\nname = "other"\n', True, False),
     (None, True, False)],
)
def test_source_checkout_detection(tmp_path, pyproject, notebooks, is_checkout):
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    if notebooks:
        (tmp_path / "notebooks").mkdir()
    assert config.source_checkout(tmp_path) == (tmp_path if is_checkout else None)
