"""Settings for the whole test session (this file sits at the root so that it applies everywhere).

The variables are set when pytest starts, so the Jupyter kernels that nbval starts for the
notebooks, the book build and the JupyterLab server all inherit them.

``NNLIB_CHECKS_DEBUG=1``: a bug in an exercise checker's own code raises instead of becoming a
polite "the checker itself failed" note, so no test can pass over it.

One BLAS thread per process: pytest runs two worker processes (pytest.ini), each with its own
kernels, on a two-core machine. A multi-threaded matrix product that competes with the other
worker for the cores can run ten times slower than a single-threaded one (chapter 08's
training took 95 s instead of 9 s that way), so each process keeps to one thread. A value set
in the environment beforehand is kept.
"""

import os

os.environ["NNLIB_CHECKS_DEBUG"] = "1"
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


# The longest files first: with two workers (pytest.ini), a long file that starts last would
# leave one worker idle while the other finishes it. xdist hands out whole files in this order
# (--no-loadscope-reorder), so each worker starts on one of the long ones.
LONGEST_FIRST = ["tests/test_book.py", "tests/test_jupyterlab.py", "tests/test_lab_drawing.py",
                 "chapters/08_mnist.ipynb"]


def pytest_collection_modifyitems(session, config, items):
    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)          # stable: the order within each file is kept
