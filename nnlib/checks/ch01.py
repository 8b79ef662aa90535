"""Checkers for the exercises of chapter 01 (what is a neural network?).

Each ``check_*`` takes the student's function, runs it on a few cases and
returns a :class:`~nnlib.checks.core.Feedback`. When the answer is wrong it
asks what the answer *does*: if it matches what a typical mistake would
produce (a forgotten bias, a missing square, the wrong axis), it names it.
"""

import numbers

import numpy as np

from .core import call, check_array_result, close, correct, diagnose, incorrect, never_raises

# ---------------------------------------------------------------------------
# 1. Counting parameters
# ---------------------------------------------------------------------------

_SIZES_CASES = [[784, 16, 10], [2, 3, 1], [3600, 16, 10], [5, 5], [784, 16, 16, 16, 10]]


def _n_params(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


@never_raises
def check_count_parameters(fn):
    """``fn(sizes)`` → the number of weights and biases of a fully connected network."""
    ex = "count_parameters"
    for sizes in _SIZES_CASES:
        got, fb = call(ex, fn, list(sizes))
        if fb is not None:
            return fb
        expected = _n_params(sizes)
        if got is None:
            return incorrect(ex, "Your function returned None. Did you forget the `return` statement?")
        pairs = list(zip(sizes[:-1], sizes[1:]))
        if isinstance(got, (list, tuple, np.ndarray)) and close(got, [a * b + b for a, b in pairs]):
            return incorrect(ex, f"For sizes {sizes} you returned one count per layer, {list(got)}. "
                                 "The question asks for the total: add them up into one number.")
        if isinstance(got, bool) or not isinstance(got, (numbers.Integral, numbers.Real)):
            return incorrect(ex, f"The answer should be a whole number (a count), got {type(got).__name__}.")
        if got == expected:
            continue
        mistakes = [
            (sum(a * b for a, b in pairs),
             f"For sizes {sizes} you returned {got}: that counts the weights but not the biases. "
             "Every neuron outside the input layer also has one bias."),
            (sum(a * b for a, b in pairs) + sum(sizes),
             f"For sizes {sizes} you returned {got}: you gave the input layer biases too. The input "
             "layer holds the pixels; only neurons that compute something have a bias."),
            (sum(b for a, b in pairs),
             f"For sizes {sizes} you returned {got}: that counts only the biases. Layer l also has "
             "an n_in × n_out weight matrix."),
            (int(np.prod(sizes)),
             f"For sizes {sizes} you returned {got}: you multiplied all the sizes together. Weights "
             "connect neighbouring layers only: add up n_in × n_out (+ n_out biases) layer by layer."),
            (sum(a * b + a for a, b in pairs),
             f"For sizes {sizes} you returned {got}: you gave each layer one bias per INPUT (n_in). A bias "
             "belongs to a neuron, so a layer has n_out biases, one per output neuron."),
            (sum(a * b + b for a, b in pairs[:-1]),
             f"For sizes {sizes} you returned {got}: the last layer is missing. Does your loop stop one "
             "layer early? With sizes [n0, n1, n2] there are two layers of weights, (n0, n1) and (n1, n2)."),
            (sum(a + b for a, b in pairs),
             f"For sizes {sizes} you returned {got}: you added the sizes of neighbouring layers. Each "
             "of the n_in inputs connects to each of the n_out neurons, so a layer has n_in × n_out weights."),
        ]
        for wrong, message in mistakes:
            if got == wrong:
                return incorrect(ex, message)
        return incorrect(ex, f"For sizes {sizes} the network has {expected} parameters, you returned {got}. "
                             "Go layer by layer: n_in × n_out weights plus n_out biases.")
    return correct(ex, "Right: a 784-16-10 network already has 12,730 numbers to tune.")


# ---------------------------------------------------------------------------
# 2. Squared error against a one-hot target
# ---------------------------------------------------------------------------

_SE_CASES = [
    (np.array([0.2, 0.9, 0.4, 0.1, 0.0, 0.3, 0.1, 0.0, 0.6, 0.2]), 1),    # sigmoid-like: does not sum to 1
    (np.array([0.1, 0.2, 0.3, 0.05, 0.05, 0.1, 0.05, 0.05, 0.05, 0.05]), 1),
    (np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]), 7),
    (np.array([0.5, 0.1, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.2]), 4),
    (np.array([0.3, 0.3, 0.4]), 2),
]


