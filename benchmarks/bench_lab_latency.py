"""End-to-end latency of the explorers in a real JupyterLab.

What a student feels: from a key press on a slider until the new picture is
on screen. For one slider of each explorer this script opens the chapter in
JupyterLab (the harness of tests/browser.py: a local server, headless
Chromium, nothing leaves 127.0.0.1), runs all cells once, focuses the
slider's handle and presses ArrowRight (ArrowLeft at the end of the range),
one key at a time with a pause in between so that renders never overlap. A
press is timed inside the page, from the keydown event to the moment the
explorer's <img> has a new src, fired 'load' and finished decoding.

Not a test: timing depends on the machine and on what else runs. Usage:

    python benchmarks/bench_lab_latency.py                # 15 presses per slider
    python benchmarks/bench_lab_latency.py --presses 30 --only GradientDescent2D

Goal: median <= 150 ms per slider.
"""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 150

# (notebook, explorer class, slider): one slider per explorer, the one a
# student is most likely to drag.
SLIDERS = [
    ("chapters/01_what_is_a_network.ipynb", "RandomNetworkExplorer", "seed"),
    ("chapters/02_perceptron.ipynb", "NeuronLineExplorer", "w1"),
    ("chapters/02_perceptron.ipynb", "PerceptronTrainingExplorer", "step"),
    ("chapters/06_gradient_descent.ipynb", "GradientDescent1D", "lr"),
    ("chapters/06_gradient_descent.ipynb", "GradientDescent2D", "momentum"),
    ("chapters/06_gradient_descent.ipynb", "MiniBatchSGD", "lr"),
]


def load_harness():
    """tests/browser.py, imported by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("nnlib_browser_harness", ROOT / "tests" / "browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_slider(B, page, cls, param, presses, pause):
    """Latencies (ms) of ``presses`` single key presses on ``cls``'s ``param`` slider."""
    handle, image = B.slider_handle(page, cls, param), B.explorer_image(page, cls)
    if handle.count() != 1:
        raise SystemExit(f"{cls}: no slider named {param!r} (class nnlib-param-{param})")
    handle.scroll_into_view_if_needed()
    B.wait_image_loaded(page, image)
    B.settle_image(page, image, quiet=pause)
    handle.focus()
    key, times, stuck = "ArrowRight", [], 0
    while len(times) < presses:
        ms = B.time_key_to_image(page, handle, image, key)
        if ms is None:                      # at the end of the range: turn round
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            stuck += 1
            if stuck > 2:
                raise SystemExit(f"{cls}.{param}: the slider does not move with the keyboard")
            continue
        times.append(ms)
        B.settle_image(page, image, quiet=pause)      # nothing else may be on its way
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=15, help="key presses per slider (default 15)")
    parser.add_argument("--pause", type=float, default=0.4,
                        help="seconds the image must stay unchanged before the next press (default 0.4)")
    parser.add_argument("--width", type=int, default=1280, help="browser window width in CSS px (default 1280)")
    parser.add_argument("--only", help="only explorers whose class name contains this text")
    args = parser.parse_args(argv)

    B = load_harness()
    missing = B.chromium_missing_message()
    if missing:
        raise SystemExit(missing)
    from playwright.sync_api import sync_playwright

    sliders = [s for s in SLIDERS if not args.only or args.only in s[1]]
    results = []
    with sync_playwright() as p:
        browser = B.launch_chromium(p)
        lab = B.JupyterLab()
        try:
            lab_page = B.LabPage(lab, browser, viewport=(args.width, 900))
            for notebook in dict.fromkeys(s[0] for s in sliders):
                t0 = time.monotonic()
                nb = lab_page.open(notebook)
                print(f"# {notebook}: opened and ran in {time.monotonic() - t0:.1f} s", file=sys.stderr)
                for _, cls, param in [s for s in sliders if s[0] == notebook]:
                    times = time_slider(B, nb.page, cls, param, args.presses, args.pause)
                    results.append((cls, param, times))
                problems = nb.problems()
                if problems:
                    print(f"# {notebook}: problems seen: {problems}", file=sys.stderr)
                nb.close()
            lab_page.close()
        finally:
            lab.stop()
            browser.close()

    print(f"Key press -> new picture decoded, in JupyterLab ({args.width} px wide, headless Chromium), "
          f"{args.presses} single presses per slider; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"{'explorer':<28} {'slider':<10} {'n':>3} {'median':>8} {'p95':>8} {'max':>8}   goal: median <= {GOAL_MS} ms")
    for cls, param, times in results:
        t = np.array(times)
        verdict = "ok" if np.median(t) <= GOAL_MS else "SLOW"
        print(f"{cls:<28} {param:<10} {len(t):>3} {np.median(t):>6.0f}ms {np.percentile(t, 95):>6.0f}ms "
              f"{t.max():>6.0f}ms   {verdict}")


if __name__ == "__main__":
    main()
