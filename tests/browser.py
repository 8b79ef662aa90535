"""Shared helpers for the browser tests (the book's pages and JupyterLab).

Everything here runs offline and on 127.0.0.1 only:

* :func:`launch_chromium` starts Debian's ``/usr/bin/chromium`` headless
  through Playwright's sync API (never ``playwright install``);
* :func:`serve_directory` serves a folder over HTTP from a thread;
* :class:`PageWatcher` records every request that would leave localhost
  (and aborts it), console errors and uncaught page errors;
* :class:`JupyterLab` starts a real ``jupyter lab`` server with an isolated
  configuration in a temporary folder, and :func:`assert_slider_changes_image`
  drives a notebook in it: open, Run All Cells, move a widget slider with the
  keyboard, check that the explorer's image changed.
"""

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


class PageWatcher:
    """Attach to a Playwright page: block and record every non-local request,
    record console errors and uncaught exceptions."""

    def __init__(self, page):
        self.page = page
        self.external = []
        self.console_errors = []
        self.page_errors = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        # WebSockets are not routed; record them too.
        page.on("websocket", lambda ws: None if is_local(ws.url) else self.external.append(ws.url))

    def _route(self, route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error":
            loc = msg.location or {}
            self.console_errors.append(f"{msg.text} ({loc.get('url', '?')}:{loc.get('lineNumber', '?')})")

    def problems(self):
        """A list of readable problems (empty when the page behaved)."""
        out = [f"request to the internet: {u}" for u in self.external]
        out += [f"console error: {e}" for e in self.console_errors]
        out += [f"uncaught error: {e}" for e in self.page_errors]
        return out


# --------------------------------------------------------------------------
# A real JupyterLab
# --------------------------------------------------------------------------

class JupyterLab:
    """A ``jupyter lab`` server on 127.0.0.1 with no token, no browser and an
    isolated configuration (settings, workspaces, runtime files) in a
    temporary folder, so that no state leaks in from, or out to, the user's
    own JupyterLab. Use as a context manager or call :meth:`stop`."""

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
        # No "Would you like to receive Jupyter news?" toast, no news fetch; every
        # cell rendered (no windowing), so widgets far down the page exist; and
        # the notebook's own kernel started without a "Select Kernel" dialog.
        for plugin, values in [("apputils-extension/notification", {"fetchNews": "false"}),
                               ("notebook-extension/tracker", {"windowingMode": "none",
                                                               "autoStartDefault": True})]:
            path = self.home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        cmd = [sys.executable, "-m", "jupyterlab",
               "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               "--PasswordIdentityProvider.hashed_password=",
               f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
               "--LabApp.news_url=None",
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

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

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


def shutdown_kernel(page, path):
    """Delete the notebook's session on the server (stops its kernel)."""
    page.evaluate(
        """async (path) => {
             const r = await fetch('/api/sessions', {cache: 'no-store'});
             for (const s of (await r.json()).filter(s => s.path === path)) {
               await fetch('/api/sessions/' + s.id, {method: 'DELETE'});
             }
           }""", path)


def open_notebook(page, lab, path, *, timeout=60_000):
    """Open ``path`` (relative to the lab's root) and wait until its kernel
    has started and is idle."""
    page.goto(lab.notebook_url(path), wait_until="domcontentloaded")
    page.wait_for_selector(f"{CURRENT_NOTEBOOK} .jp-Cell", timeout=timeout)
    # If JupyterLab still asks which kernel to use, accept its choice (Python 3).
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(state="visible", timeout=1500)
        dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    except Exception:
        pass
    wait_kernel_idle(page, path, timeout=timeout)


def wait_kernel_idle(page, path, *, timeout=60_000):
    """Wait until the server reports an idle kernel for ``path`` and the
    notebook's own status indicator says idle too (before the kernel exists
    the indicator may already claim "idle")."""
    page.wait_for_function(
        """async (path) => {
             const r = await fetch('/api/sessions', {cache: 'no-store'});
             if (!r.ok) return false;
             const s = (await r.json()).find(s => s.path === path);
             const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator')
                      || document.querySelector('.jp-Notebook-ExecutionIndicator');
             return !!(s && s.kernel && s.kernel.execution_state === 'idle'
                       && ind && ind.getAttribute('data-status') === 'idle');
           }""",
        arg=path, timeout=timeout, polling=250)


def _prompts(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                   .map(p => p.textContent.trim())""")


def run_all_cells(page, path, *, timeout=120_000, attempts=3):
    """Run → Run All Cells from the menu bar, then wait until every code cell
    ran and the kernel is idle. Returns counts of stderr outputs and the text
    of any traceback.

    Right after a notebook opens, JupyterLab may still be (re)connecting to
    the kernel and can drop a request; like a student, click again if no cell
    starts within a few seconds.
    """
    for attempt in range(attempts):
        # Exact labels: the Run menu also holds "Restart Kernel and Run All Cells…".
        page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(r"^Run All Cells$")).click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(re.fullmatch(r"\[(\*|\d+)\]:?", p) for p in _prompts(page)):
                break
            time.sleep(0.2)
        else:
            continue
        break
    else:
        raise AssertionError(f"{path}: Run All Cells started no cell after {attempts} attempts; "
                             f"prompts {_prompts(page)}")
    # Done when no cell is queued or running, and either every cell ran or
    # one raised (Run All stops there).
    page.wait_for_function(
        """() => { const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                   const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
                   const failed = nb.querySelector("[data-mime-type='application/vnd.jupyter.error']");
                   return prompts.length > 0 && !prompts.some(p => p.includes('*'))
                          && (failed || prompts.every(p => /\\[\\d+\\]/.test(p))); }""",
        timeout=timeout)
    wait_kernel_idle(page, path, timeout=timeout)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) [data-mime-type='application/vnd.jupyter.error']")
    return {"stderr": errors.count(), "errors": [t.inner_text()[:2000] for t in tracebacks.all()]}


def slider_handles(page, label=None):
    """Slider handles of the visible notebook, optionally only those whose
    label contains ``label`` (e.g. "learning rate")."""
    sliders = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets .widget-slider")
    if label is not None:
        sliders = sliders.filter(has=page.locator(".widget-label", has_text=label))
    return sliders.locator(".noUi-handle")


def widget_images(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets img")


def _image_after_slider(page, handle):
    """The explorer image shown in the same output as ``handle``."""
    output = handle.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    return output.locator(".jupyter-widgets img").first


def settle_image(page, image, *, quiet=1.5, timeout=60_000):
    """Wait until ``image``'s src has not changed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout / 1000
    last, since = image.get_attribute("src"), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"the widget image kept changing for {timeout / 1000:.0f} s")
        time.sleep(0.1)
        src = image.get_attribute("src")
        if src != last:
            last, since = src, time.monotonic()


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


def assert_slider_changes_image(lab, browser, notebook, *, slider_index=0, slider_label=None, presses=5,
                                timeout=60_000, screenshot=None):
    """Open ``notebook`` in ``lab``, run all cells, move slider number
    ``slider_index`` with ArrowRight, and assert that the explorer image next
    to it changed. Sliders are counted over the whole notebook, or only among
    those labelled with ``slider_label``. Also asserts that no cell raised and
    nothing was fetched from the internet. Returns what happened (a dict)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watcher = PageWatcher(page)
    try:
        t0 = time.monotonic()
        open_notebook(page, lab, notebook, timeout=timeout)
        ran = run_all_cells(page, notebook, timeout=2 * timeout)
        assert not ran["errors"], f"{notebook}: a cell raised in JupyterLab:\n" + "\n".join(ran["errors"])
        handles = slider_handles(page, slider_label)
        what = f"slider {slider_index}" + (f" labelled {slider_label!r}" if slider_label else "")
        try:
            handles.nth(slider_index).wait_for(state="attached", timeout=timeout)
        except Exception:
            raise AssertionError(f"{notebook}: no {what}; found {handles.count()} such sliders") from None
        n = handles.count()
        handle = handles.nth(slider_index)
        handle.scroll_into_view_if_needed()
        image = _image_after_slider(page, handle)
        image.wait_for(state="visible", timeout=timeout)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                               timeout=timeout)
        before_src = image.get_attribute("src")
        before_value = handle.get_attribute("aria-valuenow")
        handle.focus()
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        after_value = handle.get_attribute("aria-valuenow")
        assert after_value != before_value, (
            f"{notebook}: {what} did not move with the keyboard ({before_value} -> {after_value})")
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0",
                               arg=[image.element_handle(), before_src], timeout=timeout)
        # Each key press re-renders; wait until the image settles on the last value.
        settle_image(page, image, timeout=timeout)
        wait_kernel_idle(page, notebook, timeout=timeout)
        if screenshot:
            SCREENSHOT_DIR.mkdir(exist_ok=True)
            output = handle.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
            output.screenshot(path=str(SCREENSHOT_DIR / screenshot))
        problems = [p for p in watcher.problems() if not p.startswith("console error")]
        assert not problems, f"{notebook}: " + "; ".join(problems)
        return {"seconds": time.monotonic() - t0, "sliders": n, "value": (before_value, after_value),
                "console_errors": list(watcher.console_errors)}
    except Exception as err:
        raise AssertionError(f"{notebook}: {err}\n{describe_failure(page, notebook)}") from err
    finally:
        try:
            shutdown_kernel(page, notebook)
        finally:
            context.close()
