"""`digitlab export web`: the trained model as a static drawing page (lesson 08).

The folder it writes needs no Python and no server code, only a static file server:

    index.html, style.css, *.js      the page: every file of digitlab/web/page/ (subfolders too)
    config.js                        the numbers the page shares with digitlab (written here)
    texts.js                         what the pages say, in English and Chinese (digitlab.texts)
    model.onnx                       the Keras model, exported by Keras 3 through tf2onnx
    ort/                             the ONNX Runtime Web files (see digitlab.web.runtime)
    .digitlab-export.json            the manifest: every file above with its sha256

Nothing of the user's is lost or replaced by a broken page:

* OUT must be new, an empty folder, or an earlier export that its manifest matches exactly
  (no other file, none changed); anything else is refused and nothing is touched.
* The page is built beside OUT in `.digitlab-export-<tag>-<random>.part` and moved into place
  by renames; the old page is deleted only once the new one is there, and only after it is
  checked against its manifest once more.
* One export at a time writes into a folder (a lock on it; a second one is refused). Leftovers
  of an interrupted export (its `.part` and `.old` folders) are removed by the next export
  into the same OUT; a page an interrupted swap had moved aside is put back.
* A symbolic link OUT is followed: the page goes into the folder it points to and the link
  stays; a link to nothing is refused.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from digitlab import __version__
from digitlab.atomic import atomic_path, check_writable
from digitlab.config import IMAGE_SIDE, PACKAGE_DIR, THRESHOLD, check_threshold
from digitlab.data.verified import sha256
from digitlab.i18n import LANGUAGES
from digitlab.preprocess import (
    DIGIT_BOX,
    MIN_CONTRAST,
    MIN_DIGIT_EXTENT,
    MIN_INK_PIXELS,
    MNIST_CENTRE,
    NOISE_FLOOR,
)
from digitlab.strokes import CANVAS_SIZE, DEFAULT_WIDTH, PREDICT_INTERVAL
from digitlab.texts import TEXTS
from digitlab.web.runtime import ensure_runtime
from digitlab.web.training_page import training_files

PAGE_DIR = PACKAGE_DIR / "web" / "page"
"""The page's own files, copied whole (add a file there and the export ships it)."""
MANIFEST = ".digitlab-export.json"  # what the export wrote, so only that is ever replaced
MANIFEST_MAX_BYTES = 1 << 20  # a manifest is a few kB; a bigger file is not one
TEMP_PREFIX = ".digitlab-export-"  # + a tag of OUT's name: short, whatever OUT's length
NAME_MAX = 255  # bytes in one file name, where the file system does not say


class ExportFolderError(OSError):
    """OUT cannot take the page (one sentence why); nothing was changed."""


def page_config(threshold: float = THRESHOLD) -> dict:
    """The constants the page shares with digitlab, from the Python modules. Lesson 08."""
    return {
        "threshold": threshold,
        "minDigitExtent": MIN_DIGIT_EXTENT,
        "minContrast": MIN_CONTRAST,
        "noiseFloor": NOISE_FLOOR,
        "minInkPixels": MIN_INK_PIXELS,
        "digitBox": DIGIT_BOX,
        "mnistSize": IMAGE_SIDE,
        "mnistCentre": MNIST_CENTRE,
        "canvasSize": CANVAS_SIZE,
        "penWidth": DEFAULT_WIDTH,
        "throttleMs": round(PREDICT_INTERVAL * 1000),
    }


PAGE_TEXTS = ("pad.", "collector.", "web.")
"""The keys of `digitlab.texts` the pages show: the pad's, the collector's, their own."""


def page_texts() -> dict[str, dict[str, str]]:
    """The texts the pages show, `{language: {key: text}}`, from `digitlab.texts`: what
    `export_web` writes as texts.js; the page shows the browser's language, or the one the
    learner picks with its 中文 / English switch."""
    return {
        lang: {key: text[lang] for key, text in TEXTS.items() if key.startswith(PAGE_TEXTS)}
        for lang in LANGUAGES
    }


