"""The on-disk drawings format: saving is atomic, durable and locked; loading is bounded,
reports damage by file and line, and derives the images with the pad's own code."""

from __future__ import annotations

import json
import multiprocessing
import os

import numpy as np
import pytest

from digitlab.data.drawings import (
    DrawingError,
    append_drawing,
    drawing_record,
    load_drawings,
    undo_record,
    writer_path,
)
from digitlab.preprocess import canvas_to_mnist
from digitlab.strokes import StrokeRaster, ellipse, line


def timed(points, width=20.0, start=0.0):
    """A stroke as the collector keeps it: (width, [(x, y, ms), ...])."""
    return width, [(x, y, start + 10.0 * i) for i, (x, y) in enumerate(points)]


SEVEN = [timed(line(80, 60, 200, 60) + line(200, 60, 120, 230)[1:])]
ZERO = [timed(ellipse(140, 140, 50, 80), width=14)]


def save(folder, label, strokes, writer="ada"):
    return append_drawing(folder, drawing_record(label, strokes, writer))


def test_saved_drawings_load_with_the_image_the_pad_makes(tmp_path):
    save(tmp_path, 7, SEVEN)
    save(tmp_path, 0, ZERO, writer="bob")
    drawings = load_drawings(tmp_path)
    assert drawings.problems == []
    assert sorted(zip(drawings.writers.tolist(), drawings.labels.tolist(), strict=True)) == [
        ("ada", 7), ("bob", 0)
    ]
    i = drawings.labels.tolist().index(0)
    pad = StrokeRaster()
    pad.add_stroke([(x, y) for x, y, _ in ZERO[0][1]], width=14)  # as the pad paints it
    np.testing.assert_array_equal(drawings.canvas(i), pad.to_array())
    np.testing.assert_allclose(drawings.images[i], canvas_to_mnist(pad.to_array()), atol=1e-6)
    assert drawings.images.shape == (2, 28, 28) and drawings.images.dtype == np.float32


def test_a_record_holds_strokes_times_width_writer_date_and_version(tmp_path):
    path = save(tmp_path, 7, SEVEN)
    [record] = [json.loads(line) for line in path.read_text().splitlines()]
    assert path.name == "ada.jsonl"
    assert record["label"] == 7 and record["writer"] == "ada" and record["canvas"] == 280
    assert record["digitlab"] and record["date"].endswith("Z")
    stroke = record["strokes"][0]
    assert stroke["width"] == 20.0
    assert stroke["points"][1] == [86.32, 60.0, 10.0]


@pytest.mark.parametrize(
    ("label", "strokes", "says"),
    [
        (10, SEVEN, "a label is a digit from 0 to 9, got 10"),
        (-1, SEVEN, "from 0 to 9"),
        ("7", SEVEN, "from 0 to 9"),
        (True, SEVEN, "from 0 to 9"),
        (3, [], "the drawing is empty"),
        (3, [timed([(100, 100)])], "too small to be a digit"),
    ],
)
def test_bad_labels_and_empty_drawings_are_refused_with_one_sentence(label, strokes, says):
    with pytest.raises(DrawingError, match=says) as info:
        drawing_record(label, strokes, "ada")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("writer", ["", "../evil", "a/b", ".hidden", "x" * 41, "a b", None])
def test_writer_ids_cannot_name_a_file_outside_the_folder(tmp_path, writer):
    with pytest.raises(DrawingError, match="writer id"):
        writer_path(tmp_path, writer)


def test_undo_appends_a_tombstone_and_keeps_every_other_drawing(tmp_path):
    first = drawing_record(7, SEVEN, "ada")
    second = drawing_record(0, ZERO, "ada")
    append_drawing(tmp_path, first)
    path = append_drawing(tmp_path, second)
    before = path.read_bytes()
    append_drawing(tmp_path, undo_record("ada", second["id"]))
    assert path.read_bytes().startswith(before)  # nothing rewritten
    drawings = load_drawings(tmp_path)
    assert drawings.ids == [first["id"]] and drawings.labels.tolist() == [7]


