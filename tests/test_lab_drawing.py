"""Chapter 08's drawing canvas in a real JupyterLab, drawn on with the mouse.

The small notebook tests/notebooks/draw_digit.ipynb trains a quick network
(784-100-10, one epoch, about 96 % on MNIST's test set) and shows
``DrawDigit(model)``. One JupyterLab page (the ``lab`` and ``chromium``
fixtures of tests/conftest.py) opens it and runs it once; then the mouse
draws on the canvas, as a student would:

* a vertical stroke, which the network must read as "1";
* a closed loop, which it must read as "0";
* the Undo button, which must take back one stroke, and the Clear button,
  which must wipe the canvas and the answer;
* the digits 2 to 9 (each drawn with several strokes where a hand would
  lift the pen), of which the network must read all but at most two.

For each stroke the page records the time from the mouse button's release
(pointerup) until the bars have changed and been painted, and Python the
time from receiving the strokes to sending its answer; the test prints them
(and saves them with the screenshots) but asserts no time: the 100 ms goal is
measured by benchmarks/bench_draw_digit.py. Screenshots of the
canvas land in /tmp/nnlib-screenshots/. Every test also fails on a console
error, a request to the internet, or an error or stderr output in a cell.
"""

import json

import numpy as np
import pytest

from browser import SCREENSHOT_DIR, explorer_box, open_file_browser

NOTEBOOK = "tests/notebooks/draw_digit.ipynb"
CLS = "DrawDigit"
SIZE = 280

# Pen paths in a unit box (x to the right, y down), one list per stroke; the
# mouse moves through these points in small steps.
DIGITS = {
    "1": [[(0.52, 0.0), (0.5, 0.5), (0.48, 1.0)]],
    "0": [[(0.5 + 0.4 * np.sin(t), 0.5 - 0.5 * np.cos(t)) for t in np.linspace(0, 2.1 * np.pi, 40)]],
    "2": [[(0.1, 0.25), (0.25, 0.06), (0.5, 0.0), (0.75, 0.06), (0.86, 0.25), (0.78, 0.45), (0.55, 0.66),
           (0.3, 0.85), (0.1, 1.0), (0.5, 0.99), (0.92, 0.98)]],
    "3": [[(0.12, 0.1), (0.4, 0.0), (0.72, 0.05), (0.82, 0.22), (0.68, 0.4), (0.42, 0.48), (0.7, 0.55),
           (0.86, 0.72), (0.78, 0.9), (0.5, 1.0), (0.15, 0.92)]],
    "4": [[(0.62, 0.0), (0.35, 0.35), (0.08, 0.66), (0.5, 0.66), (0.95, 0.64)],
          [(0.7, 0.3), (0.68, 0.65), (0.66, 1.0)]],
    "7": [[(0.08, 0.04), (0.5, 0.03), (0.92, 0.02), (0.7, 0.4), (0.55, 0.7), (0.45, 1.0)]],
    # drawn by the lead from a sketch on paper: a flag-topped 5 in two strokes, a 6 with a round belly,
    # an 8 as one figure-of-eight stroke, a 9 as a loop and a straight stem
    "5": [[(0.3, 0.02), (0.22, 0.42), (0.45, 0.36), (0.72, 0.45), (0.82, 0.68), (0.7, 0.92), (0.42, 1.0),
           (0.15, 0.9)],
          [(0.3, 0.02), (0.85, 0.02)]],
    "6": [[(0.72, 0.02), (0.45, 0.18), (0.25, 0.45), (0.2, 0.72), (0.32, 0.95), (0.55, 1.0), (0.76, 0.88),
           (0.8, 0.68), (0.62, 0.52), (0.38, 0.55), (0.22, 0.72)]],
    "8": [[(0.5 + 0.3 * np.sin(t), 0.26 - 0.24 * np.cos(t)) for t in np.linspace(0, np.pi, 10)]
          + [(0.5 - 0.38 * np.sin(t), 0.74 - 0.26 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 20)]
          + [(0.5 + 0.3 * np.sin(t), 0.26 - 0.24 * np.cos(t)) for t in np.linspace(np.pi, 2 * np.pi, 10)]],
    "9": [[(0.75, 0.2), (0.6, 0.04), (0.38, 0.03), (0.2, 0.18), (0.22, 0.38), (0.42, 0.48), (0.66, 0.42),
           (0.76, 0.22)],
          [(0.77, 0.15), (0.74, 0.6), (0.7, 1.0)]],
}
MORE = ["2", "3", "4", "5", "6", "7", "8", "9"]
BOX = (70, 40, 140, 200)       # where the digit is drawn on the canvas: left, top, width, height


