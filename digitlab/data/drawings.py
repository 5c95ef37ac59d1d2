"""Your own drawings on disk: one JSON line per drawing, one file per writer (lesson 10).

A folder of drawings holds `<writer>.jsonl` files. Each line is one record:

    {"format": "digitlab-drawing", "v": 1, "id": "9f2c...", "label": 7,
     "writer": "ada", "date": "2026-12-04T15:40:00Z", "digitlab": "0.1.0",
     "canvas": 280, "strokes": [{"width": 20, "points": [[x, y, ms], ...]}, ...]}

Points are canvas pixels in drawing order, `ms` the milliseconds since the drawing's first
point; each stroke keeps its pen width. Undoing a save appends `{"format": ..., "v": 1,
"undo": "<id>", ...}`: no line is ever rewritten.

Why strokes and not pictures: a line is ~2 KB where two images would be ~80 KB; it is text,
so a diff or a merge shows each drawing; appending one line is the cheapest durable write
(earlier lines are never touched, so a crash costs at most the drawing being saved); the
strokes can be replayed, on the pad or on the page; and the 280x280 canvas and the 28x28
image are derived on load by the pad's own rasterizer (`digitlab.strokes.StrokeRaster`) and
`digitlab.preprocess.canvas_to_mnist`, so there is one source of truth and a better
preprocessing later applies to every drawing already kept.

Saving (`append_drawing`) takes an exclusive `fcntl` lock on the writer's file, appends one
complete line, flushes and fsyncs: two collectors writing to one folder corrupt nothing, and
a crash mid-write leaves at most a torn last line, which loading reports and skips (the next
save starts on a fresh line). Loading (`load_drawings`) treats files as untrusted data:
bounded line length, nesting and counts, finite numbers, coordinates near the canvas; only
regular `*.jsonl` files directly in the folder are read, never written or executed; a bad
line is reported as `file:line: reason` and the rest loads.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import math
import os
import re
import secrets
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitlab.config import PACKAGE_DIR
from digitlab.config import VERSION as DIGITLAB_VERSION
from digitlab.preprocess import EmptyDrawingError, canvas_to_mnist, check_drawing
from digitlab.strokes import CANVAS_SIZE, StrokeRaster

FORMAT = "digitlab-drawing"
VERSION = 1
SUFFIX = ".jsonl"
WRITER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
"""A writer id is a file name: letters, digits, `_` and `-`, at most 40 characters."""

MAX_LINE_BYTES = 1_000_000  # a drawing of MAX_POINTS points is ~300 KB
MAX_FILE_BYTES = 200_000_000
MAX_STROKES = 200
MAX_POINTS = 20_000  # per drawing
MAX_DEPTH = 6  # record > strokes > stroke > points > point: 5 levels of nesting
MAX_PEN = 100.0
CANVAS_SIZES = (28, 1024)  # smallest and largest canvas side a record may name
MAX_MS = 3_600_000  # an hour: longer than any one drawing

SAMPLE_DRAWINGS_DIR = PACKAGE_DIR / "samples" / "drawings"
"""Synthetic sample drawings shipped for CI and demos: five made-up "writers" drawn by
`scripts/make_sample_drawings.py` from `digitlab.drawn`'s stroke templates through the
collector. Not human handwriting."""

Stroke = tuple[float, list[tuple[float, float, float]]]  # (pen width, [(x, y, ms), ...])


class DrawingError(ValueError):
    """A drawing that cannot be saved (bad label, empty, too small) or a bad record."""


@dataclass
class Drawings:
    """Drawings loaded from a folder (`load_drawings`). Lesson 10.

    `images` float32 (N, 28, 28) in [0, 1] as the model sees them; `labels` uint8 (N,);
    `writers` (N,) writer ids; `strokes[i]` the drawing as [(width, [(x, y, ms), ...]), ...];
    `canvas_sizes` (N,); `ids`, `dates` (N,); `problems` the lines that could not be read,
    each "file:line: reason".
    """

    images: np.ndarray
    labels: np.ndarray
    writers: np.ndarray
    strokes: list[list[Stroke]]
    canvas_sizes: np.ndarray
    ids: list[str]
    dates: list[str]
    problems: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)

    def canvas(self, i: int) -> np.ndarray:
        """The i-th drawing repainted as the pad painted it: (size, size) uint8."""
        return replay(self.strokes[i], int(self.canvas_sizes[i]))

    def subset(self, index: np.ndarray | Sequence[int]) -> Drawings:
        """The drawings at `index` (integers or a boolean mask), problems kept."""
        index = np.arange(len(self))[np.asarray(index)]
        return Drawings(
            self.images[index], self.labels[index], self.writers[index],
            [self.strokes[i] for i in index], self.canvas_sizes[index],
            [self.ids[i] for i in index], [self.dates[i] for i in index], list(self.problems),
        )

    def counts(self) -> dict[str, np.ndarray]:
        """Drawings per writer and digit: {writer: counts (10,)}, writers sorted."""
        return {
            w: np.bincount(self.labels[self.writers == w], minlength=10)
            for w in sorted(set(self.writers.tolist()))
        }


# --- writing -------------------------------------------------------------------------------


def check_writer(writer: str) -> str:
    """`writer` if it is a valid writer id (a safe file name), else DrawingError."""
    if not isinstance(writer, str) or not WRITER_PATTERN.fullmatch(writer):
        raise DrawingError(
            f"a writer id is 1-40 letters, digits, '_' or '-' (starting with a letter or "
            f"digit), got {writer!r}"
        )
    return writer


def anonymous_writer() -> str:
    """A random anonymous writer id such as "anon-3f2a1c9e"."""
    return f"anon-{secrets.token_hex(4)}"


def writer_path(folder: str | os.PathLike[str], writer: str) -> Path:
    """The file of `writer`'s drawings in `folder`."""
    return Path(folder) / f"{check_writer(writer)}{SUFFIX}"


