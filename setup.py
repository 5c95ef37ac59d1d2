"""One build step pyproject.toml cannot express: the lessons travel inside the wheel.

The checkout keeps the notebooks at the top (`notebooks/`, where learners and JupyterLab
find them), the Chinese edition in `notebooks/zh/`; a wheel carries copies of both in
`digitlab/notebooks/`, which `digitlab lessons` and `digitlab course run` use when digitlab
is installed (`digitlab.lesson_files`). Everything else is configured in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Both editions, English and Chinese (zh/): digitlab.lesson_files.SHIPPED_PATTERNS (a test compares)
LESSON_PATTERNS = ("*.ipynb", "solutions/*.ipynb", "zh/*.ipynb", "zh/solutions/*.ipynb")


class BuildPyWithLessons(build_py):
    """build_py, then copy notebooks/ into the built package as digitlab/notebooks/."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's notebooks/
            return
        source = Path("notebooks")
        for pattern in LESSON_PATTERNS:
            for notebook in sorted(source.glob(pattern)):
                target = Path(self.build_lib, "digitlab", "notebooks",
                              notebook.relative_to(source))
                self.mkpath(str(target.parent))
                self.copy_file(str(notebook), str(target))


setup(cmdclass={"build_py": BuildPyWithLessons})
