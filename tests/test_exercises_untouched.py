"""An untouched exercise notebook runs cleanly and every checker says "not attempted yet".

nbval (lax) only proves the exercise notebooks do not crash. This test runs each one on a fresh
kernel, as a student who opens it and presses "Run all" would, and reads what every check cell
displays: it must be the "not attempted yet" note, never "correct" (a stub must not pass) and
never "incorrect" (an untouched stub is not a wrong answer). The exercises come from the chapter
modules' ``EXERCISES`` lists (``nnlib.checks.chapters()``): every exercise listed there must be
checked in its chapter's notebook, and every notebook must belong to a chapter module.
"""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from nbutils import ROOT
from nnlib.checks import chapters

NOTEBOOKS = sorted((ROOT / "exercises").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^feedback = check_(\w+)\((\w+)\)", re.M)


def chapter_of(path):
    return path.name[:2]


def test_every_notebook_and_every_chapter_module_belong_together():
    assert NOTEBOOKS, "no exercise notebooks found"
    assert sorted(chapter_of(p) for p in NOTEBOOKS) == sorted(chapters()), \
        "each exercise notebook NN_*_exercises.ipynb needs a checker module nnlib/checks/chNN.py, and vice versa"
    for number, module in chapters().items():
        assert module.EXERCISES, f"{module.__name__}.EXERCISES is empty"
        for exercise in module.EXERCISES:
            assert getattr(module, f"check_{exercise.name}", None) is exercise.checker, \
                f"{module.__name__} must expose check_{exercise.name} = {exercise.name.upper()}.checker"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_untouched_exercises_report_not_attempted(path):
    nb = nbformat.read(path, as_version=4)
    listed = [exercise.name for exercise in chapters()[chapter_of(path)].EXERCISES]
    checked = [m.groups() for cell in nb.cells if cell.cell_type == "code" for m in CHECK_CALL.finditer(cell.source)]
    for name, argument in checked:
        assert name == argument, f"{path.name}: check_{name}({argument}) checks a function of another name"
    assert sorted(name for name, _ in checked) == sorted(listed), \
        f"{path.name}: the check cells call {[n for n, _ in checked]}, but the chapter lists {listed}"

    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    verdicts = {}
    for cell in nb.cells:
        match = cell.cell_type == "code" and CHECK_CALL.search(cell.source)
        if match:
            verdicts[match.group(1)] = " ".join(json.dumps(o.get("data", {}).get("text/plain", ""))
                                                + json.dumps(o.get("text", "")) for o in cell.outputs)
    assert sorted(verdicts) == sorted(listed)
    for name, shown in verdicts.items():
        assert "not attempted yet" in shown, f"{path.name}: check_{name} did not say 'not attempted yet': {shown[:300]}"
        assert "correct." not in shown.replace("not attempted yet", ""), \
            f"{path.name}: check_{name} passed (or failed) an untouched stub: {shown[:300]}"
