"""Run one of the page's JavaScript modules with node, without a browser (pure functions)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from digitlab.web.export import PAGE_DIR


def run_page_module(name: str, alias: str, script: str, payload: object = None) -> object:
    """Run `script` with the page's module `name` imported as `alias`, `payload` as JSON on
    stdin; what it writes to stdout, parsed as JSON. Skips where node is not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"node is not installed (apt-get install nodejs): it runs {name}")
    module = (PAGE_DIR / name).as_uri()
    done = subprocess.run(
        [node, "--input-type=module", "-e", f'import * as {alias} from "{module}";\n{script}'],
        input=json.dumps(payload), capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(done.stdout)
