"""Which model the lessons study: the lesson-03 CNN when it is sane, else the shipped one."""

import numpy as np
import pytest

from digitlab.saving import save_model


def test_lesson_model_path_in_a_checkout_and_installed(tmp_path, monkeypatch):
    from digitlab import config, lesson_model
    from digitlab.config import PROJECT_DIR

    path = lesson_model.lesson_model_path
    assert path(fast=False) == PROJECT_DIR / "models" / "lesson03_cnn.keras"
    assert path(fast=True) == PROJECT_DIR / "build" / "fast" / "lesson03_cnn.keras"
    # installed as a package: no pyproject.toml above it, so the user's data folder
    monkeypatch.setattr(config, "PROJECT_DIR", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert path(fast=False) == tmp_path / "data" / "digitlab" / "models" / "lesson03_cnn.keras"
    assert path(fast=True).parent == tmp_path / "data" / "digitlab" / "fast"


@pytest.fixture
def course_files(tmp_path, monkeypatch):
    """The lesson-03 and shipped model paths moved to tmp_path; a sample of 100 sevens."""
    from fake_models import answers, fixed_model

    from digitlab import lesson_model

    own, shipped = tmp_path / "models" / "lesson03_cnn.keras", tmp_path / "shipped.keras"
    save_model(fixed_model(answers(3, 0.9)), shipped, info={"test_accuracy": 0.9961})
    monkeypatch.setattr(lesson_model, "lesson_model_path", lambda fast: own)
    monkeypatch.setattr(lesson_model, "PRETRAINED_PATH", shipped)
    monkeypatch.setattr(lesson_model, "_validation_sample",
                        lambda: (np.zeros((100, 28, 28), np.uint8), np.full(100, 7)))
    return own, shipped


def test_course_model_prefers_a_sane_lesson_03_model(course_files):
    from fake_models import answers, fixed_model

    from digitlab.lesson_model import course_model

    own, shipped = course_files
    model, which = course_model()
    assert which == f"the model shipped with digitlab ({shipped}, test accuracy 99.61% when saved)"
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 3

    save_model(fixed_model(answers(7, 0.9)), own, info={"test_accuracy": 0.9931})
    model, which = course_model()
    assert which == f"the CNN you trained in lesson 03 ({own}, test accuracy 99.31% when saved)"
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 7


def test_course_model_passes_over_a_broken_lesson_model_and_says_why(course_files):
    from fake_models import answers, fixed_model

    from digitlab.lesson_model import course_model

    own, shipped = course_files
    save_model(fixed_model(answers(2, 0.9)), own)  # reads every seven as a 2
    _, which = course_model()
    assert which.startswith(f"the model shipped with digitlab ({shipped}")
    assert which.endswith(f"{own} was not used: it reads only 0% of 100 validation images "
                          "right (retrain it in lesson 03)")

    diverged = fixed_model(answers(7, 0.9))
    diverged.set_weights([np.full_like(w, np.nan) for w in diverged.get_weights()])
    diverged.save(own)  # Keras writes what save_model would refuse
    _, which = course_model()
    assert which.endswith("its weights are not all finite (the training diverged)")

    own.write_bytes(b"not a zip")
    _, which = course_model()
    assert "not a .keras model file" in which and which.startswith("the model shipped")


def test_course_model_without_any_model_says_how_to_get_one(course_files):
    from digitlab.lesson_model import course_model

    _, shipped = course_files
    shipped.unlink()
    with pytest.raises(FileNotFoundError, match="digitlab train"):
        course_model()


@pytest.mark.parametrize("record", [
    b"{not json", b"\xff\xfe\x00binary", b"[1, 2]", b"[" * 50_000 + b"]" * 50_000,
])
def test_an_unreadable_record_is_ignored_with_a_word(course_files, record):
    from fake_models import answers, fixed_model

    from digitlab.lesson_model import course_model

    own, shipped = course_files
    save_model(fixed_model(answers(7, 0.9)), own)
    own.with_suffix(".json").write_bytes(record)
    shipped.with_suffix(".json").write_bytes(record)
    model, which = course_model()
    assert which == (f"the CNN you trained in lesson 03 ({own}, its record is unreadable "
                     "and was ignored)")
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 7
    own.unlink()
    _, which = course_model()
    assert which == (f"the model shipped with digitlab ({shipped}, its record is unreadable "
                     "and was ignored)")


@pytest.mark.parametrize("accuracy", ["NaN", "-3", "1e300", "true", '"99%"', "1.5"])
def test_a_recorded_accuracy_that_is_not_a_fraction_is_not_printed(course_files, accuracy):
    _, shipped = course_files
    shipped.with_suffix(".json").write_text(f'{{"test_accuracy": {accuracy}}}')
    from digitlab.lesson_model import course_model

    _, which = course_model()
    assert which == (f"the model shipped with digitlab ({shipped}, its recorded test accuracy "
                     "is not a fraction from 0 to 1 (ignored))")
