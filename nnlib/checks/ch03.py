"""The exercises of chapter 03 (linear separability), described as data.

Notation: X (n_samples, n_inputs) batch-first; one layer of perceptrons computes
A = step(A_prev W + b) with W of shape (n_in, n_out); x̃ = (x, 1), w̃ = (w, b); labels y are
0/1 and s = 2y − 1 their signs. Each exercise lists its cases, the right answer and the typical
mistakes; exercises with many right answers (any weights that compute XOR, any lift that
separates it) judge with a ``compare`` function that recognises the same mistakes by what the
answer computes and says so with the mistake's own message.
"""

from functools import partial

import numpy as np

from ..data import GATES, logic_gate
from ..features import product_features
from ..perceptron import Perceptron, step_layers
from ..separability import margin, margin_data, radius
from .core import Case, Exercise, Mistake
from .reading import Unreadable, numbers

GATE_X, XOR_Y = logic_gate("XOR")


def _table(out):
    return ", ".join(f"({int(a)},{int(c)})→{int(o)}" for (a, c), o in zip(GATE_X, out))


def _gate_name(out):
    out = [int(o) for o in out]
    if out in ([0] * 4, [1] * 4):
        return f"always {out[0]}"
    return next((name for name, table in GATES.items() if table == out), None)


def _read(value, shape=None):
    """``value`` as a float array (None if it cannot be read, or has another shape than ``shape``)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        arr = numbers(value)
    except Unreadable:
        return None
    if not np.all(np.isfinite(arr)) or (shape is not None and arr.shape != shape):
        return None
    return arr


# ---------------------------------------------------------------------------------------------------
# 1. xor_network() -> (W1, b1, W2, b2): two layers of hand-set perceptrons that compute XOR

XOR_W = ([[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5], [[1.0], [1.0]], [-1.5])      # OR and NAND, then AND

_XNOR = ("Your network computes XNOR, the exact opposite of XOR: the hidden layer is fine, but the output neuron "
         "fires on the wrong side. Flip the signs of its weights and bias.")
_TRANSPOSED = ("Your numbers would compute XOR if W1 were transposed: you wrote one ROW per hidden neuron. In the "
               "course's notation W has shape (n_in, n_out): COLUMN j holds the weights into hidden neuron j.")
_NO_BIAS = ("All your biases are 0. Then at the input (0, 0) every weighted sum is 0 and every neuron outputs 0, "
            "whatever the weights: the hidden neurons need thresholds, for instance OR (b = −0.5) and NAND "
            "(b = 1.5).")
_TIE = ("One of your neurons has a weighted sum of exactly 0 where it should fire, and step(0) = 0. Move its "
        "threshold a little, e.g. b = −0.5 instead of b = −1 for OR.")


def _xor_parts(got):
    """(W1, b1, W2, b2) as arrays of the right shapes (W2 may be (2,), b2 a number), or None."""
    if type(got) not in (tuple, list) or len(got) != 4:
        return None
    W1, b1 = _read(got[0], (2, 2)), _read(got[1], (2,))
    W2, b2 = _read(got[2]), _read(got[3])
    if W1 is None or b1 is None or W2 is None or b2 is None or W2.size != 2 or b2.size != 1:
        return None
    return W1, b1, W2.reshape(2, 1), b2.reshape(1)


def _outputs(W1, b1, W2, b2):
    return step_layers(GATE_X, [W1, W2], [b1, b2])[-1][:, 0]


def _xor_verdict(got, expected):
    parts = _xor_parts(got)
    if parts is None:
        return False                     # the runner describes the wrong shape
    W1, b1, W2, b2 = parts
    out = _outputs(*parts)
    if out.tolist() == XOR_Y.tolist():
        return True
    if not b1.any() and not b2.any():
        return Mistake(None, _NO_BIAS)
    if out.tolist() == GATES["XNOR"]:
        return Mistake(None, _XNOR)
    if _outputs(W1.T, b1, W2, b2).tolist() == XOR_Y.tolist():
        return Mistake(None, _TRANSPOSED)
    Z1 = GATE_X @ W1 + b1
    nudged = _outputs(W1, b1 + 1e-6, W2, b2 + 1e-6)
    if np.any(Z1 == 0) and nudged.tolist() == XOR_Y.tolist():
        return Mistake(None, _TIE)
    named = _gate_name(out)
    hidden = step_layers(GATE_X, [W1], [b1])[0]
    said = ", ".join(f"hidden neuron {j + 1} computes {_gate_name(hidden[:, j]) or _table(hidden[:, j])}"
                     for j in range(2))
    what = f"computes {named}" if named else f"gives {_table(out)}"
    return (f"Your network {what}, not XOR ({said}). Make the hidden neurons OR and NAND, then let the output "
            "neuron compute the AND of the two.")


XOR_NETWORK = Exercise(
    name="xor_network",
    title="Two layers of perceptrons that compute XOR",
    reference=lambda: tuple(np.array(v) for v in XOR_W),
    cases=[Case()],
    returns="four arrays (W1, b1, W2, b2) with shapes (2, 2), (2,), (2, 1), (1,)",
    parts=("W1", "b1", "W2", "b2"),
    compare=_xor_verdict,
    mistakes=[
        Mistake(lambda: (np.array(XOR_W[0]), np.array(XOR_W[1]), -np.array(XOR_W[2]), -np.array(XOR_W[3])),
                _XNOR),
        Mistake(lambda: (np.array(XOR_W[0]).T, np.array(XOR_W[1]), np.array(XOR_W[2]), np.array(XOR_W[3])),
                _TRANSPOSED),
        Mistake(lambda: (np.array(XOR_W[0]), np.zeros(2), np.array(XOR_W[2]), np.zeros(1)), _NO_BIAS),
        Mistake(lambda: (np.array(XOR_W[0]), np.array([-1.0, 1.5]), np.array(XOR_W[2]), np.array(XOR_W[3])), _TIE),
    ],
    hints=["XOR = (x1 OR x2) AND NOT (x1 AND x2) = AND(OR, NAND). Chapter 02 gave weights for all three.",
           "Column j of W1 holds the two weights into hidden neuron j."],
    praise="Right: the hidden layer computes OR and NAND, and their AND is XOR.",
)

# ---------------------------------------------------------------------------------------------------
# 2. xor_lift(X) -> (Phi, w, b): a feature map and a plane that separates XOR in the lifted space

_rng = np.random.default_rng(31)
_JITTER = np.repeat(GATE_X, 3, axis=0) + 0.06 * _rng.standard_normal((12, 2))
_SQUARE = _rng.uniform(-0.2, 1.2, size=(8, 2))          # no XOR targets: only to tell a linear map
_LIFT_CASES = [(_JITTER, np.repeat(XOR_Y, 3), "XOR inputs jittered a little"), (GATE_X, XOR_Y, "the four XOR inputs"),
               (_SQUARE, None, "points of the square")]

_STILL_LINEAR = ("Your features are still linear: every column is a weighted sum of x1 and x2 plus a constant. A "
                 "plane over such features is a line in the (x1, x2) plane, and no line separates XOR. Add a nonlinear "
                 "term that mixes the inputs, such as the product x1·x2.")
_SEPARATE_INPUTS = ("Your features treat x1 and x2 separately (x1, x2, x1², x2²): a plane over them is "
                    "f(x1) + g(x2), "
                    "and no such sum separates XOR, since f(0)+g(1) > 0 and f(1)+g(0) > 0 add up to the same total "
                    "as f(0)+g(0) < 0 and f(1)+g(1) < 0. (On the corners x² even equals x.) Mix the inputs: x1·x2.")
_NOT_SEPARATED = "With your features, the plane w·φ + b = 0 does not separate XOR: {where}."


def _reference_lift(X):
    return product_features(X), np.array([1.0, 1.0, -2.0]), -0.5


def _affine_in(Phi, *columns):
    """True when every column of Phi is a weighted sum of ``columns`` and a constant."""
    A = np.column_stack([*columns, np.ones(len(Phi))])
    coef = np.linalg.lstsq(A, Phi, rcond=None)[0]
    return float(np.max(np.abs(A @ coef - Phi))) <= 1e-9 * (1.0 + float(np.max(np.abs(Phi))))


def _lift_parts(got, n):
    if type(got) not in (tuple, list) or len(got) != 3:
        return None
    Phi = _read(got[0])
    if Phi is None or Phi.ndim not in (1, 2) or len(Phi) != n:
        return None
    Phi = Phi.reshape(n, -1)
    w, b = _read(got[1]), _read(got[2])
    if w is None or b is None or w.size != Phi.shape[1] or b.size != 1:
        return None
    return Phi, w.reshape(-1), float(b.reshape(()))


def _lift_verdict(got, expected, X):
    """Any lift that is not linear, with a plane that puts XOR's classes on its two sides, is right."""
    X = np.asarray(X, dtype=float)
    parts = _lift_parts(got, len(X))
    if parts is None:
        return False                     # the runner describes the wrong shape
    Phi, w, b = parts
    linear = len(X) > 4 and _affine_in(Phi, X)        # (four corners cannot tell x² from x)
    if linear:
        return Mistake(None, _STILL_LINEAR)
    targets = next((y for Xc, y, _ in _LIFT_CASES if Xc.shape == X.shape and np.array_equal(Xc, X)), None)
    if targets is None:
        return True
    out = (Phi @ w + b > 0).astype(int)
    if np.array_equal(out, targets):
        return True
    if len(X) > 4 and _affine_in(Phi, X, X ** 2):
        return Mistake(None, _SEPARATE_INPUTS)
    wrong = np.flatnonzero(out != targets)
    where = "; ".join(f"x = ({X[i, 0]:.2f}, {X[i, 1]:.2f}) gets {out[i]}, target {targets[i]}" for i in wrong[:3])
    return Mistake(None, _NOT_SEPARATED.format(where=where))