def _one_hot(k, n):
    t = np.zeros(n)
    t[k] = 1.0
    return t


_SE_MISTAKES = [
    (lambda o, t: np.sum(o - t),
     "You added the plain differences without squaring them. Positive and negative differences "
     "cancel (for confidences that sum to 1 they add up to exactly 0): square each difference before adding."),
    (lambda o, t: np.sum(t - o),
     "You added the plain differences without squaring them. Positive and negative differences "
     "cancel (for confidences that sum to 1 they add up to exactly 0): square each difference before adding."),
    (lambda o, t: np.sum(o ** 2),
     "You squared the outputs themselves and never used the target: square the DIFFERENCE "
     "output − target at each position."),
    (lambda o, t: (1 - o[np.argmax(t)]) ** 2,
     "You only looked at the position of the true digit. Every position counts: confidence given to a "
     "wrong digit (target 0) adds to the error too."),
    (lambda o, t: 0.5 * np.sum((o - t) ** 2),
     "You multiplied by ½. Some books put ½ in front of the squared error to tidy up its derivative; "
     "this exercise asks for the plain sum."),
    (lambda o, t: np.sum((o[:-1] - t[:-1]) ** 2),
     "You left out the last position. Does your loop run over range(len(output) - 1)? Use "
     "range(len(output)), or no loop at all: np.sum((output - target) ** 2)."),
    (lambda o, t: np.sum(np.abs(o - t)),
     "You added the absolute differences. That is a loss too, but not the squared error: "
     "square each difference instead."),
    (lambda o, t: np.mean((o - t) ** 2),
     "You divided by the number of outputs: that is the mean squared error (MSE). The exercise "
     "asks for the plain sum of the squared differences."),
    (lambda o, t: np.sum(o - t) ** 2,
     "You squared the sum of the differences; square each difference first, then add."),
    (lambda o, t: np.sqrt(np.sum((o - t) ** 2)),
     "You took a square root at the end: that is the distance, not the squared error."),
]


@never_raises
def check_squared_error(fn):
    """``fn(output, target)`` → Σ (output − target)² for one image (a number)."""
    ex = "squared_error"
    results = []
    for out, k in _SE_CASES:
        t = _one_hot(k, len(out))
        got, fb = call(ex, fn, out.copy(), t.copy())
        if fb is not None:
            return fb
        expected = float(np.sum((out - t) ** 2))
        if got is not None and np.ndim(got) == 1 and np.size(got) == len(out):
            return incorrect(ex, "You returned one number per position (the squared differences) "
                                 "but did not add them up. The loss is a single number: sum them.")
        bad = check_array_result(ex, got, expected, what="the squared error")
        if bad is not None:
            return bad
        results.append(float(np.asarray(got, dtype=float)))
    expected = [float(np.sum((o - _one_hot(k, len(o))) ** 2)) for o, k in _SE_CASES]
    if close(results, expected):
        return correct(ex, "Right. A perfect output scores 0, and one confident wrong answer scores 2.")
    for mistake, message in _SE_MISTAKES:
        if close(results, [float(mistake(o, _one_hot(k, len(o)))) for o, k in _SE_CASES]):
            return incorrect(ex, message)
    i = next(i for i, (g, e) in enumerate(zip(results, expected)) if not close(g, e))
    out, k = _SE_CASES[i]
    return incorrect(ex, f"For output {np.round(out, 2).tolist()} and target digit {k} the squared error is "
                         f"{expected[i]:.4g}, you returned {results[i]:.4g}. Subtract position by position, "
                         "square, then add.")


# ---------------------------------------------------------------------------
# 3. From confidences to predicted digits
# ---------------------------------------------------------------------------

def _confidence_cases():
    rng = np.random.default_rng(1)
    P = rng.random((6, 10))
    P /= P.sum(axis=1, keepdims=True)
    Q = rng.random((10, 10))          # square: the wrong axis gives the right shape
    Q /= Q.sum(axis=1, keepdims=True)
    return [P, Q]


