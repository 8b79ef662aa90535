"""The exercises of chapter 05 (loss functions), described as data.

Six exercises: the MSE of a batch, a softmax that cannot overflow, the cross-entropy of a batch,
the weight at which one image changes its answer (the edges of the accuracy staircase), the slope
of the squared error behind a sigmoid (the factor σ′ that vanishes), and two losses of one output
side by side (to predict, then verify, which of two outputs each loss prefers). Each lists the
typical mistakes: a sum instead of a mean, absolute instead of squared errors, the average taken
over the wrong axis, softmax without the maximum subtracted, the log of the wrong class, a missing
minus sign, the sign of Δ·x flipped, the factor σ′(z) forgotten ...

The softmax exercise includes a row of very negative scores, e^(−740) and the like: without the
maximum subtracted those exponentials land among the smallest floats, where only a few digits
survive, so the forgotten subtraction gives finite but wrong numbers and is recognised (for very
large scores it would give NaN, which every checker reports as such).
"""

import numpy as np

from .core import Case, Exercise, Mistake


def _one_hot(labels, k):
    Y = np.zeros((len(labels), k))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


_rng = np.random.default_rng(5)


def _probabilities(n, k):
    P = _rng.random((n, k)) + 0.05
    return P / P.sum(axis=1, keepdims=True)


# -- 1. the MSE of a batch -------------------------------------------------------------------------------

_MSE_CASES = [Case(_probabilities(4, 3), _one_hot([0, 2, 1, 2], 3), label="four outputs, three classes"),
              Case(_rng.random((2, 5)), _one_hot([4, 1], 5), label="two outputs of five sigmoids")]

BATCH_MSE = Exercise(
    name="batch_mse",
    title="The mean squared error of a batch",
    reference=lambda A, Y: np.mean((A - Y) ** 2),
    cases=_MSE_CASES,
    returns="a single number: the mean of (A − Y)² over all entries",
    mistakes=[
        Mistake(lambda A, Y: np.sum((A - Y) ** 2),
                "You added the squared errors up: that is the total squared error of the batch, which grows with the "
                "batch size. The loss is the MEAN, over all n_samples × n_classes entries."),
        Mistake(lambda A, Y: np.mean(np.abs(A - Y)),
                "You averaged the absolute errors |A − Y| (the mean absolute error). Square each difference instead."),
        Mistake(lambda A, Y: np.mean(np.sum((A - Y) ** 2, axis=1)),
                "You summed over the classes and averaged over the samples: the mean squared error *per example*, "
                "n_classes times too large. Average over all entries, as `mse` and PyTorch's MSELoss do."),
        Mistake(lambda A, Y: np.sum(np.mean((A - Y) ** 2, axis=1)),
                "You averaged each row but then ADDED the rows: the loss of a batch is the mean over its examples too."),
        Mistake(lambda A, Y: np.mean(A - Y) ** 2,
                "You squared the mean difference; square each difference first, then average (positive and negative "
                "differences must not cancel)."),
        Mistake(lambda A, Y: np.mean(A - Y),
                "You averaged the plain differences without squaring them, so positive and negative ones cancel."),
        Mistake(lambda A, Y: np.sqrt(np.mean((A - Y) ** 2)),
                "You took the square root at the end: that is the root mean squared error, not the MSE."),
    ],
    hints=["Subtract, square each entry, then take one mean over everything: `np.mean(...)` without an axis.",
           "A and Y have the same shape (n_samples, n_classes)."],
    fallback="On {case} the mean squared error is {expected}; you returned {got}.",
    praise="The mean over all entries, so the loss does not depend on the batch size.",
)

# -- 2. a softmax that cannot overflow ----------------------------------------------------------------------


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


_BROADCAST = ("`E.sum(axis=1)` has shape (n_samples,), which does not line up with the rows of E: keep the axis, "
              "`E.sum(axis=1, keepdims=True)`.")

