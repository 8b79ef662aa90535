"""The exercises of chapter 07 (backpropagation), described as data.

Six exercises: the chain rule by hand on the three one-neuron layers, the sigmoid's backward
pass, ``Linear.backward`` in batch-first form, the softmax + cross-entropy gradient, a planted
bug found with gradient checking (a ReLU whose backward lets everything through), and an
autograd operation of one's own (``cube``). Each lists the typical mistakes: the factor 2 of the
square forgotten, the sign of (a3 − t) flipped, an upstream factor dropped, σ′ computed on Z
instead of σ(Z), a transpose in the wrong place, the batch not summed, 3x instead of 3x² ...

The ReLU exercise is judged against the slope measured numerically
(:func:`nnlib.gradcheck.numerical_gradient`), not against a formula. The ``cube`` exercise
asks for a function that builds a :class:`~nnlib.autograd.Value`; its checker runs the student's
``cube`` inside a small graph and compares the value and the gradient that come out.
"""

import numpy as np

from ..autograd import Value
from ..gradcheck import numerical_gradient
from .core import Case, Exercise, Mistake, run
from .reading import agree

# -- 1. the chain rule on the three one-neuron layers --------------------------------------------------

_CHAIN_PARTS = ("dw1", "db1", "dw2", "db2", "dw3", "db3")


def _chain(factor=2.0, sign=1.0, keep_upstream=True, own_weight=False):
    """The six partials of L = (a3 − t)², computed with the given slip."""
    def chain_grads(X, t, w1, b1, w2, b2, w3, b3):
        a1 = X * w1 + b1
        a2 = a1 * w2 + b2
        a3 = a2 * w3 + b3
        d3 = factor * sign * (a3 - t)                      # dL/da3
        d2 = d3 * w3 if keep_upstream else d3              # dL/da2
        d1 = d2 * w2 if keep_upstream else d3              # dL/da1
        if own_weight:                                      # da/dw taken as the weight, not the input
            return d1 * w1, d1, d2 * w2, d2, d3 * w3, d3
        return d1 * X, d1, d2 * a1, d2, d3 * a2, d3
    return chain_grads


_CHAIN_RULE = "dL/dw2 = dL/da3 · da3/da2 · da2/dw2 = 2(a3 − t) · w3 · a1"

CHAIN_GRADS = Exercise(
    name="chain_grads",
    title="The chain rule, by hand",
    reference=_chain(),
    cases=[Case(1.5, 0.5, 0.8, 0.1, -0.4, 0.2, 1.2, -0.3, label="the chapter's numbers"),
           Case(2.0, 1.0, 0.5, -1.0, 1.5, 0.5, -2.0, 0.25, label="other numbers")],
    returns="the six partial derivatives `(dw1, db1, dw2, db2, dw3, db3)`",
    parts=_CHAIN_PARTS,
    mistakes=[
        Mistake(_chain(factor=1.0),
                "Every gradient is half the right size: the derivative of (a3 − t)² is 2(a3 − t), not (a3 − t). "
                "Keep the factor 2."),
        Mistake(_chain(sign=-1.0),
                "Every gradient has the wrong sign: dL/da3 = 2(a3 − t), with a3 first. (t − a3) points the other "
                "way, and gradient descent would then climb."),
        Mistake(_chain(factor=-1.0),
                "Wrong sign and half the size: dL/da3 = 2(a3 − t), with a3 first and the factor 2."),
        Mistake(_chain(keep_upstream=False),
                f"dw3 and db3 are right, but the earlier layers lost upstream factors. Every path back to a "
                f"parameter multiplies all the local derivatives on the way: {_CHAIN_RULE}."),
        Mistake(_chain(own_weight=True),
                "The derivative of a = x·w + b with respect to w is x, the input (multiplication swaps), not w "
                "itself: dL/dw1 = dL/da1 · X, dL/dw2 = dL/da2 · a1, dL/dw3 = dL/da3 · a2."),
    ],
    hints=["Start at the end: dL/da3 = 2(a3 − t). Then da3/dw3 = a2, da3/db3 = 1, da3/da2 = w3.",
           "Each layer's gradient is the next layer's gradient times one more local derivative."],
    praise="Six partials, each a product of local derivatives along the path from L back to the parameter.",
)

# -- 2. the sigmoid's backward pass ---------------------------------------------------------------------


