"""digitlab: the library behind a notebook course on handwritten digit recognition.

Each lesson in `notebooks/` calls the helpers here instead of re-implementing them:
`digitlab.data` (lesson 01), `digitlab.models`, `digitlab.train`, `digitlab.evaluate`
(lessons 02-04), `digitlab.plots` (all lessons), `digitlab.saving` and
`digitlab.preprocess` (lesson 05), `digitlab.predict` and `digitlab.widget` (lesson 06).
Submodules are imported on demand, so `import digitlab` stays fast and TensorFlow is only
loaded by the parts that need it.
"""

from __future__ import annotations

__version__ = "0.1.0"


def load_pretrained():
    """Load the course model shipped inside the package (see `digitlab.saving`)."""
    from digitlab.saving import load_pretrained as _load

    return _load()