STABLE_SOFTMAX = Exercise(
    name="stable_softmax",
    title="A softmax that cannot overflow",
    reference=_softmax,
    cases=[Case(_rng.normal(size=(3, 4)), label="ordinary scores"),
           Case(np.array([[-740.0, -744.0, -742.0], [1.0, 2.0, 3.0]]), label="a row of very negative scores"),
           Case(np.array([[2.0, 0.5], [-1.0, 3.0], [0.5, 0.0], [10.0, 9.0]]), label="four rows of two scores")],
    returns="an array of the shape of Z: each row's probabilities, adding up to 1",
    accept_lists=False,
    in_place="incorrect",
    mistakes=[
        Mistake(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
                "You did not subtract the largest score first. For scores like −740, e^z lies among the smallest "
                "floats, where only a few digits survive (and for scores above about 710, e^z overflows to infinity "
                "and the result becomes NaN). Subtract each row's maximum: it cancels in the ratio."),
        Mistake(lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(
                    axis=0, keepdims=True),
                "Your columns add up to 1, not your rows: sum the exponentials along axis=1, one row per sample."),
        Mistake(lambda Z: np.exp(Z - Z.max(axis=0, keepdims=True)) / np.exp(Z - Z.max(axis=0, keepdims=True)).sum(
                    axis=1, keepdims=True),
                "You subtracted the maximum of each COLUMN. Only a number that is the same for the whole row cancels "
                "in the ratio: subtract each row's maximum, `Z.max(axis=1, keepdims=True)`."),
        Mistake(lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)),
                "You computed the exponentials but did not divide by their sum, so the rows do not add up to 1."),
        Mistake(lambda Z: Z / Z.sum(axis=1, keepdims=True),
                "You divided the scores by their sum without the exponential: scores can be negative, probabilities "
                "cannot. Take e^z first."),
        Mistake(lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(),
                "Your whole array adds up to 1; each ROW should (one row per sample): sum along axis=1 with "
                "keepdims=True."),
    ],
    error_hints={"could not be broadcast": _BROADCAST},
    hints=["Subtract each row's maximum, take the exponential, divide by the row's sum.",
           "`keepdims=True` keeps the row sums as a column, so that the division lines up."],
    fallback="On {case} the probabilities are {expected}; you returned {got}.",
    praise="Subtracting the row maximum changes nothing mathematically and keeps every exponent ≤ 0.",
)

# -- 3. cross-entropy of a batch ----------------------------------------------------------------------------


def _p_true(P, y):
    return P[np.arange(len(P)), y]


_CE_CASES = [Case(np.array([[0.4, 0.3, 0.3], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.05, 0.15, 0.8]]),
                  np.array([0, 1, 2, 2]), label="four drawings: dragon, fish, bird, bird"),
             Case(_probabilities(3, 10), np.array([7, 0, 3]), label="three digits")]

CROSS_ENTROPY_LOSS = Exercise(
    name="cross_entropy_loss",
    title="The cross-entropy of a batch",
    reference=lambda P, y: -np.mean(np.log(_p_true(P, y))),
    cases=_CE_CASES,
    returns="a single number: the mean over the samples of −log P[i, y_i]",
    mistakes=[
        Mistake(lambda P, y: np.mean(np.log(_p_true(P, y))),
                "Your loss is negative: the minus sign is missing. log p ≤ 0 for a probability, so the surprise is "
                "−log p."),
        Mistake(lambda P, y: -np.mean(np.log(P.max(axis=1))),
                "You took the log of the LARGEST probability of each row, the model's own answer. The loss looks at "
                "the probability of the TRUE class y_i, right or wrong: `P[np.arange(n), y]`."),
        Mistake(lambda P, y: -np.mean(np.log(1 - _p_true(P, y))),
                "You took log(1 − p) of the true class: that is the surprise at it being WRONG. Use −log p of the true "
                "class."),
        Mistake(lambda P, y: -np.sum(np.log(_p_true(P, y))),
                "You added the surprises up; the loss of a batch is their MEAN."),
        Mistake(lambda P, y: -np.mean(np.log(P)),
                "You averaged −log p over every class of every row. Only the true class counts: one probability per "
                "sample, `P[np.arange(n), y]`."),
        Mistake(lambda P, y: -np.mean(np.log(P[:, y])),
                "`P[:, y]` takes whole columns, for every sample each of the labels. Pick one entry per row: "
                "`P[np.arange(len(P)), y]`.",
                fix="`p_true = P[np.arange(len(P)), y]`"),
        Mistake(lambda P, y: -np.mean(np.log10(_p_true(P, y))),
                "You used the base-10 logarithm. The course (like every library) uses the natural log, `np.log`."),
        Mistake(lambda P, y: -np.mean(_p_true(P, y)),
                "You forgot the logarithm: the surprise is −log p, which grows without bound as p goes to 0."),
    ],
    hints=["First pick each row's probability of its true class: `P[np.arange(len(P)), y]`.",
           "Then −log of those, averaged over the rows."],
    fallback="On {case} the cross-entropy is {expected}; you returned {got}.",
    praise="Only the probability of the true class counts, and its surprise −log p.",
)

