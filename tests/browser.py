"""Shared helpers for the browser tests (the book's pages and JupyterLab).

Everything here runs offline and on 127.0.0.1 only:

* :func:`launch_chromium` starts Debian's ``/usr/bin/chromium`` headless
  through Playwright's sync API (never ``playwright install``);
* :func:`serve_directory` serves a folder over HTTP from a thread;
* :class:`PageWatcher` records every request that would leave localhost
  (and aborts it), console errors and uncaught page errors;
* :class:`JupyterLab` starts a real ``jupyter lab`` server with an isolated
  configuration in a temporary folder, and :class:`LabNotebook` drives one
  notebook in it the way a student does: open it, wait for its kernel, Run
  All Cells once from the Run menu, then find an explorer and its controls by
  name (the CSS classes ``nnlib-explorer-<Class>`` and ``nnlib-param-<name>``
  that ``nnlib.explorers.base`` puts on the widgets) and move them with the
  keyboard.

``benchmarks/bench_lab_latency.py`` imports this file by path, so keep it
free of pytest.
"""

import base64
import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("NNLIB_CHROMIUM", "/usr/bin/chromium")   # Debian's package
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSING_CHROMIUM = (f"The browser tests need Chromium at {CHROMIUM}. Install it with "
                    f"`apt-get install -y chromium` (Debian/Ubuntu), then run pytest again.")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
SCREENSHOT_DIR = Path(tempfile.gettempdir()) / "nnlib-screenshots"


def chromium_missing_message():
    """None if Chromium is installed, else the message telling how to install it."""
    return None if Path(CHROMIUM).exists() else MISSING_CHROMIUM


