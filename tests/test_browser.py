"""Lessons 07 and 04 in a real browser: JupyterLab driven through headless Chromium.

JupyterLab runs on a free port of 127.0.0.1 with a random token and its own temporary
config, data, runtime, settings and workspace folders (autosave off). It serves a temporary
copy of `notebooks/`, so the lessons on disk are never touched; its kernels run this Python,
so they import this checkout of digitlab. Playwright drives Debian's chromium (never
`playwright install`); without chromium or playwright these tests skip and say how to get
them. Every step leaves a screenshot in artifacts/browser/, with JupyterLab's log and the
browser console.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitlab.config import PROJECT_DIR
from digitlab.strokes import CANVAS_SIZE, ellipse, line

pytestmark = pytest.mark.browser

LIVE_DRAWING = "notebooks/07_drawn_digits_and_the_pad.ipynb"
COMPARING = "notebooks/04_comparing_models.ipynb"
ARTIFACTS = PROJECT_DIR / "artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}
VERTICAL = line(140, 50, 140, 230)
RING = ellipse(140, 140, 55, 85)
MIN_PLOTS = 3  # lesson 04 compares models in several plots
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # in the tracebacks IPython sends

# Upper bounds in seconds, generous because CI may share its cores with a training run;
# every wait returns as soon as its condition holds.
SERVER_START = 120
PAGE_LOAD = 120
RUN_ALL = 600  # the kernel imports TensorFlow and loads the course model
ACTION = 30

# JavaScript run in the page. `window.jupyterapp` is JupyterLab's application object,
# exposed by --LabApp.expose_app_in_browser. Each snippet takes the notebook's path.
_FIND_PANEL = """
    const app = window.jupyterapp;
    const panel = app && [...app.shell.widgets("main")].find(
        (w) => w.context && w.context.path === path);
"""
NOTEBOOK_READY = f"""(path) => {{ {_FIND_PANEL}
    return Boolean(panel && panel.context.isReady && panel.sessionContext.isReady
        && panel.sessionContext.session?.kernel?.status === "idle");
}}"""
START_RUN_ALL = f"""(path) => {{ {_FIND_PANEL}
    app.shell.activateById(panel.id);
    if (app.shell.currentWidget !== panel) throw new Error(`${{path}} is not the current tab`);
    const run = window.digitlabRunAll = {{done: false}};
    app.commands.execute("notebook:run-all-cells").then(
        (ok) => Object.assign(run, {{done: true, ok}}),
        (error) => Object.assign(run, {{done: true, ok: false, error: String(error)}}));
}}"""
RUN_ALL_DONE = "() => window.digitlabRunAll.done"  # set by START_RUN_ALL
RUN_ALL_RESULT = f"""(path) => {{ {_FIND_PANEL}
    const errors = [];
    for (const cell of panel.content.widgets) {{
        if (cell.model.type !== "code") continue;
        for (const out of cell.model.outputs.toJSON()) {{
            if (out.output_type === "error") errors.push(out.traceback.join("\\n"));
        }}
    }}
    return {{...window.digitlabRunAll, errors}};
}}"""
KERNEL_IDLE = f"""(path) => {{ {_FIND_PANEL}
    return panel.sessionContext.session?.kernel?.status === "idle";
}}"""
# The kernel handles messages in order: once a silent `pass` sent after the mouse, key or
# click events has finished, the pad has handled them and sent its updates.
SETTLE = f"""async ([path, ms]) => {{ {_FIND_PANEL}
    const kernel = panel.sessionContext.session.kernel;
    const done = kernel.requestExecute({{code: "pass", silent: true, store_history: false}}).done;
    const late = new Promise((_, reject) => setTimeout(
        () => reject(new Error(`the kernel did not answer within ${{ms}} ms`)), ms));
    await Promise.race([done, late]);
}}"""
PLOT_IMAGES = ".jp-OutputArea-output img[src^='data:image/png']"
IMAGES_LOADED = """(selector) => [...document.querySelectorAll(selector)].every(
    (img) => img.complete && img.naturalWidth > 0)"""


# -- JupyterLab and Chromium ------------------------------------------------------------


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL ("http://127.0.0.1:PORT/"), token, root folder,
    and the notebooks it serves as they were copied there (path in root -> bytes)."""

    url: str
    token: str
    root: Path
    served: dict[str, bytes]

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; the decoded JSON answer, or None when it is empty."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=ACTION) as response:
            body = response.read()
        return json.loads(body) if body else None

    def tree_url(self, notebook: str) -> str:
        """The address that opens `notebook` in a workspace of its own (no tab restored)."""
        workspace = Path(notebook).stem
        return f"{self.url}lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """artifacts/browser/, emptied of an earlier run's screenshots and logs."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


