"""The `digitlab` command: one subcommand per job, each a small function here.

`digitlab data fetch` (lesson 01), `train` and `evaluate` (lessons 02-04), `predict`
(lesson 05), `course run` (README). Each `_add_*` function registers one subcommand and
points it at a handler `_cmd_*(args) -> int`; the handlers import what they need lazily so
`digitlab --help` never loads TensorFlow.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from digitlab.data import fetch_mnist

    folder = fetch_mnist(args.data_dir)
    print(f"MNIST is ready in {folder}")
    return 0


def _add_data(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="get the MNIST files")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    fetch = data_sub.add_parser(
        "fetch", help="download (or find) the four MNIST IDX files and verify their sha256"
    )
    fetch.add_argument("--data-dir", help="cache folder (default: $DIGITLAB_DATA or data/mnist)")
    fetch.set_defaults(handler=_cmd_data_fetch)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="digitlab", description="Handwritten digit recognition course: tools."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_data,):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; known errors become one clear line on stderr and exit code 1."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"digitlab: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