def _sigmoid(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_backward(Z, dA):
    s = _sigmoid(Z)
    return dA * s * (1 - s)


_Z = np.array([[-2.0, 0.0, 1.5], [3.0, -0.5, 0.25]])
_DA = np.array([[0.5, -1.0, 2.0], [1.0, 0.3, -0.7]])

SIGMOID_BACKWARD = Exercise(
    name="sigmoid_backward",
    title="The sigmoid's backward pass",
    reference=_sigmoid_backward,
    cases=[Case(_Z, _DA), Case(np.array([0.8, -1.2]), np.array([1.0, 2.0]), label="a 1-D example")],
    returns="dZ, an array shaped like Z",
    accept_lists=False,
    mistakes=[
        Mistake(lambda Z, dA: dA * Z * (1 - Z),
                "You used Z in σ(1 − σ). The derivative is σ′(Z) = σ(Z)(1 − σ(Z)): squash Z first, "
                "then multiply."),
        Mistake(lambda Z, dA: _sigmoid(Z) * (1 - _sigmoid(Z)),
                "That is σ′(Z) alone: the upstream gradient dA is missing. Backward passes multiply the incoming "
                "gradient by the local derivative: dZ = dA · σ(Z)(1 − σ(Z))."),
        Mistake(lambda Z, dA: _sigmoid_backward(_sigmoid(Z), dA),
                "You applied σ twice: σ(A)(1 − σ(A)) with A = σ(Z) already squashed. Use A itself: "
                "dZ = dA · A(1 − A)."),
        Mistake(lambda Z, dA: dA * _sigmoid(Z),
                "The factor (1 − σ(Z)) is missing: σ′ = σ(1 − σ)."),
        Mistake(lambda Z, dA: dA * (1 - _sigmoid(Z)),
                "The factor σ(Z) is missing: σ′ = σ(1 − σ)."),
    ],
    hints=["Compute A = σ(Z) first (nnlib.activations.sigmoid), then dZ = dA · A · (1 − A)."],
    praise="dZ = dA · σ(Z)(1 − σ(Z)): at most a quarter of dA gets through, which is why deep sigmoid networks "
           "learn slowly.",
)

# -- 3. Linear.backward, batch-first ----------------------------------------------------------------------


def _linear_backward(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


_rng = np.random.default_rng(7)
_X3, _W3, _DZ3 = _rng.normal(size=(4, 3)), _rng.normal(size=(3, 3)), _rng.normal(size=(4, 3))
# W is square, so that a misplaced transpose still runs and can be recognised by its numbers; a shape
# error on a real layer is explained by error_hints.

LINEAR_BACKWARD = Exercise(
    name="linear_backward",
    title="The backward pass of a Linear layer",
    reference=_linear_backward,
    cases=[Case(_X3, _W3, _DZ3, label="a batch of 4 samples, 3 inputs, 3 outputs")],
    error_hints={"matmul": "Check the shapes: X is (n_samples, n_in), W is (n_in, n_out), dZ is (n_samples, "
                           "n_out); dW must come out like W and dX like X."},
    returns="the three gradients `(dW, db, dX)`",
    parts=("dW", "db", "dX"),
    mistakes=[
        Mistake(lambda X, W, dZ: (dZ.T @ X, dZ.sum(axis=0), dZ @ W.T),
                "dW has the shape of W transposed: dZᵀX is (n_out, n_in). With W of shape (n_in, n_out) it is "
                "dW = Xᵀ dZ.", part=0),
        Mistake(lambda X, W, dZ: (X.T @ dZ / len(X), dZ.sum(axis=0), dZ @ W.T),
                "dW was divided by the batch size. dZ is already the gradient of the (mean) loss, so dW = Xᵀ dZ "
                "is a plain sum over the samples.", part=0),
        Mistake(lambda X, W, dZ: (X.T @ dZ, dZ, dZ @ W.T),
                "db is dZ itself, one row per sample. The bias is shared by all samples of the batch, so its "
                "gradient adds them up: db = dZ.sum(axis=0).", part=1),
        Mistake(lambda X, W, dZ: (X.T @ dZ, dZ.mean(axis=0), dZ @ W.T),
                "db is the mean over the batch; it should be the sum, dZ.sum(axis=0) (dZ already holds the 1/n "
                "of a mean loss).", part=1),
        Mistake(lambda X, W, dZ: (X.T @ dZ, dZ.sum(axis=1), dZ @ W.T),
                "db was summed over the wrong axis: rows are samples, so sum over axis 0, giving one number per "
                "output.", part=1),
        Mistake(lambda X, W, dZ: (X.T @ dZ, dZ.sum(axis=0), dZ @ W),
                "dX needs W transposed: dX = dZ Wᵀ, of shape (n_samples, n_in), like X.", part=2),
    ],
    hints=["Check the shapes: dW like W (n_in, n_out), db like b (n_out,), dX like X (n_samples, n_in).",
           "Z = X W + b, so dW = Xᵀ dZ, db = Σ over the rows of dZ, dX = dZ Wᵀ."],
    praise="dW = Xᵀ dZ, db = Σ_rows dZ, dX = dZ Wᵀ: the shapes alone almost force the answer.",
)

# -- 4. softmax + cross-entropy -------------------------------------------------------------------------


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _onehot(y, k):
    return np.eye(k)[y]


def _softmax_ce_grad(Z, y):
    return (_softmax(Z) - _onehot(y, Z.shape[1])) / len(Z)


_ZS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-0.3, 0.2, 0.4], [1.0, -2.0, 3.0]])
_YS = np.array([0, 1, 2, 0])

