"""The checkers of chapters 01 and 02: accept the solutions, name the typical mistakes, never raise."""

import numpy as np
import pytest

from nbutils import solution_namespace
from nnlib.checks import ch01, ch02
from nnlib.checks.core import CORRECT, INCORRECT, NOT_ATTEMPTED


@pytest.fixture(scope="module")
def sol01():
    return solution_namespace("01_what_is_a_network_solutions.ipynb")


@pytest.fixture(scope="module")
def sol02():
    return solution_namespace("02_perceptron_solutions.ipynb")


def stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


def assert_mistake(feedback, phrase):
    assert feedback.status == INCORRECT, feedback
    assert phrase.lower() in feedback.message.lower(), feedback.message


WEIRD_RETURNS = [None, "12", [1, 2, 3], {"a": 1}, object(), np.array([np.nan])]


# ---------------------------------------------------------------------------
# Chapter 01
# ---------------------------------------------------------------------------

CH01 = [("count_parameters", ch01.check_count_parameters),
        ("squared_error", ch01.check_squared_error),
        ("predicted_digits", ch01.check_predicted_digits),
        ("accuracy", ch01.check_accuracy)]


@pytest.mark.parametrize("name,check", CH01, ids=[n for n, _ in CH01])
def test_ch01_accepts_solution_and_reports_stub(sol01, name, check):
    fb = check(sol01[name])
    assert fb.status == CORRECT, fb
    assert bool(fb) is True
    fb = check(stub)
    assert fb.status == NOT_ATTEMPTED and not fb


@pytest.mark.parametrize("name,check", CH01, ids=[n for n, _ in CH01])
@pytest.mark.parametrize("weird", WEIRD_RETURNS, ids=lambda w: type(w).__name__)
def test_ch01_wrong_types_never_raise(name, check, weird):
    fb = check(lambda *a, **k: weird)
    assert fb.status == INCORRECT and fb.message
    assert check("not a function").status == INCORRECT


def test_ch01_crashing_answer_is_feedback():
    fb = ch01.check_count_parameters(lambda sizes: sizes[99])
    assert_mistake(fb, "IndexError")


def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


@pytest.mark.parametrize("fn,phrase", [
    (lambda s: sum(a * b for a, b in _pairs(s)), "not the biases"),
    (lambda s: sum(a * b for a, b in _pairs(s)) + sum(s), "input layer biases"),
    (lambda s: sum(b for a, b in _pairs(s)), "only the biases"),
    (lambda s: int(np.prod(s)), "multiplied all the sizes"),
    (lambda s: sum(a + b for a, b in _pairs(s)), "added the sizes"),
    (lambda s: 7, "go layer by layer"),
    # found in review: a bias per input, a loop one layer short, a list of per-layer counts, no return
    (lambda s: sum(a * b + a for a, b in _pairs(s)), "one bias per input"),
    (lambda s: sum(a * b + b for a, b in _pairs(s)[:-1]), "loop stop one layer early"),
    (lambda s: s[0] * s[1] + s[1], "last layer is missing"),
    (lambda s: [a * b + b for a, b in _pairs(s)], "add them up"),
    (lambda s: print(sum(a * b + b for a, b in _pairs(s))), "forget the `return`"),
])
def test_count_parameters_mistakes(fn, phrase):
    assert_mistake(ch01.check_count_parameters(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda o, t: np.sum(o - t), "without squaring"),
    (lambda o, t: np.sum(np.abs(o - t)), "absolute differences"),
    (lambda o, t: np.mean((o - t) ** 2), "mean squared error"),
    (lambda o, t: np.sum(o - t) ** 2, "squared the sum"),
    (lambda o, t: np.sqrt(np.sum((o - t) ** 2)), "square root"),
    (lambda o, t: (o - t) ** 2, "did not add them up"),
    (lambda o, t: 0.5, "the squared error is"),
    # found in review
    (lambda o, t: np.sum(t - o), "without squaring"),
    (lambda o, t: np.sum(o ** 2), "never used the target"),
    (lambda o, t: (1 - o[np.argmax(t)]) ** 2, "only looked at the position of the true digit"),
    (lambda o, t: 0.5 * np.sum((o - t) ** 2), "multiplied by ½"),
    (lambda o, t: sum((o[k] - t[k]) ** 2 for k in range(len(o) - 1)), "left out the last position"),
    (lambda o, t: np.array([np.sum((o - t) ** 2)]), "plain number"),
    (lambda o, t: list((o - t) ** 2), "did not add them up"),
])
def test_squared_error_mistakes(fn, phrase):
    assert_mistake(ch01.check_squared_error(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda P: np.argmax(P, axis=0), "axis=0"),
    (lambda P: np.max(P, axis=1), "largest confidence itself"),
    (lambda P: np.argmin(P, axis=1), "smallest confidence"),
    (lambda P: np.argmax(P), "single number"),
    (lambda P: np.argmax(P, axis=1)[:, None], "flat vector"),
    # found in review
    (lambda P: np.argmax(P, axis=1) + 1, "one too high"),
    (lambda P: np.array([np.argmax(P[i]) for i in range(len(P) - 1)]), "one entry short"),
    (lambda P: np.argmax(P[0]), "single number"),
])
def test_predicted_digits_mistakes(fn, phrase):
    assert_mistake(ch01.check_predicted_digits(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda P, y: np.sum(np.argmax(P, 1) == y), "number of correct"),
    (lambda P, y: 100 * np.mean(np.argmax(P, 1) == y), "percentage"),
    (lambda P, y: np.mean(np.argmax(P, 1) != y), "error rate"),
    (lambda P, y: np.mean(np.max(P, 1)), "averaged the largest confidences"),
    (lambda P, y: (np.argmax(P, 1) == y).astype(float), "single number"),
    # found in review
    (lambda P, y: int(np.sum(np.argmax(P, 1) == y)) // len(y), "integer division"),
    (lambda P, y: np.mean(P[np.arange(len(y)), y]), "confidence given to the true digit"),
    (lambda P, y: np.sum(np.argmax(P, 1) == y) / 10, "divided by 10"),
    (lambda P, y: np.sum(np.argmax(P, 1) == y) / P.size, "number of entries of p"),
    (lambda P, y: bool(np.mean(np.argmax(P, 1) == y) > 0.5), "true/false"),
    (lambda P, y: 3.5, "between 0 and 1"),
])
def test_accuracy_mistakes(fn, phrase):
    assert_mistake(ch01.check_accuracy(fn), phrase)


