"""Teach a trained MNIST model drawn digits, and measure what it learned by leaving one out.

Lesson 07 (drawn digits). A figure on held-out drawings from the same generators a model
trained on is *in-distribution*: it says how well the model learned those generators, not
how it reads a hand nobody imitated. Leaving one family out answers that: teach the model
every family of `digitlab.drawn.FAMILIES` but one (a whole hand of stroke styles, a whole
font family, the MNIST skeletons), then read drawings of the family it never saw. Each
family in turn; the lowest and the mean of those accuracies predict unseen hands.

Teaching is fine-tuning: the MNIST-only model (`digitlab.config.MNIST_ONLY_PATH`) trains a
few more epochs on MNIST plus drawn digits, with the drawing augmentation. It costs a
fraction of training from scratch, so each family can be left out in turn, and the model
shipped with digitlab is made by exactly the same `teach`, with every family.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from digitlab.data.mnist import Split
from digitlab.drawn import FAMILIES, DrawnDigits, check_families, training_drawn
from digitlab.i18n import pad, text_columns, tr, tr_name
from digitlab.recipes import Teaching, teach


def _guesses(model: keras.Model, drawings: DrawnDigits) -> np.ndarray:
    return model.predict(drawings.images[..., None], batch_size=1000, verbose=0).argmax(1)


def accuracy_by_family(model: keras.Model, drawings: DrawnDigits) -> dict[str, float]:
    """`model`'s accuracy on `drawings` of each family they hold."""
    right = _guesses(model, drawings) == drawings.labels
    return {family: float(right[drawings.families == family].mean())
            for family in FAMILIES if (drawings.families == family).any()}


@dataclass(frozen=True)
class LeaveOneOut:
    """Accuracy on each family's drawings: `before` by the model no family was taught,
    `unseen` by a model taught every other family, `in_distribution` by the model taught
    them all; `guesses[family]`, the digits the model that never saw `family` read in its
    drawings (in their order). Prints as a table in the language set. Lesson 07."""

    before: dict[str, float]
    unseen: dict[str, float]
    in_distribution: dict[str, float]
    guesses: dict[str, np.ndarray]

    @property
    def worst(self) -> str:
        """The family read worst when left out."""
        return min(self.unseen, key=self.unseen.__getitem__)

    @property
    def mean_unseen(self) -> float:
        return float(np.mean(list(self.unseen.values())))

    def __str__(self) -> str:
        columns = (self.before, self.unseen, self.in_distribution)
        rows = [(tr_name("report.family", family), *(c[family] for c in columns))
                for family in self.unseen]
        rows.append((tr("report.loso.mean"), *(float(np.mean(list(c.values()))) for c in columns)))
        head = [tr("report.loso.family"), tr("report.loso.before"), tr("report.loso.left_out"),
                tr("report.loso.taught")]
        width = max(text_columns(row[0]) for row in rows) + 2
        lines = [pad(head[0], width) + "".join(pad(h, 12, ">") for h in head[1:])]
        lines += [pad(name, width) + "".join(f"{value:>12.2%}" for value in values)
                  for name, *values in rows]
        worst = tr_name("report.family", self.worst)
        lines.append(tr("report.loso.worst", family=worst,
                        accuracy=f"{self.unseen[self.worst]:.2%}"))
        return "\n".join(lines)


def leave_one_family_out(
    base: keras.Model,
    mnist_train: Split,
    drawings: DrawnDigits,
    teaching: Teaching,
    families: tuple[str, ...] = tuple(FAMILIES),
    seed: int = 0,
) -> LeaveOneOut:
    """For each of `families`: teach `base` every family but that one (`teach`) and read
    that family's `drawings`; then teach it every family and read them all.

    The `teaching.drawn` training drawings are drawn once, of every family; leaving a
    family out drops its share of them. `drawings` must come from another random stream
    than training's (`VALIDATION` to choose a recipe, `HELD_OUT` to report). One `teach`
    per family, plus one. Lesson 07.
    """
    check_families(families)
    missing = [family for family in families if not (drawings.families == family).any()]
    if missing:
        raise ValueError(f"the drawings hold no digit of the families {', '.join(missing)}")
    drawn = training_drawn(teaching.drawn, mnist_train, seed=seed)
    unseen, guesses = {}, {}
    for family in families:
        model = teach(base, mnist_train, drawn.only(drawn.families != family), teaching, seed)
        theirs = drawings.only(drawings.families == family)
        guesses[family] = _guesses(model, theirs)
        unseen[family] = float(np.mean(guesses[family] == theirs.labels))
    taught = accuracy_by_family(teach(base, mnist_train, drawn, teaching, seed), drawings)
    before = accuracy_by_family(base, drawings)
    return LeaveOneOut({family: before[family] for family in families}, unseen,
                       {family: taught[family] for family in families}, guesses)
