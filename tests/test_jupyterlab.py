"""A real JupyterLab drives the course's widgets.

One JupyterLab server (``lab`` fixture, tests/conftest.py), one headless
Chromium and one JupyterLab page (``lab_page``) serve every case. Each
notebook is opened once and its cells are run once (Run → Run All Cells,
never retried); pytest groups the tests that use the same notebook (the
module-scoped ``nb`` fixture), then the notebook is closed and its kernel
stopped. Explorers and their controls are found by name: the CSS classes
``nnlib-explorer-<Class>`` and ``nnlib-param-<name>`` that
``nnlib.explorers.base`` puts on the widgets.

Every test fails on a console error or uncaught error in the page, a stderr
output or traceback in a cell, kernel output in JupyterLab's log console
(widget callbacks), a request to the internet, or a settings file rejected
by the server; known harmless messages are allow-listed in tests/browser.py
(LAB_CONSOLE_ALLOW, LAB_STDERR_ALLOW), each with the reason.
"""

import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from browser import (LAB_CONSOLE_ALLOW, LAB_SETTINGS, ROOT, SCREENSHOT_DIR, explorer_box, explorer_image,
                     explorer_param_names, explorer_status, image_png, kernel_state, measure_explorer_text,
                     open_file_browser, param_control, press_until_change, settle_image, sessions, slider_handle,
                     slider_value,
                     wait_image_loaded, wait_kernel_ready)

SMOKE = "tests/notebooks/widget_smoke.ipynb"
CH01 = "chapters/01_what_is_a_network.ipynb"
CH02 = "chapters/02_perceptron.ipynb"
CH03 = "chapters/03_linear_separability.ipynb"
CH04 = "chapters/04_sigmoid_networks.ipynb"
CH05 = "chapters/05_loss_functions.ipynb"
CH06 = "chapters/06_gradient_descent.ipynb"
CH07 = "chapters/07_backpropagation.ipynb"

# Explorer class → (module, the notebook showing it, its parameters): the
# contract with nnlib/explorers/base.py. SlopeExplorer lives in the smoke
# notebook itself.
EXPLORERS = {
    "SlopeExplorer": (None, SMOKE, ["w"]),
    "RandomNetworkExplorer": ("nnlib.explorers.ch01", CH01, ["seed", "index", "scale"]),
    "NeuronLineExplorer": ("nnlib.explorers.ch02", CH02, ["w1", "w2", "b", "gate"]),
    "PerceptronTrainingExplorer": ("nnlib.explorers.ch02", CH02, ["gate", "lr", "step"]),
    "SeparabilityExplorer": ("nnlib.explorers.ch03", CH03, ["dataset", "noise", "epoch"]),
    "SteepnessExplorer": ("nnlib.explorers.ch04", CH04, ["k"]),
    "SigmoidSumExplorer": ("nnlib.explorers.ch04", CH04, ["n", "method", "parts"]),
    "HiddenSizeExplorer": ("nnlib.explorers.ch04", CH04, ["hidden", "seed"]),
    "OneWeightExplorer": ("nnlib.explorers.ch05", CH05, ["pixel", "w", "b"]),
    "GradientDescent1D": ("nnlib.explorers.ch06", CH06, ["surface", "lr", "momentum", "start", "steps"]),
    "GradientDescent2D": ("nnlib.explorers.ch06", CH06,
                          ["surface", "lr", "momentum", "kappa", "start_x", "start_y", "steps"]),
    "MiniBatchSGD": ("nnlib.explorers.ch06", CH06, ["batch_size", "lr", "epochs"]),
    "GraphExplorer": ("nnlib.explorers.ch07", CH07, ["expression", "step"]),
}
NOTEBOOKS = [SMOKE, CH01, CH02, CH03, CH04, CH05, CH06, CH07]
COURSE_EXPLORERS = [c for c, (module, _, _) in EXPLORERS.items() if module]

