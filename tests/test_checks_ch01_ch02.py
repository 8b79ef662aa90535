"""The checkers of chapters 01 and 02: accept the solutions, name the typical mistakes, never raise."""

import numpy as np
import pytest

from nbutils import solution_namespace
from nnlib.checks import ch01, ch02
from nnlib.checks.core import CORRECT, INCORRECT, NOT_ATTEMPTED


@pytest.fixture(scope="module")
def sol01():
    return solution_namespace("01_what_is_a_network.ipynb")


@pytest.fixture(scope="module")
def sol02():
    return solution_namespace("02_perceptron.ipynb")


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
])
def test_squared_error_mistakes(fn, phrase):
    assert_mistake(ch01.check_squared_error(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda P: np.argmax(P, axis=0), "axis=0"),
    (lambda P: np.max(P, axis=1), "largest confidence itself"),
    (lambda P: np.argmin(P, axis=1), "smallest confidence"),
    (lambda P: np.argmax(P), "single number"),
    (lambda P: np.argmax(P, axis=1)[:, None], "flat vector"),
])
def test_predicted_digits_mistakes(fn, phrase):
    assert_mistake(ch01.check_predicted_digits(fn), phrase)


@pytest.mark.parametrize("fn,phrase", [
    (lambda P, y: np.sum(np.argmax(P, 1) == y), "number of correct"),
    (lambda P, y: 100 * np.mean(np.argmax(P, 1) == y), "percentage"),
    (lambda P, y: np.mean(np.argmax(P, 1) != y), "error rate"),
    (lambda P, y: np.mean(np.max(P, 1)), "averaged the largest confidences"),
    (lambda P, y: (np.argmax(P, 1) == y).astype(float), "single number"),
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
])
def test_predict_mistakes(fn, phrase):
    assert_mistake(ch02.check_predict(fn), phrase)


def _rule(w, b, x, y, lr, *, sign=1, bias=True, use_lr=True, ge=False, always=False):
    z = x @ w + b
    y_hat = int(z >= 0) if ge else int(z > 0)
    err = y if always else sign * (y - y_hat)
    eta = lr if use_lr else 1.0
    return w + eta * err * x, (b + eta * err if bias else b)


@pytest.mark.parametrize("kw,phrase", [
    (dict(sign=-1), "wrong sign"),
    (dict(bias=False), "never changed the bias"),
    (dict(use_lr=False), "learning rate"),
    (dict(ge=True), "z ≥ 0"),
    (dict(always=True), "whether or not"),
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
])
def test_line_x2_mistakes(fn, phrase):
    assert_mistake(ch02.check_line_x2(fn), phrase)


def _epochs_variant(kind):
    def fn(X, y, lr=1.0, max_epochs=100):
        w, b = np.zeros(X.shape[1]), 0.0
        updates = visits = 0
        for epoch in range(1, max_epochs + 1):
            mistakes = 0
            for x, t in zip(X, y):
                err = t - int(x @ w + b > 0)
                w, b = w + lr * err * x, b + lr * err
                visits += 1
                mistakes += err != 0
                updates += err != 0
            if mistakes == 0 and kind != "never stops":
                return {"off by one": epoch - 1, "updates": updates, "visits": visits}.get(kind, epoch)
        if kind == "none":
            return None
        return {"updates": updates, "visits": visits}.get(kind, max_epochs)
    return fn


@pytest.mark.parametrize("kind,phrase", [
    ("off by one", "off by one"),
    ("updates", "counted updates"),
    ("visits", "samples visited"),
    ("never stops", "never stops early"),
    ("none", "on xor your function returned none"),
])
def test_epochs_to_converge_mistakes(kind, phrase):
    assert_mistake(ch02.check_epochs_to_converge(_epochs_variant(kind)), phrase)


def test_epochs_to_converge_other_wrong_answers():
    assert_mistake(ch02.check_epochs_to_converge(lambda X, y, lr=1, max_epochs=100: (6, 1)), "only the number")
    assert_mistake(ch02.check_epochs_to_converge(lambda X, y, lr=1, max_epochs=100: 3), "needs")
    assert ch02.check_epochs_to_converge(_epochs_variant("right")).status == CORRECT


def test_every_mistake_differs_from_the_right_answer():
    """Sanity: a typical mistake must give a different result from the reference on the cases."""
    from nnlib.checks.ch02 import _TRAIN_CASES, _UPDATE_CASES, _train, _update
    from nnlib.data import logic_gate
    right = [np.append(*_update(*c)) for c in _UPDATE_CASES]
    for kw in [dict(sign=-1), dict(bias=False), dict(use_lr=False), dict(ge=True), dict(always=True)]:
        wrong = [np.append(*_update(*c, **kw)) for c in _UPDATE_CASES]
        assert not all(np.allclose(a, b) for a, b in zip(right, wrong)), kw
    epochs = [_train(*logic_gate(g), lr, m) for g, lr, m in _TRAIN_CASES]
    assert [e[0] for e in epochs] == [6, 4, 6, 4, 6, 20]