SOFTMAX_CE_GRAD = Exercise(
    name="softmax_ce_grad",
    title="The gradient of softmax + cross-entropy",
    reference=_softmax_ce_grad,
    cases=[Case(_ZS, _YS, label="moderate logits"),
           Case(_ZS * 400, _YS, label="large logits (up to 1200)")],
    returns="dZ, an array shaped like Z",
    accept_lists=False,
    mistakes=[
        Mistake(lambda Z, y: _softmax(Z) - _onehot(y, Z.shape[1]),
                "Right direction but n times too big: the loss is the MEAN over the n samples, so "
                "dZ = (softmax(Z) − onehot(y)) / n."),
        Mistake(lambda Z, y: _softmax(Z) / len(Z),
                "The one-hot target is missing: dZ = (softmax(Z) − onehot(y)) / n. Without it every gradient is "
                "positive and all logits are pushed down, the right one too."),
        Mistake(lambda Z, y: (_onehot(y, Z.shape[1]) - _softmax(Z)) / len(Z),
                "The sign is flipped: dZ = (softmax(Z) − onehot(y)) / n (prediction minus target)."),
        Mistake(lambda Z, y: (_softmax(Z) - _onehot(y, Z.shape[1])) / Z.size,
                "You divided by the number of entries of Z; divide by the number of samples n = len(Z) "
                "(the loss is a mean over samples, not over classes)."),
    ],
    hints=["softmax: subtract each row's maximum before np.exp, so large logits cannot overflow.",
           "Then subtract 1 from the probability of the right class in each row, and divide by n."],
    praise="(softmax(Z) − onehot(y)) / n: prediction minus target, the same simple form as for MSE.",
)

# -- 5. a planted bug, found with gradient checking --------------------------------------------------------


def _relu_backward(Z, dA):
    return dA * (Z > 0)


def _relu_loss_grad(Z, dA):
    """The slope of L(Z) = Σ dA ⊙ ReLU(Z), measured numerically: what the backward pass must give."""
    return numerical_gradient(lambda z: float(np.sum(dA * np.maximum(z, 0))), Z)


def _measured(got, expected, Z, dA):
    """The answer is judged against the numerical slope (no Z is closer than 0.05 to the kink)."""
    return agree(got, _relu_loss_grad(Z, dA), rtol=1e-5, atol=1e-7)


RELU_BACKWARD = Exercise(
    name="relu_backward",
    title="Fix the planted bug",
    reference=_relu_backward,
    cases=[Case(np.array([[1.5, -0.5, 0.3], [-2.0, 0.7, -0.05]]), np.array([[0.4, 1.0, -0.6], [2.0, -1.5, 0.9]])),
           Case(np.array([-1.0, 2.0, -3.0, 4.0]), np.array([1.0, 1.0, 1.0, 1.0]), label="a 1-D example")],
    returns="dZ, an array shaped like Z",
    accept_lists=False,
    compare=_measured,
    mistakes=[
        Mistake(lambda Z, dA: dA,
                "That is the planted bug itself: dA passes everywhere, also where Z < 0. There ReLU is flat "
                "(slope 0), so no gradient may pass: dZ = dA · (Z > 0)."),
        Mistake(lambda Z, dA: dA * (Z < 0),
                "The mask is the wrong way round: the gradient passes where Z > 0 (where ReLU has slope 1)."),
        Mistake(lambda Z, dA: (Z > 0).astype(float),
                "That is ReLU′(Z) alone: multiply by the incoming gradient, dZ = dA · (Z > 0)."),
        Mistake(lambda Z, dA: dA * np.maximum(Z, 0),
                "You multiplied dA by ReLU(Z), the output. The local derivative is the slope: 1 where Z > 0, "
                "0 elsewhere."),
    ],
    hints=["Run gradcheck on the buggy layer: which check fails, and for which entries of Z?",
           "ReLU's slope is 1 where Z > 0 and 0 where Z < 0."],
    praise="dZ = dA · (Z > 0): the gradient is routed through the active units only, and gradcheck agrees.",
)

