"""The exercises of chapter 02 (the artificial neuron and the perceptron), described as data.

Notation: X (n_samples, n_inputs) batch-first, one neuron's weights w (n_inputs,) and bias b (a
number), z = X w + b, ŷ = step(z) with step(0) = 0. Each exercise lists its cases, the right
answer and the typical mistakes (a function giving the wrong answer, and the idea behind it);
the runner in :mod:`nnlib.checks.core` compares what the student's function does with each.
"""

from functools import partial

import numpy as np

from ..data import GATES, logic_gate
from .core import Case, Exercise, Mistake
from .reading import numbers

GATE_X = logic_gate("AND")[0]      # the four inputs (0,0), (0,1), (1,0), (1,1)

# ---------------------------------------------------------------------------------------------------
# 1. weighted_sum(X, w, b) -> z of shape (n,)

_rng = np.random.default_rng(20)
_ELEMENTWISE = ("You multiplied element by element (X * w) but did not add up each row's products: that gives one "
                "value per input of every sample. Sum along axis 1, or use the matrix product X @ w.")
_AXIS_0 = "You summed over axis 0, the samples. Each ROW is one sample: sum the products along axis 1."

WEIGHTED_SUM = Exercise(
    name="weighted_sum",
    title="The weighted sum of a batch",
    reference=lambda X, w, b: X @ w + b,
    cases=[Case(GATE_X, np.array([0.5, -1.0]), 0.25),
           Case(np.round(_rng.normal(size=(5, 2)), 2), np.array([1.5, 2.0]), -0.7),
           Case(np.round(_rng.normal(size=(3, 3)), 2), np.array([0.3, -1.2, 2.0]), 1.1)],   # square X
    returns="z, one number per row of X: an array of shape (n_samples,)",
    mistakes=[
        Mistake(lambda X, w, b: X @ w, "You forgot the bias: z = X·w + b. Without b every line passes through the "
                                       "origin."),
        Mistake(lambda X, w, b: X @ w - b, "You subtracted the bias. The convention is z = X·w + b (the threshold is "
                                           "−b)."),
        Mistake(lambda X, w, b: X * w + b, _ELEMENTWISE),
        Mistake(lambda X, w, b: X * w, _ELEMENTWISE),
        Mistake(lambda X, w, b: (X * w).sum(axis=0) + b, _AXIS_0),
        Mistake(lambda X, w, b: (X * w).sum(axis=0), _AXIS_0),
        Mistake(lambda X, w, b: X @ w * b, "You multiplied by the bias. The bias is added: z = X·w + b."),
        Mistake(lambda X, w, b: (X + b) @ w, "You added b to every input before multiplying. The bias is added once, "
                                             "after the weighted sum: z = X·w + b."),
        Mistake(lambda X, w, b: X @ (w + b), "You added b to every weight. The bias is added once, after the weighted "
                                             "sum: z = X·w + b."),
        Mistake(lambda X, w, b: np.trunc(X @ w + b),
                "Your z values were cut to whole numbers. z is a real number: do not convert it with `int()` or "
                "`astype(int)`."),
        Mistake(lambda X, w, b: X.sum(axis=1) * w.sum() + b,
                "You multiplied the sum of the inputs by the sum of the weights. Pair each input with ITS weight: "
                "x1·w1 + x2·w2 + … (a dot product)."),
    ],
    error_hints={"matmul": "The sizes do not line up for @: X has shape (n_samples, n_inputs) and w (n_inputs,), so "
                           "X @ w is the product that works.",
                 "not aligned": "The sizes do not line up: X has shape (n_samples, n_inputs) and w (n_inputs,), so "
                                "X @ w is the product that works."},
    hints=["One number per row: row i gives x_i1·w1 + x_i2·w2 + … + b.",
           "The matrix product X @ w computes all the rows' dot products at once."],
    fallback="On this case z should be {expected}; you returned {got}.",
    praise="Right: X @ w + b computes every sample's weighted sum at once.",
)

# ---------------------------------------------------------------------------------------------------
# 2. predict(X, w, b) -> 0/1 ints with step(0) = 0

_rng = np.random.default_rng(21)
_FLIPPED = "Your outputs are flipped: output 1 when z > 0, 0 otherwise."

