"""Repository hygiene: clean notebooks, generated exercises up to date, no absolute paths."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nbutils import JUPYTERLAB_METADATA

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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_metadata_is_what_jupyterlab_writes(path):
    """JupyterLab 4 rewrites kernelspec and language_info as soon as the kernel starts, and a notebook
    whose stored values differ is marked as changed a few seconds after opening. So the stored values
    must be exactly what it writes (tests/nbutils.py explains the Python version in language_info)."""
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    for key, expected in JUPYTERLAB_METADATA.items():
        assert meta.get(key) == expected, (
            f"metadata[{key!r}] is {meta.get(key)!r}, JupyterLab writes {expected!r}. Fix with: python -c \"import sys; "
            f"sys.path.insert(0, 'tests'); import nbutils; nbutils.set_jupyterlab_metadata()\" && "
            f"python tools/make_exercises.py")


def test_jupyterlab_metadata_is_complete():
    """The expected values themselves: what ipykernel's kernel_info reply and kernelspec hold."""
    info = JUPYTERLAB_METADATA["language_info"]
    assert JUPYTERLAB_METADATA["kernelspec"] == {"display_name": "Python 3 (ipykernel)", "language": "python",
                                                 "name": "python3"}
    assert set(info) == {"codemirror_mode", "file_extension", "mimetype", "name", "nbconvert_exporter",
                         "pygments_lexer", "version"}
    assert re.fullmatch(r"3\.\d+\.\d+", info["version"]), info["version"]


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
    ex = make_exercise(nb, "00_test_solutions.ipynb")
    code = ["".join(c["source"]) for c in ex["cells"] if c["cell_type"] == "code"]
    assert code[0] == 'def f(x):\n    raise NotImplementedError("Replace this line with your code.")\nfb = check(f)'
    assert code[1] == "answer = None  # your answer"
    assert "Because." not in json.dumps(ex)
    # The title stays first; right after it, what the student should do. The maintainer note
    # ("generated, edit the solutions") is in the cell's metadata, not in its text.
    assert "".join(ex["cells"][0]["source"]) == "# Title"
    how_to = ex["cells"][1]
    assert how_to["cell_type"] == "markdown" and "how-to-work" in how_to["metadata"]["tags"]
    _assert_tells_the_student_how_to_work("".join(how_to["source"]), "solutions/00_test_solutions.ipynb")
    note = how_to["metadata"]["nnlib"]
    assert note["generated_from"] == "solutions/00_test_solutions.ipynb"
    assert "make_exercises.py" in note["maintainer_note"]


def _assert_tells_the_student_how_to_work(text, solutions):
    for must in ("raise NotImplementedError", "run the cell", "check cell", "feedback", "explains", solutions):
        assert must in text, f"the how-to cell should mention {must!r}:\n{text}"
    for must_not in ("generated", "make_exercises", "edit the solutions", "not this file"):
        assert must_not not in text.lower(), f"the how-to cell talks to maintainers ({must_not!r}):\n{text}"


EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercise_notebook_opens_with_what_to_do(path):
    """Title, then how to work; nowhere a note telling the student not to edit the file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    solutions = f"solutions/{path.name.replace('_exercises.ipynb', '_solutions.ipynb')}"
    _assert_tells_the_student_how_to_work("".join(cells[1]["source"]), solutions)
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        assert "make_exercises" not in text and "not this file" not in text, f"cell {i} speaks to maintainers"


NUMBER_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
COUNTED = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r"|\d+)\s+(?:[a-z-]+\s+)?exercises\b", re.IGNORECASE)


@pytest.mark.parametrize("path", sorted((ROOT / "solutions").glob("*.ipynb")), ids=lambda p: p.name)
def test_exercise_counts_in_the_text_are_right(path):
    """A sentence such as "six short exercises" must match the "## Exercise" headings; better, avoid counts."""
    stem = path.name.removesuffix("_solutions.ipynb")
    headings = sum(len(re.findall(r"^## Exercise\b", "".join(c["source"]), re.MULTILINE))
                   for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
    assert headings > 0
    for nb_path in (path, ROOT / "chapters" / f"{stem}.ipynb", ROOT / "exercises" / f"{stem}_exercises.ipynb"):
        for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for m in COUNTED.finditer("".join(cell["source"])):
                word = m.group(1).lower()
                n = int(word) if word.isdigit() else NUMBER_WORDS[word]
                assert n == headings, f"{nb_path.name}: '{m.group(0)}', but there are {headings} exercises"