XOR_LIFT = Exercise(
    name="xor_lift",
    title="A feature map that makes XOR separable",
    reference=_reference_lift,
    cases=[Case(Xc, label=label) for Xc, _, label in _LIFT_CASES],
    returns="a triple (Phi, w, b): the lifted samples, one row per sample, and a plane's weights and bias",
    parts=("Phi", "w", "b"),
    compare=_lift_verdict,
    in_place="ignore",
    mistakes=[
        Mistake(lambda X: (np.column_stack([X, X[:, 0] + X[:, 1]]), np.array([1.0, 1.0, -1.0]), -0.5),
                _STILL_LINEAR),
        Mistake(lambda X: (np.column_stack([X, X ** 2]), np.array([1.0, 1.0, 1.0, 1.0]), -1.0), _SEPARATE_INPUTS),
        Mistake(lambda X: (product_features(X), np.array([1.0, 1.0, 2.0]), -0.5),
                _NOT_SEPARATED.split("{")[0]),
    ],
    hints=["Lift each sample to (x1, x2, x1·x2): the corner (1, 1) rises off the floor, the other three stay.",
           "Then look for w, b with w1·x1 + w2·x2 + w3·x1·x2 + b > 0 exactly at (0, 1) and (1, 0)."],
    praise="Right: in the lifted space a flat plane separates XOR; seen from above it is a curve.",
)

