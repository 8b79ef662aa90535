"""Chapter 07 checkers (solution accepted, stub not attempted: test_checkers_generic.py): recognise the
typical mistakes written the way a student would write them, and judge honestly."""

import numpy as np

from nnlib.autograd import Value
from nnlib.checks import ch07
from nnlib.checks.core import INCORRECT
from nnlib.gradcheck import gradcheck
from nnlib.layers import Linear, ReLU, Sigmoid
from nnlib.losses import softmax_cross_entropy


CASES = {
    "chain_grads": ch07.check_chain_grads,
    "sigmoid_backward": ch07.check_sigmoid_backward,
    "linear_backward": ch07.check_linear_backward,
    "softmax_ce_grad": ch07.check_softmax_ce_grad,
    "relu_backward": ch07.check_relu_backward,
    "cube": ch07.check_cube,
}


def test_every_exercise_has_a_checker_and_at_least_two_mistakes():
    assert [ex.name for ex in ch07.EXERCISES] == list(CASES)
    for ex in ch07.EXERCISES:
        assert getattr(ch07, f"check_{ex.name}") is ex.checker and len(ex.mistakes) >= 2


def incorrect_saying(fb, words):
    assert fb.status == INCORRECT, fb
    assert words in fb.message, fb.message


# -- the references agree with nnlib's own layers and losses ------------------------------------------

def test_references_agree_with_the_library():
    rng = np.random.default_rng(0)
    X, dZ = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer = Linear(3, 2, rng=1)
    layer.forward(X)
    dX = layer.backward(dZ)
    dW, db, dX_ref = ch07.LINEAR_BACKWARD.reference(X, layer.W, dZ)
    assert np.allclose(dW, layer.dW) and np.allclose(db, layer.db) and np.allclose(dX_ref, dX)
    Z, dA = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    s = Sigmoid()
    s.forward(Z)
    assert np.allclose(ch07.SIGMOID_BACKWARD.reference(Z, dA), s.backward(dA))
    r = ReLU()
    r.forward(Z)
    assert np.allclose(ch07.RELU_BACKWARD.reference(Z, dA), r.backward(dA))
    y = np.array([0, 2, 1, 1])
    for scale in (1, 400):
        _, grad = softmax_cross_entropy(Z * scale, y)
        assert np.allclose(ch07.SOFTMAX_CE_GRAD.reference(Z * scale, y), grad)


def test_chain_reference_matches_the_value_engine():
    args = (1.5, 0.5, 0.8, 0.1, -0.4, 0.2, 1.2, -0.3)
    X, t, w1, b1, w2, b2, w3, b3 = (Value(v) for v in args)
    loss = ((((X * w1 + b1) * w2 + b2) * w3 + b3) - t) ** 2
    loss.backward()
    assert np.allclose(ch07.CHAIN_GRADS.reference(*args), [p.grad for p in (w1, b1, w2, b2, w3, b3)])


# -- typical mistakes, written as a student would ----------------------------------------------------

def test_chain_mistakes():
    def no_two(X, t, w1, b1, w2, b2, w3, b3):
        a1 = X * w1 + b1
        a2 = a1 * w2 + b2
        d = a2 * w3 + b3 - t
        return d * w3 * w2 * X, d * w3 * w2, d * w3 * a1, d * w3, d * a2, d
    incorrect_saying(ch07.check_chain_grads(no_two), "Keep the factor 2")

    def flipped(X, t, w1, b1, w2, b2, w3, b3):
        a1 = X * w1 + b1
        a2 = a1 * w2 + b2
        d = 2 * (t - (a2 * w3 + b3))
        return d * w3 * w2 * X, d * w3 * w2, d * w3 * a1, d * w3, d * a2, d
    incorrect_saying(ch07.check_chain_grads(flipped), "wrong sign")

    def short(X, t, w1, b1, w2, b2, w3, b3):
        a1 = X * w1 + b1
        a2 = a1 * w2 + b2
        d = 2 * (a2 * w3 + b3 - t)
        return d * X, d, d * a1, d, d * a2, d
    incorrect_saying(ch07.check_chain_grads(short), "upstream factors")