# (test id, explorer class, slider). The notebook is the one showing the
# class; if a notebook shows the same class twice, the first one is used
# (browser.explorer_box takes the first match).
SLIDER_CASES = [
    ("smoke-w", "SlopeExplorer", "w"),
    ("ch01-seed", "RandomNetworkExplorer", "seed"),
    ("ch01-scale", "RandomNetworkExplorer", "scale"),
    ("ch02-w1", "NeuronLineExplorer", "w1"),
    ("ch02-training-step", "PerceptronTrainingExplorer", "step"),
    ("ch03-epoch", "SeparabilityExplorer", "epoch"),
    ("ch03-noise", "SeparabilityExplorer", "noise"),
    ("ch04-steepness", "SteepnessExplorer", "k"),
    ("ch04-sigmoids", "SigmoidSumExplorer", "n"),
    ("ch04-hidden-seed", "HiddenSizeExplorer", "seed"),
    ("ch05-weight", "OneWeightExplorer", "w"),
    ("ch05-bias", "OneWeightExplorer", "b"),
    ("ch06-1d-learning-rate", "GradientDescent1D", "lr"),
    ("ch06-2d-learning-rate", "GradientDescent2D", "lr"),
    ("ch06-2d-momentum", "GradientDescent2D", "momentum"),
    ("ch06-sgd-learning-rate", "MiniBatchSGD", "lr"),
    ("ch06-sgd-batch-size", "MiniBatchSGD", "batch_size"),
    ("ch07-graph-step", "GraphExplorer", "step"),            # step through the graph: values, then gradients
]

# Readability goal: no explorer text smaller than this many CSS pixels, with
# the window this wide and JupyterLab's file browser open.
MIN_TEXT_CSS_PX = 11
WIDTHS = (1024, 1280)

# The notebooks students open: chapters and exercises. (Adding "solutions"
# costs about 4 s per notebook: one more kernel each.)
COURSE_NOTEBOOKS = sorted(str(p.relative_to(ROOT)) for folder in ("chapters", "exercises")
                          for p in (ROOT / folder).glob("*.ipynb"))


def explorer_class(name):
    module, _, _ = EXPLORERS[name]
    return getattr(importlib.import_module(module), name)


def assert_clean(nb, since, what):
    problems = nb.problems(since)
    assert not problems, f"{nb.path}: {what}:\n" + "\n".join(problems) + f"\n{nb.describe_failure()}"


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nb(request, lab_page):
    """The notebook ``request.param`` opened once in ``lab_page`` with all its
    cells run once. Module scope: pytest runs the tests that use the same
    notebook one after another, then closes it (the kernel is stopped and
    the DELETE of its session must succeed)."""
    notebook = lab_page.open(request.param)
    yield notebook
    notebook.close()


@pytest.fixture(autouse=True)
def _current_tab(request):
    """Menus and selectors act on the current tab: make it this test's notebook."""
    if "nb" in request.fixturenames:
        notebook = request.getfixturevalue("nb")
        notebook.lab_page.activate(notebook.path)


# --------------------------------------------------------------------------
# The server and its settings
# --------------------------------------------------------------------------

@pytest.mark.browser
def test_lab_loads_cleanly_and_accepts_its_settings(lab, lab_page):
    """JupyterLab loaded with no console error; every settings file the
    harness writes is valid for this JupyterLab (an unknown key makes it drop
    the whole file), so a notebook really starts its kernel by itself,
    renders every cell and is never saved."""
    problems = lab_page.watcher.problems(allow=LAB_CONSOLE_ALLOW)
    assert not problems, "\n".join(problems)
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.rsplit("/", 1)
        schema = f"{package}:{name}"          # e.g. @jupyterlab/notebook-extension:tracker
        got = lab_page.page.evaluate("async (id) => (await fetch('/lab/api/settings/' + id)).json()", schema)
        assert got["settings"] == values, f"{schema}: JupyterLab uses {got['settings']}, the harness wrote {values}"
    lab.check_settings()