@pytest.fixture(scope="module")
def nb(lab_page):
    notebook = lab_page.open(NOTEBOOK)
    yield notebook
    notebook.close()


def assert_clean(nb, since, what):
    problems = nb.problems(since)
    assert not problems, f"{nb.path}: {what}:\n" + "\n".join(problems) + f"\n{nb.describe_failure()}"


def part(page, name):
    return explorer_box(page, CLS).locator(f".nnlib-draw-{name}")


def state(page):
    """What the canvas shows now: the digit, the bar heights, the status, the timings."""
    return explorer_box(page, CLS).locator(".nnlib-draw").evaluate(
        """root => ({digit: root.querySelector('.nnlib-draw-digit').textContent,
                     data: {...root.dataset},
                     bars: [...root.querySelectorAll('.nnlib-draw-bar')].map(b => parseFloat(b.style.height)),
                     status: root.querySelector('.nnlib-draw-status').textContent})""")


def wait_answer(page, version):
    """Wait until the canvas shows an answer newer than ``version``, painted."""
    page.wait_for_function(
        """([box, v]) => { const d = box.querySelector('.nnlib-draw').dataset;
                           return +d.version > v && d.pending === undefined; }""",
        arg=[explorer_box(page, CLS).element_handle(), version], timeout=30_000)
    return state(page)