def _write_lab_settings(settings: Path) -> None:
    """User settings: no autosave (the copies stay as committed), no news or update checks."""
    plugins = {
        "docmanager-extension/plugin": {"autosave": False},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for plugin, values in plugins.items():
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(values))


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_serving(process: subprocess.Popen, runtime: Path, token: str, log: Path) -> str:
    """The server's base URL once /api/status answers with the token; fails after a bound."""
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{_tail(log)}")
        for info in runtime.glob("jpserver-*.json"):
            try:
                url = json.loads(info.read_text())["url"]
            except json.JSONDecodeError:
                continue  # the server is still writing the file: read it on the next round
            request = urllib.request.Request(
                url + "api/status", headers={"Authorization": f"token {token}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return url
            except (urllib.error.URLError, ConnectionError):
                pass  # not listening yet
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START} s:\n{_tail(log)}")


def _stop_server(process: subprocess.Popen, lab: Lab | None) -> None:
    """Shut the kernels down through the API, then the server; kill whatever is left."""
    try:
        if lab is not None and process.poll() is None:
            for kernel in lab.api("GET", "api/kernels"):
                lab.api("DELETE", f"api/kernels/{kernel['id']}")
    finally:
        if process.poll() is None:
            process.terminate()  # jupyter_server shuts down its kernels on SIGTERM
            try:
                process.wait(timeout=ACTION)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=ACTION)
        with contextlib.suppress(ProcessLookupError):  # nothing left in the group
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab(chromium, artifacts, tmp_path_factory):
    """JupyterLab serving a copy of notebooks/, isolated from the user's Jupyter setup."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    shutil.copytree(
        PROJECT_DIR / "notebooks",
        root / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    served = {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*.ipynb")}
    _write_lab_settings(home / "settings")
    env = dict(os.environ)
    for name, folder in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        env[name] = str(home / folder)
    env.setdefault("DIGITLAB_FAST", "1")  # `make test` sets it; a lone pytest run too
    token = secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",  # the OS picks a free port; the runtime file tells which
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log = artifacts / "jupyterlab.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = None
        try:
            url = _wait_until_serving(process, home / "runtime", token, log)
            server = Lab(url, token, root, served)
            yield server
        finally:
            _stop_server(process, server)


@pytest.fixture
def page(browser, artifacts, request):
    """A fresh browser tab; its console messages are kept in artifacts/browser/."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(ACTION * 1000)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    try:
        yield page
    finally:
        name = request.node.name.removeprefix("test_")
        (artifacts / f"{name}-console.log").write_text("\n".join(console))
        context.close()


class Steps:
    """Numbered steps of one test, each leaving a screenshot (`-FAILED` when it failed)."""

    def __init__(self, page, folder: Path, prefix: str) -> None:
        self.page, self.folder, self.prefix, self.count = page, folder, prefix, 0

    @contextlib.contextmanager
    def __call__(self, name: str):
        self.count += 1
        stem = f"{self.prefix}-{self.count:02d}-{name}"
        try:
            yield
        except BaseException:
            self.page.screenshot(path=self.folder / f"{stem}-FAILED.png")
            raise
        self.page.screenshot(path=self.folder / f"{stem}.png")