# --------------------------------------------------------------------------
# Opening a notebook must not change it
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def opened_untouched(lab, lab_page):
    """Open every course notebook (no cell run), each once the previous one's
    kernel is idle and connected, wait 5 s more, and record for each
    notebook whether its tab is marked changed (``jp-mod-dirty``) and which
    metadata JupyterLab rewrote. Then close them, stopping the kernels,
    except the chapters the ``nb`` tests use: ``lab_page.open`` finds those
    already open with a fresh, idle kernel (saves loading them twice)."""
    page, since = lab_page.page, lab_page.watcher.mark()
    before = page.evaluate("() => { const w = window.jupyterapp.shell.currentWidget; return w ? w.id : null; }")
    for path in COURSE_NOTEBOOKS:        # one after the other: eight kernels starting at once on two
        lab_page.open_document(path)     # cores made the server answer 500 to a kernel start
        wait_kernel_ready(page, path, timeout=180_000)
    time.sleep(5)
    states = {}
    tabs = {t["label"]: t for t in lab_page.tabs()}
    for path in COURSE_NOTEBOOKS:
        on_disk = json.loads((ROOT / path).read_text(encoding="utf-8"))["metadata"]
        in_lab = lab_page.notebook_metadata(path)
        changed = {k: (on_disk.get(k), in_lab.get(k)) for k in sorted(set(on_disk) | set(in_lab))
                   if on_disk.get(k) != in_lab.get(k)}
        states[path] = {"tab": tabs.get(Path(path).name), "changed": changed,
                        "kernel": kernel_state(page, path)}
    closed = {path: lab_page.close_document(path) for path in COURSE_NOTEBOOKS if path not in NOTEBOOKS}
    if before:
        page.evaluate("(id) => window.jupyterapp.shell.activateById(id)", before)
    problems = lab_page.watcher.problems(since=since, allow=LAB_CONSOLE_ALLOW) + lab.settings_errors()
    return {"states": states, "closed": closed, "sessions_after": sessions(page), "problems": problems}


@pytest.mark.browser
@pytest.mark.parametrize("path", COURSE_NOTEBOOKS)
def test_opening_does_not_mark_notebook_changed(opened_untouched, path):
    state = opened_untouched["states"][path]
    assert state["tab"] is not None, f"{path}: no tab labelled {Path(path).name}"
    assert state["kernel"]["status"] == "idle" and state["kernel"]["connection"] == "connected", state["kernel"]
    assert not state["tab"]["dirty"], (
        f"{path} is marked changed 5 s after opening, with no edit. JupyterLab rewrote its metadata "
        f"(committed → in JupyterLab): {json.dumps(state['changed'], ensure_ascii=False)}")


@pytest.mark.browser
def test_closing_notebooks_stops_their_kernels(opened_untouched):
    """The harness's DELETE /api/sessions carries the _xsrf token and succeeds."""
    for path, statuses in opened_untouched["closed"].items():
        assert statuses and all(s == 204 for s in statuses), f"{path}: DELETE answered {statuses}"
    assert opened_untouched["closed"], "no notebook was closed"
    left = [s["path"] for s in opened_untouched["sessions_after"] if s["path"] in opened_untouched["closed"]]
    assert not left, f"sessions still running after closing: {left}"


@pytest.mark.browser
def test_opening_notebooks_logs_no_errors(opened_untouched):
    """Nothing went wrong in the page while the notebooks were open."""
    assert not opened_untouched["problems"], "\n".join(opened_untouched["problems"])


# --------------------------------------------------------------------------
# Run All, and the explorers a notebook shows
# --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("nb", NOTEBOOKS, indirect=True, ids=["smoke", "ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07"])
def test_notebook_runs_cleanly_and_shows_its_explorers(nb):
    """Run All ran every cell exactly once (checked in run_all_cells: prompts
    [1], [2], … with no retry), nothing went wrong on the way, and every
    explorer the notebook should show is there with a control per parameter."""
    assert nb.ran["prompts"] and not nb.ran["errors"], nb.ran
    assert_clean(nb, nb.start, "problems while opening and running the notebook")
    for cls, (_, notebook, params) in EXPLORERS.items():
        if notebook != nb.path:
            continue
        box = explorer_box(nb.page, cls)
        assert box.count() == 1, f"{nb.path}: no explorer with class nnlib-explorer-{cls}"
        found = explorer_param_names(nb.page, cls)
        missing = [p for p in params if p not in found]
        assert not missing, f"{nb.path}: {cls} has no control for {missing} (found {found})"
        wait_image_loaded(nb.page, explorer_image(nb.page, cls))


@pytest.mark.browser
@pytest.mark.parametrize("nb, cls, param", [(EXPLORERS[c][1], c, p) for _, c, p in SLIDER_CASES],
                         indirect=["nb"], scope="module", ids=[case[0] for case in SLIDER_CASES])
