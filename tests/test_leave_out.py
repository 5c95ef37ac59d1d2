"""Teaching drawn digits (`recipes.teach`) and leaving one family out (`leave_out`)."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab import leave_out
from digitlab.drawn import FAMILIES, VALIDATION, drawn_digits, training_drawn
from digitlab.leave_out import LeaveOneOut, accuracy_by_family, leave_one_family_out
from digitlab.recipes import Teaching, teach
from tests.fake_models import tiny_cnn

TINY = Teaching(drawn=40, epochs=1, batch_size=16)


def _mnist(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-like digits: a bar for each label, uint8 0-255."""
    rng = np.random.default_rng(0)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = np.zeros((n, 28, 28), np.uint8)
    for image, label in zip(images, labels, strict=True):
        image[4:24, 4 + 2 * label : 7 + 2 * label] = rng.integers(150, 256)
    return images, labels


def test_teach_trains_a_copy_on_mnist_and_the_drawings_and_leaves_the_base_alone(monkeypatch):
    from digitlab import train

    base = tiny_cnn()
    before = [w.copy() for w in base.get_weights()]
    mnist = _mnist()
    drawn = training_drawn(20, mnist)
    seen = {}
    real_train = train.train

    def spy(model, x, y, **kwargs):
        seen.update(x=x, y=y, **kwargs)
        return real_train(model, x, y, **kwargs)

    monkeypatch.setattr(train, "train", spy)
    taught = teach(base, mnist, drawn, Teaching(drawn=20, epochs=2, learning_rate=5e-3,
                                                augment={"elastic": 2.0}))
    assert seen["x"].shape == (80, 28, 28, 1) and seen["x"].dtype == np.float32
    assert 0.5 < seen["x"][:60].max() <= 1.0  # MNIST on the drawings' scale
    np.testing.assert_array_equal(seen["y"], np.concatenate([mnist[1], drawn.labels]))
    assert seen["epochs"] == 2 and seen["learning_rate"] == 5e-3
    assert seen["augment"].elastic == 2.0
    assert all(np.array_equal(a, b) for a, b in zip(base.get_weights(), before, strict=True))
    assert any(not np.array_equal(a, b)
               for a, b in zip(taught.get_weights(), before, strict=True))


def test_accuracy_by_family_counts_each_familys_drawings():
    from tests.fake_models import answers, fixed_model

    drawings = drawn_digits(30, 0, VALIDATION, _mnist())
    sevens = fixed_model(answers(7, 0.9))  # right exactly on the sevens
    expected = {family: float(np.mean(drawings.labels[drawings.families == family] == 7))
                for family in FAMILIES if family in drawings.families}
    assert accuracy_by_family(sevens, drawings) == pytest.approx(expected)


def test_each_left_out_family_is_never_taught_and_the_last_model_is_taught_all(monkeypatch):
    taught_families = []
    real_teach = leave_out.teach

    def spy(base, mnist, drawn, teaching, seed=0):
        taught_families.append(set(drawn.families))
        return real_teach(base, mnist, drawn, teaching, seed)

    monkeypatch.setattr(leave_out, "teach", spy)
    mnist = _mnist()
    drawings = drawn_digits(60, 0, VALIDATION, mnist)
    base = tiny_cnn()
    result = leave_one_family_out(base, mnist, drawings, TINY, ("skeleton", "stix"))
    everything = set(training_drawn(TINY.drawn, mnist).families)
    assert taught_families == [everything - {"skeleton"}, everything - {"stix"}, everything]
    assert list(result.unseen) == list(result.in_distribution) == ["skeleton", "stix"]
    for family in ("skeleton", "stix"):  # the accuracy is the share of right guesses
        labels = drawings.labels[drawings.families == family]
        assert result.unseen[family] == np.mean(result.guesses[family] == labels)
    assert result.before == {family: accuracy_by_family(base, drawings)[family]
                             for family in ("skeleton", "stix")}


def test_leave_one_out_reads_worst_and_mean_and_prints_a_row_per_family():
    from digitlab.i18n import set_language

    result = LeaveOneOut({"skeleton": 0.96, "square": 0.8}, {"skeleton": 0.97, "square": 0.9},
                         {"skeleton": 0.99, "square": 0.95}, {})
    assert result.worst == "square" and result.mean_unseen == pytest.approx(0.935)
    text = str(result).splitlines()
    assert text[0].split() == ["family", "MNIST", "only", "left", "out", "taught"]
    assert text[1].split() == ["MNIST", "skeletons", "96.00%", "97.00%", "99.00%"]
    assert text[3].split() == ["mean", "88.00%", "93.50%", "97.00%"]
    assert text[4] == "worst left out: square hand, 90.00%"
    set_language("zh")
    try:
        chinese = str(result).splitlines()
    finally:
        set_language("en")
    assert chinese[2].split() == ["方块体", "80.00%", "90.00%", "95.00%"]
    assert chinese[4] == "留出时最差：方块体，90.00%"
    from digitlab.i18n import text_columns  # the columns line up in display width

    assert len({text_columns(line[: line.index("%")]) for line in chinese[1:4]}) == 1


def test_unknown_or_absent_families_are_refused_before_any_training():
    mnist = _mnist()
    drawings = drawn_digits(20, 0, VALIDATION, mnist, families=("stix", "dejavu"))
    with pytest.raises(ValueError, match="families must be some of"):
        leave_one_family_out(tiny_cnn(), mnist, drawings, TINY, ("gothic",))
    with pytest.raises(ValueError, match="the drawings hold no digit of the families skeleton"):
        leave_one_family_out(tiny_cnn(), mnist, drawings, TINY, ("skeleton",))