def test_sigmoid_mistakes():
    incorrect_saying(ch07.check_sigmoid_backward(lambda Z, dA: dA * Z * (1 - Z)), "You used Z")
    sig = lambda z: 1 / (1 + np.exp(-z))                        # noqa: E731
    incorrect_saying(ch07.check_sigmoid_backward(lambda Z, dA: sig(Z) * (1 - sig(Z))), "dA is missing")
    incorrect_saying(ch07.check_sigmoid_backward(lambda Z, dA: dA * sig(sig(Z)) * (1 - sig(sig(Z)))),
                     "applied σ twice")


def test_linear_mistakes():
    incorrect_saying(ch07.check_linear_backward(lambda X, W, dZ: (dZ.T @ X, dZ.sum(0), dZ @ W.T)), "Xᵀ dZ")
    incorrect_saying(ch07.check_linear_backward(lambda X, W, dZ: (X.T @ dZ, dZ, dZ @ W.T)), "dZ.sum(axis=0)")
    incorrect_saying(ch07.check_linear_backward(lambda X, W, dZ: (X.T @ dZ, dZ.mean(0), dZ @ W.T)),
                     "should be the sum")
    incorrect_saying(ch07.check_linear_backward(lambda X, W, dZ: (X.T @ dZ, dZ.sum(0), dZ @ W)), "W transposed")


def test_softmax_mistakes_and_overflow():
    def softmax(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    def forgot_n(Z, y):
        P = softmax(Z)
        P[np.arange(len(Z)), y] -= 1
        return P

    incorrect_saying(ch07.check_softmax_ce_grad(forgot_n), "n times too big")
    incorrect_saying(ch07.check_softmax_ce_grad(lambda Z, y: softmax(Z) / len(Z)), "one-hot target is missing")

    def naive(Z, y):                       # right formula, but exp(1200) overflows
        E = np.exp(Z)
        P = E / E.sum(axis=1, keepdims=True)
        P[np.arange(len(Z)), y] -= 1
        return P / len(Z)

    with np.errstate(all="ignore"):
        assert np.allclose(naive(ch07._ZS, ch07._YS), ch07._softmax_ce_grad(ch07._ZS, ch07._YS))
    incorrect_saying(ch07.check_softmax_ce_grad(naive), "exponential of a large number")


def test_relu_bug_is_found_by_gradcheck_and_the_fix_is_judged_by_measured_slopes():
    class Buggy(ReLU):
        def backward(self, dA):
            return dA

    Z = np.random.default_rng(0).normal(size=(5, 4))
    assert not gradcheck(Buggy(), Z).passed and gradcheck(ReLU(), Z).passed
    incorrect_saying(ch07.check_relu_backward(lambda Z, dA: dA), "planted bug")
    incorrect_saying(ch07.check_relu_backward(lambda Z, dA: (Z > 0) * 1.0), "ReLU′(Z) alone")
    incorrect_saying(ch07.check_relu_backward(lambda Z, dA: dA * (Z < 0)), "wrong way round")
    # the verdict comes from the numerical slope, not from the reference formula
    assert ch07.check_relu_backward(lambda Z, dA: np.where(Z > 0, dA, 0.0))
    assert ch07._measured(ch07._relu_backward(*ch07.RELU_BACKWARD.cases[0].args), None,
                          *ch07.RELU_BACKWARD.cases[0].args)


def _cube_with(local, inputs=True, value=lambda x: x ** 3):
    def cube(a):
        out = Value(value(a.data))
        if inputs:
            out.op, out.inputs, out.local_grads = "cube", (a,), (local(a.data),)
        return out
    return cube


def test_cube_mistakes_and_odd_returns():
    assert ch07.check_cube(_cube_with(lambda x: 3 * x ** 2))
    incorrect_saying(ch07.check_cube(_cube_with(lambda x: 3 * x)), "3x²")
    incorrect_saying(ch07.check_cube(_cube_with(lambda x: x ** 2)), "missing the 3")
    incorrect_saying(ch07.check_cube(_cube_with(None, inputs=False)), "does not remember its input")
    incorrect_saying(ch07.check_cube(lambda a: a.data ** 3), "must return a Value")
    incorrect_saying(ch07.check_cube(lambda a: None), "forget the `return`")
    # built from the engine's own operations, the cube is right too
    assert ch07.check_cube(lambda a: a * a * a)
    assert ch07.check_cube(ch07.CUBE.reference) and ch07.check_cube.__name__ == "check_cube"