@pytest.fixture
def steps(page, artifacts, request) -> Steps:
    return Steps(page, artifacts, request.node.name.removeprefix("test_"))


# -- driving a notebook -----------------------------------------------------------------


def wait_for(page, predicate: str, arg, seconds: float, what: str) -> None:
    """Wait until the JavaScript `predicate(arg)` holds; fails saying `what` did not happen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(predicate, arg=arg, timeout=seconds * 1000)
    except PlaywrightTimeoutError:
        dialogs = page.locator(".jp-Dialog").all_inner_texts()
        shown = f"; JupyterLab shows the dialog {dialogs}" if dialogs else ""
        pytest.fail(f"{what} within {seconds} s{shown}")


def open_notebook(page, lab: Lab, notebook: str) -> None:
    """Open `notebook` and wait until its kernel is up and idle."""
    page.goto(lab.tree_url(notebook), timeout=PAGE_LOAD * 1000)
    wait_for(page, NOTEBOOK_READY, notebook, PAGE_LOAD, f"{notebook} did not open with a kernel")


def run_all_cells(page, notebook: str) -> None:
    """Run > Run All Cells; fails with the tracebacks if a cell raised."""
    page.evaluate(START_RUN_ALL, notebook)
    wait_for(page, RUN_ALL_DONE, None, RUN_ALL, f"{notebook} did not finish running")
    result = page.evaluate(RUN_ALL_RESULT, notebook)
    if not result["ok"] or result["errors"]:
        tracebacks = ANSI_COLOUR.sub("", "\n\n".join(result["errors"]))
        pytest.fail(f"running {notebook} failed: {result.get('error', '')}\n{tracebacks}")
    wait_for(page, KERNEL_IDLE, notebook, ACTION, f"the kernel of {notebook} stayed busy")


def settle(page, notebook: str) -> None:
    """Wait until the kernel has handled every event the page sent it so far."""
    page.evaluate(SETTLE, [notebook, ACTION * 1000])


def draw(page, canvas, points) -> None:
    """Draw one stroke through `points` (canvas pixels) with the mouse."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    scale_x, scale_y = box["width"] / CANVAS_SIZE, box["height"] / CANVAS_SIZE
    path = [(box["x"] + x * scale_x, box["y"] + y * scale_y) for x, y in points]
    page.mouse.move(*path[0])
    page.mouse.down()
    for x, y in path[1:]:
        page.mouse.move(x, y, steps=2)
    page.mouse.up()


def wait_for_ink(canvas, check, what: str) -> np.ndarray:
    """The browser canvas's pixels (True where the ink is) once `check` accepts them.

    Fails after a bound, leaving the canvas as artifacts/browser/canvas-FAILED.png.
    """
    deadline = time.monotonic() + ACTION
    while True:
        data_url = canvas.evaluate("(canvas) => canvas.toDataURL('image/png')")
        png = base64.b64decode(data_url.removeprefix("data:image/png;base64,"))
        shown = Image.open(io.BytesIO(png)).convert("L")
        ink = np.asarray(shown) > 127
        if check(ink):
            return ink
        if time.monotonic() > deadline:
            shown.save(ARTIFACTS / "canvas-FAILED.png")
            pytest.fail(f"the canvas never showed {what} ({ink.sum()} inked pixels)")
        time.sleep(0.2)


def blank(ink: np.ndarray) -> bool:
    return not ink.any()


def assert_not_saved(lab: Lab, notebook: str) -> None:
    """The served copy of `notebook` is still as copied: autosave is really off."""
    now = (lab.root / notebook).read_bytes()
    assert now == lab.served[notebook], f"JupyterLab saved {notebook}"


