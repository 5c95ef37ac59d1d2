"""digitlab: the library behind a notebook course on handwritten digit recognition.

Each lesson in `notebooks/` calls the helpers here instead of re-implementing them:
`digitlab.config` and `digitlab.data` (lesson 01), `digitlab.models`, `digitlab.train`,
`digitlab.evaluate` (lessons 02-04), `digitlab.compare` (lesson 04), `digitlab.plots`
(all lessons), `digitlab.lesson_model` (which model lessons 04-08 study), `digitlab.saving`,
`digitlab.preprocess`, `digitlab.your_images` and `digitlab.redraw` (lesson 05),
`digitlab.predict` and `digitlab.strokes` (lesson 06), `digitlab.widget` (lesson 07). Each helper's
docstring names the lesson that introduces it. The modules form layers (base, model, views,
course; README, "The library"). Machinery you may skip: `digitlab.atomic`,
`digitlab.data.fetch`, `digitlab.course` (runs every lesson) and `digitlab.cli`.
Submodules are imported on demand, so `import digitlab` stays fast and TensorFlow is only
loaded by the parts that need it.
"""

from __future__ import annotations

from digitlab.config import VERSION as __version__  # noqa: F401 (the package's version)


def load_pretrained():
    """Load the course model shipped inside the package (see `digitlab.saving`)."""
    from digitlab.saving import load_pretrained as _load

    return _load()