# ---------------------------------------------------------------------------
# Chapter 02
# ---------------------------------------------------------------------------

CH02 = [("weighted_sum", ch02.check_weighted_sum),
        ("predict", ch02.check_predict),
        ("perceptron_update", ch02.check_perceptron_update),
        ("nand_weights", ch02.check_nand_weights),
        ("line_x2", ch02.check_line_x2),
        ("epochs_to_converge", ch02.check_epochs_to_converge)]


@pytest.mark.parametrize("name,check", CH02, ids=[n for n, _ in CH02])
def test_ch02_accepts_solution_and_reports_stub(sol02, name, check):
    fb = check(sol02[name])
    assert fb.status == CORRECT, fb
    fb = check(stub)
    assert fb.status == NOT_ATTEMPTED and not fb
    assert "NotImplementedError" in fb.message


@pytest.mark.parametrize("name,check", CH02, ids=[n for n, _ in CH02])
@pytest.mark.parametrize("weird", WEIRD_RETURNS + [(1.0,), ("a", "b"), (1, 2, 3, 4)],
                         ids=lambda w: type(w).__name__ + str(len(w) if isinstance(w, tuple) else ""))
def test_ch02_wrong_types_never_raise(name, check, weird):
    fb = check(lambda *a, **k: weird)
    assert fb.status == INCORRECT and fb.message
    assert check(42).status == INCORRECT


def test_ch02_returned_none_is_named():
    for check in (ch02.check_weighted_sum, ch02.check_predict, ch02.check_perceptron_update,
                  ch02.check_nand_weights, ch02.check_line_x2, ch02.check_epochs_to_converge):
        assert_mistake(check(lambda *a, **k: None), "None")


@pytest.mark.parametrize("fn,phrase", [
    (lambda X, w, b: X @ w, "forgot the bias"),
    (lambda X, w, b: X @ w - b, "subtracted the bias"),
    (lambda X, w, b: (X * w).sum(axis=0) + b, "axis 0"),
    (lambda X, w, b: X @ w * b, "multiplied by the bias"),
    (lambda X, w, b: X.sum(axis=1) * w.sum() + b, "its weight"),
    (lambda X, w, b: X @ w.reshape(-1, 1) + b, "column"),
    (lambda X, w, b: np.sum(X @ w) + b, "single number"),
    (lambda X, w, b: X @ w + 2 * b, "should be"),
    # found in review
    (lambda X, w, b: X.T @ w + b, "x @ w is the product that works"),
    (lambda X, w, b: X * w + b, "element by element"),
    (lambda X, w, b: np.array([X[i] @ w + b for i in range(len(X) - 1)]), "one entry short"),
    (lambda X, w, b: (X + b) @ w, "added b to every input"),
    (lambda X, w, b: X @ (w + b), "added b to every weight"),
    (lambda X, w, b: (X @ w + b).astype(int), "whole numbers"),
])
def test_weighted_sum_mistakes(fn, phrase):
    assert_mistake(ch02.check_weighted_sum(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda X, w, b: (X @ w + b >= 0).astype(int), "z ≥ 0"),
    (lambda X, w, b: (X @ w > 0).astype(int), "forgot the bias"),
    (lambda X, w, b: (X @ w + b < 0).astype(int), "flipped"),
    (lambda X, w, b: np.sign(X @ w + b), "sign of z"),
    (lambda X, w, b: X @ w + b, "returned z itself"),
    (lambda X, w, b: X @ w + b > 0, "True/False"),
    (lambda X, w, b: (X @ w + b > 0).astype(int)[:, None], "flat vector"),
    (lambda X, w, b: np.ones(len(X), dtype=int), "predictions are"),
    # found in review
    (lambda X, w, b: np.heaviside(X @ w + b, 1), "np.heaviside(z, 1)"),
    (lambda X, w, b: np.heaviside(X @ w + b, 0.5), "0.5"),
    (lambda X, w, b: (X @ w > b).astype(int), "threshold is −b"),
    (lambda X, w, b: (X @ w - b > 0).astype(int), "threshold is −b"),
    (lambda X, w, b: 1 if np.all(X @ w + b > 0) else 0, "whole batch"),
])
def test_predict_mistakes(fn, phrase):
    assert_mistake(ch02.check_predict(fn), phrase)


