"""Helpers for tests that read the course's notebooks."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_cells(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def solution_namespace(name):
    """Execute a solutions notebook's answer cells and return their namespace.

    Runs the notebook's first code cell (its imports) and then every code cell
    that contains ``### BEGIN SOLUTION``, and nothing else: no plots, no
    checks. Tests use it to feed the *single-source* solution to the checkers.
    """
    cells = code_cells(ROOT / "solutions" / name)
    ns = {"__name__": "solution_under_test"}
    exec(compile(cells[0], f"{name}[imports]", "exec"), ns)
    for i, src in enumerate(cells[1:], 1):
        if "### BEGIN SOLUTION" in src:
            exec(compile(src, f"{name}[cell {i}]", "exec"), ns)
    return ns
