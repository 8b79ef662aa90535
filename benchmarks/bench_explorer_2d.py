"""How long does the 2-D gradient-descent explorer take to answer a slider?

Drives ``GradientDescent2D`` the way the widget does: ``set(lr=...)`` followed
by ``to_png()``, for 100 learning rates on the ravine, and reports the median
and 95th percentile of the time from value change to new PNG. As a baseline it
builds a fresh explorer for each value (new figure, new contour map) and
prints how many times faster the incremental update is.

Goal (chapter 06 issue): median <= 60 ms and p95 <= 120 ms on a 2-core machine.

    python benchmarks/bench_explorer_2d.py [--n 100] [--baseline 30]
"""

import argparse
import time

import numpy as np

from nnlib.explorers.ch06 import GradientDescent2D


def timings(fn, values):
    out = []
    for v in values:
        t0 = time.perf_counter()
        fn(v)
        out.append(time.perf_counter() - t0)
    return np.array(out) * 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="slider values for the incremental update")
    parser.add_argument("--baseline", type=int, default=30, help="values for the fresh-figure baseline")
    args = parser.parse_args()

    lrs = np.geomspace(0.01, 2.5, args.n)
    explorer = GradientDescent2D(surface="ravine", momentum=0.5, steps=60)
    explorer.to_png()                                    # warm-up: fonts, caches
    fast = timings(lambda lr: explorer.set(lr=float(lr)).to_png(), lrs)

    base_lrs = lrs[:: max(1, args.n // args.baseline)][: args.baseline]
    slow = timings(lambda lr: GradientDescent2D(surface="ravine", momentum=0.5, steps=60, lr=float(lr)).to_png(),
                   base_lrs)

    size = len(explorer.to_png()) / 1024
    print(f"2-D explorer, ravine, {explorer.fig.get_size_inches()[0]:g}x{explorer.fig.get_size_inches()[1]:g} in "
          f"at {explorer.dpi} dpi, PNG {size:.0f} KiB")
    print(f"update  (set + to_png), {len(fast):3d} values: median {np.median(fast):6.1f} ms   "
          f"p95 {np.percentile(fast, 95):6.1f} ms   max {fast.max():6.1f} ms")
    print(f"fresh figure each time, {len(slow):3d} values: median {np.median(slow):6.1f} ms   "
          f"p95 {np.percentile(slow, 95):6.1f} ms")
    print(f"speed-up of the incremental update (median): {np.median(slow) / np.median(fast):.1f}x")
    ok = np.median(fast) <= 60 and np.percentile(fast, 95) <= 120
    print("goal (median <= 60 ms, p95 <= 120 ms):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