def test_slider_changes_image(nb, cls, param):
    """Moving one slider with the keyboard changes its own explorer's image
    (and no other explorer's), and the image settles."""
    page, since = nb.page, nb.mark()
    handle = slider_handle(page, cls, param)
    assert handle.count() == 1, f"{nb.path}: {cls} has {handle.count()} slider handles for {param!r}"
    image = explorer_image(page, cls)
    wait_image_loaded(page, image)
    others = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .nnlib-explorer-image")
    other_srcs = [(i, others.nth(i).get_attribute("src")) for i in range(others.count())
                  if not others.nth(i).evaluate("(el, img) => el === img", image.element_handle())]
    before_src = image.get_attribute("src")
    before, after = press_until_change(page, handle, presses=3)
    assert after != before, f"{nb.path}: {cls}.{param} did not move with the keyboard ({before} -> {after})"
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0",
                           arg=[image.element_handle(), before_src], timeout=60_000)
    settle_image(page, image, quiet=0.6)
    changed = [i for i, src in other_srcs if others.nth(i).get_attribute("src") != src]
    assert not changed, f"{nb.path}: moving {cls}.{param} also changed explorer image(s) {changed}"
    assert_clean(nb, since, f"problems while moving {cls}.{param}")


# --------------------------------------------------------------------------
# Readability at the widths students have
# --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("nb, cls", [(EXPLORERS[c][1], c) for c in COURSE_EXPLORERS],
                         indirect=["nb"], scope="module", ids=COURSE_EXPLORERS)
def test_explorer_text_is_readable(nb, lab_page, cls):
    """With the file browser open, at 1024 and 1280 CSS px wide, no text of
    the explorer is smaller than 11 CSS px: not in the image (its smallest
    text, from ``smallest_text_px()``, scaled by displayed / natural width),
    not in the status, not in the controls; and the image is not blown up
    beyond its natural size."""
    page, since = nb.page, nb.mark()
    explorer = explorer_class(cls)()
    assert hasattr(explorer, "smallest_text_px"), f"{cls} has no smallest_text_px() (nnlib.explorers.base)"
    smallest_px = explorer.smallest_text_px()
    rows, failures = [], []
    try:
        sidebar = open_file_browser(page)
        for width in WIDTHS:
            lab_page.set_width(width)
            m = measure_explorer_text(page, cls)
            image_css = smallest_px * m["displayed"] / m["natural"]
            row = {"width": width, "sidebar": round(sidebar), "displayed": round(m["displayed"], 1),
                   "natural": m["natural"], "image_text_css": round(image_css, 2),
                   "status_css": m["status"] and m["status"]["px"], "html_css": m["html"] and m["html"]["px"],
                   "html_smallest": m["html"] and m["html"]["where"]}
            rows.append(row)
            SCREENSHOT_DIR.mkdir(exist_ok=True)       # for people to look at: every explorer, both widths
            explorer_box(page, cls).screenshot(path=str(SCREENSHOT_DIR / f"lab_{cls}_{width}_explorer.png"))
            if cls == "GradientDescent2D":
                page.screenshot(path=str(SCREENSHOT_DIR / f"lab_ch06_2d_{width}.png"))
                explorer_box(page, cls).screenshot(path=str(SCREENSHOT_DIR / f"lab_ch06_2d_{width}_explorer.png"))
            if image_css < MIN_TEXT_CSS_PX:
                failures.append(f"{width} px: image text {image_css:.1f} CSS px ({smallest_px:.1f} image px "
                                f"shown at {m['displayed']:.0f}/{m['natural']} of natural width)")
            if m["displayed"] * m["dpr"] > m["natural"] + 0.5:
                failures.append(f"{width} px: image blown up ({m['displayed']:.0f} CSS px × {m['dpr']} "
                                f"> {m['natural']} natural px)")
            if m["status"] is None:
                failures.append(f"{width} px: no status text (.nnlib-explorer-status)")
            elif m["status"]["px"] < MIN_TEXT_CSS_PX:
                failures.append(f"{width} px: status text {m['status']['px']} CSS px ({m['status']['where']})")
            if m["html"]["px"] < MIN_TEXT_CSS_PX:
                failures.append(f"{width} px: widget text {m['html']['px']} CSS px ({m['html']['where']})")
    finally:
        lab_page.set_width(1280)
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        with open(SCREENSHOT_DIR / "readability.jsonl", "a") as f:
            for row in rows:
                f.write(json.dumps({"explorer": cls, "smallest_text_px": smallest_px, **row}) + "\n")
    print(f"\n{cls}: smallest image text {smallest_px:.1f} image px", *rows, sep="\n  ")
    assert not failures, f"{cls} is hard to read:\n" + "\n".join(failures)
    assert_clean(nb, since, f"problems while measuring {cls}")


