"""Where the lesson notebooks are, and copying them to a folder of the learner's own.

README ("Where to run it"): `digitlab lessons DIR`. In a source checkout the lessons are
the top-level `notebooks/`; an installed digitlab carries copies in `digitlab/notebooks/`
(setup.py puts them in the wheel), read-only for all we know, so a learner copies them to
a folder of their own to open and edit them. A copy never overwrites a file already there:
that may be the learner's edited lesson.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from digitlab.atomic import atomic_path
from digitlab.config import PACKAGE_DIR, PROJECT_DIR

_SHIPPED = PACKAGE_DIR / "notebooks"  # only in an installed package
# The lessons: shipped with the installed package, else the source checkout's notebooks/.
LESSONS_DIR = _SHIPPED if _SHIPPED.is_dir() else PROJECT_DIR / "notebooks"
LESSON_PATTERNS = ("*.ipynb", "solutions/*.ipynb")  # setup.py ships the same files


@dataclass(frozen=True)
class LessonCopy:
    """What `copy_lessons` did: the files it wrote and the ones it left as they were.
    README: `digitlab lessons DIR` prints it."""

    folder: Path
    copied: tuple[Path, ...]
    kept: tuple[Path, ...]

    def __str__(self) -> str:
        lines = [f"Copied {len(self.copied)} lesson notebooks to {self.folder}"]
        if self.kept:
            names = ", ".join(str(path.relative_to(self.folder)) for path in self.kept)
            lines += [
                f"Kept {len(self.kept)} files already there, unchanged (they may hold your "
                f"edits): {names}",
                "For a fresh copy of a lesson, rename or delete yours and run this again, "
                "or copy into a new folder.",
            ]
        lines.append(f"Open them with `jupyter lab {self.folder}`; run them all headless with "
                     f"`digitlab course run --notebooks {self.folder}`.")
        return "\n".join(lines)


def lesson_files(source: str | os.PathLike[str] = LESSONS_DIR) -> list[Path]:
    """The notebooks of the course in `source` (lessons, then solutions), relative to it.
    README: what `digitlab lessons DIR` copies."""
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: no such folder of lesson notebooks")
    files = [path.relative_to(source) for pattern in LESSON_PATTERNS
             for path in sorted(source.glob(pattern)) if path.is_file()]
    if not files:
        raise FileNotFoundError(f"{source}: no lesson notebooks in it")
    return files


def copy_lessons(
    folder: str | os.PathLike[str], source: str | os.PathLike[str] = LESSONS_DIR
) -> LessonCopy:
    """Copy the course's notebooks into `folder` (created if missing), keeping any file
    already there. README: `digitlab lessons DIR`.

    Parameters
    ----------
    folder : where the learner wants the lessons.
    source : the folder to copy from (default: this digitlab's lessons).

    Returns
    -------
    LessonCopy : the files copied and the files kept; `print` it for a summary.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file; name a folder to copy the lessons into")
    files = lesson_files(source)
    copied, kept = [], []
    for name in files:
        target = folder / name
        if target.exists():
            kept.append(target)
            continue
        with atomic_path(target) as tmp:  # an interrupted copy leaves no half lesson
            shutil.copyfile(Path(source) / name, tmp)
        copied.append(target)
    return LessonCopy(folder, tuple(copied), tuple(kept))