PREDICT = Exercise(
    name="predict",
    title="The neuron's output",
    reference=lambda X, w, b: (X @ w + b > 0).astype(int),
    cases=[Case(GATE_X, np.array([1.0, 1.0]), -1.0),      # z = -1, 0, 0, 1: the z = 0 tie matters
           Case(GATE_X, np.array([2.0, -1.0]), 0.5),      # z = 0.5, -0.5, 2.5, 1.5: the bias matters
           Case(np.round(_rng.normal(size=(6, 2)), 2), np.array([-1.0, 0.5]), 0.3)],
    returns="the whole numbers 0 or 1, one per row of X: shape (n_samples,)",
    mistakes=[
        Mistake(lambda X, w, b: (X @ w + b >= 0).astype(int),
                "You used z ≥ 0 (np.heaviside(z, 1) does the same). The step outputs 1 only when z is strictly "
                "positive: z = 0 must give 0 (look at the inputs where z is exactly 0)."),
        Mistake(lambda X, w, b: np.heaviside(X @ w + b, 0.5),
                "At z = 0 you output 0.5: `np.heaviside(z, 0.5)` uses its second argument there. The perceptron's "
                "step gives 0 at z = 0.",
                fix="`(z > 0).astype(int)`"),
        Mistake(lambda X, w, b: (X @ w - b > 0).astype(int),
                "You compared X·w with b, i.e. used X·w − b. The neuron fires when X·w + b > 0, which is X·w > −b: "
                "the threshold is −b."),
        Mistake(lambda X, w, b: (X @ w > 0).astype(int), "You forgot the bias: compare X·w + b with 0, not X·w."),
        Mistake(lambda X, w, b: (X @ w + b < 0).astype(int), _FLIPPED),
        Mistake(lambda X, w, b: (X @ w + b <= 0).astype(int), _FLIPPED),
        Mistake(lambda X, w, b: np.sign(X @ w + b),
                "You returned the sign of z (−1, 0, +1). The perceptron's step gives 0 or 1: 1 when z > 0, else 0."),
        Mistake(lambda X, w, b: X @ w + b, "You returned z itself. Pass it through the step: 1 where z > 0, else 0."),
    ],
    hints=["First z = X @ w + b, then the step: 1 where z > 0, 0 elsewhere (z = 0 gives 0).",
           "A comparison on an array gives one True/False per entry; `.astype(int)` turns them into 1/0."],
    fallback="On this case the predictions are {expected}; you returned {got}.",
    praise="Right, including the tie: z = 0 gives 0.",
)

# ---------------------------------------------------------------------------------------------------
# 3. perceptron_update(w, b, x, y, lr) -> (w_new, b_new)

_UPDATE_CASES = [
    (np.array([0.5, -0.3]), 0.1, np.array([1.0, 1.0]), 0, 0.5),     # says 1, should say 0
    (np.array([0.5, -0.3]), 0.1, np.array([0.0, 1.0]), 1, 0.5),     # says 0, should say 1
    (np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1, 0.5),     # right: no change
    (np.array([1.0, -1.0]), 0.0, np.array([1.0, 1.0]), 1, 1.0),     # z = 0 → says 0 → update
    (np.array([0.2, -0.4, 0.1]), -0.2, np.array([1.0, 2.0, -1.0]), 1, 0.1),
    (np.array([1.0, 1.0]), -1.5, np.array([1.0, 0.0]), 0, 1.0),     # right only thanks to the bias
]


def _update(w, b, x, y, lr, *, sign=1, bias=True, use_lr=True, ge=False, always=False, pred_bias=True,
            raw=False, bias_sum=False, times_x=True, bias_x=False):
    """The rule, and (through the keywords) each typical way of getting it wrong."""
    z = x @ w + (b if pred_bias else 0.0)
    y_hat = z if raw else (int(z >= 0) if ge else int(z > 0))
    err = y if always else sign * (y - y_hat)
    eta = lr if use_lr else 1.0
    dw = eta * err * x if times_x else eta * err
    db = eta * err * (x if bias_x else x.sum() if bias_sum else 1.0)
    return w + dw, (b + db if bias else b)


