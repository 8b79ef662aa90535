"""How quickly does chapter 08's drawing canvas answer a stroke?

Goal (issue: chapter 08): the bars change within 100 ms of the end of a stroke.
The browser's share (sending the strokes, painting the bars) is measured by
tests/test_lab_drawing.py, which prints it; this script measures Python's share
on every stored drawing of data/strokes/: the strokes arrive, are rendered,
preprocessed as MNIST was made (nnlib.drawing), read by a trained network and
turned into ten confidences (``DrawDigit.read``).

The reference, measured in the same run, is what the answer would cost if
Python also drew the bars and the 28 × 28 picture as a Matplotlib PNG (the
course's explorer style) instead of sending the numbers to the browser: the
ratio says what drawing them in JavaScript saves.

    python benchmarks/bench_draw_digit.py [--repeats 5]
"""

import argparse
import io
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.data import load_mnist, load_strokes  # noqa: E402
from nnlib.explorers.ch08 import DrawDigit  # noqa: E402
from nnlib.layers import Linear, ReLU, Sequential  # noqa: E402
from nnlib.optim import SGD  # noqa: E402
from nnlib.plot import confidence_bars, course_style, show_digit  # noqa: E402
from nnlib.train import evaluate, train  # noqa: E402

GOAL_MS = 100


def quick_model():
    """784-100-10, one epoch: the network of the browser test's notebook."""
    X_train, y_train, X_test, y_test = load_mnist()
    model = Sequential([Linear(784, 100, rng=0, dtype=np.float32), ReLU(),
                        Linear(100, 10, rng=1, dtype=np.float32)])
    train(model, X_train, y_train, optimizer=SGD(model, lr=0.1, momentum=0.9), epochs=1, batch_size=200,
          rng=0, progress=False)
    return model, evaluate(model, X_test, y_test)[1]


def matplotlib_answer(answer):
    """The reference: the same answer drawn by Python as a PNG."""
    with course_style():
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(5.8, 2.4), gridspec_kw={"width_ratios": [1, 2]})
        show_digit(answer.image, ax=a1)
        confidence_bars(answer.confidences, ax=a2)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    model, accuracy = quick_model()
    canvas = DrawDigit(model)
    drawings = load_strokes()
    answer_ms, reference_ms, right = [], [], 0
    for _ in range(args.repeats):
        for d in drawings:
            t0 = time.perf_counter()
            answer = canvas.read(d["strokes"])
            t1 = time.perf_counter()
            matplotlib_answer(answer)
            t2 = time.perf_counter()
            answer_ms.append(1000 * (t1 - t0))
            reference_ms.append(1000 * (t1 - t0) + 1000 * (t2 - t1))
            right += answer.digit == d["digit"]
    a, r = np.array(answer_ms), np.array(reference_ms)
    print(f"load: {os.getloadavg()[0]:.2f} (2 cores); network 784-100-10, test accuracy {accuracy:.1%}")
    print(f"{len(drawings)} stored drawings × {args.repeats}: read right {right / args.repeats:.0f} of {len(drawings)}")
    print(f"{'':34s} {'median':>7s} {'p95':>7s} {'max':>7s}  (ms)")
    print(f"{'stroke → answer (DrawDigit.read)':34s} {np.median(a):7.1f} {np.percentile(a, 95):7.1f} {a.max():7.1f}")
    print(f"{'… plus Matplotlib bars (reference)':34s} {np.median(r):7.1f} {np.percentile(r, 95):7.1f} {r.max():7.1f}")
    print(f"ratio reference / answer: {np.median(r) / np.median(a):.1f}x")
    verdict = "met" if np.percentile(a, 95) <= GOAL_MS / 2 else "NOT met"
    print(f"goal: Python's share at most half of the {GOAL_MS} ms budget (p95): {verdict}")


if __name__ == "__main__":
    main()