# -- 6. an autograd operation of one's own --------------------------------------------------------------


def _op(value, local):
    """A ``cube``-like operation: on a Value it builds a new Value with the local derivative
    ``local(x)``; on a plain number it returns what the checker measures, (value, gradient)."""
    def cube(a):
        if isinstance(a, Value):
            out = Value(value(a.data))
            out.op, out.inputs, out.local_grads = "cube", (a,), (local(a.data),)
            return out
        return value(a), local(a)
    return cube


def _no_input(a):
    if isinstance(a, Value):
        return Value(a.data ** 3)                     # a new leaf: nothing connects it to a
    return a ** 3, 0.0


_cube = _op(lambda x: x ** 3, lambda x: 3 * x ** 2)

CUBE = Exercise(
    name="cube",
    title="An autograd operation of your own",
    reference=_cube,
    cases=[Case(2.0), Case(-1.5), Case(0.5)],
    returns="a Value: the cube of a, remembering a as its input and 3a² as its local derivative",
    parts=("value", "gradient"),
    mistakes=[
        Mistake(_op(lambda x: x ** 3, lambda x: 3 * x),
                "The value is right, but the local derivative is 3x: the derivative of x³ is 3x²."),
        Mistake(_op(lambda x: x ** 3, lambda x: x ** 2),
                "The local derivative is missing the 3: d(x³)/dx = 3x²."),
        Mistake(_op(lambda x: x ** 3, lambda x: x ** 3),
                "You stored the value x³ as the local derivative. The local derivative is d(x³)/dx = 3x²."),
        Mistake(_no_input,
                "The value is right, but no gradient reaches a: the new Value does not remember its input. Set "
                "`out.inputs = (a,)` and `out.local_grads = (3 * a.data ** 2,)`."),
        Mistake(_op(lambda x: 3 * x, lambda x: 3.0),
                "You multiplied by 3 instead of cubing: x³ = x · x · x."),
    ],
    hints=["Make `out = Value(a.data ** 3)`, then set `out.op = 'cube'`, `out.inputs = (a,)` and "
           "`out.local_grads = (3 * a.data ** 2,)`."],
    fallback="For a = {a} your cube gave (value, gradient) = {got}; it should be {expected}, that is a³ and 3a².",
    praise="A new operation needs only its value and its local derivative: backward() does the rest.",
)


def _measure(fn):
    """The student's ``cube`` run in a graph: a function of a number x returning (value, d cube/dx)."""
    def measured(x):
        a = Value(x, label="a")
        out = fn(a)
        if out is None:
            raise TypeError("cube returned None: did you forget the `return` statement? It should return "
                            "the new Value.")
        if not isinstance(out, Value):
            raise TypeError(f"cube must return a Value (the cube of a, remembering a as its input), "
                            f"not a {type(out).__name__}")
        out.backward()
        return out.data, a.grad
    return measured


def check_cube(cube):
    """Check your `cube` (An autograd operation of your own) and return a Feedback note: truthy only when
    the answer is correct. Never raises."""
    return run(CUBE, _measure(cube) if callable(cube) else cube)


check_cube.exercise = CUBE
CUBE.checker = check_cube

EXERCISES = [CHAIN_GRADS, SIGMOID_BACKWARD, LINEAR_BACKWARD, SOFTMAX_CE_GRAD, RELU_BACKWARD, CUBE]

check_chain_grads = CHAIN_GRADS.checker
check_sigmoid_backward = SIGMOID_BACKWARD.checker
check_linear_backward = LINEAR_BACKWARD.checker
check_softmax_ce_grad = SOFTMAX_CE_GRAD.checker
check_relu_backward = RELU_BACKWARD.checker
