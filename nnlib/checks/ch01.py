"""The exercises of chapter 01 (what is a neural network?), described as data.

Each exercise lists the cases the student's function runs on, the right answer, and the typical
mistakes: a function computing the wrong answer a student would get, and a message explaining
the idea behind it. The runner in :mod:`nnlib.checks.core` does the rest; the notebook calls
``check_<name>(its_function)``.
"""

import numpy as np

from .core import Case, Exercise, Mistake


def _pairs(sizes):
    """(n_in, n_out) for each layer of weights: [784, 16, 10] → [(784, 16), (16, 10)]."""
    return list(zip(sizes[:-1], sizes[1:]))


COUNT_PARAMETERS = Exercise(
    name="count_parameters",
    title="Counting parameters",
    reference=lambda sizes: sum(a * b + b for a, b in _pairs(sizes)),
    cases=[Case([784, 16, 10]), Case([2, 3, 1]), Case([3600, 16, 10]), Case([5, 5]), Case([784, 16, 16, 16, 10])],
    returns="the total number of weights and biases, one whole number",
    rtol=0,
    mistakes=[
        Mistake(lambda sizes: [a * b + b for a, b in _pairs(sizes)],
                "You returned one count per layer. The question asks for the total: add them up into one number."),
        Mistake(lambda sizes: sum(a * b for a, b in _pairs(sizes)),
                "That counts the weights but not the biases. Every neuron outside the input layer also has one bias."),
        Mistake(lambda sizes: sum(a * b for a, b in _pairs(sizes)) + sum(sizes),
                "You gave the input layer biases too. The input layer holds the pixels; only neurons that compute "
                "something have a bias."),
        Mistake(lambda sizes: sum(b for a, b in _pairs(sizes)),
                "That counts only the biases. Each layer also has an n_in × n_out weight matrix."),
        Mistake(lambda sizes: int(np.prod(sizes)),
                "You multiplied all the sizes together. Weights connect neighbouring layers only: add up "
                "n_in × n_out (+ n_out biases) layer by layer."),
        Mistake(lambda sizes: sum(a * b + a for a, b in _pairs(sizes)),
                "You gave each layer one bias per INPUT (n_in). A bias belongs to a neuron, so a layer has n_out "
                "biases, one per output neuron."),
        Mistake(lambda sizes: sum(a * b + b for a, b in _pairs(sizes)[:-1]),
                "The last layer is missing. Does your loop stop one layer early? With sizes [n0, n1, n2] there are "
                "two layers of weights, (n0, n1) and (n1, n2).",
                fix="`for n_in, n_out in zip(sizes[:-1], sizes[1:]):` visits every layer."),
        Mistake(lambda sizes: sum(a + b for a, b in _pairs(sizes)),
                "You added the sizes of neighbouring layers. Each of the n_in inputs connects to each of the n_out "
                "neurons, so a layer has n_in × n_out weights."),
    ],
    hints=["Between neighbouring layers of sizes n_in and n_out sit an n_in × n_out weight matrix and n_out "
           "biases.",
           "`zip(sizes[:-1], sizes[1:])` gives the pairs (n_in, n_out) of neighbouring layers."],
    fallback="For sizes {sizes} the network has {expected} parameters; you returned {got}. Go layer by layer: "
             "n_in × n_out weights plus n_out biases.",
    praise="Right: a 784-16-10 network already has 12,730 numbers to tune.",
)


def _one_hot(k, n):
    t = np.zeros(n)
    t[k] = 1.0
    return t


_SE_CASES = [
    (np.array([0.2, 0.9, 0.4, 0.1, 0.0, 0.3, 0.1, 0.0, 0.6, 0.2]), 1),    # sigmoid-like: does not sum to 1
    (np.array([0.1, 0.2, 0.3, 0.05, 0.05, 0.1, 0.05, 0.05, 0.05, 0.05]), 1),
    (np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]), 7),
    (np.array([0.5, 0.1, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.2]), 4),
    (np.array([0.3, 0.3, 0.4]), 2),
]
_NOT_SQUARED = ("You added the plain differences without squaring them. Positive and negative differences cancel "
                "(for confidences that sum to 1 they add up to exactly 0): square each difference before adding.")