# ---------------------------------------------------------------------------------------------------
# 3. margin_and_radius(X, y, w, b) -> (gamma, R)


def _margin_radius(X, y, w, b, *, norm="wb", signs=True, use_min=True, R_one=True, absolute=False):
    s = 2 * y - 1 if signs else y
    z = X @ w + b
    scaled = {"wb": np.linalg.norm(np.append(w, b)), "w": np.linalg.norm(w), "none": 1.0}[norm]
    values = s * z / scaled
    values = np.abs(values) if absolute else values
    gamma = values.min() if use_min else values.max()
    lengths = np.linalg.norm(X, axis=1) if not R_one else np.linalg.norm(np.column_stack([X, np.ones(len(X))]),
                                                                        axis=1)
    return float(gamma), float(lengths.max())


_X_AND, _Y_AND = logic_gate("AND")
_XM, _YM = margin_data(12, gap=0.15, rng=3)
_MARGIN_CASES = [
    Case(_X_AND, _Y_AND, np.array([1.0, 1.0]), -1.5, label="AND with w = (1, 1), b = −1.5"),
    Case(_X_AND, _Y_AND, np.array([2.0, 1.0]), -2.0, label="AND with the learnt w = (2, 1), b = −2"),
    Case(_XM, _YM, np.array([0.6, 0.8]), 0.2, label="twelve separable points"),
    Case(_XM, _YM, np.array([1.0, -0.5]), 0.3, label="a line that gets some points wrong"),
]