def drawing_record(
    label: int,
    strokes: Sequence[Stroke],
    writer: str,
    canvas_size: int = CANVAS_SIZE,
    date: str | None = None,
) -> dict:
    """The record saved for one drawing, checked: DrawingError with one sentence for a label
    outside 0-9, no strokes, or ink too small to be a digit (the pad's rule)."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise DrawingError(f"a label is a digit from 0 to 9, got {label!r}")
    record = {
        "format": FORMAT,
        "v": VERSION,
        "id": secrets.token_hex(8),
        "label": int(label),
        "writer": check_writer(writer),
        "date": date or _now(),
        "digitlab": DIGITLAB_VERSION,
        "canvas": int(canvas_size),
        "strokes": [
            {"width": float(width), "points": [[round(float(c), 2) for c in p] for p in points]}
            for width, points in strokes
        ],
    }
    parsed = _parse_strokes(record)  # the same bounds as loading
    if not parsed:
        raise DrawingError("the drawing is empty: draw the digit before saving")
    try:
        check_drawing(replay(parsed, record["canvas"]))
    except ValueError as exc:  # EmptyDrawingError, TooSmallDrawingError
        raise DrawingError(f"not saved: {exc}") from None
    return record


def append_drawing(folder: str | os.PathLike[str], record: dict) -> Path:
    """Append `record` (from `drawing_record` or `undo_record`) to its writer's file in
    `folder`, durably and under a lock; returns the file. The folder is created if needed."""
    path = writer_path(folder, record["writer"])
    line = (json.dumps(record, separators=(",", ":"), allow_nan=False) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a torn line from a crash: start ours on a fresh line
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(f"{path}: only {written} of {len(line)} bytes written (disk full?)")
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    if created:
        _fsync_folder(path.parent)
    return path


def writer_counts(folder: str | os.PathLike[str], writer: str) -> np.ndarray:
    """How many drawings of each digit `writer` has kept in `folder`: int (10,)."""
    path = writer_path(folder, writer)
    if not path.exists():
        return np.zeros(10, np.int64)
    records, _ = read_records(path)
    return np.bincount([r["label"] for r in records], minlength=10).astype(np.int64)


def resume_writer(folder: str | os.PathLike[str]) -> str:
    """The writer to continue in `folder`: its only writer, or a new anonymous id when it
    holds none; several writers raise DrawingError asking for a name."""
    folder = Path(folder)
    if not folder.is_dir():
        return anonymous_writer()
    names = [p.stem for p in writer_files(folder)[0] if WRITER_PATTERN.fullmatch(p.stem)]
    if not names:
        return anonymous_writer()
    if len(names) > 1:
        raise DrawingError(
            f"{folder} holds the drawings of {len(names)} writers ({', '.join(names[:5])}"
            f"{', ...' if len(names) > 5 else ''}): say whose to continue with writer=..."
        )
    return names[0]


def undo_record(writer: str, drawing_id: str) -> dict:
    """The record that takes back the drawing `drawing_id` of `writer` (appended, never
    rewriting the file)."""
    return {"format": FORMAT, "v": VERSION, "undo": str(drawing_id),
            "writer": check_writer(writer), "date": _now(), "digitlab": DIGITLAB_VERSION}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- reading -------------------------------------------------------------------------------


def replay(strokes: Sequence[Stroke], canvas_size: int = CANVAS_SIZE) -> np.ndarray:
    """Paint strokes as the pad does: (canvas_size, canvas_size) uint8, white on black."""
    raster = StrokeRaster(canvas_size)
    for width, points in strokes:
        raster.add_stroke([(x, y) for x, y, _ in points], width=width)
    return raster.to_array()


def writer_files(folder: str | os.PathLike[str]) -> tuple[list[Path], list[str]]:
    """The drawing files in `folder` (regular `*.jsonl` files, sorted) and the problems with
    the others (symbolic links and special files are not followed)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of drawings")
    files, problems = [], []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            problems.append(f"{path}: skipped: not a regular file (links are not followed)")
        elif os.lstat(path).st_size > MAX_FILE_BYTES:
            problems.append(f"{path}: skipped: larger than {MAX_FILE_BYTES:,} bytes")
        else:
            files.append(path)
    return files, problems