def _rule(w, b, x, y, lr, *, sign=1, bias=True, use_lr=True, ge=False, always=False, pred_bias=True,
          raw=False, bias_sum=False, times_x=True):
    """The rule written out independently of the checker, with the same typical mistakes."""
    z = x @ w + (b if pred_bias else 0.0)
    y_hat = z if raw else (int(z >= 0) if ge else int(z > 0))
    err = y if always else sign * (y - y_hat)
    eta = lr if use_lr else 1.0
    dw = eta * err * x if times_x else eta * err
    db = eta * err * (np.sum(x) if bias_sum else 1.0)
    return w + dw, (b + db if bias else b)


@pytest.mark.parametrize("kw,phrase", [
    (dict(sign=-1), "wrong sign"),
    (dict(bias=False), "never changed the bias"),
    (dict(use_lr=False), "learning rate"),
    (dict(ge=True), "z ≥ 0"),
    (dict(always=True), "whether or not"),
    # found in review: the first of these was accepted as correct before
    (dict(pred_bias=False), "prediction ignores the bias"),
    (dict(raw=True), "raw weighted sum"),
    (dict(bias_sum=True), "always 1"),
    (dict(times_x=False), "without the factor x"),
])
def test_perceptron_update_mistakes(kw, phrase):
    assert_mistake(ch02.check_perceptron_update(lambda w, b, x, y, lr: _rule(w, b, x, y, lr, **kw)), phrase)


def test_perceptron_update_shape_and_order_mistakes():
    swapped = lambda w, b, x, y, lr: tuple(reversed(_rule(w, b, x, y, lr)))   # noqa: E731
    assert_mistake(ch02.check_perceptron_update(swapped), "swapped")
    only_w = lambda w, b, x, y, lr: _rule(w, b, x, y, lr)[0]                  # noqa: E731
    assert_mistake(ch02.check_perceptron_update(only_w), "pair")
    three = lambda w, b, x, y, lr: (*_rule(w, b, x, y, lr), 0)                # noqa: E731
    assert_mistake(ch02.check_perceptron_update(three), "exactly two")
    vector_b = lambda w, b, x, y, lr: (_rule(w, b, x, y, lr)[0], b + lr * (y - int(x @ w + b > 0)) * x)  # noqa
    assert_mistake(ch02.check_perceptron_update(vector_b), "input is always 1")


def test_perceptron_update_in_place_is_accepted_with_a_remark():
    def in_place(w, b, x, y, lr):
        err = y - int(x @ w + b > 0)
        w += lr * err * x
        return w, b + lr * err
    fb = ch02.check_perceptron_update(in_place)
    assert fb.status == CORRECT and "in place" in fb.message


@pytest.mark.parametrize("answer,phrase", [
    ((1.0, 1.0, -1.5), "AND"),
    ((1.0, 1.0, -0.5), "OR"),
    ((-1.0, -1.0, 0.0), "positive bias"),
    ((-1.0, -1.0, 2.5), "negative enough"),
    ((-1.0, -1.0, 1.0), "z = 0"),
    ((-2.0, -0.5, 1.5), "NAND needs"),
    # found in review
    ((-1.0, -1.0, 0.5), "computes NOR"),
    ((1.5, -1.0, -1.0), "bias first"),
    ((np.array([-1.0, -1.0]), 1.5), "three separate numbers"),
    ((1, 2), "three numbers"),
    (("a", 1, 2), "plain number"),
    ((np.inf, 1, 1), "finite"),
])
def test_nand_weights_mistakes(answer, phrase):
    assert_mistake(ch02.check_nand_weights(lambda: answer), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda w, b, x1: (w[0] * x1 + b) / w[1], "sign error"),
    (lambda w, b, x1: -(w[0] * x1 + b) / w[0], "divided by w1"),
    (lambda w, b, x1: -(w[0] * x1) / w[1], "forgot the bias"),
    (lambda w, b, x1: (-w[0] * x1 + b) / w[1], "half of the left side"),
    (lambda w, b, x1: -(w[0] * x1 + b), "forgot to divide"),
    (lambda w, b, x1: 0.123, "passes x2"),
    # found in review
    (lambda w, b, x1: -(w[1] * x1 + b) / w[0], "swapped w1 and w2"),
    (lambda w, b, x1: -w[0] * x1 - b / w[1], "brackets"),
    (lambda w, b, x1: [-(w[0] * x1 + b) / w[1]], "plain number"),
])
def test_line_x2_mistakes(fn, phrase):
    assert_mistake(ch02.check_line_x2(fn), phrase)