PERCEPTRON_UPDATE = Exercise(
    name="perceptron_update",
    title="One step of the perceptron rule",
    reference=_update,
    cases=[Case(*c) for c in _UPDATE_CASES],
    returns="a pair (w_new, b_new)",
    parts=("w_new", "b_new"),
    mistakes=[
        Mistake(lambda w, b, x, y, lr: _update(w, b, x, y, lr)[::-1],
                "You returned (b, w): the order is swapped. Return (w_new, b_new)."),
        Mistake(partial(_update, bias_x=True),
                "b_new should be a single number, but you multiplied the bias change by x. The bias's input is "
                "always 1, so b changes by η·(y − ŷ) only."),
        Mistake(partial(_update, sign=-1),
                "Wrong sign: you used (ŷ − y). When the neuron says 0 but should say 1, the weights must move "
                "TOWARDS x so that z grows: add η·(y − ŷ)·x."),
        Mistake(partial(_update, bias=False),
                "The weights are right but you never changed the bias. It learns too: b ← b + η·(y − ŷ), as if it "
                "were a weight on an input that is always 1."),
        Mistake(partial(_update, use_lr=False), "You left out the learning rate η: multiply the change by lr."),
        Mistake(partial(_update, ge=True),
                "Your prediction uses z ≥ 0. The step gives 1 only for z > 0, so with z = 0 the neuron says 0 (look "
                "at w = (1, −1), b = 0, x = (1, 1))."),
        Mistake(partial(_update, always=True),
                "You update with η·y·x whether or not the prediction was right. The rule uses the error (y − ŷ), "
                "which is 0 when the neuron is already right."),
        Mistake(partial(_update, pred_bias=False),
                "Your prediction ignores the bias: ŷ = step(x·w + b), with b. Look at w = (1, 1), b = −1.5, "
                "x = (1, 0): z = −0.5, so ŷ = 0 is already right."),
        Mistake(partial(_update, raw=True),
                "You used y − z, with the raw weighted sum z, as the error. The perceptron rule uses the prediction "
                "ŷ = step(z), so the error y − ŷ is only ever −1, 0 or +1."),
        Mistake(partial(_update, bias_sum=True),
                "The bias changed by η·(y − ŷ)·Σx. The bias behaves like a weight whose input is always 1, so it "
                "changes by η·(y − ŷ) only."),
        Mistake(partial(_update, times_x=False),
                "You changed every weight by η·(y − ŷ), without the factor x. Each weight moves in proportion to "
                "its own input (an input of 0 leaves its weight alone).",
                fix="`w_new = w + lr * (y - y_hat) * x`"),
    ],
    hints=["First the prediction ŷ = step(x·w + b), then the error y − ŷ (−1, 0 or +1).",
           "Nothing changes when the error is 0; otherwise w moves by η·(y − ŷ)·x and b by η·(y − ŷ)."],
    fallback="For w = {w}, b = {b}, x = {x}, y = {y}, lr = {lr} the pair (w_new, b_new) should be {expected}; you "
             "returned {got}.",
    praise="Right: nothing changes when the prediction is right; otherwise w and b move by ±η·x and ±η.",
)

# ---------------------------------------------------------------------------------------------------
# 4. nand_weights() -> (w1, w2, b): any numbers that make the neuron compute NAND are right


def _gate(w1, w2, b):
    return (GATE_X @ np.array([w1, w2]) + b > 0).astype(int).tolist()


def _nand_verdict(got, expected):
    """Judge the truth table of the student's neuron (there are many right answers)."""
    if any(np.shape(v) != () or isinstance(v, (bool, np.bool_)) for v in got):
        return False                     # the runner describes the wrong shape or the True/False
    w1, w2, b = (float(numbers(v)) for v in got)
    out, target = _gate(w1, w2, b), GATES["NAND"]
    if out == target:
        return True
    z = GATE_X @ np.array([w1, w2]) + b
    table = ", ".join(f"({int(a)},{int(c)})→{o}" for (a, c), o in zip(GATE_X, out))
    if _gate(w2, b, w1) == target:
        return (f"Your numbers work as (b, w1, w2): you put the bias first ({table}). Return them in the order "
                "(w1, w2, b).")
    if out == GATES["AND"]:
        return f"Your neuron computes AND ({table}), the exact opposite of NAND. Flip the sign of all three numbers."
    named = next((name for name, table_ in GATES.items() if table_ == out), None)
    verdict = f"Your neuron computes {named} ({table}), not NAND." if named else \
        f"Your neuron gives {table}; NAND needs 1, 1, 1, 0."
    if out[0] == 0:
        return f"{verdict} At (0, 0) the weighted sum is just z = b, so NAND's 1 there needs a positive bias."
    if any(zi == 0 for zi, t in zip(z, target) if t == 1):
        return (f"Some input that should give 1 lands exactly on z = 0 ({table}). The step outputs 0 at z = 0: move "
                "the line a little (e.g. make b larger).")
    if out[3] == 1:
        return (f"{verdict} (1, 1) must give 0: z = w1 + w2 + b must be ≤ 0, so the weights have to be negative "
                "enough to cancel the bias.")
    return f"{verdict} Each single 1 must keep z > 0 (w1 + b > 0 and w2 + b > 0) while both together push it to ≤ 0."