# --------------------------------------------------------------------------
# Fast key presses: the picture ends on the last value
# --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("nb", [CH06], indirect=True, ids=["ch06"])
def test_fast_key_presses_settle_on_the_last_value(nb):
    """30 quick ArrowRight presses on the 2-D explorer's learning rate: the
    image stops changing within a few seconds of the last key, shows fewer
    pictures than key presses (stale values skipped), and shows the last
    value: it equals the picture of that value rendered on its own (step
    one left and back, one key at a time, and compare pixels)."""
    from PIL import Image

    cls, param, presses = "GradientDescent2D", "lr", 30
    page, since = nb.page, nb.mark()
    handle, image = slider_handle(page, cls, param), explorer_image(page, cls)
    value_box = param_control(page, cls, f"{param}-value").locator("input")
    status = explorer_status(page, cls)
    step = next(p.step for p in explorer_class(cls).params if p.name == param)

    handle.scroll_into_view_if_needed()
    handle.focus()
    old = image.get_attribute("src")
    page.keyboard.press("Home")             # the low end, so that 30 steps fit in the range
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old", arg=[image.element_handle(), old])
    settle_image(page, image, quiet=0.6)
    start = slider_value(handle)
    image.evaluate("""img => { window.__nnlibChanges = 0;
                              new MutationObserver(() => window.__nnlibChanges++)
                                .observe(img, {attributes: true, attributeFilter: ['src']}); }""")
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    last_key = time.monotonic()
    final = slider_value(handle)
    assert final == pytest.approx(start + presses * step, abs=1e-9), f"the slider went {start} → {final}"
    settle_image(page, image, quiet=1.0, timeout=30_000)
    settled_after = time.monotonic() - last_key - 1.0
    changes = page.evaluate("() => window.__nnlibChanges")
    burst = {"png": image_png(image), "status": status.inner_text(), "value": value_box.input_value()}
    assert settled_after < 5, f"the image was still changing {settled_after:.1f} s after the last key"
    assert 1 <= changes < presses, f"{changes} pictures for {presses} key presses"
    assert float(burst["value"]) == pytest.approx(10 ** final, rel=6e-3), (
        f"the value box shows {burst['value']}, the slider is at 10^{final}")

    for key in ("ArrowLeft", "ArrowRight"):          # the last value once more, rendered alone
        old = image.get_attribute("src")
        page.keyboard.press(key)
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old", arg=[image.element_handle(), old])
        settle_image(page, image, quiet=0.6)
    assert slider_value(handle) == pytest.approx(final, abs=1e-9)
    alone = {"png": image_png(image), "status": status.inner_text(), "value": value_box.input_value()}
    assert alone["value"] == burst["value"] and alone["status"] == burst["status"], (burst["status"], alone["status"])
    pixels = [np.asarray(Image.open(io.BytesIO(x["png"])).convert("RGB")) for x in (burst, alone)]
    assert pixels[0].shape == pixels[1].shape and np.array_equal(*pixels), (
        "after the burst the image differs from the picture of the final value rendered alone")
    print(f"\n{presses} presses → {changes} pictures; settled {settled_after:.2f} s after the last key")
    assert_clean(nb, since, "problems during the fast key presses")


# --------------------------------------------------------------------------
# No browser needed
# --------------------------------------------------------------------------

def test_browser_tests_fail_loudly_without_chromium(tmp_path):
    """With no Chromium, a browser test FAILS (never skips) and says how to install it."""
    for name in ("conftest.py", "browser.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / name)
    (tmp_path / "test_needs_browser.py").write_text(
        "import pytest\n\n@pytest.mark.browser\ndef test_page(chromium):\n    pass\n\n"
        "@pytest.mark.browser\ndef test_marked_only():\n    pass\n")
    # Only pytest itself is needed: no third-party plugins (nbval, hypothesis …) to load.
    env = dict(os.environ, NNLIB_CHROMIUM=str(tmp_path / "no-chromium-here"), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "-o", "markers=browser: needs Chromium", str(tmp_path)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "2 failed" in out or "2 errors" in out or ("1 failed" in out and "1 error" in out), out
    assert "skipped" not in out, out
    assert "apt-get install -y chromium" in out, out


def test_smoke_notebook_is_clean():
    """The smoke notebook follows the same rules as the course's notebooks."""
    nb = json.loads((ROOT / SMOKE).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(c.get("outputs") == [] and c.get("execution_count") is None
               for c in nb["cells"] if c["cell_type"] == "code")