def test_a_torn_last_line_hides_nothing_and_the_next_save_starts_a_fresh_line(tmp_path):
    path = save(tmp_path, 7, SEVEN)
    save(tmp_path, 0, ZERO)
    whole = path.read_bytes()
    path.write_bytes(whole + whole.splitlines(keepends=True)[0][:57])  # killed mid-write
    drawings = load_drawings(tmp_path)
    assert drawings.labels.tolist() == [7, 0]
    assert drawings.problems == [f"{path}:3: incomplete last line (a save was interrupted)"]
    save(tmp_path, 3, SEVEN)
    drawings = load_drawings(tmp_path)
    assert drawings.labels.tolist() == [7, 0, 3]
    [problem] = drawings.problems  # the torn line stays reported, now a complete bad line
    assert problem.startswith(f"{path}:3: not a JSON record")


def test_damaged_lines_are_reported_by_file_and_line_and_the_rest_loads(tmp_path):
    path = save(tmp_path, 7, SEVEN)
    good = path.read_text().rstrip("\n")
    record = json.loads(good)
    bad = {
        "not json": "{not json",
        "NaN": good.replace('"width":20.0', '"width":NaN'),
        "far": json.dumps({**record, "id": "far", "strokes": [
            {"width": 20, "points": [[1e9, 5, 0]]}]}),
        "label": json.dumps({**record, "id": "lbl", "label": 12}),
        "deep": "[" * 100_000 + "]" * 100_000,
        "other": json.dumps({"hello": 1}),
    }
    path.write_text("\n".join([*bad.values(), good]) + "\n")
    drawings = load_drawings(tmp_path)
    assert drawings.labels.tolist() == [7]
    assert [p.split(": ")[0] for p in drawings.problems] == [f"{path}:{i}" for i in range(1, 7)]
    text = "\n".join(drawings.problems)
    for says in ("not a JSON record", "not a number", "x must be between",
                 "a label is a digit", "nested deeper", "not a digitlab drawing"):
        assert says in text


def test_an_overlong_line_costs_no_memory_and_is_reported(tmp_path):
    path = save(tmp_path, 7, SEVEN)
    with open(path, "ab") as f:
        f.write(b"x" * 3_000_000 + b"\n")
    save(tmp_path, 1, SEVEN)
    drawings = load_drawings(tmp_path)
    assert drawings.labels.tolist() == [7, 1]
    assert drawings.problems == [f"{path}:2: line longer than 1,000,000 bytes"]


def test_links_and_other_files_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    save(outside, 7, SEVEN)
    folder = tmp_path / "class"
    save(folder, 1, SEVEN, writer="bob")
    (folder / "eve.jsonl").symlink_to(outside / "ada.jsonl")
    (folder / "notes.txt").write_text("not a drawing file")
    drawings = load_drawings(folder)
    assert drawings.writers.tolist() == ["bob"]
    assert drawings.problems == [f"{folder / 'eve.jsonl'}: skipped: not a regular file "
                                 "(links are not followed)"]
    (folder / "mallory.jsonl").symlink_to(outside / "new.jsonl")
    with pytest.raises(OSError):  # saving never writes through a link
        save(folder, 1, SEVEN, writer="mallory")
    assert not (outside / "new.jsonl").exists()


def test_a_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder of drawings"):
        load_drawings(tmp_path / "nope")


def _collect(folder, writer, label, n):
    for _ in range(n):
        append_drawing(folder, drawing_record(label, SEVEN, writer))


def test_two_collectors_writing_at_once_corrupt_nothing(tmp_path):
    context = multiprocessing.get_context("fork")
    jobs = [context.Process(target=_collect, args=(tmp_path, "ada", label, 60))
            for label in (3, 8)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(60)
    assert [job.exitcode for job in jobs] == [0, 0]
    drawings = load_drawings(tmp_path)
    assert drawings.problems == []
    assert np.bincount(drawings.labels, minlength=10)[[3, 8]].tolist() == [60, 60]
    assert len(set(drawings.ids)) == 120


def test_saving_is_fsynced(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    save(tmp_path, 7, SEVEN)
    assert len(synced) == 2  # the file, then the folder that got a new file
    save(tmp_path, 7, SEVEN)
    assert len(synced) == 3


def test_the_shipped_sample_set_is_synthetic_balanced_and_loads_cleanly():
    from digitlab.data import sample_drawings

    drawings = sample_drawings()
    assert drawings.problems == []
    counts = drawings.counts()
    assert list(counts) == [f"synthetic-{w}" for w in "abcde"]  # named for what they are
    assert all(c.tolist() == [10] * 10 for c in counts.values())
    assert len({tuple(map(tuple, s[0][1][:3])) for s in drawings.strokes}) == len(drawings)