NAND_WEIGHTS = Exercise(
    name="nand_weights",
    title="A NAND neuron by hand",
    reference=lambda: (-1.0, -1.0, 1.5),
    cases=[Case()],
    returns="the three numbers (w1, w2, b)",
    parts=("w1", "w2", "b"),
    compare=_nand_verdict,
    hints=["Start from (0, 0): there z = b, and NAND must give 1."],
    praise="Right: z > 0 for every input except (1, 1), where the two negative weights outweigh the bias.",
)

# ---------------------------------------------------------------------------------------------------
# 5. line_x2(w, b, x1): the x2 with w1·x1 + w2·x2 + b = 0

LINE_X2 = Exercise(
    name="line_x2",
    title="Drawing the decision line",
    reference=lambda w, b, x1: -(w[0] * x1 + b) / w[1],
    cases=[Case(np.array([1.0, 1.0]), -1.5, 0.0), Case(np.array([2.0, -1.0]), 0.5, 1.0),
           Case(np.array([0.5, 2.0]), 1.0, 3.0), Case(np.array([-1.5, 0.5]), 0.25, -0.5)],
    returns="the number x2",
    mistakes=[
        Mistake(lambda w, b, x1: (w[0] * x1 + b) / w[1],
                "Sign error: moving w1·x1 + b to the other side of the equation makes it negative: "
                "x2 = −(w1·x1 + b) / w2."),
        Mistake(lambda w, b, x1: -(w[0] * x1 + b) / w[0],
                "You divided by w1. You are solving for x2, so divide by its coefficient w2."),
        Mistake(lambda w, b, x1: -(w[0] * x1) / w[1],
                "You forgot the bias: the line is w1·x1 + w2·x2 + b = 0, so b moves to the right-hand side too."),
        Mistake(lambda w, b, x1: (-w[0] * x1 + b) / w[1],
                "Only half of the left side changed sign: both w1·x1 and b move over, giving −(w1·x1 + b)."),
        Mistake(lambda w, b, x1: -(w[0] * x1 + b), "You forgot to divide by w2 after moving the other terms over."),
        Mistake(lambda w, b, x1: -(w[1] * x1 + b) / w[0],
                "You swapped w1 and w2. In Python w[0] is w1 (it multiplies x1) and w[1] is w2.",
                fix="`-(w[0] * x1 + b) / w[1]`"),
        Mistake(lambda w, b, x1: -w[0] * x1 - b / w[1],
                "Only b was divided by w2: division binds tighter than subtraction. Put brackets around the whole "
                "numerator.",
                fix="`-(w[0] * x1 + b) / w[1]`"),
    ],
    hints=["Solve w1·x1 + w2·x2 + b = 0 for x2: move everything else to the right-hand side, then divide."],
    fallback="For w = {w}, b = {b}, x1 = {x1} the line passes x2 = {expected}; you returned {got}.",
    praise="Right: x2 = −(w1·x1 + b) / w2.",
)

# ---------------------------------------------------------------------------------------------------
# 6. epochs_to_converge(X, y, lr=..., max_epochs=...): how many epochs until an error-free one?


def _train(X, y, lr, max_epochs, *, ge=False):
    """Reference loop: (epochs, updates, visits). Epochs counts the final mistake-free one.

    ``ge=True`` predicts with z ≥ 0, the typical slip in the step."""
    w, b = np.zeros(X.shape[1]), 0.0
    updates = visits = 0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x, t in zip(X, y):
            z = x @ w + b
            err = t - int(z >= 0 if ge else z > 0)
            w, b = w + lr * err * x, b + lr * err
            visits += 1
            if err:
                mistakes += 1
                updates += 1
        if mistakes == 0:
            return epoch, updates, visits
    return max_epochs, updates, visits


_TRAIN_CASES = [("AND", 1.0, 50), ("OR", 1.0, 50), ("NAND", 1.0, 50), ("NOR", 1.0, 50),
                ("NAND", 0.5, 50), ("XOR", 1.0, 20), ("five points", 1.0, 50), ("all targets 0", 1.0, 50)]
