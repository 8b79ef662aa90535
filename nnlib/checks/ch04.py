"""The exercises of chapter 04 (sigmoid neurons and networks), described as data.

Each exercise lists its cases, the right answer and the typical mistakes, recognised by what the
wrong answer computes: the sigmoid written as 1/(1 + e^z), the steepness applied to the bias only,
a bump whose steps are subtracted in the wrong order, a boundary placed where z = 1/2 instead of
where σ(z) = 1/2, a hidden size chosen by its training error instead of its test error ...
"""

import numpy as np

from .core import Case, Exercise, Mistake


def _sigma(z):
    """σ(z), stable on both sides (the checker's own; the library's is nnlib.activations.sigmoid)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


_OVERFLOW = ("`math.exp` overflows for arguments above about 709. Work with NumPy arrays (`np.exp`), and keep the "
             "exponent from growing: use e^(−|z|), which is never larger than 1.")

# -- 1. a steep sigmoid ---------------------------------------------------------------------------------

_X1 = np.array([-1.0, -0.05, 0.0, 0.08, 0.1, 0.12, 0.3, 2.0])

STEEP_SIGMOID = Exercise(
    name="steep_sigmoid",
    title="A steep sigmoid",
    reference=lambda x, k, c: _sigma(k * (x - c)),
    cases=[Case(_X1, 40.0, 0.1, label="k = 40, c = 0.1"),
           Case(np.array([-2.0, 0.4, 0.5, 0.6, 3.0]), 1000.0, 0.5, label="a very steep one, k = 1000, c = 0.5"),
           Case(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]), 1.0, -1.0, label="k = 1, c = −1")],
    returns="σ(k(x − c)) at every x, an array like x",
    mistakes=[
        Mistake(lambda x, k, c: _sigma(-k * (x - c)),
                "Your sigmoid falls where it should rise: that is 1/(1 + e^(+z)). The sigmoid is "
                "σ(z) = 1/(1 + e^(−z)), with a minus sign in the exponent, so it goes from 0 (z very negative) to 1 "
                "(z very positive)."),
        Mistake(lambda x, k, c: _sigma(x - k * c),
                "You applied the steepness to the shift only, σ(x − k·c): the curve moved but is no steeper. Multiply "
                "the whole difference, σ(k·(x − c)): as a neuron, weight w = k and bias b = −k·c."),
        Mistake(lambda x, k, c: _sigma(k * x - c),
                "You computed σ(k·x − c): the steepness is right, but the middle of the curve sits at x = c/k instead "
                "of x = c. Put the parentheses around (x − c): σ(k·(x − c))."),
        Mistake(lambda x, k, c: _sigma(k * (x + c)),
                "Your curve is centred at x = −c. The middle (value 1/2) must be where x − c = 0, that is x = c: "
                "σ(k·(x − c))."),
        Mistake(lambda x, k, c: (k * (x - c) > 0).astype(float),
                "That is the binary step at c, not the sigmoid: use the smooth σ(z) = 1/(1 + e^(−z)) with "
                "z = k·(x − c)."),
        Mistake(lambda x, k, c: _sigma(x - c),
                "You left out the steepness k: σ(x − c) has steepness 1. Multiply: σ(k·(x − c))."),
    ],
    error_hints={"math range error": _OVERFLOW, "overflow": _OVERFLOW},
    hints=["z = k·(x − c), then σ(z) = 1/(1 + e^(−z)).",
           "With k = 1000, z reaches ±2500: e^z would overflow. e^(−|z|) never does; for z < 0 use "
           "σ(z) = e^z/(1 + e^z) = e^(−|z|)/(1 + e^(−|z|))."],
    praise="σ(k(x − c)): steepness k, middle at c, and no overflow even at k = 1000.",
)

# -- 2. how steep is steep enough? --------------------------------------------------------------------------


def _needed(tol, margin):
    return np.log((1 - tol) / tol) / margin


STEEPNESS_NEEDED = Exercise(
    name="steepness_needed",
    title="How steep is a step?",
    reference=_needed,
    cases=[Case(0.01, 0.1, label="tol = 0.01, margin = 0.1"), Case(0.2, 0.5, label="tol = 0.2, margin = 0.5"),
           Case(0.1, 2.0, label="tol = 0.1, margin = 2")],
    returns="the smallest steepness k, a single number",
    rtol=1e-3,                         # a careful numerical search is as good as the formula
    mistakes=[
        Mistake(lambda tol, margin: np.log(1 / tol) / margin,
                "Close, but σ(k·m) = 1 − tol gives e^(−k·m) = tol/(1 − tol), not tol: the answer is "
                "ln((1 − tol)/tol)/m. (ln(1/tol) is only the approximation for a tiny tol.)"),
        Mistake(lambda tol, margin: np.log((1 - tol) / tol),
                "You found the z at which σ(z) = 1 − tol, but the steepness must bring z = k·m there: divide by the "
                "margin m, k = ln((1 − tol)/tol)/m."),
        Mistake(lambda tol, margin: np.log((1 - tol) / tol) * margin,
                "Multiply or divide? k·m must equal ln((1 − tol)/tol), so k = ln((1 − tol)/tol) / m."),
        Mistake(lambda tol, margin: np.log10((1 - tol) / tol) / margin,
                "You used log10; the sigmoid is built on e, so use the natural logarithm `np.log`."),
        Mistake(lambda tol, margin: np.log(tol / (1 - tol)) / margin,
                "Your steepness is negative: the ratio is upside down. σ(k·m) = 1 − tol gives "
                "k = ln((1 − tol)/tol)/m."),
    ],
    hints=["The sigmoid is farthest from the step closest to 0, at |z| = margin: the gap there is 1 − σ(k·margin).",
           "Solve 1 − σ(k·m) = tol for k, or search: `gap_to_step(k, margin)` measures the gap for any k."],
    fallback="For tol = {tol} and margin = {margin} the smallest steepness is {expected}; you returned {got}.",
    praise="k = ln((1 − tol)/tol) / margin: a steep sigmoid is a step everywhere except in a thin band around 0.",
)

# -- 3. a bump from two sigmoids ----------------------------------------------------------------------------

_X3 = np.linspace(-0.5, 1.5, 9)


def _bump(x, a, b, height, k):
    return height * (_sigma(k * (x - a)) - _sigma(k * (x - b)))


BUMP = Exercise(
    name="bump",
    title="A bump from two steep sigmoids",
    reference=_bump,
    cases=[Case(_X3, 0.2, 0.7, 0.8, 50.0, label="a bump of height 0.8 on [0.2, 0.7]"),
           Case(np.array([-1.0, 0.0, 1.5, 2.5, 3.0, 5.0]), 1.0, 3.0, -2.0, 8.0, label="a dip of −2 on [1, 3]")],
    returns="the bump's values at every x, an array like x",
    mistakes=[
        Mistake(lambda x, a, b, height, k: -_bump(x, a, b, height, k),
                "Your bump points the wrong way: you subtracted the steps in the wrong order. The step at a goes up "
                "first, the one at b brings it back down: σ(k(x − a)) − σ(k(x − b))."),
        Mistake(lambda x, a, b, height, k: height * (_sigma(k * (x - a)) + _sigma(k * (x - b))),
                "You added the two steps: that makes a staircase up to twice the height, not a bump. Subtract the "
                "second step (at b) from the first (at a)."),
        Mistake(lambda x, a, b, height, k: _bump(x, a, b, 1.0, k),
                "The shape is right but the height is 1: multiply by height."),
        Mistake(lambda x, a, b, height, k: height * (_sigma(x - k * a) - _sigma(x - k * b)),
                "You applied the steepness to the shift only, σ(x − k·a): the edges moved to k·a and k·b and "
                "stayed soft. Write σ(k·(x − a)) − σ(k·(x − b))."),
        Mistake(lambda x, a, b, height, k: height * (_sigma(k * (x - a)) - _sigma(k * (x - a - b))),
                "Your second step sits at a + b, not at b: write σ(k(x − b)), with the position b itself."),
    ],
    hints=["One steep sigmoid is a step up at a: σ(k(x − a)). A second one at b, subtracted, takes it down again.",
           "Inside [a, b] the first step is (almost) 1 and the second (almost) 0; multiply the difference by height."],
    praise="height · (σ(k(x − a)) − σ(k(x − b))): a bump is a step pair, the building block of any curve.",
)

# -- 4. the boundary of a sigmoid neuron ----------------------------------------------------------------------


def _line(w, b):
    w = np.asarray(w, dtype=float)
    return -w[0] / w[1], -b / w[1]


BOUNDARY_LINE = Exercise(
    name="boundary_line",
    title="The boundary of a sigmoid neuron",
    reference=_line,
    cases=[Case(np.array([1.0, 0.5]), -0.25, label="w = (1, 0.5), b = −0.25"),
           Case(np.array([-2.0, 4.0]), 1.0, label="w = (−2, 4), b = 1"),
           Case(np.array([3.0, -1.5]), 0.75, label="w = (3, −1.5), b = 0.75")],
    returns="the line x₂ = slope·x₁ + intercept as a pair `(slope, intercept)`",
    parts=("slope", "intercept"),
    mistakes=[
        Mistake(lambda w, b: (-w[0] / w[1], (0.5 - b) / w[1]),
                "You put the boundary where z = 1/2. The neuron's output σ(z) is 1/2 where z = 0, so the boundary is "
                "w₁x₁ + w₂x₂ + b = 0."),
        Mistake(lambda w, b: _line(w, b)[::-1],
                "Both numbers are right but in the wrong order: return (slope, intercept)."),
        Mistake(lambda w, b: (w[0] / w[1], -b / w[1]),
                "The slope has the wrong sign: from w₁x₁ + w₂x₂ + b = 0, x₂ = −(w₁/w₂)x₁ − b/w₂."),
        Mistake(lambda w, b: (-w[0] / w[1], b / w[1]),
                "The intercept has the wrong sign: moving b to the other side gives −b/w₂."),
        Mistake(lambda w, b: (-w[1] / w[0], -b / w[0]),
                "You solved for x₁ instead of x₂ (w₁ and w₂ swapped). The line is x₂ = −(w₁/w₂)x₁ − b/w₂."),
        Mistake(lambda w, b: (-w[0] / w[1], -b),
                "The intercept must be divided by w₂ too: x₂ = −(w₁/w₂)x₁ − b/w₂."),
    ],
    hints=["σ(z) = 1/2 exactly where z = 0: the boundary is the line w₁x₁ + w₂x₂ + b = 0.",
           "Solve that equation for x₂."],
    fallback="For w = {w}, b = {b} the line is x₂ = slope·x₁ + intercept with (slope, intercept) = {expected}; you "
             "returned {got}.",
    praise="σ(z) = 1/2 on the line z = 0: a sigmoid neuron's boundary is as straight as the perceptron's.",
)

# -- 5. choosing the hidden size ----------------------------------------------------------------------------------

_SIZES_A = np.array([1, 2, 4, 8, 32, 128])
_TRAIN_A = np.array([[0.35, 0.26, 0.11, 0.10, 0.08, 0.03],
                     [0.36, 0.25, 0.10, 0.09, 0.07, 0.05],
                     [0.35, 0.27, 0.10, 0.11, 0.09, 0.04]])
_TEST_A = np.array([[0.41, 0.33, 0.205, 0.215, 0.23, 0.24],      # seed 0 alone would pick 4
                    [0.41, 0.38, 0.23, 0.21, 0.22, 0.24],
                    [0.40, 0.35, 0.225, 0.215, 0.225, 0.245]])
_SIZES_B = np.array([3, 5, 10, 20])
_TRAIN_B = np.array([[0.30, 0.20, 0.12, 0.02], [0.32, 0.22, 0.10, 0.01]])
_TEST_B = np.array([[0.34, 0.25, 0.27, 0.30], [0.36, 0.31, 0.24, 0.29]])


def _mean_test(sizes, train_error, test_error):
    return np.asarray(sizes)[np.argmin(np.mean(test_error, axis=0))]


CHOOSE_HIDDEN_SIZE = Exercise(
    name="choose_hidden_size",
    title="Choosing the hidden size",
    reference=_mean_test,
    cases=[Case(_SIZES_A, _TRAIN_A, _TEST_A, label="the chapter's six sizes"),
           Case(_SIZES_B, _TRAIN_B, _TEST_B, label="four sizes, two seeds")],
    returns="one of the hidden sizes, a single number",
    mistakes=[
        Mistake(lambda sizes, train_error, test_error: np.asarray(sizes)[np.argmin(np.mean(train_error, axis=0))],
                "You chose by the training error. It keeps falling as the network grows (a big network can learn "
                "the noise by heart), so it always points at the largest size. Choose by the error on data the "
                "network has not seen: the test error."),
        Mistake(lambda sizes, train_error, test_error: np.argmin(np.mean(test_error, axis=0)),
                "You returned the position of the best size in the list, not the size itself: index `sizes` with "
                "it."),
        Mistake(lambda sizes, train_error, test_error: np.asarray(sizes)[np.argmin(test_error[0])],
                "You looked at the first seed only. Each seed's errors are noisy: average the test error over the "
                "seeds (axis 0) first, then choose."),
        Mistake(lambda sizes, train_error, test_error: np.asarray(sizes)[np.argmax(np.mean(test_error, axis=0))],
                "You chose the size with the LARGEST test error: use argmin."),
        Mistake(lambda sizes, train_error, test_error: np.min(np.mean(test_error, axis=0)),
                "You returned the lowest test error itself, not the hidden size that reaches it."),
    ],
    hints=["Average the test error over the seeds: `test_error.mean(axis=0)`, one number per size.",
           "`np.argmin` gives the position of the smallest; `sizes[...]` turns it into a size."],
    fallback="The best hidden size here is {expected}; you returned {got}.",
    praise="Chosen by the mean test error over the seeds: the training error would always pick the largest network.",
)

EXERCISES = [STEEP_SIGMOID, STEEPNESS_NEEDED, BUMP, BOUNDARY_LINE, CHOOSE_HIDDEN_SIZE]

check_steep_sigmoid = STEEP_SIGMOID.checker
check_steepness_needed = STEEPNESS_NEEDED.checker
check_bump = BUMP.checker
check_boundary_line = BOUNDARY_LINE.checker
check_choose_hidden_size = CHOOSE_HIDDEN_SIZE.checker