def draw(page, strokes, *, steps=3):
    """Draw ``strokes`` (unit-box paths) on the canvas with the mouse, one stroke at a
    time, waiting for the answer after each; returns the timings of each stroke."""
    canvas = part(page, "canvas")
    canvas.scroll_into_view_if_needed()
    r = canvas.evaluate("""c => { const b = c.getBoundingClientRect();       // the drawing area, inside the border
                                  return {x: b.left + c.clientLeft, y: b.top + c.clientTop, width: c.clientWidth}; }""")
    scale = r["width"] / SIZE
    timings = []
    for stroke in strokes:
        version = int(state(page)["data"].get("version", 0))
        points = [(r["x"] + (BOX[0] + BOX[2] * x) * scale, r["y"] + (BOX[1] + BOX[3] * y) * scale) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for p in points[1:]:
            page.mouse.move(*p, steps=steps)
        page.mouse.up()
        s = wait_answer(page, version)
        timings.append((float(s["data"]["latencyMs"]), float(s["data"]["pythonMs"])))
    return timings


def clear(page):
    """Press Clear; wait for Python's answer unless the canvas was blank already
    (then nothing changes, and nothing is sent)."""
    before = state(page)
    part(page, "clear").click()
    if before["digit"] == "?" and "Draw one digit" in before["status"]:
        return state(page)
    return wait_answer(page, int(before["data"]["version"]))


def shot(page, name):
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    explorer_box(page, CLS).screenshot(path=str(SCREENSHOT_DIR / f"lab_DrawDigit_{name}.png"))


@pytest.mark.browser
def test_notebook_shows_the_canvas(nb):
    """Run All ran cleanly; the canvas is there, takes pointer events without scrolling
    the page (touch-action: none), and invites the student to draw."""
    assert nb.ran["prompts"] and not nb.ran["errors"], nb.ran
    assert_clean(nb, nb.start, "problems while opening and running the notebook")
    box = explorer_box(nb.page, CLS)
    assert box.count() == 1, "no element with classes nnlib-explorer nnlib-explorer-DrawDigit"
    canvas = part(nb.page, "canvas")
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    assert canvas.evaluate("c => c.clientWidth") == SIZE
    s = state(nb.page)
    assert s["digit"] == "?" and s["bars"] == [0.0] * 10, s
    assert "Draw one digit" in s["status"], s["status"]
    smallest = box.evaluate("""b => Math.min(...[...b.querySelectorAll('*')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 11, f"text of {smallest} CSS px in the canvas widget"
    shot(nb.page, "empty")


@pytest.mark.browser
def test_canvas_fits_beside_the_file_browser(nb, lab_page):
    """At 1024 CSS px with the file browser open, nothing sticks out of the notebook:
    the bars wrap below the canvas if they must."""
    page, since = nb.page, nb.mark()
    try:
        open_file_browser(page)
        lab_page.set_width(1024)
        box = explorer_box(page, CLS)
        box.scroll_into_view_if_needed()
        overflow = box.evaluate("""b => { const cell = b.closest('.jp-OutputArea-output') || b.parentElement;
                                         return cell.scrollWidth - cell.clientWidth; }""")
        shot(page, "1024")
        assert overflow <= 0, f"the canvas widget is {overflow} px wider than its output area"
    finally:
        lab_page.set_width(1280)
    assert_clean(nb, since, "problems at 1024 px")


@pytest.mark.browser
def test_vertical_stroke_reads_one(nb):
    page, since = nb.page, nb.mark()
    clear(page)
    timings = draw(page, DIGITS["1"], steps=8)
    s = state(page)
    shot(page, "1")
    assert s["digit"] == "1", f"a vertical stroke was read as {s['digit']}: {s['status']}"
    assert s["bars"][1] == max(s["bars"]) and s["bars"][1] > 50, s["bars"]
    assert "reads a 1" in s["status"], s["status"]
    browser_ms, python_ms = timings[0]
    print(f"\n'1': pointerup → bars painted {browser_ms:.0f} ms (Python {python_ms:.1f} ms)")
    assert python_ms > 0 and browser_ms > 0          # measured, and printed; benchmarks/ holds the goal
    assert_clean(nb, since, "problems while drawing a 1")


@pytest.mark.browser
def test_closed_loop_reads_zero(nb):
    page, since = nb.page, nb.mark()
    clear(page)
    timings = draw(page, DIGITS["0"], steps=2)
    s = state(page)
    shot(page, "0")
    assert s["digit"] == "0", f"a closed loop was read as {s['digit']}: {s['status']}"
    print(f"\n'0': pointerup → bars painted {timings[0][0]:.0f} ms (Python {timings[0][1]:.1f} ms)")
    assert_clean(nb, since, "problems while drawing a 0")


def inked_pixels(page):
    return part(page, "canvas").evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0; return n; }""")


@pytest.mark.browser
def test_undo_takes_back_one_stroke_and_clear_wipes_everything(nb):
    page, since = nb.page, nb.mark()
    clear(page)
    draw(page, DIGITS["4"])                          # two strokes
    both = inked_pixels(page)
    version = int(state(page)["data"]["version"])
    part(page, "undo").click()
    s = wait_answer(page, version)
    one = inked_pixels(page)
    assert 0 < one < both, (one, both)
    assert s["digit"] != "?" and "reads a" in s["status"], s
    s = clear(page)
    shot(page, "cleared")
    assert s["digit"] == "?" and s["bars"] == [0.0] * 10, s
    assert "Draw one digit" in s["status"], s["status"]
    ink = inked_pixels(page)
    assert ink == 0, f"{ink} pixels still inked after Clear"
    seen = part(page, "seen").evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
                  let n = 0; for (let i = 0; i < d.length; i += 4) n += d[i] < 255; return n; }""")
    assert seen == 0, f"{seen} dark pixels left in the 28 × 28 image after Clear"
    assert_clean(nb, since, "problems while clearing")


@pytest.mark.browser
def test_more_digits_and_latency(nb):
    """A 2, 3, 4 and 7 drawn with the mouse: the network (a quick one, about 96 % on
    MNIST's test set) must read at least three of them; every answer comes quickly."""
    page, since = nb.page, nb.mark()
    results, times = {}, []
    for name in MORE:
        clear(page)
        times += draw(page, DIGITS[name])
        results[name] = state(page)["digit"]
        shot(page, name)
    right = sum(results[k] == k for k in MORE)
    browser = np.array([t[0] for t in times])
    python = np.array([t[1] for t in times])
    report = {"drawn → read": results, "right": f"{right} of {len(MORE)}", "strokes": len(times),
              "pointerup → bars painted, ms (median, max)": [round(float(np.median(browser))), round(float(browser.max()))],
              "Python, ms (median, max)": [round(float(np.median(python)), 1), round(float(python.max()), 1)]}
    print("\n" + json.dumps(report, ensure_ascii=False))
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    (SCREENSHOT_DIR / "lab_DrawDigit_results.json").write_text(json.dumps(report, ensure_ascii=False))
    assert right >= len(MORE) - 2, f"the network read {results}"
    assert len(times) >= len(MORE) and (browser > 0).all()     # every stroke answered and timed
    assert_clean(nb, since, "problems while drawing " + ", ".join(MORE))
