"""An untouched exercise notebook runs cleanly and every checker says "not attempted yet".

nbval (lax) only proves the exercise notebooks do not crash. This test runs
each one on a fresh kernel, as a student who opens it and presses "Run all"
would, and reads what every check cell displays: it must be the "not
attempted yet" note, never "correct" (a stub must not pass) and never
"incorrect" (an untouched stub is not a wrong answer).
"""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from nbutils import ROOT

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
CHECK_CALL = re.compile(r"^feedback = check_\w+\(", re.M)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_untouched_exercises_report_not_attempted(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    verdicts = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not CHECK_CALL.search(cell.source):
            continue
        shown = " ".join(json.dumps(o.get("data", {}).get("text/plain", "")) + json.dumps(o.get("text", ""))
                         for o in cell.outputs)
        verdicts.append(("not attempted yet" in shown, "correct." in shown and "not attempted" not in shown, shown))
    assert len(verdicts) >= 3, f"{path.name}: expected several check cells, found {len(verdicts)}"
    for attempted_note, looks_correct, shown in verdicts:
        assert attempted_note, f"{path.name}: a check cell did not say 'not attempted yet': {shown[:300]}"
        assert not looks_correct, f"{path.name}: a stub passed its checker: {shown[:300]}"
