"""Bad input gets a clear message, never a traceback from inside NumPy.

Every case calls a public nnlib function with something a student might
plausibly pass by mistake, and checks the exception type and that its
message says what was expected. The number of cases is the number of
``test_bad_input`` items pytest reports.
"""

import numpy as np
import pytest

from nnlib import activations, data, plot
from nnlib.perceptron import Perceptron

X4, y4 = data.logic_gate("AND")

CASES = [
    # (id, callable, expected exception, phrase the message must contain)
    ("sigmoid-string", lambda: activations.sigmoid("3"), TypeError, "array of numbers"),
    ("sigmoid-None", lambda: activations.sigmoid(None), TypeError, "None"),
    ("sigmoid-nan", lambda: activations.sigmoid([0.0, np.nan]), ValueError, "NaN"),
    ("relu-ragged", lambda: activations.relu([[1, 2], [3]]), TypeError, "could not convert"),
    ("softmax-empty", lambda: activations.softmax(np.zeros((0, 3))), ValueError, "empty"),
    ("step-inf", lambda: activations.step([np.inf]), ValueError, "finite"),
    ("gate-unknown", lambda: data.logic_gate("XAND"), ValueError, "choose one of"),
    ("gate-not-str", lambda: data.logic_gate(3), TypeError, "gate name"),
    ("blobs-zero-samples", lambda: data.blobs(0), ValueError, "at least 1"),
    ("blobs-float-samples", lambda: data.blobs(10.5), TypeError, "whole number"),
    ("moons-negative-noise", lambda: data.moons(noise=-1), ValueError, ">= 0"),
    ("circles-factor-above-1", lambda: data.circles(factor=2), ValueError, "<= 1"),
    ("spirals-zero-classes", lambda: data.spirals(n_classes=0), ValueError, "at least 1"),
    ("one-hot-negative", lambda: data.one_hot([0, -1]), ValueError, "negative"),
    ("one-hot-too-few-classes", lambda: data.one_hot([0, 5], n_classes=3), ValueError, "does not fit"),
    ("one-hot-fractional", lambda: data.one_hot([0.5, 1]), ValueError, "whole-number"),
    ("split-length-mismatch", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(4)), ValueError, "same samples"),
    ("split-fraction-1", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(5), val_fraction=1.0), ValueError, "below 1"),
    ("minibatches-zero-size", lambda: list(data.minibatches(X4, y4, batch_size=0)), ValueError, "at least 1"),
    ("mnist-dir-not-path", lambda: data.load_mnist(data_dir=42), TypeError, "folder path"),
    ("perceptron-zero-inputs", lambda: Perceptron(0), ValueError, "at least 1"),
    ("perceptron-bool-inputs", lambda: Perceptron(True), TypeError, "whole number"),
    ("perceptron-w-shape", lambda: Perceptron(2, w=[1, 2, 3]), ValueError, "shape (2,)"),
    ("perceptron-X-1d", lambda: Perceptron(2).predict([0, 1]), ValueError, "2-D"),
    ("perceptron-X-features", lambda: Perceptron(2).predict(np.zeros((4, 3))), ValueError, "expected 2"),
    ("perceptron-labels-not-binary", lambda: Perceptron(2).fit(X4, [0, 1, 2, 1]), ValueError, "[0, 1]"),
    ("perceptron-X-y-mismatch", lambda: Perceptron(2).fit(X4, [0, 1, 1]), ValueError, "same samples"),
    ("perceptron-lr-zero", lambda: Perceptron(2).fit(X4, y4, lr=0), ValueError, "> 0"),
    ("perceptron-epochs-float", lambda: Perceptron(2).fit(X4, y4, epochs=2.5), TypeError, "whole number"),
    ("perceptron-nan-X", lambda: Perceptron(2).fit([[0, np.nan]] * 4, y4), ValueError, "NaN"),
    ("plot-digit-wrong-size", lambda: plot.show_digit(np.zeros(100)), ValueError, "784"),
    ("plot-scatter-3-features", lambda: plot.scatter_classes(np.zeros((4, 3)), y4), ValueError, "expected 2"),
    ("plot-line-w-shape", lambda: plot.decision_line([1, 2, 3], 0), ValueError, "shape (2,)"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(case):
    _, fn, exc, phrase = case
    with pytest.raises(exc) as info:
        fn()
    message = str(info.value)
    assert phrase in message, f"message {message!r} should mention {phrase!r}"
    # the message comes from nnlib, not from inside NumPy
    assert info.traceback[-1].path.parts[-2] == "nnlib" or "nnlib" in str(info.traceback[-1].path)


def test_number_of_bad_inputs_covered():
    assert len(CASES) >= 20