def read_records(path: Path) -> tuple[list[dict], list[str]]:
    """The live drawing records of one file (undone ones removed) and its problems."""
    records: dict[str, dict] = {}
    problems = []
    for number, raw, complete in _lines(path):
        if not raw.strip():
            continue
        try:
            record = _parse_line(raw)
        except DrawingError as exc:
            reason = str(exc) if complete else "incomplete last line (a save was interrupted)"
            problems.append(f"{path}:{number}: {reason}")
            continue
        if "undo" in record:
            records.pop(record["undo"], None)
        elif record["id"] in records:
            problems.append(f"{path}:{number}: skipped: id {record['id']} appears twice")
        else:
            records[record["id"]] = record
    return list(records.values()), problems


def load_drawings(*folders: str | os.PathLike[str]) -> Drawings:
    """Every drawing in the folders, images derived from the strokes. Lesson 10.

    Damaged lines and files are listed in `problems` ("file:line: reason") and skipped;
    the rest loads. A missing folder raises FileNotFoundError.
    """
    images, labels, writers, strokes, sizes, ids, dates, problems = [], [], [], [], [], [], [], []
    for path, record in _records(folders, problems):
        parsed = _parse_strokes(record)
        try:
            image = canvas_to_mnist(replay(parsed, record["canvas"]))
        except EmptyDrawingError:
            problems.append(f"{path}: drawing {record['id']}: no ink")
            continue
        images.append(image)
        labels.append(record["label"])
        writers.append(record["writer"])
        strokes.append(parsed)
        sizes.append(record["canvas"])
        ids.append(record["id"])
        dates.append(record["date"])
    return Drawings(
        np.stack(images) if images else np.zeros((0, 28, 28), np.float32),
        np.array(labels, np.uint8),
        np.array(writers, dtype=str),
        strokes,
        np.array(sizes, np.int64),
        ids,
        dates,
        problems,
    )


def merge_drawings(folders: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str]
                   ) -> tuple[int, list[str]]:
    """Append every live drawing of `folders` to the writers' files in `out` (a class's
    folder), skipping drawings `out` already holds, so merging again adds nothing.
    Returns (drawings added, problems found). Lesson 10."""
    out = Path(out)
    if any(Path(f).resolve() == out.resolve() for f in folders):
        raise ValueError(f"{out}: the merged folder must not be one of the folders merged")
    held = {record["id"] for _, record in _records([out], [])} if out.is_dir() else set()
    added, problems = 0, []
    for _, record in _records(folders, problems):
        if record["id"] not in held:
            append_drawing(out, record)
            held.add(record["id"])
            added += 1
    return added, problems


def sample_drawings() -> Drawings:
    """The shipped synthetic sample drawings (`SAMPLE_DRAWINGS_DIR`): 5 writers x 100, made
    by a script, NOT human handwriting. Lesson 10 uses them in fast mode."""
    return load_drawings(SAMPLE_DRAWINGS_DIR)


