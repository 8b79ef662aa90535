"""Helpers for tests that read the course's notebooks."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The notebook metadata that JupyterLab 4 (with ipykernel) writes when it opens a notebook and its
# kernel starts: the kernelspec of the "python3" kernel, and the language_info of the kernel's
# kernel_info reply. JupyterLab replaces whatever the file holds with these values and marks the
# notebook as changed if they differ in any way (the comparison is deep, key by key), so every course
# notebook carries exactly these, and opening and closing one asks nothing.
#
# language_info["version"] is the kernel's Python version (platform.python_version()), the one thing
# that depends on the machine. The value below is the Python of the course's reference machine and
# CI (3.11.7, which `python3 -m venv .venv` uses there). On a machine with another Python the
# notebooks are still correct, but JupyterLab will mark them as changed after opening. When the
# reference Python changes, change PYTHON_VERSION here and rewrite the notebooks with
# `python -c "import sys; sys.path.insert(0, 'tests'); import nbutils; nbutils.set_jupyterlab_metadata()"`,
# then `python tools/make_exercises.py`.
PYTHON_VERSION = "3.11.7"
JUPYTERLAB_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": PYTHON_VERSION,
    },
}


def write_notebook(path, nb):
    """Write ``nb`` as the course's notebooks are stored (and as Jupyter writes them):
    indent 1, keys sorted, UTF-8 unescaped, a trailing newline."""
    Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def set_jupyterlab_metadata(folders=("chapters", "solutions")):
    """Give every notebook in ``folders`` exactly JUPYTERLAB_METADATA (other metadata keys are kept).
    Exercise notebooks take theirs from the solutions: run tools/make_exercises.py afterwards."""
    for folder in folders:
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            nb["metadata"].update(json.loads(json.dumps(JUPYTERLAB_METADATA)))
            write_notebook(path, nb)


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