SQUARED_ERROR = Exercise(
    name="squared_error",
    title="The squared error of one output",
    reference=lambda output, target: np.sum((output - target) ** 2),
    cases=[Case(out, _one_hot(k, len(out))) for out, k in _SE_CASES],
    returns="a single number, Σ (output − target)²",
    mistakes=[
        Mistake(lambda output, target: (output - target) ** 2,
                "You returned one number per position (the squared differences) but did not add them up. The loss "
                "is a single number: sum them."),
        Mistake(lambda output, target: np.sum(output - target), _NOT_SQUARED),
        Mistake(lambda output, target: np.sum(target - output), _NOT_SQUARED),
        Mistake(lambda output, target: np.sum(output ** 2),
                "You squared the outputs themselves and never used the target: square the DIFFERENCE output − "
                "target at each position."),
        Mistake(lambda output, target: (1 - output[np.argmax(target)]) ** 2,
                "You only looked at the position of the true digit. Every position counts: confidence given to a "
                "wrong digit (target 0) adds to the error too."),
        Mistake(lambda output, target: 0.5 * np.sum((output - target) ** 2),
                "You multiplied by ½. Some books put ½ in front of the squared error to tidy up its derivative; "
                "this exercise asks for the plain sum."),
        Mistake(lambda output, target: np.sum((output[:-1] - target[:-1]) ** 2),
                "You left out the last position. Does your loop run over `range(len(output) - 1)`? It must visit "
                "every position.",
                fix="`range(len(output))`, or no loop at all: `np.sum((output - target) ** 2)`"),
        Mistake(lambda output, target: np.sum(np.abs(output - target)),
                "You added the absolute differences. That is a loss too, but not the squared error: square each "
                "difference instead."),
        Mistake(lambda output, target: np.mean((output - target) ** 2),
                "You divided by the number of outputs: that is the mean squared error (MSE). The exercise asks for "
                "the plain sum of the squared differences."),
        Mistake(lambda output, target: np.sum(output - target) ** 2,
                "You squared the sum of the differences; square each difference first, then add."),
        Mistake(lambda output, target: np.sqrt(np.sum((output - target) ** 2)),
                "You took a square root at the end: that is the distance, not the squared error."),
    ],
    hints=["Three steps: subtract position by position, square each difference, add them all up.",
           "NumPy does each step on whole arrays at once: no loop is needed."],
    fallback="On this case the squared error is {expected}; you returned {got}.",
    praise="Right. A perfect output scores 0, and one confident wrong answer scores 2.",
)


def _confidences(rng, n):
    P = rng.random((n, 10))
    return P / P.sum(axis=1, keepdims=True)


_rng = np.random.default_rng(1)
_AXIS_0 = "You took the largest entry of each column (axis=0). Each ROW is one image's 10 confidences: use axis=1."

PREDICTED_DIGITS = Exercise(
    name="predicted_digits",
    title="From confidences to predictions",
    reference=lambda P: np.argmax(P, axis=1),
    cases=[Case(_confidences(_rng, 6)), Case(_confidences(_rng, 10))],   # square: the wrong axis fits the shape
    returns="one predicted digit per image: whole numbers, shape (n,)",
    mistakes=[
        Mistake(lambda P: np.argmax(P, axis=0), _AXIS_0),
        Mistake(lambda P: np.argmax(P),
                "You returned a single number. Without `axis=1`, argmax looks at the whole table at once; ask for "
                "the largest entry of each row."),
        Mistake(lambda P: np.max(P, axis=1),
                "You returned the largest confidence itself; the prediction is its position (which digit), so use "
                "argmax rather than max."),
        Mistake(lambda P: np.argmin(P, axis=1), "You picked the digit with the smallest confidence: use argmax."),
        Mistake(lambda P: np.argmax(P, axis=1) + 1,
                "Your digits are one too high. Positions are counted from 0 and position k holds the confidence for "
                "digit k, so do not add 1."),
    ],
    hints=["The prediction for an image is the POSITION (0–9) of its largest confidence.",
           "`np.argmax` takes an `axis`: along which direction do the 10 confidences of one image lie?"],
    fallback="On this case the predictions are {expected}; you returned {got}. For each row, return the index "
             "(0–9) of its largest confidence.",
    praise="Right: one argmax per row.",
)