def _script(statement: str, value: object) -> bytes:
    """A JavaScript file, `statement` = `value` (JSON), written from Python."""
    return (
        "// Written by `digitlab export web` from digitlab's Python modules: do not edit.\n"
        f"{statement} = {json.dumps(value, indent=2, ensure_ascii=False)};\n"
    ).encode()


def export_onnx(model, path: str | os.PathLike[str]) -> Path:
    """Write `model` as an ONNX file with Keras 3's `model.export(..., format="onnx")`.

    Lesson 08. The model is called once first (TensorFlow 2.21's tf2onnx route needs a built,
    traced model). `path` must end in `.onnx` and be writable (checked first); the file is
    written atomically. Needs the `web` extra: `pip install "digitlab[web]"`.
    """
    import numpy as np

    path = Path(path)
    if path.suffix != ".onnx":
        raise ValueError(f"{_shown(path)}: an ONNX model file must end in .onnx")
    check_writable(path)
    _require_onnx_tools()
    model(np.zeros((1, IMAGE_SIDE, IMAGE_SIDE, 1), np.float32))
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, warnings.catch_warnings():  # never a half-written file
        # Keras's tf2onnx shim probes np.object under NumPy 2
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"keras\.src\.export")
        model.export(str(tmp), format="onnx", verbose=False)
    return path


def check_export(out: str | os.PathLike[str]) -> Path:
    """Check what needs no model: OUT can take the page, the ONNX tools are installed.

    Returns the folder the page goes into (a symbolic link followed). Raises
    ExportFolderError or RuntimeError with one sentence. Cheap: the command runs it before
    TensorFlow loads, and `export_web` again.
    """
    target = _target(out)
    if target.exists():
        _check_replaceable(target, out)
    _require_onnx_tools()
    return target


def export_web(
    out: str | os.PathLike[str],
    model=None,
    *,
    threshold: float = THRESHOLD,
) -> Path:
    """Write the drawing page for a model into the folder `out` and return it. Lesson 08.

    Parameters: `model` is a Keras model or the path of a `.keras` file (default: the shipped
    course model), checked as `Predictor` checks it (finite weights, a softmax over 10
    digits); `threshold` the lowest top probability the page names a digit for.

    `out` must be new, empty, or an earlier export nobody changed (see the module docstring):
    nothing else is ever deleted. Serve it with `python -m http.server -d OUT` (browsers refuse
    the page's modules from file://).
    """
    check_threshold(threshold)
    target = check_export(out)
    model = _checked_model(model)  # a bad model fails before npm is asked for anything
    training = training_files()  # the training page's MNIST sample: no MNIST fails now
    runtime = ensure_runtime()  # before the slow part: offline without a cache fails now
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFolderError(
            f"{_shown(out)}: cannot create {target.parent} ({exc.strerror})"
        ) from None
    with _locked(target.parent, out):
        _clean_leftovers(target)
        if target.exists():  # again: the folder may have changed while TensorFlow loaded
            _check_replaceable(target, out)
        try:
            build = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".part",
                                          dir=target.parent))
        except OSError as exc:
            raise ExportFolderError(
                f"{_shown(out)}: cannot write into {target.parent} ({exc.strerror})"
            ) from None
        try:
            _build_page(build, model, {**runtime, **training}, threshold)
            _swap_into_place(build, target, out)
        finally:
            shutil.rmtree(build, ignore_errors=True)  # gone already unless something failed
    return Path(out)


def folder_sizes(folder: str | os.PathLike[str]) -> dict[str, int]:
    """Bytes per file in an exported page, by path relative to the folder. Lesson 08."""
    folder = Path(folder)
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _require_onnx_tools() -> None:
    """tf2onnx and onnx are installed (looked up, not imported: that would load TensorFlow)."""
    missing = [name for name in ("tf2onnx", "onnx") if importlib.util.find_spec(name) is None]
    if missing:
        raise RuntimeError(
            f"exporting to ONNX needs {' and '.join(missing)}, not installed here: "
            "pip install 'digitlab[web]'"
        )