MARGIN_AND_RADIUS = Exercise(
    name="margin_and_radius",
    title="The margin γ and the radius R of a data set",
    reference=lambda X, y, w, b: (margin(X, y, w, b), radius(X)),
    cases=_MARGIN_CASES,
    returns="a pair (gamma, R) of numbers",
    parts=("gamma", "R"),
    mistakes=[
        Mistake(lambda X, y, w, b: _margin_radius(X, y, w, b)[::-1], "You returned (R, gamma): swap them."),
        Mistake(partial(_margin_radius, R_one=False),
                "R leaves out the bias's input: measure the length of x̃ = (x1, x2, 1), the input with its constant "
                "1, as the theorem does.", part=1),
        Mistake(partial(_margin_radius, norm="w"),
                "You divided by ‖w‖. In the theorem the bias is one more weight, so divide by the length of "
                "w̃ = (w, b): ‖w̃‖ = √(w1² + w2² + b²).", part=0),
        Mistake(partial(_margin_radius, norm="none"),
                "Your γ is not divided by the length of w̃ = (w, b): doubling w and b would double it, though the "
                "line stays the same.", part=0),
        Mistake(partial(_margin_radius, signs=False),
                "You multiplied by the labels 0 and 1. The margin uses signs s = 2y − 1 (+1 for class 1, −1 for "
                "class 0), so that a class-0 sample counts as right when z < 0.", part=0),
        Mistake(partial(_margin_radius, absolute=True),
                "You took |z|, the distance to the line, without the sign: a sample on the wrong side must make γ "
                "negative. Use s·z, with s = 2y − 1.", part=0),
        Mistake(partial(_margin_radius, use_min=False),
                "You took the largest value. The margin is set by the sample CLOSEST to the line: take the minimum "
                "of s·z / ‖w̃‖.", part=0),
    ],
    hints=["γ = min over samples of s·(x·w + b) / ‖(w, b)‖ with s = 2y − 1;",
           "R = max over samples of ‖(x1, x2, 1)‖, the length of each input with its constant 1."],
    fallback="On {case} (gamma, R) should be {expected}; you returned {got}.",
    praise="Right: γ belongs to the line (it does not change if you scale w and b), R to the data.",
)

# ---------------------------------------------------------------------------------------------------
# 4. updates_until_converged(X, y, max_epochs=...) -> number of updates


def _count(X, y, max_epochs, *, what="updates", sign=1, bias=True, ge=False):
    """The perceptron rule from zero, η = 1, samples in order: updates (or epochs, or visits) until a clean epoch."""
    w, b = np.zeros(X.shape[1]), 0.0
    updates = visits = 0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x, t in zip(X, y):
            z = x @ w + (b if bias else 0.0)
            err = t - int(z >= 0 if ge else z > 0)
            visits += 1
            if err:
                w = w + sign * err * x
                b = b + sign * err if bias else b
                mistakes += 1
        updates += mistakes
        if mistakes == 0:
            break
    return {"updates": updates, "epochs": epoch, "visits": visits}[what]


_UPDATE_DATA = {"AND": logic_gate("AND"), "NAND": logic_gate("NAND"), "OR": logic_gate("OR"),
                "gap 0.2": margin_data(30, gap=0.2, rng=1), "gap 0.05": margin_data(30, gap=0.05, rng=2),
                "XOR": logic_gate("XOR")}