def _records(folders: Sequence[str | os.PathLike[str]], problems: list[str]
             ) -> Iterator[tuple[Path, dict]]:
    """(file, live record) for every drawing in `folders`; what cannot be read goes to
    `problems`."""
    for folder in folders:
        files, skipped = writer_files(folder)
        problems += skipped
        for path in files:
            records, found = read_records(path)
            problems += found
            for record in records:
                yield path, record


def _lines(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, ends with a newline) for each line; overlong lines are cut
    to a marker so they cost no memory."""
    with open(path, "rb") as f:
        number = 0
        while True:
            raw = f.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield number, b"\x00too long", True
                continue
            yield number, raw, raw.endswith(b"\n")


def _reject_constant(name: str) -> float:
    raise DrawingError(f"{name} is not a number a drawing can hold")


def _parse_line(raw: bytes) -> dict:
    if raw.startswith(b"\x00too long"):
        raise DrawingError(f"line longer than {MAX_LINE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
        if _depth(text) > MAX_DEPTH:
            raise DrawingError(f"nested deeper than {MAX_DEPTH} levels")
        record = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise DrawingError("not UTF-8 text") from None
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, DrawingError):
            raise
        raise DrawingError(f"not a JSON record ({exc})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise DrawingError(f'not a digitlab drawing (no "format": "{FORMAT}")')
    if record.get("v") != VERSION:
        raise DrawingError(f"format version {record.get('v')!r}; this digitlab reads {VERSION}")
    check_writer(record.get("writer"))
    if "undo" in record:
        if not isinstance(record["undo"], str):
            raise DrawingError("an undo record names the id it takes back")
        return record
    if not isinstance(record.get("id"), str) or not 1 <= len(record["id"]) <= 64:
        raise DrawingError("a drawing needs an id (a string)")
    label = record.get("label")
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise DrawingError(f"a label is a digit from 0 to 9, got {label!r}")
    if not isinstance(record.get("date"), str) or len(record["date"]) > 40:
        raise DrawingError("a drawing needs a date (a string)")
    size = record.get("canvas")
    if isinstance(size, bool) or not isinstance(size, int) or not (
        CANVAS_SIZES[0] <= size <= CANVAS_SIZES[1]
    ):
        low, high = CANVAS_SIZES
        raise DrawingError(f"canvas size must be {low}-{high} px, got {size!r}")
    if not _parse_strokes(record):
        raise DrawingError("a drawing with no strokes")
    return record


def _depth(text: str) -> int:
    """The deepest nesting of [ and { in JSON text (outside strings)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _number(value: object, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DrawingError(f"{what} must be a number, got {type(value).__name__}")
    value = float(value)
    if not (math.isfinite(value) and low <= value <= high):
        raise DrawingError(f"{what} must be between {low:g} and {high:g}, got {value!r}")
    return value


def _parse_strokes(record: dict) -> list[Stroke]:
    """The record's strokes as [(width, [(x, y, ms), ...]), ...], every bound checked."""
    strokes = record.get("strokes")
    if not isinstance(strokes, list) or len(strokes) > MAX_STROKES:
        raise DrawingError(f"strokes must be a list of at most {MAX_STROKES} strokes")
    size = record["canvas"]
    low, high = -size, 2 * size  # a stroke may leave the canvas where the mouse left it
    total, parsed = 0, []
    for stroke in strokes:
        if not isinstance(stroke, dict) or not isinstance(stroke.get("points"), list):
            raise DrawingError('a stroke is {"width": w, "points": [[x, y, ms], ...]}')
        width = _number(stroke.get("width"), 1, MAX_PEN, "pen width")
        points = stroke["points"]
        total += len(points)
        if not points or total > MAX_POINTS:
            raise DrawingError(f"a stroke has 1 or more points, a drawing at most {MAX_POINTS}")
        out = []
        for point in points:
            if not isinstance(point, list) or len(point) != 3:
                raise DrawingError("a point is [x, y, ms]")
            out.append((
                _number(point[0], low, high, "x"),
                _number(point[1], low, high, "y"),
                _number(point[2], 0, MAX_MS, "time (ms)"),
            ))
        parsed.append((width, out))
    return parsed
