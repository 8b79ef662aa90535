"""nnlib.gradcheck: it passes correct gradients, catches wrong ones, and reports clearly."""

import numpy as np
import pytest

from nnlib.gradcheck import GradcheckReport, gradcheck, numerical_gradient
from nnlib.layers import Linear, ReLU, Sequential, Sigmoid, Tanh
from nnlib.losses import binary_cross_entropy, mse, softmax_cross_entropy
from test_bad_inputs import assert_clear_error

RNG = np.random.default_rng(42)      # not 0: gradcheck draws its random R with rng=0
X = RNG.normal(size=(5, 4))


class TransposeBug(Linear):
    """A classic mistake: dW = δᵀX (the transpose) on a square layer, where shapes cannot catch it."""

    def backward(self, dZ, *, input_grad=True):
        dX = super().backward(dZ, input_grad=input_grad)
        self.dW = self.dW.T.copy()
        return dX


class MeanBiasBug(Linear):
    """Another: db averaged over the batch instead of summed."""

    def backward(self, dZ, *, input_grad=True):
        dX = super().backward(dZ, input_grad=input_grad)
        self.db = self.db / len(dZ)
        return dX


class SigmoidBug(Sigmoid):
    """σ′ = σ(1 − σ) forgotten: the gradient passes through unchanged."""

    def backward(self, dA):
        self._check_grad(dA, "dA", self.A)
        return dA


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.5, -1.0], [2.0, 0.3]])
    assert np.allclose(numerical_gradient(lambda v: np.sum(v ** 3), x), 3 * x ** 2, rtol=1e-8)
    assert np.allclose(numerical_gradient(lambda v: float(np.prod(v)), [1.0, 2.0, 3.0]), [6, 3, 2], rtol=1e-8)
    x_before = x.copy()
    numerical_gradient(lambda v: v.sum(), x)
    assert np.array_equal(x, x_before)                     # the caller's array is never nudged


@pytest.mark.parametrize("layer", [Linear(4, 4, rng=0), Sequential([Linear(4, 3, rng=0), Tanh(), Linear(3, 2, rng=1)])])
def test_correct_gradients_pass_with_tiny_errors(layer):
    report = gradcheck(layer, X)
    assert isinstance(report, GradcheckReport) and report.passed
    assert report.worst < 1e-8


@pytest.mark.parametrize("bug, bad_row", [(TransposeBug(4, 4, rng=0), "W"), (MeanBiasBug(4, 4, rng=0), "b")])
def test_wrong_layer_gradients_fail(bug, bad_row):
    report = gradcheck(bug, X)
    assert not report.passed
    assert report[bad_row].rel_error > 1e-2 and not report[bad_row].passed
    assert report["X"].passed                              # the error is pinned on the right parameter
    assert "FAIL" in str(report) and "FAILED" in str(report)


def test_a_bug_deep_inside_a_network_fails_its_parameters():
    model = Sequential([Linear(4, 3, rng=0), SigmoidBug(), Linear(3, 2, rng=1)])
    report = gradcheck(model, X)
    assert not report["0.W"].passed and not report["0.b"].passed and not report["X"].passed
    assert report["2.W"].passed and report["2.b"].passed   # the layer above the bug is still right


@pytest.mark.parametrize("loss, args", [
    (mse, (RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3)))),
    (softmax_cross_entropy, (RNG.normal(size=(5, 3)) * 3, np.array([0, 2, 1, 1, 0]))),
    (binary_cross_entropy, (RNG.normal(size=5) * 3, np.array([0, 1, 1, 0, 1]))),
    (binary_cross_entropy, (RNG.normal(size=(5, 1)), np.array([0.2, 0.9, 1, 0, 0.5]))),
], ids=["mse", "softmax_cross_entropy", "binary_cross_entropy", "binary_cross_entropy-soft"])
def test_every_loss_passes(loss, args):
    report = gradcheck(loss, *args)
    assert report.passed and report.worst < 1e-7
    assert report.checks[0].name in ("A", "Z")


def test_a_wrong_loss_gradient_fails():
    def half_mse(A, Y):
        loss, dA = mse(A, Y)
        return loss, dA / 2                               # forgot the 2 of the square

    assert not gradcheck(half_mse, RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2))).passed


def test_plain_function_with_its_gradient():
    f, df = (lambda x: float(np.sum(np.sin(x)))), (lambda x: np.cos(x))
    assert gradcheck(f, RNG.normal(size=(3, 3)), grad=df).passed
    assert not gradcheck(f, RNG.normal(size=(3, 3)), grad=lambda x: -np.cos(x)).passed