# -- 4. where does one image change its answer? -------------------------------------------------------------

_FLIP_CASES = [Case(-1.2, 0.6, 0.3, label="one image, z = −1.2"),
               Case(np.array([2.0, -0.5, 4.0]), np.array([0.5, 1.0, 0.8]), -0.4, label="three images")]

FLIP_WEIGHT = Exercise(
    name="flip_weight",
    title="Where does an image change its answer?",
    reference=lambda z, x, w: w - z / x,
    cases=_FLIP_CASES,
    returns="the weight w_j at which the logit becomes 0 (an array like z, or a number)",
    mistakes=[
        Mistake(lambda z, x, w: w + z / x,
                "Wrong sign: the logit after the change is z + Δ·x, which is 0 for Δ = −z/x; the weight is then "
                "w + Δ = w − z/x."),
        Mistake(lambda z, x, w: -z / x,
                "That is the CHANGE Δ = −z/x of the weight. The question asks for the weight itself: w + Δ."),
        Mistake(lambda z, x, w: w - x / z, "Upside down: solve z + Δ·x = 0 for Δ, which gives Δ = −z/x, not −x/z."),
        Mistake(lambda z, x, w: w - z * x, "Solve z + Δ·x = 0 for Δ: divide by x, Δ = −z/x."),
        Mistake(lambda z, x, w: z / x, "Set the new logit z + Δ·x to 0 and solve for Δ (= −z/x); the answer is w + Δ."),
    ],
    hints=["Moving the weight from w to w + Δ moves the logit from z to z + Δ·x.",
           "The answer changes where the logit is 0: solve z + Δ·x = 0, then return w + Δ."],
    fallback="On {case} the logit reaches 0 at the weight {expected}; you returned {got}.",
    praise="w − z/x: every image with ink at the pixel has exactly one such weight, an edge of the staircase.",
)

# -- 5. the slope of the squared error behind a sigmoid -----------------------------------------------------


def _sig(z):
    return 1 / (1 + np.exp(-z))


MSE_SIGMOID_SLOPE = Exercise(
    name="mse_sigmoid_slope",
    title="The slope of (σ(z) − t)²",
    reference=lambda z, t: 2 * (_sig(z) - t) * _sig(z) * (1 - _sig(z)),
    cases=[Case(np.array([-8.0, -1.0, 0.0, 2.0]), np.array([1.0, 1.0, 0.0, 0.0]), label="four examples"),
           Case(0.5, 1.0, label="one example")],
    returns="dL/dz, an array like z (a number for a number)",
    mistakes=[
        Mistake(lambda z, t: 2 * (_sig(z) - t),
                "You forgot the inner derivative: a = σ(z), so by the chain rule dL/dz = 2(a − t) · σ′(z), with "
                "σ′(z) = σ(z)(1 − σ(z))."),
        Mistake(lambda z, t: _sig(z) - t,
                "σ(z) − t is the slope of the CROSS-ENTROPY. The squared error's slope is 2(σ(z) − t) · σ′(z)."),
        Mistake(lambda z, t: (_sig(z) - t) * _sig(z) * (1 - _sig(z)),
                "Half the right size: the derivative of u² is 2u. Keep the factor 2."),
        Mistake(lambda z, t: 2 * (t - _sig(z)) * _sig(z) * (1 - _sig(z)),
                "Wrong sign: the derivative of (a − t)² with respect to a is 2(a − t), with a first."),
        Mistake(lambda z, t: 2 * (_sig(z) - t) * _sig(z),
                "σ′(z) is σ(z)(1 − σ(z)), not σ(z): you left out the factor (1 − σ(z))."),
        Mistake(lambda z, t: 2 * (z - t),
                "You differentiated (z − t)², without the sigmoid. The output is a = σ(z): dL/dz = 2(a − t) · σ′(z)."),
        Mistake(lambda z, t: 2 * (_sig(z) - t) * z * (1 - z),
                "You computed σ′ from z itself: σ′(z) = σ(z)(1 − σ(z)), with the sigmoid's value, not z."),
    ],
    hints=["Chain rule: L = (a − t)² with a = σ(z), so dL/dz = dL/da · da/dz.",
           "dL/da = 2(a − t) and da/dz = σ(z)(1 − σ(z))."],
    fallback="On {case} the slope is {expected}; you returned {got}.",
    praise="2(σ(z) − t)·σ′(z): the factor σ′(z) is what vanishes when the sigmoid saturates.",
)

