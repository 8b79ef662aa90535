"""Repository hygiene: clean notebooks, generated exercises up to date, no absolute paths."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for d in ("chapters", "solutions", "exercises") for p in (ROOT / d).glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_is_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3", "kernel must be python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"cell {i} has an execution count"
        src = "".join(cell["source"])
        assert not re.search(r"['\"](/work|/home|/root|/tmp|[A-Z]:\\\\)", src), f"cell {i} uses an absolute path"


SUFFIX = {"chapters": "", "solutions": "_solutions", "exercises": "_exercises"}


def _stem(path):
    """The chapter a notebook belongs to: ``06_gradient_descent`` for all three of its notebooks."""
    return path.stem.removesuffix(SUFFIX[path.parent.name]) if SUFFIX[path.parent.name] else path.stem


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_chapter_has_three_notebooks(path):
    """chapters/NN_topic, solutions/NN_topic_solutions and exercises/NN_topic_exercises: three
    notebooks a chapter, with names that tell them apart in JupyterLab's tabs."""
    assert path.stem.endswith(SUFFIX[path.parent.name]), f"{path.name} should end in {SUFFIX[path.parent.name]}.ipynb"
    stem = _stem(path)
    for folder, suffix in SUFFIX.items():
        assert (ROOT / folder / f"{stem}{suffix}.ipynb").exists(), f"{folder}/{stem}{suffix}.ipynb is missing"


def test_exercises_are_generated_from_solutions():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generator_replaces_solutions_and_drops_hidden_tests():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from make_exercises import make_exercise
    finally:
        sys.path.pop(0)
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source":
            "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
            "fb = check(f)\n### BEGIN HIDDEN TESTS\nassert fb\n### END HIDDEN TESTS\n"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source":
            "### BEGIN SOLUTION\n#> answer = None  # your answer\nanswer = 4\n### END SOLUTION"},
        {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "Because."},
    ]}
    ex = make_exercise(nb, "00_test.ipynb")
    code = [c["source"] for c in ex["cells"] if c["cell_type"] == "code"]
    assert code[0] == 'def f(x):\n    raise NotImplementedError("Replace this line with your code.")\nfb = check(f)'
    assert code[1] == "answer = None  # your answer"
    assert "Because." not in json.dumps(ex)
    assert "generated" in ex["cells"][0]["source"]