def test_float32_model_is_checked_in_float64_and_left_untouched():
    layer = Linear(4, 3, rng=0, dtype=np.float32)
    W = layer.W.copy()
    report = gradcheck(layer, X.astype(np.float32))
    assert report.passed and report.worst < 1e-7          # float32 rounding would give ~1e-3
    assert layer.W.dtype == np.float32 and np.array_equal(layer.W, W) and layer.dW is None


def test_loss_option_and_max_entries():
    model = Sequential([Linear(4, 30, rng=0), ReLU(), Linear(30, 3, rng=1)])
    model.layers[0].b[...] = 0.1
    report = gradcheck(model, X, np.array([0, 1, 2, 0, 1]), loss=softmax_cross_entropy, max_entries=10)
    assert report.passed
    assert report["0.W"].checked == 10 and report["0.W"].size == 120
    assert report["2.b"].checked == 3
    assert "10 of 120" in str(report)


def test_report_prints_as_a_table_and_as_html():
    report = gradcheck(Linear(4, 2, rng=0), X)
    text = str(report)
    lines = text.splitlines()
    assert "all passed" in lines[0] and "1e-07" in lines[0] and "CS231n" in lines[1]
    assert lines[2].split() == ["parameter", "shape", "entries", "relative", "error", "max", "abs", "error", "result"]
    assert [line.split()[0] for line in lines[4:]] == ["X", "W", "b"]
    html = report._repr_html_()
    assert html.count("<tr>") == 4 and "pass" in html and "<table>" in html
    with pytest.raises(KeyError, match="no parameter 'V'"):
        report["V"]


def test_tiny_gradients_pass_on_the_absolute_rule_but_wrong_ones_still_fail():
    f = lambda x: 1e-7 * float(np.sum(x ** 2)) + 1.0                    # noqa: E731
    x = RNG.normal(size=4)
    assert gradcheck(f, x, grad=lambda v: 2e-7 * v).passed
    assert not gradcheck(f, x, grad=lambda v: 2e-7 * v, atol=1e-20, tol=1e-12).passed   # rounding noise shows
    assert not gradcheck(f, x, grad=lambda v: 4e-7 * v).passed                          # a factor 2 never passes


BAD = [
    ("eps zero", lambda: gradcheck(Linear(4, 2), X, eps=0), ValueError, "eps"),
    ("tol text", lambda: gradcheck(Linear(4, 2), X, tol="1e-7"), ValueError, "tol"),
    ("atol negative", lambda: gradcheck(Linear(4, 2), X, atol=-1.0), ValueError, "atol"),
    ("max_entries", lambda: gradcheck(Linear(4, 2), X, max_entries=0), ValueError, "max_entries"),
    ("target", lambda: gradcheck(3.0, X), TypeError, "target must be a layer"),
    ("layer no X", lambda: gradcheck(Linear(4, 2)), TypeError, "gradcheck(layer, X)"),
    ("loss needs y", lambda: gradcheck(Linear(4, 2), X, loss=mse), TypeError, "gradcheck(model, X, y, loss=...)"),
    ("loss not callable", lambda: gradcheck(Linear(4, 2), X, [0], loss="mse"), TypeError, "loss"),
    ("grad with layer", lambda: gradcheck(Linear(4, 2), X, grad=np.cos), TypeError, "grad is for plain functions"),
    ("grad not callable", lambda: gradcheck(np.sin, X, grad=3), TypeError, "grad"),
    ("loss with function", lambda: gradcheck(mse, X, X, loss=mse), TypeError, "loss is for layers"),
    ("function no point", lambda: gradcheck(mse), TypeError, "point"),
    ("not a pair", lambda: gradcheck(lambda x: 1.0, X), TypeError, "(value, gradient)"),
    ("grad shape", lambda: gradcheck(lambda x: 1.0, X, grad=lambda x: np.ones(3)), ValueError, "shape"),
    ("value not number", lambda: gradcheck(lambda x: "a", X, grad=lambda x: x), TypeError, "must be a number"),
    ("X text", lambda: gradcheck(Linear(4, 2), "X"), TypeError, "X"),
    ("numerical f", lambda: numerical_gradient(3, X), TypeError, "f must be a function"),
    ("numerical eps", lambda: numerical_gradient(np.sum, X, eps=-1), ValueError, "eps"),
    ("numerical x", lambda: numerical_gradient(np.sum, [np.nan]), ValueError, "NaN"),
    ("numerical f value", lambda: numerical_gradient(lambda v: v, X), TypeError, "must be a number"),
]


@pytest.mark.parametrize("call, err, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gets_a_clear_message(call, err, words):
    assert_clear_error(call, err, words)
