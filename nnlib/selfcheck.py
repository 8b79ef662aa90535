"""Is this machine ready for class?  Run ``python -m nnlib.selfcheck``.

For teachers (see the book's teaching guide): in about ten seconds, with no
internet, it checks the installed packages, verifies the shipped MNIST files
against their SHA-256 digests, draws every explorer once and runs every
exercise checker on its untouched stub. It prints one line per check and
exits with status 0 when everything works, 1 otherwise.
"""

import importlib
import sys
import time

PACKAGES = ["numpy", "matplotlib", "ipywidgets", "anywidget", "jupyterlab", "nbval"]


def _packages():
    found = []
    for name in PACKAGES:
        module = importlib.import_module(name)
        found.append(f"{name} {getattr(module, '__version__', '?')}")
    return ", ".join(found)


def _mnist():
    from .data import load_mnist
    X_train, _, X_test, _ = load_mnist()
    return f"{len(X_train):,} training and {len(X_test):,} test images, SHA-256 verified"


def _explorers():
    import matplotlib
    matplotlib.use("Agg")
    from .explorers import all_explorers
    kinds = all_explorers()
    for kind in kinds:
        png = kind().to_png()
        if not png.startswith(b"\x89PNG"):
            raise RuntimeError(f"{kind.__name__} did not produce a PNG image")
    return f"{len(kinds)} explorers drawn"


def _checkers():
    from .checks import all_exercises
    from .checks.core import NOT_ATTEMPTED

    def stub(*args, **kwargs):
        raise NotImplementedError

    exercises = all_exercises()
    for exercise in exercises:
        status = exercise.checker(stub).status
        if status != NOT_ATTEMPTED:
            raise RuntimeError(f"check_{exercise.name} said {status!r} for an untouched stub")
    return f"{len(exercises)} exercise checkers answer 'not attempted yet' for an untouched stub"


CHECKS = [("packages", _packages), ("MNIST data", _mnist), ("explorers", _explorers), ("checkers", _checkers)]


def main():
    failed = 0
    for label, check in CHECKS:
        start = time.perf_counter()
        try:
            detail = check()
        except Exception as err:  # report every problem, then exit 1
            failed += 1
            print(f"FAIL  {label}: {type(err).__name__}: {err}")
        else:
            print(f"ok    {label}: {detail} ({time.perf_counter() - start:.1f} s)")
    if failed:
        print(f"\n{failed} check(s) failed: fix the lines marked FAIL before class.")
        return 1
    print("\nAll checks passed: this machine is ready for class, with or without internet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