_OTHER_DATA = {
    # on the gates z = 0 ties happen to cost no extra epoch; here they do (4 epochs with z > 0, 2 with z ≥ 0)
    "five points": (np.array([[-2.0, -2.0], [-2.0, 1.0], [2.0, 2.0], [1.0, 2.0], [2.0, -2.0]]),
                    np.array([0, 0, 1, 0, 1])),
    # w = 0, b = 0 is already right: one clean epoch and done
    "all targets 0": (GATE_X, np.zeros(4, dtype=int)),
}


def _train_data(name):
    return _OTHER_DATA[name] if name in _OTHER_DATA else logic_gate(name)


def _epochs(X, y, lr, max_epochs, **kw):
    return _train(X, y, lr, max_epochs, **kw)[0]


def _off_by_one(X, y, lr, max_epochs):
    epochs = _epochs(X, y, lr, max_epochs)
    return epochs - 1 if epochs < max_epochs else max_epochs


def _off_by_one_after_the_first(X, y, lr, max_epochs):
    epochs = _epochs(X, y, lr, max_epochs)
    return epochs - 1 if 1 < epochs < max_epochs else epochs


def _only_a_clean_first_epoch_stops(X, y, lr, max_epochs):
    return 1 if _epochs(X, y, lr, max_epochs) == 1 else max_epochs


def _one_epoch_too_few(X, y, lr, max_epochs):
    epochs = _epochs(X, y, lr, max_epochs)
    return epochs if epochs < max_epochs else max_epochs - 1


_OFF_BY_ONE = ("Off by one: you did not count the final epoch, the one with no mistakes. The perceptron only knows "
               "it is done after a full pass without a single error.")

EPOCHS_TO_CONVERGE = Exercise(
    name="epochs_to_converge",
    title="Training until it stops making mistakes",
    reference=_epochs,
    cases=[Case(*_train_data(g), lr=lr, max_epochs=m, label=g if g in GATES else f"the data set '{g}'")
           for g, lr, m in _TRAIN_CASES],
    returns="the number of epochs run, a whole number (max_epochs when training never converges)",
    rtol=0,
    mistakes=[
        Mistake(_off_by_one, _OFF_BY_ONE),
        Mistake(_off_by_one_after_the_first, _OFF_BY_ONE),
        Mistake(lambda X, y, lr, max_epochs: _train(X, y, lr, max_epochs)[1],
                "You counted updates (mistakes), not epochs. An epoch is one full pass over all the samples."),
        Mistake(lambda X, y, lr, max_epochs: _train(X, y, lr, max_epochs)[2],
                "You counted samples visited, not epochs. An epoch is one full pass over all the samples."),
        Mistake(lambda X, y, lr, max_epochs: max_epochs,
                "You always return max_epochs: the loop never stops early. After each epoch, stop if that epoch made "
                "no mistakes."),
        Mistake(_only_a_clean_first_epoch_stops,
                "Your loop only ever stops when the very first epoch is clean. Either the mistake counter is not "
                "reset to 0 at the start of each epoch, or w and b are set back to zero every epoch (they start at "
                "zero once, before the first epoch)."),
        Mistake(_one_epoch_too_few,
                "When training never converges you return max_epochs − 1: your loop runs one epoch too few. "
                "`range(1, max_epochs)` stops before max_epochs.",
                fix="`for epoch in range(1, max_epochs + 1):`"),
        Mistake(partial(_epochs, ge=True),
                "Your prediction uses z ≥ 0. The step outputs 1 only when z > 0, so z = 0 gives 0: with w = 0 and "
                "b = 0 at the start, every first prediction is 0."),
    ],
    hints=["Start from w = 0, b = 0 once, before the first epoch; visit the samples in the order of the rows.",
           "Count the mistakes of each epoch from 0; stop after the first epoch that made none, and count it."],
    fallback="For {case} with lr = {lr} the rule needs {expected} epochs (counting the last, error-free one); you "
             "returned {got}. Start from w = 0, b = 0 and visit the samples in their order.",
    praise="Right: AND needs 6 epochs, OR 4, and XOR never gets there.",
)

EXERCISES = [WEIGHTED_SUM, PREDICT, PERCEPTRON_UPDATE, NAND_WEIGHTS, LINE_X2, EPOCHS_TO_CONVERGE]

check_weighted_sum = WEIGHTED_SUM.checker
check_predict = PREDICT.checker
check_perceptron_update = PERCEPTRON_UPDATE.checker
check_nand_weights = NAND_WEIGHTS.checker
check_line_x2 = LINE_X2.checker
check_epochs_to_converge = EPOCHS_TO_CONVERGE.checker