def _checked_model(model):
    """The Keras model to export, with the checks `Predictor` makes before predicting."""
    from digitlab.predict import Predictor
    from digitlab.saving import PRETRAINED_PATH, load_model

    if model is None or isinstance(model, str | os.PathLike):
        model = load_model(PRETRAINED_PATH if model is None else model)
    try:
        Predictor(model)  # finite weights, (28, 28, 1) images in, a softmax over 10 digits out
    except ValueError as exc:
        raise ValueError(f"not exported: {exc}") from exc
    return model


def _target(out: str | os.PathLike[str]) -> Path:
    """The absolute folder `out` names, a symbolic link followed; ExportFolderError if none."""
    given = Path(out)
    if not str(out).strip() or given.name in ("", ".", ".."):
        raise ExportFolderError(
            f"`{_shown(out)}` does not name a folder for the page: give it a name of its own, "
            "e.g. `digitlab export web site`"
        )
    limit = _name_max(Path.cwd())
    longest = max(given.parts, key=lambda part: len(os.fsencode(part)))
    if len(os.fsencode(longest)) > limit:
        raise ExportFolderError(
            f"{_shown(out)}: the name is too long for this file system "
            f"({len(os.fsencode(longest))} bytes, at most {limit})"
        )
    if given.is_symlink():
        if not given.exists():
            raise ExportFolderError(
                f"{_shown(out)} is a symbolic link to {_shown(os.readlink(given))}, which does "
                "not exist: create that folder or remove the link"
            )
        target = given.resolve()
    else:
        target = given.parent.resolve() / given.name
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise ExportFolderError(
            f"{_shown(out)} is the folder you are in (or holds it): the export replaces the "
            "whole folder, so run it from elsewhere or name a subfolder"
        )
    if target.exists() and not target.is_dir():
        raise ExportFolderError(f"{_shown(out)}: is a file, not a folder")
    folder = next(p for p in target.parents if p.exists())
    if not folder.is_dir():
        raise ExportFolderError(f"{_shown(out)}: cannot write there: {folder} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportFolderError(f"{_shown(out)}: cannot write there: {folder} is read-only")
    return target


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # not POSIX, or the file system won't say
        return NAME_MAX


def _check_replaceable(target: Path, out: str | os.PathLike[str]) -> None:
    """Raise ExportFolderError unless `target` is empty or an unchanged earlier export."""
    if not any(target.iterdir()):
        return
    files = _read_manifest(target)
    if files is None:
        raise ExportFolderError(
            f"{_shown(out)} is not empty and holds no {MANIFEST}, so it is no page the export "
            "may replace (a page exported before the export wrote one has none: delete it "
            "yourself): choose a new or empty folder; nothing was changed"
        )
    foreign = _not_written_by_export(target, files)
    if foreign:
        listed = ", ".join(_shown(name) for name in foreign[:3]) + (", ..." if foreign[3:] else "")
        raise ExportFolderError(
            f"{_shown(out)} holds files the export did not write, or changed since "
            f"({listed}): move them out or choose another folder; nothing was changed"
        )


def _read_manifest(folder: Path) -> dict[str, str] | None:
    """The `{path: sha256}` an export recorded in `folder`, or None if there is no valid one."""
    path = folder / MANIFEST
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MANIFEST_MAX_BYTES:
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return None
    return files


def _not_written_by_export(folder: Path, files: Mapping[str, str]) -> list[str]:
    """What in `folder` is not as the export wrote it: other files, folders or links, and
    files whose sha256 changed. (A missing file is no loss.)"""
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
    found = []
    for root, subfolders, names in os.walk(folder):
        for name in sorted(subfolders):
            path = Path(root, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or relative not in folders:
                found.append(f"{relative}/")
                subfolders.remove(name)  # not looked into: all of it is not the export's
        for name in sorted(names):
            path = Path(root, name)
            relative = path.relative_to(folder).as_posix()
            if relative == MANIFEST:
                continue
            ours = relative in files and not path.is_symlink() and path.is_file()
            if not ours or _file_sha256(path) != files[relative]:
                found.append(relative)
    return found


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _build_page(build: Path, model, written: Mapping[str, bytes], threshold: float) -> None:
    """Write the whole page into the empty folder `build`, its manifest last: the page's own
    files, config.js, texts.js, the `written` files (runtimes, the training sample), the model."""
    build.chmod(0o755)  # mkdtemp makes 0700; a web server must read it
    for source in sorted(PAGE_DIR.rglob("*")):
        if source.is_file():
            _write(build, source.relative_to(PAGE_DIR).as_posix(), source.read_bytes())
    _write(build, "config.js", _script("export const CONFIG", page_config(threshold)))
    # a classic script, not a module: it loads from file:// too, so served.js can use it
    _write(build, "texts.js", _script("globalThis.DIGITLAB_TEXTS", page_texts()))
    for name, data in written.items():
        _write(build, name, data)
    export_onnx(model, build / "model.onnx")
    files = {
        path.relative_to(build).as_posix(): _file_sha256(path)
        for path in sorted(build.rglob("*"))
        if path.is_file()
    }
    record = {"written_by": "digitlab export web", "digitlab": __version__, "files": files}
    _write(build, MANIFEST, json.dumps(record, indent=1).encode())


def _write(build: Path, name: str, data: bytes) -> None:
    path = build / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _swap_into_place(build: Path, target: Path, out: str | os.PathLike[str]) -> None:
    """Rename the finished `build` to `target`; an old page is deleted only once it is out
    of the way, checked once more against its manifest, and the new page is in place."""
    if not target.exists() or not any(target.iterdir()):
        try:
            os.replace(build, target)  # over an empty folder: fails if something arrived since
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            raise ExportFolderError(
                f"{_shown(out)} changed during the export: nothing was replaced"
            ) from None
        return
    old = target.with_name(f"{_temp_prefix(target)}{secrets.token_hex(4)}.old")
    target.rename(old)
    files = _read_manifest(old)
    if files is None or _not_written_by_export(old, files):
        old.rename(target)
        raise ExportFolderError(f"{_shown(out)} changed during the export: nothing was replaced")
    try:
        build.rename(target)
    except OSError:
        old.rename(target)  # the good page back in place before the error is reported
        raise
    try:
        _remove_tree(old)
    except OSError as exc:
        print(
            f"digitlab: warning: the new page is in {_shown(out)}, but the old one could not be "
            f"deleted ({exc.strerror}); it is in {old.name} beside it, and the next export "
            "deletes it",
            file=sys.stderr,
        )


def _temp_prefix(target: Path) -> str:
    """`.digitlab-export-<8 hex digits of OUT's name>-`: the same for every run into OUT."""
    return f"{TEMP_PREFIX}{sha256(os.fsencode(target.name))[:8]}-"


def _clean_leftovers(target: Path) -> None:
    """Delete the `.part` and `.old` folders an interrupted export into `target` left; if
    `target` itself is missing, put back the page such a run had moved aside."""
    removed = 0
    for path in sorted(target.parent.glob(f"{_temp_prefix(target)}*")):
        if path.is_symlink() or not path.is_dir() or path.suffix not in (".part", ".old"):
            continue
        if path.suffix == ".old" and not os.path.lexists(target) and _read_manifest(path):
            path.rename(target)
            print(f"Put back the page an interrupted export had moved aside into {target.name}")
            continue
        _remove_tree(path)
        removed += 1
    if removed:
        print(f"Deleted {removed} folder(s) an interrupted export had left beside {target.name}")


def _remove_tree(folder: Path) -> None:
    """Delete a folder the export wrote, read-only subfolders included."""
    for root, _, _ in os.walk(folder):
        mode = os.stat(root).st_mode
        os.chmod(root, mode | stat.S_IRWXU)
    shutil.rmtree(folder)


@contextmanager
def _locked(folder: Path, out: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the export lock on `folder`: an flock on the folder itself, so nothing is left
    behind and a killed export's lock goes with it. (Without fcntl, on Windows: no lock.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise ExportFolderError(f"{_shown(out)}: cannot open {folder} ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportFolderError(
                f"{_shown(out)}: another `digitlab export web` is writing into {folder}: run "
                "this one again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as printed in a message: quoted if it holds a newline or other control code."""
    text = os.fspath(path)
    return text if text.isprintable() else repr(text)