def _epochs_variant(kind):
    def fn(X, y, lr=1.0, max_epochs=100):
        w, b = np.zeros(X.shape[1]), 0.0
        updates = visits = mistakes = 0
        last = max_epochs if kind == "range short" else max_epochs + 1
        for epoch in range(1, last):
            if kind == "reset weights":
                w, b = np.zeros(X.shape[1]), 0.0
            if kind != "counter not reset":
                mistakes = 0
            for x, t in zip(X, y):
                z = x @ w + b
                err = t - int(z >= 0 if kind == ">=" else z > 0)
                w, b = w + lr * err * x, b + lr * err
                visits += 1
                mistakes += err != 0
                updates += err != 0
            if mistakes == 0 and kind != "never stops":
                return {"off by one": epoch - 1, "updates": updates, "visits": visits}.get(kind, epoch)
        if kind == "none":
            return None
        return {"updates": updates, "visits": visits}.get(kind, epoch)
    return fn


@pytest.mark.parametrize("kind,phrase", [
    ("off by one", "off by one"),
    ("updates", "counted updates"),
    ("visits", "samples visited"),
    ("never stops", "never stops early"),
    ("none", "on xor your function returned none"),
    # found in review: the first was accepted as correct before
    (">=", "uses z ≥ 0"),
    ("range short", "one epoch too few"),
    ("reset weights", "set back to zero every epoch"),
    ("counter not reset", "mistake counter is not reset"),
])
def test_epochs_to_converge_mistakes(kind, phrase):
    assert_mistake(ch02.check_epochs_to_converge(_epochs_variant(kind)), phrase)


def test_epochs_to_converge_other_wrong_answers():
    assert_mistake(ch02.check_epochs_to_converge(lambda X, y, lr=1, max_epochs=100: (6, 1)), "only the number")
    assert_mistake(ch02.check_epochs_to_converge(lambda X, y, lr=1, max_epochs=100: 3), "needs")
    assert ch02.check_epochs_to_converge(_epochs_variant("right")).status == CORRECT


def test_every_mistake_differs_from_the_right_answer():
    """Sanity: a typical mistake must give a different result from the reference on the cases."""
    from nnlib.checks.ch02 import _TRAIN_CASES, _UPDATE_CASES, _train, _train_data, _update
    right = [np.append(*_update(*c)) for c in _UPDATE_CASES]
    for kw in [dict(sign=-1), dict(bias=False), dict(use_lr=False), dict(ge=True), dict(always=True),
               dict(pred_bias=False), dict(raw=True), dict(bias_sum=True), dict(times_x=False)]:
        wrong = [np.append(*_update(*c, **kw)) for c in _UPDATE_CASES]
        assert not all(np.allclose(a, b) for a, b in zip(right, wrong)), kw
    epochs = [_train(*_train_data(g), lr, m) for g, lr, m in _TRAIN_CASES]
    assert [e[0] for e in epochs] == [6, 4, 6, 4, 6, 20, 4, 1]
    assert [_train(*_train_data(g), lr, m, ge=True)[0] for g, lr, m in _TRAIN_CASES][-2:] == [2, 2]


ODD_RETURNS = [[[1, 2], [3]], 10 ** 400, 1j, (np.zeros((2, 2)), 1.0), (np.zeros(2), "b"), ([1, 2, 3], 0.5),
               (1e308, 1e308, -1e308), np.array([1, 2], dtype=object), np.zeros(0), Ellipsis]


@pytest.mark.parametrize("name,check", CH01 + CH02, ids=[n for n, _ in CH01 + CH02])
def test_odd_answers_never_raise_nor_warn(name, check):
    """Ragged lists, huge integers, complex numbers...: feedback, never an exception or a NumPy warning."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for odd in ODD_RETURNS:
            fb = check(lambda *a, _odd=odd, **k: _odd)
            assert fb.status == INCORRECT and fb.message, (name, odd)