def launch_chromium(playwright):
    """Headless Chromium from the system, with no background network traffic."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# A static web server for the built book
# --------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(path):
    """Serve ``path`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------
# Watching a page
# --------------------------------------------------------------------------

def is_local(url):
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return parts.hostname in LOCAL_HOSTS


def allowed(text, allow_list):
    """The reason ``text`` is harmless, from ``allow_list`` (pairs of a
    regular expression and the reason), or None."""
    for pattern, why in allow_list:
        if re.search(pattern, text):
            return why
    return None


class PageWatcher:
    """Attach to a Playwright page: block and record every non-local request,
    record console errors and uncaught exceptions (and, for the record,
    console warnings and the page's WebSockets)."""

    def __init__(self, page):
        self.page = page
        self.external = []
        self.console_errors = []
        self.console_warnings = []
        self.page_errors = []
        self.websockets = []            # dicts: url, closed
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        # WebSockets are not routed; record them too.
        page.on("websocket", self._websocket)

    def _route(self, route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _websocket(self, ws):
        if not is_local(ws.url):
            self.external.append(ws.url)
        entry = {"url": ws.url, "closed": False}
        self.websockets.append(entry)
        ws.on("close", lambda _ws: entry.update(closed=True))

    def _console(self, msg):
        if msg.type in ("error", "warning"):
            loc = msg.location or {}
            text = f"{msg.text} ({loc.get('url', '?')}:{loc.get('lineNumber', '?')})"
            (self.console_errors if msg.type == "error" else self.console_warnings).append(text)

    def mark(self):
        """A bookmark for :meth:`problems` (``since=``): what was recorded so far."""
        return (len(self.external), len(self.console_errors), len(self.page_errors))

    def problems(self, *, since=(0, 0, 0), allow=()):
        """A list of readable problems (empty when the page behaved), only
        those recorded after the bookmark ``since``; console errors matched
        by ``allow`` (pairs of a regular expression and why it is harmless)
        are left out."""
        out = [f"request to the internet: {u}" for u in self.external[since[0]:]]
        out += [f"console error: {e}" for e in self.console_errors[since[1]:] if not allowed(e, allow)]
        out += [f"uncaught error: {e}" for e in self.page_errors[since[2]:]]
        return out


# --------------------------------------------------------------------------
# A real JupyterLab
# --------------------------------------------------------------------------

# Settings written into the isolated settings folder. JupyterLab validates each
# file against its plugin's schema and DROPS THE WHOLE FILE on any unknown key
# (the server log then says "Failed validating settings"), so every key here
# must exist in JupyterLab's schema; JupyterLab.settings_errors() checks that.
LAB_SETTINGS = {
    # No "Would you like to receive Jupyter news?" toast, and no news fetch.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    # Every cell rendered (no windowing), so widgets far down the page exist;
    # and the notebook's own kernel started without a "Select Kernel" dialog.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    # Never write a notebook back to the course folder: after Run All (or a
    # metadata rewrite) a notebook is changed, and JupyterLab would otherwise
    # save it every 120 s while the tests run.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
# What jupyterlab_server logs when it drops a settings file (invalid, or not JSON).
SETTINGS_ERRORS = ("Failed validating settings", "Failed loading settings")

# Messages seen while the course's notebooks run in JupyterLab that are known
# to be harmless. Each entry: (regular expression, why it is harmless). A
# console error or a cell's stderr output that matches none of them fails the
# JupyterLab tests. Keep these lists short and specific.
LAB_CONSOLE_ALLOW = []
LAB_STDERR_ALLOW = []


class JupyterLab:
    """A ``jupyter lab`` server on 127.0.0.1 with no token, no browser and an
    isolated configuration (settings, workspaces, runtime files) in a
    temporary folder, so that no state leaks in from, or out to, the user's
    own JupyterLab. Use as a context manager or call :meth:`stop`.

    The page exposes JupyterLab's application object as ``window.jupyterapp``
    (``LabApp.expose_app_in_browser``), which the helpers below use to wait
    for a kernel that is really connected and to open several notebooks
    without reloading the page. It changes nothing a student sees."""

    def __init__(self, root=ROOT, *, startup_timeout=90):
        self.root = Path(root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.home = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
        self.log_path = self.home / "server.log"
        env = dict(os.environ)
        env.pop("NNLIB_BOOK_BUILD", None)      # a student's lab: live widgets, not book fallbacks
        for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                         ("IPYTHONDIR", "ipython")]:
            (self.home / sub).mkdir()
            env[var] = str(self.home / sub)
        for plugin, values in LAB_SETTINGS.items():
            path = self.home / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        cmd = [sys.executable, "-m", "jupyterlab",
               "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               "--PasswordIdentityProvider.hashed_password=",
               f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
               "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")      # CI containers run as root
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        try:
            self._wait_ready(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"jupyter lab did not answer within {timeout} s:\n{self.log()}")

    def full_log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log(self):
        """The end of the server's log."""
        return self.full_log()[-4000:]

    def settings_errors(self):
        """Lines of the server log saying a settings file was rejected."""
        return [line[:300] for line in self.full_log().splitlines() if any(e in line for e in SETTINGS_ERRORS)]

    def check_settings(self):
        """Raise AssertionError if the server rejected a settings file."""
        errors = self.settings_errors()
        if errors:
            raise AssertionError("JupyterLab rejected a settings file (the whole file is then ignored):\n"
                                 + "\n".join(errors))

    def stop(self):
        """Stop the server by its PID: terminate, wait, kill if needed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def notebook_url(self, path):
        """URL opening ``path`` alone (``?reset`` drops tabs left by earlier tests)."""
        return f"{self.url}/lab/tree/{path}?reset"


CURRENT_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# JavaScript: the main-area document widget showing ``path`` (through the
# application object that LabApp.expose_app_in_browser puts on the page).
_FIND_PANEL = """
  const app = window.jupyterapp;
  const panel = app && [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
"""


def wait_app(page, *, timeout=60_000):
    """Wait until JupyterLab's application object exists and has restored its layout."""
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout)
    page.evaluate("() => window.jupyterapp.restored")


def lab_fetch(page, method, url):
    """``fetch`` from the page with JupyterLab's ``_xsrf`` cookie sent as the
    X-XSRFToken header, as JupyterLab itself does (the server answers 403 to
    a DELETE, POST, PUT or PATCH without it). Returns the HTTP status."""
    return page.evaluate(
        """async ([method, url]) => {
             const m = document.cookie.match(/(?:^|;\\s*)_xsrf=([^;]*)/);
             const headers = m ? {'X-XSRFToken': decodeURIComponent(m[1])} : {};
             const r = await fetch(url, {method, headers, cache: 'no-store', credentials: 'same-origin'});
             return r.status;
           }""", [method, url])


def sessions(page):
    return page.evaluate("async () => (await fetch('/api/sessions', {cache: 'no-store'})).json()")


def shutdown_kernel(page, path):
    """Delete the notebook's session on the server (stops its kernel).
    Raises AssertionError unless every DELETE succeeded and the session is
    gone; returns the statuses of the DELETE requests."""
    statuses = []
    for s in [s for s in sessions(page) if s["path"] == path]:
        statuses.append(lab_fetch(page, "DELETE", f"/api/sessions/{s['id']}"))
    assert all(200 <= st < 300 for st in statuses), f"{path}: DELETE /api/sessions answered {statuses}"
    left = [s for s in sessions(page) if s["path"] == path]
    assert not left, f"{path}: the session is still there after DELETE: {left}"
    return statuses


def open_notebook(page, lab, path, *, timeout=60_000):
    """Open ``path`` (relative to the lab's root) alone in the page and wait
    until its kernel is idle and connected (see :func:`wait_kernel_ready`)."""
    page.goto(lab.notebook_url(path), wait_until="domcontentloaded")
    page.wait_for_selector(f"{CURRENT_NOTEBOOK} .jp-Cell", timeout=timeout)
    wait_app(page, timeout=timeout)
    wait_kernel_ready(page, path, timeout=timeout)


def kernel_state(page, path):
    """What the page and the server say about the kernel of ``path`` (a dict)."""
    return page.evaluate(
        """async (path) => {""" + _FIND_PANEL + """
             const k = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
             const r = await fetch('/api/sessions', {cache: 'no-store'});
             const s = r.ok ? (await r.json()).find(s => s.path === path) : undefined;
             const cur = app && app.shell.currentWidget;
             return {panel: !!panel, ready: !!(panel && panel.sessionContext.isReady),
                     current: cur && cur.context ? cur.context.path : null,
                     kernel: k ? k.id : null, status: k ? k.status : null,
                     connection: k ? k.connectionStatus : null,
                     server_kernel: s && s.kernel ? s.kernel.id : null,
                     server_state: s && s.kernel ? s.kernel.execution_state : null,
                     server_connections: s && s.kernel ? s.kernel.connections : null,
                     dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.slice(0, 200))};
           }""", path)


def _kernel_ready(state):
    return (state["ready"] and state["kernel"] and state["status"] == "idle" and state["connection"] == "connected"
            and state["server_kernel"] == state["kernel"] and state["server_state"] == "idle"
            and (state["server_connections"] or 0) > 0)


def wait_kernel_ready(page, path, *, timeout=60_000):
    """Wait until the kernel of ``path`` is idle and connected: the page's
    session is ready, its kernel's WebSocket is connected and the kernel
    idle, and the server agrees (same kernel, idle, at least one connection).
    Fails at once if a dialog (e.g. "Select Kernel") is in the way."""
    deadline = time.monotonic() + timeout / 1000
    state = None
    while time.monotonic() < deadline:
        state = kernel_state(page, path)
        if state["dialogs"]:
            raise AssertionError(f"{path}: a dialog is open while waiting for the kernel: {state['dialogs']}")
        if _kernel_ready(state):
            return state
        time.sleep(0.25)
    raise AssertionError(f"{path}: the kernel was not idle and connected within {timeout / 1000:.0f} s: {state}")


wait_kernel_idle = wait_kernel_ready       # the older name


def _prompts(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                   .map(p => p.textContent.trim())""")


def run_all_cells(page, path, *, timeout=120_000):
    """Run → Run All Cells from the menu bar, once, then wait until every
    code cell ran and the kernel is idle.

    There is no retry (a second click on a slow machine would run the
    notebook twice): the caller has waited for an idle, connected kernel
    (:func:`open_notebook`), and this checks that the menu item is enabled
    and that every cell ran exactly once (prompts [1], [2], … in order).
    Returns the texts of stderr outputs and of tracebacks."""
    state = wait_kernel_ready(page, path, timeout=timeout)
    assert state["current"] == path, f"{path}: not the current tab ({state['current']} is), Run All would run that"
    # Exact labels: the Run menu also holds "Restart Kernel and Run All Cells…".
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(r"^Run$")).click()
    item = page.locator(".lm-Menu-item[data-command='runmenu:run-all']")
    item.wait_for(state="visible", timeout=10_000)
    assert "lm-mod-disabled" not in (item.get_attribute("class") or ""), f"{path}: Run All Cells is disabled"
    item.click()
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                       .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""", timeout=60_000)
    except Exception:
        raise AssertionError(f"{path}: Run All Cells started no cell within 60 s; prompts {_prompts(page)}; "
                             f"kernel {kernel_state(page, path)}") from None
    # Done when no cell is queued or running, and either every cell ran or
    # one raised (Run All stops there).
    page.wait_for_function(
        """(path) => {""" + _FIND_PANEL + _CELL_OUTPUTS + """
             const prompts = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
             return prompts.length > 0 && !prompts.some(p => p.includes('*'))
                    && (out.errors.length > 0 || prompts.every(p => /\\[\\d+\\]/.test(p))); }""",
        arg=path, timeout=timeout, polling=250)
    wait_kernel_ready(page, path, timeout=timeout)
    out = cell_outputs(page, path)
    prompts = _prompts(page)
    if not out["errors"]:
        assert out["counts"] == list(range(1, len(out["counts"]) + 1)), (
            f"{path}: Run All Cells should run each cell exactly once, in order; prompts {prompts}")
    return {"stderr": out["stderr"], "errors": out["errors"], "prompts": prompts}


# JavaScript: the stderr streams, tracebacks and execution counts of the code
# cells of ``panel``, read from the notebook's model (JupyterLab renders a
# traceback with the stderr renderer, so the DOM cannot tell them apart).
_CELL_OUTPUTS = """
  const out = {stderr: [], errors: [], counts: []};
  const text = t => (Array.isArray(t) ? t.join('') : String(t)).replace(/\\x1b\\[[0-9;]*m/g, '');
  for (const cell of panel.model.cells) {
    if (cell.type !== 'code') continue;
    out.counts.push(cell.executionCount);
    for (const o of cell.outputs.toJSON()) {
      if (o.output_type === 'stream' && o.name === 'stderr') out.stderr.push(text(o.text).slice(0, 2000));
      if (o.output_type === 'error')
        out.errors.push(text([o.ename, ': ', o.evalue, '\\n', ...(o.traceback || []).map(l => l + '\\n')]).slice(0, 3000));
    }
  }
"""


def cell_outputs(page, path):
    """The texts of the stderr outputs and tracebacks in the cells of
    notebook ``path``, and the cells' execution counts (None: not run)."""
    return page.evaluate("(path) => {" + _FIND_PANEL + _CELL_OUTPUTS + " return out; }", path)


# --------------------------------------------------------------------------
# Explorers, found by name
# --------------------------------------------------------------------------

def explorer_box(page, cls):
    """The outer box of the explorer widget of class ``cls`` (e.g.
    "GradientDescent2D") in the visible notebook. If the notebook shows the
    same explorer class twice, this is the first one."""
    return page.locator(f"{CURRENT_NOTEBOOK} .nnlib-explorer.nnlib-explorer-{cls}").first


def param_control(page, cls, name):
    """The control of parameter ``name`` (e.g. "lr") of explorer ``cls``."""
    return explorer_box(page, cls).locator(f".nnlib-param-{name}")


def slider_handle(page, cls, name):
    """The keyboard-focusable handle of the slider ``name`` of explorer ``cls``."""
    return param_control(page, cls, name).locator(".noUi-handle")


def explorer_image(page, cls):
    # The class is on the <img> itself (ipywidgets' Image), or on a wrapper.
    return explorer_box(page, cls).locator("img.nnlib-explorer-image, .nnlib-explorer-image img").first


def explorer_status(page, cls):
    return explorer_box(page, cls).locator(".nnlib-explorer-status")


def explorer_param_names(page, cls):
    """The parameter names of explorer ``cls`` found in the page (from the
    ``nnlib-param-<name>`` classes), in page order."""
    return explorer_box(page, cls).evaluate(
        """box => [...box.querySelectorAll('[class*="nnlib-param-"]')]
                    .flatMap(el => [...el.classList].filter(c => c.startsWith('nnlib-param-')))
                    .map(c => c.slice('nnlib-param-'.length))""")


def wait_image_loaded(page, image, *, timeout=60_000):
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                           timeout=timeout)


def image_png(image):
    """The bytes of the picture an <img> shows (its blob: or data: URL)."""
    b64 = image.evaluate(
        """async img => { const buf = await (await fetch(img.src)).arrayBuffer();
                          let s = ''; const a = new Uint8Array(buf);
                          for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode(...a.subarray(i, i + 0x8000));
                          return btoa(s); }""")
    return base64.b64decode(b64)


def settle_image(page, image, *, quiet=1.5, timeout=60_000):
    """Wait until ``image``'s src has not changed for ``quiet`` seconds and the
    picture is decoded. Returns the seconds it took."""
    t0 = time.monotonic()
    deadline = t0 + timeout / 1000
    last, since = image.get_attribute("src"), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"the widget image kept changing for {timeout / 1000:.0f} s")
        time.sleep(0.1)
        src = image.get_attribute("src")
        if src != last:
            last, since = src, time.monotonic()
    wait_image_loaded(page, image, timeout=timeout)
    return time.monotonic() - t0


def slider_value(handle):
    """The position of a slider handle (noUiSlider rounds aria-valuenow to
    one decimal; aria-valuetext holds the full number)."""
    return float(handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow"))


def press_until_change(page, handle, *, presses=1):
    """Focus a slider handle and press ArrowRight ``presses`` times (or
    ArrowLeft, if the first ArrowRight does not move it: the slider is at
    its maximum). Returns the positions (before, after)."""
    handle.scroll_into_view_if_needed()
    before = slider_value(handle)
    handle.focus()
    page.keyboard.press("ArrowRight")
    key = "ArrowRight" if slider_value(handle) != before else "ArrowLeft"
    for _ in range(presses - (key == "ArrowRight")):
        page.keyboard.press(key)
    return before, slider_value(handle)


# One key press until the new picture is decoded, timed inside the page:
# from the keydown event's timestamp to the moment the <img> has a new src,
# fired 'load' and finished img.decode(). Install, press, then collect.
_LATENCY_INSTALL = """([handle, img]) => {
  const probe = {t0: null, t1: null, old: img.getAttribute('src')};
  window.__nnlibLatency = probe;
  handle.addEventListener('keydown', e => { probe.t0 = e.timeStamp; }, {capture: true, once: true});
  const onload = () => {
    if (img.getAttribute('src') === probe.old) return;
    img.removeEventListener('load', onload);
    img.decode().catch(() => null).then(() => {
      if (img.complete && img.naturalWidth > 0) probe.t1 = performance.now();
    });
  };
  img.addEventListener('load', onload);
}"""


def time_key_to_image(page, handle, image, key, *, timeout=30_000):
    """Milliseconds from pressing ``key`` on the focused slider ``handle``
    until ``image`` shows a new, decoded picture; None if the slider value
    did not change (e.g. at the end of its range)."""
    page.evaluate(_LATENCY_INSTALL, [handle.element_handle(), image.element_handle()])
    before = slider_value(handle)
    page.keyboard.press(key)
    if slider_value(handle) == before:
        return None
    page.wait_for_function("() => window.__nnlibLatency.t1 !== null", timeout=timeout, polling="raf")
    probe = page.evaluate("() => window.__nnlibLatency")
    return probe["t1"] - probe["t0"]


# --------------------------------------------------------------------------
# Readability: text sizes as displayed
# --------------------------------------------------------------------------

def open_file_browser(page):
    """Make sure JupyterLab's left sidebar shows the file browser (the
    layout students usually have); returns the sidebar's width in CSS px."""
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']")
    if "lm-mod-current" not in (tab.get_attribute("class") or ""):
        tab.click()
    panel = page.locator("#filebrowser")
    panel.wait_for(state="visible", timeout=10_000)
    return panel.evaluate("el => el.getBoundingClientRect().width")


_MEASURE = """box => {
  const img = box.querySelector('img.nnlib-explorer-image') || box.querySelector('.nnlib-explorer-image img');
  const rect = img ? img.getBoundingClientRect() : null;
  const own = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const visible = el => { const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
                          return cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0; };
  const smallest = root => {
    let best = null;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (!(own(el) || el.tagName === 'SELECT' || el.tagName === 'INPUT') || !visible(el)) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (best === null || px < best.px)
        best = {px, where: (el.className || el.tagName) + ': ' + (el.textContent || el.value || '').trim().slice(0, 40)};
    }
    return best;
  };
  const status = box.querySelector('.nnlib-explorer-status');
  return {displayed: rect ? rect.width : null, natural: img ? img.naturalWidth : null,
          dpr: window.devicePixelRatio, status: status ? smallest(status) : null, html: smallest(box),
          viewport: window.innerWidth};
}"""


def measure_explorer_text(page, cls):
    """Sizes that decide how readable explorer ``cls`` is as displayed: the
    image's displayed and natural widths, the device pixel ratio, and the
    smallest computed font size (CSS px) of the status text and of all the
    widget's HTML text (labels, readouts, menus, buttons)."""
    box = explorer_box(page, cls)
    box.scroll_into_view_if_needed()
    wait_image_loaded(page, explorer_image(page, cls))
    return box.evaluate(_MEASURE)


def log_console_messages(page):
    """Kernel output shown outside the cells. Output of widget callbacks (a
    slider's observer) has no cell to go to: JupyterLab puts it in its log
    console and shows a count in the status bar. If that count is not zero,
    open the log console, read its entries ("level: text"), clear it and
    close it again; otherwise return []."""
    counts = page.locator(".jp-LogConsoleStatusItem").evaluate_all(
        "els => els.filter(e => !e.classList.contains('lm-mod-hidden')).map(e => e.innerText.trim())")
    if not any(c.isdigit() and int(c) > 0 for c in counts):
        return []
    page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open', {insertMode: 'split-bottom'})")
    try:
        page.wait_for_selector(".jp-LogConsolePanel .jp-OutputArea-child", timeout=5_000)
    except Exception:
        pass
    entries = page.locator(".jp-LogConsolePanel .jp-OutputArea-child").evaluate_all(
        """els => els.map(e => { const p = e.querySelector('[data-log-level]');
                                 const o = e.querySelector('.jp-OutputArea-output');
                                 return (p ? p.dataset.logLevel : '?') + ': ' + (o ? o.innerText : '').slice(0, 1500); })""")
    page.evaluate(
        """async () => { const app = window.jupyterapp;
                         await app.commands.execute('logconsole:clear');
                         for (const w of [...app.shell.widgets('main')])
                           if (w.node.querySelector('.jp-LogConsolePanel')) w.dispose(); }""")
    return entries or [f"{counts} message(s) that could not be read"]


def describe_failure(page, notebook):
    """Dialog texts and a screenshot path, to explain a failed JupyterLab step."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    shot = SCREENSHOT_DIR / ("failed_" + notebook.replace("/", "_") + ".png")
    try:
        page.screenshot(path=str(shot))
        dialogs = [d.inner_text()[:500] for d in page.locator(".jp-Dialog").all()]
    except Exception as err:            # the page itself may be gone
        return f"(no screenshot: {err})"
    return f"open dialogs: {dialogs or 'none'}; screenshot: {shot}"


# --------------------------------------------------------------------------
# One page of JupyterLab, and the notebooks opened in it
# --------------------------------------------------------------------------

class LabPage:
    """JupyterLab loaded once in a fresh browser context (``/lab?reset``: no
    tabs left from before). Notebooks are then opened in it with
    JupyterLab's own "open document" command (what a double click in the
    file browser does), which saves reloading the whole application for each
    notebook. Close with :meth:`close`."""

    def __init__(self, lab, browser, *, viewport=(1280, 900), timeout=60_000):
        self.lab, self.timeout = lab, timeout
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.watcher = PageWatcher(self.page)
        try:
            self.page.goto(f"{lab.url}/lab?reset", wait_until="domcontentloaded")
            wait_app(self.page, timeout=timeout)
        except BaseException:
            self.context.close()
            raise

    def open_document(self, path):
        """Open ``path`` in a new tab (it becomes the current one) and wait
        until its document is loaded; its kernel starts by itself."""
        self.page.evaluate(
            """async (path) => {
                 const panel = await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
                 await panel.context.ready;
               }""", path)

    def open(self, path, *, run=True):
        """Open notebook ``path`` (or bring its tab to the front if it is
        open already), wait for its kernel (idle and connected), and unless
        ``run`` is false, Run All Cells once. Returns a :class:`LabNotebook`."""
        return LabNotebook(self, path, run=run)

    def tabs(self):
        """The main area's tabs: label (the file name), dirty (``jp-mod-dirty``), current."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')].map(t => ({
                     label: t.querySelector('.lm-TabBar-tabLabel').textContent.trim(),
                     dirty: t.classList.contains('jp-mod-dirty'),
                     current: t.classList.contains('lm-mod-current')}))""")

    def notebook_metadata(self, path):
        """The notebook's metadata as JupyterLab holds it now (maybe unsaved)."""
        return self.page.evaluate("(path) => {" + _FIND_PANEL + " return panel.context.model.toJSON().metadata; }",
                                  path)

    def close_document(self, path):
        """Close the tab of ``path`` without saving, then stop its kernel
        (asserting that the server accepted the DELETE)."""
        self.page.evaluate("(path) => {" + _FIND_PANEL + " if (panel) panel.dispose(); }", path)
        return shutdown_kernel(self.page, path)

    def activate(self, path):
        """Make the tab of ``path`` the current one (menus act on it)."""
        self.page.evaluate("(path) => {" + _FIND_PANEL + " app.shell.activateById(panel.id); }", path)
        self.page.wait_for_function("(path) => {" + _FIND_PANEL + " return app.shell.currentWidget === panel; }",
                                    arg=path, timeout=10_000)

    def open_paths(self):
        """Paths of the documents open in the main area."""
        return self.page.evaluate(
            "() => [...window.jupyterapp.shell.widgets('main')].filter(w => w.context).map(w => w.context.path)")

    def set_width(self, width, height=900):
        """Resize the window and let JupyterLab lay itself out again."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_function("w => window.innerWidth === w", arg=width)
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def close(self):
        """Close every open notebook (stopping its kernel, asserting that the
        server accepted the DELETE), then the browser context."""
        try:
            for path in self.open_paths():
                self.close_document(path)
        finally:
            self.context.close()


class LabNotebook:
    """A notebook open in a :class:`LabPage`, with all its cells run once.

    :meth:`problems` lists what went wrong: requests to the internet,
    console errors and uncaught errors in the page since a bookmark
    (:meth:`mark`), every stderr output and traceback in the cells, and
    settings the server rejected. Known harmless messages are allow-listed
    in LAB_CONSOLE_ALLOW and LAB_STDERR_ALLOW. :meth:`close` closes the tab
    and stops the kernel, asserting that the server accepted the DELETE."""

    def __init__(self, lab_page, path, *, run=True):
        self.lab_page, self.lab, self.path = lab_page, lab_page.lab, path
        self.page, self.watcher = lab_page.page, lab_page.watcher
        timeout = lab_page.timeout
        self.start = self.mark()
        self.ran = {"stderr": [], "errors": [], "prompts": []}
        self.seconds = {}
        try:
            t0 = time.monotonic()
            lab_page.open_document(path)
            self.page.wait_for_selector(f"{CURRENT_NOTEBOOK} .jp-Cell", timeout=timeout)
            wait_kernel_ready(self.page, path, timeout=timeout)
            self.seconds["open"] = time.monotonic() - t0
            if run:
                t0 = time.monotonic()
                self.ran = run_all_cells(self.page, path, timeout=2 * timeout)
                self.seconds["run_all"] = time.monotonic() - t0
        except Exception as err:
            why = self.describe_failure()
            try:                # leave no tab or kernel behind for the next notebook
                self.close()
            except Exception as close_err:
                why += f"\n(closing it failed too: {close_err})"
            raise AssertionError(f"{path}: {err}\n{why}") from err

    def mark(self):
        return self.watcher.mark()

    def cell_outputs(self):
        """Texts of the stderr outputs and tracebacks now in the notebook's cells."""
        return cell_outputs(self.page, self.path)

    def problems(self, since=None):
        """Readable problems: those of the page recorded since the bookmark
        ``since`` (default: since this notebook was opened), every stderr
        output and traceback the cells show now, and any settings the server
        rejected."""
        out = self.watcher.problems(since=since or self.start, allow=LAB_CONSOLE_ALLOW)
        cells = self.cell_outputs()
        out += [f"stderr output in a cell: {t}" for t in cells["stderr"] if not allowed(t, LAB_STDERR_ALLOW)]
        out += [f"a cell raised: {t}" for t in cells["errors"]]
        out += [f"log console (output of a widget callback): {t}" for t in log_console_messages(self.page)
                if not allowed(t, LAB_STDERR_ALLOW)]
        out += [f"server log: {e}" for e in self.lab.settings_errors()]
        return out

    def describe_failure(self):
        return describe_failure(self.page, self.path)

    def close(self):
        return self.lab_page.close_document(self.path)
