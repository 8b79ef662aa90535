"""How fast does every explorer answer a change of every parameter?

For each explorer and each of its parameters, about 20 values across the
slider's range (every option of a menu) are set one after the other, as a
student dragging the slider would; each time the PNG the widget shows is
rendered (``set`` + ``to_png``). Printed per (explorer, parameter): median,
p95 and max in milliseconds, and the ratio of the median to rendering a
fresh figure for the same value (a new explorer built with that value and
drawn in full: what the widget would cost without the cached background).

Each explorer is first drawn and its menus prefetched (``Explorer.prefetch``), as
the live widget does in the background right after it appears: the first
switch to another surface then costs what the later ones do.

Goal (platform issue): median <= 60 ms and p95 <= 120 ms for every row.

    python benchmarks/bench_explorers.py            # every chapter's explorers
    python benchmarks/bench_explorers.py ch06       # one chapter
"""

import importlib
import os
import sys
import time

import numpy as np

os.environ.pop("NNLIB_BOOK_BUILD", None)
import matplotlib  # noqa: E402

matplotlib.use("Agg")

from nnlib.explorers import CHAPTERS  # noqa: E402
from nnlib.explorers.base import Choice, Explorer, Toggle  # noqa: E402

GOAL_MEDIAN, GOAL_P95 = 60.0, 120.0


def explorers(chapters):
    for name in chapters:
        module = importlib.import_module(f"nnlib.explorers.{name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Explorer) and obj.__module__ == module.__name__:
                yield name, obj


def sweep_values(p, n=20):
    if isinstance(p, Choice):
        return list(p.options)
    if isinstance(p, Toggle):
        return [False, True]
    if getattr(p, "integer", False):
        return sorted(set(int(v) for v in np.round(np.linspace(p.low, p.high, n))))
    if getattr(p, "log", False):
        return [float(f"{v:.3g}") for v in np.geomspace(p.low, p.high, n)]
    return [float(f"{v:.4g}") for v in np.linspace(p.low, p.high, n)]


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def main(chapters):
    print(f"load: {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"{'explorer':<28}{'parameter':<12}{'n':>4}{'median':>9}{'p95':>8}{'max':>8}{'fresh':>9}{'ratio':>7}  goal")
    missed = 0
    for chapter, cls in explorers(chapters):
        for p in cls.params:
            e = cls()
            e.to_png()
            e.prefetch()
            values = sweep_values(p)
            times = [timed(lambda v=v: e.set(**{p.name: v}).to_png()) for v in values + values[::-1]]
            fresh = [timed(lambda v=v: cls(**{p.name: v}).to_png(fast=False)) for v in values[:: max(1, len(values) // 4)]]
            med, p95, mx = np.median(times), np.percentile(times, 95), np.max(times)
            ok = med <= GOAL_MEDIAN and p95 <= GOAL_P95
            missed += not ok
            print(f"{cls.__name__:<28}{p.name:<12}{len(times):>4}{med:>9.1f}{p95:>8.1f}{mx:>8.1f}"
                  f"{np.median(fresh):>9.1f}{np.median(fresh) / med:>6.1f}x  {'met' if ok else 'MISSED'}")
    print(f"\n{'every row meets' if not missed else f'{missed} row(s) miss'} the goal "
          f"(median <= {GOAL_MEDIAN:g} ms, p95 <= {GOAL_P95:g} ms)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or CHAPTERS))
