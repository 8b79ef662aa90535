"""A real JupyterLab drives the course's widgets.

One JupyterLab server (``lab`` fixture, tests/conftest.py) and one headless
Chromium serve every case. Each case opens a notebook, runs all its cells
from the Run menu, moves one explorer slider with the keyboard and checks
that the explorer's image changed — what a student does first.
"""

import os
import shutil
import subprocess
import sys

import pytest

from browser import ROOT, assert_slider_changes_image


LR = "learning rate η"
CASES = [
    # (test id, notebook, which slider: its index, optionally among sliders with this label)
    ("smoke", "tests/notebooks/widget_smoke.ipynb", {"slider_index": 0}),
    ("ch01-seed", "chapters/01_what_is_a_network.ipynb", {"slider_index": 0}),
    ("ch02-w1", "chapters/02_perceptron.ipynb", {"slider_index": 0}),
    ("ch02-training-step", "chapters/02_perceptron.ipynb", {"slider_label": "step (samples seen)", "slider_index": 0}),
    ("ch06-1d-learning-rate", "chapters/06_gradient_descent.ipynb", {"slider_label": LR, "slider_index": 0}),
    ("ch06-2d-learning-rate", "chapters/06_gradient_descent.ipynb", {"slider_label": LR, "slider_index": 1}),
    ("ch06-sgd-learning-rate", "chapters/06_gradient_descent.ipynb", {"slider_label": LR, "slider_index": 2}),
    ("ch06-sgd-batch-size", "chapters/06_gradient_descent.ipynb", {"slider_label": "batch size", "slider_index": 0}),
]


@pytest.mark.browser
@pytest.mark.parametrize("notebook, which", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_slider_changes_image(lab, chromium, notebook, which, request):
    assert (ROOT / notebook).exists(), f"{notebook} does not exist"
    shot = f"lab_{request.node.callspec.id}.png"
    result = assert_slider_changes_image(lab, chromium, notebook, screenshot=shot, **which)
    assert result["value"][0] != result["value"][1]


def test_browser_tests_fail_loudly_without_chromium(tmp_path):
    """With no Chromium, a browser test FAILS (never skips) and says how to install it."""
    for name in ("conftest.py", "browser.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / name)
    (tmp_path / "test_needs_browser.py").write_text(
        "import pytest\n\n@pytest.mark.browser\ndef test_page(chromium):\n    pass\n\n"
        "@pytest.mark.browser\ndef test_marked_only():\n    pass\n")
    env = dict(os.environ, NNLIB_CHROMIUM=str(tmp_path / "no-chromium-here"))
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
    import json
    nb = json.loads((ROOT / "tests/notebooks/widget_smoke.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(c.get("outputs") == [] and c.get("execution_count") is None
               for c in nb["cells"] if c["cell_type"] == "code")