UPDATES_UNTIL_CONVERGED = Exercise(
    name="updates_until_converged",
    title="Counting the perceptron's updates",
    reference=lambda X, y, max_epochs=1000: Perceptron(np.shape(X)[1]).fit(X, y, epochs=max_epochs).updates_,
    cases=[Case(*data, max_epochs=(25 if name == "XOR" else 1000), label=name if name in GATES else
                f"the data set '{name}'") for name, data in _UPDATE_DATA.items()],
    returns="the number of updates, a whole number",
    rtol=0,
    mistakes=[
        Mistake(partial(_count, what="epochs"),
                "You counted epochs, not updates. The theorem bounds the number of UPDATES: the samples the rule "
                "got wrong (and corrected), over all epochs."),
        Mistake(partial(_count, what="visits"),
                "You counted every sample visited. Only a mistake causes an update: count the visits where "
                "y − ŷ ≠ 0."),
        Mistake(partial(_count, sign=-1),
                "Wrong sign in the update: you moved w by −(y − ŷ)·x. Then every update pushes the line the "
                "wrong way and training never converges. Use w ← w + (y − ŷ)·x, b ← b + (y − ŷ)."),
        Mistake(partial(_count, bias=False),
                "You trained without the bias, so the line must pass through the origin; these data need a line "
                "that does not. Keep b and update it too: b ← b + (y − ŷ)."),
        Mistake(partial(_count, ge=True),
                "Your prediction uses z ≥ 0. The step gives 1 only for z > 0: z = 0 (as at the start, w = 0, "
                "b = 0) gives 0."),
    ],
    hints=["Start from w = 0, b = 0 with η = 1; visit the samples in the order of the rows.",
           "Add one to the count for each sample the rule gets wrong; stop after an epoch without mistakes."],
    fallback="On {case} the rule makes {expected} updates; you returned {got}.",
    praise="Right. Compare the count with the bound (R/γ)²: far below it.",
)

# ---------------------------------------------------------------------------------------------------
# 5. ovr_predict(X, W, b) -> class labels from one-vs-rest scores

_rng = np.random.default_rng(35)
_OVR_CASES = [
    Case(np.round(_rng.normal(size=(3, 3)), 2), np.round(_rng.normal(size=(3, 3)), 2), np.array([0.5, -0.2, 0.1]),
         label="three samples, three classes"),
    Case(np.round(_rng.normal(size=(6, 3)), 2), np.round(_rng.normal(size=(3, 3)), 2), np.array([0.0, 2.0, -1.0]),
         label="a bias that matters"),
    Case(np.round(_rng.normal(size=(8, 2)), 2), np.round(_rng.normal(size=(2, 4)), 2) - 1.0,
         np.array([-0.5, -0.3, -0.4, -0.6]), label="four classes where often no perceptron fires"),
]

OVR_PREDICT = Exercise(
    name="ovr_predict",
    title="One-vs-rest: from scores to a class",
    reference=lambda X, W, b: np.argmax(X @ W + b, axis=1),
    cases=_OVR_CASES,
    returns="one class label per row of X: whole numbers, shape (n_samples,)",
    rtol=0,
    mistakes=[
        Mistake(lambda X, W, b: np.argmin(X @ W + b, axis=1),
                "You took the class with the SMALLEST score (argmin). Each perceptron's z is large when it is sure "
                "the sample is its class: take the argmax."),
        Mistake(lambda X, W, b: np.argmax(X @ W, axis=1),
                "You forgot the bias: the scores are Z = X W + b."),
        Mistake(lambda X, W, b: np.argmax(X @ W + b > 0, axis=1),
                "You took the first perceptron that fires (step first, then argmax). When several fire, or none, "
                "that is not the most confident one: take the argmax of the scores z themselves."),
        Mistake(lambda X, W, b: np.argmax(X @ W + b, axis=0),
                "You took the argmax over axis 0, the samples. Each ROW holds one sample's scores for every class: "
                "use axis=1."),
        Mistake(lambda X, W, b: np.max(X @ W + b, axis=1),
                "You returned the largest score itself. The prediction is WHICH class has it: np.argmax."),
    ],
    error_hints={"matmul": "W has shape (n_inputs, n_classes), one column per perceptron, so Z = X @ W + b needs no "
                           "transpose.",
                 "not aligned": "W has shape (n_inputs, n_classes), one column per perceptron, so Z = X @ W + b needs "
                                "no transpose."},
    hints=["Z = X @ W + b holds one score per (sample, class); the predicted class is the column of each row's "
           "largest score."],
    fallback="On {case} the classes are {expected}; you returned {got}.",
    praise="Right: the most confident perceptron wins, even when none fires or several do.",
)

EXERCISES = [XOR_NETWORK, XOR_LIFT, MARGIN_AND_RADIUS, UPDATES_UNTIL_CONVERGED, OVR_PREDICT]

check_xor_network = XOR_NETWORK.checker
check_xor_lift = XOR_LIFT.checker
check_margin_and_radius = MARGIN_AND_RADIUS.checker
check_updates_until_converged = UPDATES_UNTIL_CONVERGED.checker
check_ovr_predict = OVR_PREDICT.checker