# -- 6. two losses of one output -----------------------------------------------------------------------------


def _two(p, label, se=None, ce=None):
    t = np.zeros(len(p))
    t[label] = 1.0
    return (np.sum((p - t) ** 2) if se is None else se(p, t, label),
            -np.log(p[label]) if ce is None else ce(p, t, label))


_A = np.array([0.0, 0.0, 0.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0])
_B = np.full(10, 0.5 / 9)
_B[3] = 0.5

TWO_LOSSES = Exercise(
    name="two_losses",
    title="Squared error and cross-entropy of one output",
    reference=_two,
    cases=[Case(_A, 3, label="output A"), Case(_B, 3, label="output B"),
           Case(np.array([0.4, 0.3, 0.3]), 0, label="the essay's dragon"),
           Case(np.array([0.7, 0.2, 0.1]), 1, label="a fish taken for a dragon")],
    returns="two numbers, `(squared_error, cross_entropy)`",
    parts=("squared_error", "cross_entropy"),
    mistakes=[
        Mistake(lambda p, label: _two(p, label)[::-1],
                "Both numbers are right but in the wrong order: the squared error first, then the cross-entropy."),
        Mistake(lambda p, label: _two(p, label, se=lambda p, t, k: np.mean((p - t) ** 2)), part=0,
                message="You divided the squared error by the number of classes (that is the MSE). This exercise asks for the "
                "sum of the squared differences."),
        Mistake(lambda p, label: _two(p, label, se=lambda p, t, k: (1 - p[k]) ** 2), part=0,
                message="Your squared error only looks at the true class. Every position counts: the probability given to the "
                "wrong classes (target 0) adds to it."),
        Mistake(lambda p, label: _two(p, label, ce=lambda p, t, k: np.log(p[k])), part=1,
                message="Your cross-entropy is negative: −log p needs the minus sign."),
        Mistake(lambda p, label: _two(p, label, ce=lambda p, t, k: -np.log(p.max())), part=1,
                message="Your cross-entropy uses the largest probability; it must use the probability of the true class, "
                "`p[label]`."),
    ],
    hints=["Make the one-hot target t first; the squared error is Σ (p − t)².",
           "The cross-entropy is −log of the probability of the true class, p[label]."],
    fallback="On {case} the two losses are {expected}; you returned {got}.",
    praise="The squared error looks at every class, the cross-entropy at the true one only.",
)

EXERCISES = [BATCH_MSE, STABLE_SOFTMAX, CROSS_ENTROPY_LOSS, FLIP_WEIGHT, MSE_SIGMOID_SLOPE, TWO_LOSSES]

check_batch_mse = BATCH_MSE.checker
check_stable_softmax = STABLE_SOFTMAX.checker
check_cross_entropy_loss = CROSS_ENTROPY_LOSS.checker
check_flip_weight = FLIP_WEIGHT.checker
check_mse_sigmoid_slope = MSE_SIGMOID_SLOPE.checker
check_two_losses = TWO_LOSSES.checker