@never_raises
def check_predicted_digits(fn):
    """``fn(P)`` → the predicted digit (index of the largest confidence) of each row, shape (n,)."""
    ex = "predicted_digits"
    for P in _confidence_cases():
        got, fb = call(ex, fn, P.copy())
        if fb is not None:
            return fb
        expected = np.argmax(P, axis=1)
        if got is not None and np.shape(got) == (P.shape[1],) and P.shape[0] != P.shape[1] \
                and close(got, np.argmax(P, axis=0)):
            return incorrect(ex, "You took the largest entry of each column (axis=0). Each ROW is one "
                                 "image's 10 confidences: use axis=1.")
        if got is not None and np.shape(got) == (len(P), 1):
            return incorrect(ex, f"Your answer has shape {np.shape(got)}; return a flat vector of shape "
                                 f"({len(P)},), one digit per image (no keepdims).")
        bad = check_array_result(ex, got, expected, what="your answer")
        if bad is not None:
            if np.ndim(got) == 0:
                return incorrect(ex, "You returned a single number. Without `axis=1`, argmax looks at the "
                                     "whole table at once; ask for the largest entry of each row.")
            return bad
        fb = diagnose(ex, got, expected, [
            (np.argmax(P, axis=0), "You took the largest entry of each column (axis=0). Each ROW is one "
                                   "image's 10 confidences: use axis=1."),
            (np.max(P, axis=1), "You returned the largest confidence itself; the prediction is its "
                                "position (which digit), so use argmax rather than max."),
            (np.argmin(P, axis=1), "You picked the digit with the smallest confidence: use argmax."),
            (np.argmax(P, axis=1) + 1, "Your digits are one too high. Positions are counted from 0 and "
                                       "position k holds the confidence for digit k, so do not add 1."),
        ], fallback="For each row, return the index (0–9) of its largest confidence.")
        if fb is not None:
            return fb
    return correct(ex)


# ---------------------------------------------------------------------------
# 4. Accuracy
# ---------------------------------------------------------------------------

@never_raises
def check_accuracy(fn):
    """``fn(P, y)`` → fraction of rows whose argmax equals the label (a number in [0, 1])."""
    ex = "accuracy"
    rng = np.random.default_rng(2)
    for n, n_right in ((10, 7), (20, 13)):
        P = rng.random((n, 10))
        P /= P.sum(axis=1, keepdims=True)
        y = (np.argmax(P, axis=1) + 1) % 10                    # all wrong ...
        y[:n_right] = np.argmax(P[:n_right], axis=1)           # ... except the first n_right
        got, fb = call(ex, fn, P.copy(), y.copy())
        if fb is not None:
            return fb
        hits = np.argmax(P, axis=1) == y
        expected = float(np.mean(hits))
        if isinstance(got, (bool, np.bool_)):
            return incorrect(ex, "You returned True/False. The accuracy is a fraction: the number of right "
                                 "answers divided by the number of images.")
        bad = check_array_result(ex, got, expected, what="the accuracy")
        if bad is not None:
            if np.ndim(got) == 1 and np.size(got) == n:
                return incorrect(ex, "You returned one right/wrong value per image; the accuracy is their "
                                     "average, a single number.")
            return bad
        value = float(np.asarray(got, dtype=float))
        fb = diagnose(ex, got, expected, [
            (float(np.sum(hits)), "You returned the number of correct images; divide by how many there are."),
            (100 * expected, "You returned a percentage. Return the fraction (between 0 and 1) instead."),
            (1 - expected, "You returned the fraction of WRONG answers (the error rate): count the rows "
                           "where the prediction equals the label."),
            (float(np.mean(np.max(P, axis=1))), "You averaged the largest confidences. Accuracy compares "
                                                "the predicted digit (argmax) with the label y."),
            (float(np.mean(P[np.arange(n), y])), "You averaged the confidence given to the true digit. "
                                                  "Accuracy only asks whether the predicted digit (argmax) "
                                                  "equals the label: count those rows."),
            (0.0, "You returned 0, though some predictions are right. Integer division (//) or int() rounds "
                  "a fraction like 0.7 down to 0: divide with / (or use np.mean)."),
            (float(np.sum(hits)) / 10, "You divided by 10, the number of digits. Divide by the number of "
                                       "images, len(y)."),
            (float(np.sum(hits)) / P.size, "You divided by the number of entries of P (images × 10). Divide "
                                           "by the number of images, len(y)."),
        ], fallback=f"On this case {int(hits.sum())} of {n} predictions are right, so the accuracy is "
                    f"{expected:.3g}; you returned {value:.3g}." + ("" if 0 <= value <= 1 else
                                                                   " An accuracy is a fraction between 0 and 1."))
        if fb is not None:
            return fb
    return correct(ex)
