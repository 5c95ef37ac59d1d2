"""Where the lesson notebooks are, and copying them to a folder of the learner's own.

README ("Where to run it"): `digitlab lessons DIR [--lang zh]`. In a source checkout the
lessons are the top-level `notebooks/`; an installed digitlab carries copies in
`digitlab/notebooks/` (setup.py puts them in the wheel), read-only for all we know, so a
learner copies them to a folder of their own to open and edit them. A copy never overwrites a
file already there: that may be the learner's edited lesson.

The course has two editions with the same layout: English at the top of that folder, Simplified
Chinese in its `zh/` subfolder (`edition_dir`). A learner's copy holds one edition, laid out
the same way (lessons, then `solutions/`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from digitlab.atomic import atomic_path, check_writable
from digitlab.config import PACKAGE_DIR, PROJECT_DIR
from digitlab.i18n import LANGUAGES, check_language, tr
from digitlab.paths import printable

_SHIPPED = PACKAGE_DIR / "notebooks"  # only in an installed package
# The lessons: shipped with the installed package, else the source checkout's notebooks/.
LESSONS_DIR = _SHIPPED if _SHIPPED.is_dir() else PROJECT_DIR / "notebooks"
LESSON_PATTERNS = ("*.ipynb", "solutions/*.ipynb")  # one edition's notebooks
SHIPPED_PATTERNS = tuple(f"{lang}/{pattern}" if lang != "en" else pattern
                         for lang in LANGUAGES for pattern in LESSON_PATTERNS)
"""Every edition's notebooks, relative to LESSONS_DIR: setup.py ships the same (a test compares)."""


def edition_dir(lang: str = "en", root: str | os.PathLike[str] | None = None) -> Path:
    """The folder of one edition's lessons: English at the top of `root` (default: this
    digitlab's `LESSONS_DIR`), another language in the subfolder named after it (`zh/`)."""
    root = Path(LESSONS_DIR if root is None else root)
    return root if check_language(lang) == "en" else root / lang


@dataclass(frozen=True)
class LessonCopy:
    """What `copy_lessons` did: the files it wrote and the ones it left as they were.
    README: `digitlab lessons DIR` prints it (`digitlab --lang zh lessons DIR`: in Chinese)."""

    folder: Path
    copied: tuple[Path, ...]
    kept: tuple[Path, ...]

    def __str__(self) -> str:
        folder = printable(self.folder)
        lines = [tr("cli.lessons_copied", n=len(self.copied), folder=folder)]
        if self.kept:
            names = ", ".join(
                printable(path.relative_to(self.folder))
                + ("" if path.exists() else tr("cli.lessons_dangling")) for path in self.kept
            )
            lines += [tr("cli.lessons_kept", n=len(self.kept), names=names),
                      tr("cli.lessons_fresh")]
        lines.append(tr("cli.lessons_open", folder=folder))
        return "\n".join(lines)


def lesson_files(
    source: str | os.PathLike[str] = LESSONS_DIR, patterns: tuple[str, ...] = LESSON_PATTERNS
) -> list[Path]:
    """The notebooks of the course in `source` (lessons, then solutions), relative to it.
    README: what `digitlab lessons DIR` copies. With `patterns=SHIPPED_PATTERNS`: every
    edition's, as the wheel carries them."""
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: no such folder of lesson notebooks")
    files = [path.relative_to(source) for pattern in patterns
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
    if not os.fspath(folder):  # Path("") is the current folder: say it, don't guess it
        raise ValueError("the folder name is empty; name a folder for the lessons "
                         "(`.` for the current one)")
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            f"{printable(folder)} is a file; name a folder to copy the lessons into")
    files = lesson_files(source)
    # A name already there is kept, a dangling link too: never replaced, never written through.
    kept = [folder / name for name in files if os.path.lexists(folder / name)]
    wanted = [name for name in files if folder / name not in kept]
    root = folder.resolve()
    firsts: dict[Path, Path] = {}
    for name in wanted:  # the first file of each folder stands for it
        firsts.setdefault(name.parent, name)
    for name in firsts.values():
        target = folder / name
        check_writable(target)  # a file in the way, a read-only folder: one sentence
        if not target.parent.resolve().is_relative_to(root):
            raise ValueError(f"{printable(target.parent)} is a link out of {printable(folder)}; "
                             "the lessons are copied only into the folder you name")
    copied = []
    for name in wanted:
        target = folder / name
        with atomic_path(target) as tmp:  # an interrupted copy leaves no half lesson
            shutil.copyfile(Path(source) / name, tmp)
        copied.append(target)
    return LessonCopy(folder, tuple(copied), tuple(kept))
