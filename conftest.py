"""pytest set-up for the whole checkout, tests/ and notebooks/ alike (tests/conftest.py has
the fixtures). Here, so that it holds however pytest is started (`pytest notebooks/` too)."""

from __future__ import annotations

import pytest


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, called only when it is installed
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs `pytest -n 2 --dist loadfile`: each test file on one worker (its module
    fixtures, such as the built wheel or a JupyterLab, are made once), and here each folder of
    notebooks on one worker too, in course order: nbval needs a notebook's cells in one kernel,
    lessons 08 and 09 export into the same folder, and a learner runs them in this order."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class CourseScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path.rpartition("/")[0] + "/" if path.endswith(".ipynb") else path

    return CourseScheduling(config, log)