def _accuracy_case(rng, n, n_right):
    """Confidences for n images, labels chosen so that exactly the first n_right predictions are right."""
    P = _confidences(rng, n)
    y = (np.argmax(P, axis=1) + 1) % 10
    y[:n_right] = np.argmax(P[:n_right], axis=1)
    return Case(P, y)


def _hits(P, y):
    return np.argmax(P, axis=1) == y


_rng = np.random.default_rng(2)

ACCURACY = Exercise(
    name="accuracy",
    title="Accuracy",
    reference=lambda P, y: np.mean(_hits(P, y)),
    cases=[_accuracy_case(_rng, 10, 7), _accuracy_case(_rng, 20, 13)],
    returns="a single number, the fraction (between 0 and 1) of images predicted right",
    mistakes=[
        Mistake(lambda P, y: _hits(P, y).astype(float),
                "You returned one right/wrong value per image; the accuracy is their average, a single number."),
        Mistake(lambda P, y: np.sum(_hits(P, y)),
                "You returned the number of correct images; divide by how many there are."),
        Mistake(lambda P, y: 100 * np.mean(_hits(P, y)),
                "You returned a percentage. Return the fraction (between 0 and 1) instead."),
        Mistake(lambda P, y: 1 - np.mean(_hits(P, y)),
                "You returned the fraction of WRONG answers (the error rate): count the rows where the prediction "
                "equals the label."),
        Mistake(lambda P, y: np.mean(np.max(P, axis=1)),
                "You averaged the largest confidences. Accuracy compares the predicted digit (argmax) with the "
                "label y."),
        Mistake(lambda P, y: np.mean(P[np.arange(len(y)), y]),
                "You averaged the confidence given to the true digit. Accuracy only asks whether the predicted "
                "digit (argmax) equals the label: count those rows."),
        Mistake(lambda P, y: 0.0,
                "You returned 0, though some predictions are right. Integer division (`//`) or `int()` rounds a "
                "fraction like 0.7 down to 0: divide with `/` (or use `np.mean`)."),
        Mistake(lambda P, y: np.sum(_hits(P, y)) / 10,
                "You divided by 10, the number of digits. Divide by the number of images, `len(y)`."),
        Mistake(lambda P, y: np.sum(_hits(P, y)) / P.size,
                "You divided by the number of entries of P (images × 10). Divide by the number of images, "
                "`len(y)`."),
    ],
    hints=["First the predicted digit of every image (exercise 3), then compare it with y: one True/False per "
           "image.",
           "The mean of True/False values is the fraction of True ones."],
    fallback="On this batch the accuracy is {expected}; you returned {got}. An accuracy is a fraction between 0 and "
             "1: the share of images whose predicted digit (the argmax of its row) equals the label.",
    praise="Right: the fraction of rows whose argmax equals the label.",
)

EXERCISES = [COUNT_PARAMETERS, SQUARED_ERROR, PREDICTED_DIGITS, ACCURACY]

check_count_parameters = COUNT_PARAMETERS.checker
check_squared_error = SQUARED_ERROR.checker
check_predicted_digits = PREDICTED_DIGITS.checker
check_accuracy = ACCURACY.checker