def png_outputs(notebook: Path) -> int:
    """How many PNG images the notebook's saved outputs hold."""
    cells = json.loads(notebook.read_text())["cells"]
    return sum(
        "image/png" in output.get("data", {})
        for cell in cells
        for output in cell.get("outputs", [])
    )


# -- the tests --------------------------------------------------------------------------


def test_drawing_pad_reads_mouse_drawings_in_jupyterlab(lab, page, steps):
    from playwright.sync_api import expect

    canvas = page.locator("canvas.digitlab-canvas")
    label = page.locator(".digitlab-label")
    with steps("run-all-cells"):
        open_notebook(page, lab, LIVE_DRAWING)
        run_all_cells(page, LIVE_DRAWING)
        expect(canvas).to_have_count(1)
        expect(canvas).to_be_visible()
        expect(label).to_have_text("Draw a digit")
        assert canvas.bounding_box()["width"] == CANVAS_SIZE  # 1 CSS px per canvas pixel
        wait_for_ink(canvas, blank, "an empty canvas")

    with steps("vertical-stroke-reads-1"):
        draw(page, canvas, VERTICAL)
        settle(page, LIVE_DRAWING)
        if label.inner_text().strip() == "Draw a digit":
            # Seen once on a loaded machine: the very first stroke after Run All reached
            # no handler (the canvas stayed blank), as a person's first click sometimes
            # only focuses the output. Draw it once more, as they would; the rest of the
            # test (Clear, space, a second digit) needs every stroke to arrive.
            draw(page, canvas, VERTICAL)
            settle(page, LIVE_DRAWING)
        expect(label).to_have_text("Prediction: 1")
        wait_for_ink(
            canvas,
            lambda ink: ink[140, 140] and ink[60, 140] and ink[220, 140] and not ink[140, 60],
            "the vertical stroke",
        )

    with steps("clear-button"):
        page.locator("button.digitlab-clear").click()
        settle(page, LIVE_DRAWING)
        expect(label).to_have_text("Draw a digit")
        wait_for_ink(canvas, blank, "an empty canvas after Clear")

    with steps("ellipse-reads-0"):
        draw(page, canvas, RING)
        settle(page, LIVE_DRAWING)
        expect(label).to_have_text("Prediction: 0")
        wait_for_ink(
            canvas,
            lambda ink: ink[55, 140] and ink[225, 140] and ink[140, 85] and not ink[140, 140],
            "the ellipse",
        )

    with steps("space-clears-after-a-click"):
        canvas.click(position={"x": 30, "y": 30})  # focuses the canvas, and draws a dot
        expect(canvas).to_be_focused()
        settle(page, LIVE_DRAWING)
        wait_for_ink(canvas, lambda ink: ink[30, 30], "the dot of the click")
        page.keyboard.press("Space")
        settle(page, LIVE_DRAWING)
        expect(label).to_have_text("Draw a digit")
        wait_for_ink(canvas, blank, "an empty canvas after Space")

    assert_not_saved(lab, LIVE_DRAWING)


def test_lesson_4_plots_render_as_images(lab, page, steps):
    from playwright.sync_api import expect

    saved = png_outputs(lab.root / COMPARING)
    assert saved >= MIN_PLOTS, (
        f"{COMPARING} holds {saved} PNG plots, expected at least {MIN_PLOTS}: "
        "run the lesson and save it with its outputs"
    )
    images = page.locator(PLOT_IMAGES)
    with steps("open-lesson-4"):
        open_notebook(page, lab, COMPARING)  # only opened: running it would train models
        expect(images).to_have_count(saved, timeout=PAGE_LOAD * 1000)
        wait_for(page, IMAGES_LOADED, PLOT_IMAGES, PAGE_LOAD, "the plots did not load")
    for i in range(saved):
        with steps(f"plot-{i + 1}"):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            expect(image).to_be_visible()
            width, height = image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]")
            assert width > 100 and height > 100, f"plot {i + 1} is {width}x{height} px"
    assert_not_saved(lab, COMPARING)

