"""Generate exercises/NN_topic_exercises.ipynb from solutions/NN_topic_solutions.ipynb.

The suffixes keep the three notebooks of a chapter apart in JupyterLab's tabs
(chapters/NN_topic.ipynb is the text).

The solution notebook is the single source. Markers, nbgrader-style:

* In a code cell, the lines between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` are replaced by a stub, indented like the marker. The
  stub is the block's lines that start with ``#> `` (with that prefix
  removed), or, if there are none, ``raise NotImplementedError(...)``.
* Lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are
  removed (solution notebooks use them to ``assert`` that the checker accepts
  the solution).
* A cell tagged ``solution`` (e.g. a worked written answer) is replaced by a
  markdown cell inviting the student to write their own.

The exercise notebook is written without outputs. Run:

    python tools/make_exercises.py            # regenerate every exercise
    python tools/make_exercises.py --check    # exit 1 if any is out of date
"""

import argparse
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = re.compile(r"^(?P<indent>[ \t]*)### (?P<what>BEGIN|END) (?P<kind>SOLUTION|HIDDEN TESTS)\s*$")
STUB_PREFIX = "#> "
SOLUTION_SUFFIX, EXERCISE_SUFFIX = "_solutions", "_exercises"
ANSWER_CELL = "✏️ **Your answer here.** Write it in this cell (double-click to edit)."
HEADER = ("> This is the exercise notebook for **{title}**. It is generated from "
          "`solutions/{name}` by `tools/make_exercises.py`; edit the solutions, not this file.\n")


def strip_source(lines, where):
    """Apply the markers to a code cell's source (a list of lines)."""
    out, block, kind, indent = [], None, None, ""
    for n, line in enumerate(lines, 1):
        m = MARK.match(line.rstrip("\n"))
        if m and m["what"] == "BEGIN":
            if block is not None:
                raise SystemExit(f"{where}: line {n}: nested ### BEGIN {m['kind']}")
            block, kind, indent = [], m["kind"], m["indent"]
        elif m and m["what"] == "END":
            if block is None or m["kind"] != kind:
                raise SystemExit(f"{where}: line {n}: ### END {m['kind']} without a matching BEGIN")
            if kind == "SOLUTION":
                stub = [l.strip()[len(STUB_PREFIX):] for l in block if l.strip().startswith(STUB_PREFIX)]
                stub = stub or ['raise NotImplementedError("Replace this line with your code.")']
                out += [indent + s + "\n" for s in stub]
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise SystemExit(f"{where}: ### BEGIN {kind} is never closed")
    if out and out[-1].endswith("\n"):
        out[-1] = out[-1][:-1]
    return out


def make_exercise(nb, name):
    nb = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(nb["cells"]):
        src = cell["source"]
        lines = src.splitlines(keepends=True) if isinstance(src, str) else list(src)
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            cell = {"cell_type": "markdown", "metadata": {}, "source": ANSWER_CELL}
        elif cell["cell_type"] == "code":
            cell["source"] = "".join(strip_source(lines, f"{name} cell {i}"))
            cell["outputs"], cell["execution_count"] = [], None
            cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k != "execution"}
        else:
            cell["source"] = "".join(lines)
        cells.append(cell)
    title = name
    for cell in cells:
        if cell["cell_type"] == "markdown":
            first = "".join(cell["source"]).strip().splitlines()
            if first and first[0].startswith("# "):
                title = first[0][2:].strip()
                break
    header = {"cell_type": "markdown", "metadata": {"tags": ["generated-note"]},
              "source": HEADER.format(title=title, name=name)}
    nb["cells"] = [header] + cells
    for cell in nb["cells"]:
        cell.pop("id", None)
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    nb["nbformat"], nb["nbformat_minor"] = 4, 4
    return nb


def exercise_name(solution_name):
    """``06_gradient_descent_solutions.ipynb`` -> ``06_gradient_descent_exercises.ipynb``."""
    stem = solution_name.removesuffix(".ipynb")
    if not stem.endswith(SOLUTION_SUFFIX):
        raise SystemExit(f"solutions/{solution_name}: solution notebooks are named NN_topic{SOLUTION_SUFFIX}.ipynb")
    return stem.removesuffix(SOLUTION_SUFFIX) + EXERCISE_SUFFIX + ".ipynb"


def render(nb):
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any exercise is out of date")
    args = parser.parse_args(argv)
    stale = []
    for sol in sorted((ROOT / "solutions").glob("*.ipynb")):
        target = ROOT / "exercises" / exercise_name(sol.name)
        text = render(make_exercise(json.loads(sol.read_text(encoding="utf-8")), sol.name))
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(target.relative_to(ROOT))
            if not args.check:
                target.write_text(text, encoding="utf-8")
    names = {exercise_name(p.name) for p in (ROOT / "solutions").glob("*.ipynb")}
    orphans = [p.relative_to(ROOT) for p in (ROOT / "exercises").glob("*.ipynb") if p.name not in names]
    if args.check:
        for p in stale:
            print(f"out of date: {p} (run: python tools/make_exercises.py)")
        for p in orphans:
            print(f"no solution notebook for: {p}")
        return 1 if stale or orphans else 0
    for p in stale:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
