"""Chapter 06 checkers: accept the solution, say "not attempted" for the stub,
name each typical mistake, and never raise on odd answers."""

import numpy as np
import pytest

from nbutils import solution_namespace
from nnlib.checks import ch06
from nnlib.checks.core import CORRECT, INCORRECT, NOT_ATTEMPTED


@pytest.fixture(scope="module")
def sol():
    return solution_namespace("06_gradient_descent.ipynb")


def stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


CASES = {
    "gd_step": ch06.check_gd_step,
    "momentum_step": ch06.check_momentum_step,
    "divergence_threshold": ch06.check_divergence_threshold,
    "optimal_lr": ch06.check_optimal_lr,
    "decayed_lr": ch06.check_decayed_lr,
    "minibatch_epoch": ch06.check_minibatch_epoch,
}


@pytest.mark.parametrize("name", CASES)
def test_solution_is_accepted(sol, name):
    fb = CASES[name](sol[name])
    assert fb.status == CORRECT, fb.message


@pytest.mark.parametrize("name", CASES)
def test_stub_is_not_attempted(name):
    assert CASES[name](stub).status == NOT_ATTEMPTED


WEIRD = [None, 42, "answer", lambda *a: None, lambda *a: "text", lambda *a: [1, 2, 3, 4, 5],
         lambda *a: {"x": 1}, lambda *a: 1 / 0, lambda *a: np.nan, lambda *a: (np.nan, np.nan)]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("answer", WEIRD, ids=range(len(WEIRD)))
def test_checkers_survive_odd_answers(name, answer):
    fb = CASES[name](answer)
    assert fb.status == INCORRECT and fb.message


def mistakes(name):
    """(wrong function, words its feedback must contain) for each typical mistake."""
    eig = np.linalg.eigvalsh
    return {
        "gd_step": [
            (lambda x, g, lr: x + lr * g, "added the gradient"),
            (lambda x, g, lr: x - g, "forgot the learning rate"),
            (lambda x, g, lr: -lr * g, "only the step"),
        ],
        "momentum_step": [
            (lambda x, v, g, lr, mu: (x + mu * v + lr * g, mu * v + lr * g), "moves uphill"),
            (lambda x, v, g, lr, mu: (x - mu * v - lr * g, -mu * v - lr * g), "momentum term has the wrong sign"),
            (lambda x, v, g, lr, mu: (x + mu * v - g, mu * v - g), "forgot to scale"),
            (lambda x, v, g, lr, mu: (x + v, mu * v - lr * g), "OLD velocity"),
            (lambda x, v, g, lr, mu: x + mu * v - lr * g, "Return two things"),
        ],
        "divergence_threshold": [
            (lambda H: 1 / eig(H).max(), "factor 2"),
            (lambda H: 2 / eig(H).min(), "smallest eigenvalue"),
            (lambda H: 2 / np.diag(H).max(), "diagonal"),
        ],
        "optimal_lr": [
            (lambda H: 1 / (eig(H).min() + eig(H).max()), "factor 2"),
            (lambda H: 2 / eig(H).max(), "stops converging"),
            (lambda H: 2 / (np.diag(H).min() + np.diag(H).max()), "diagonal"),
        ],
        "decayed_lr": [
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * e), "once per epoch"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * s), "restarts at 0"),
            (lambda lr0, d, e, s, spe: lr0 * (1 - d * (e * spe + s)), "linear decay"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * (e * spe + s + 1)), "Off by one"),
        ],
        "minibatch_epoch": [
            (drop_last, "last, smaller batch"),
            (full_batch, "full-batch"),
            (one_update, "one update at the end"),
            (plus_sign, "subtract"),
        ],
    }[name]


def drop_last(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X) - bs + 1, bs):
        w = w - lr * grad_fn(w, X[start:start + bs], y[start:start + bs])
    return w


def full_batch(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X), bs):
        w = w - lr * grad_fn(w, X, y)
    return w


def one_update(w, X, y, lr, bs, grad_fn):
    grads = [grad_fn(w, X[s:s + bs], y[s:s + bs]) for s in range(0, len(X), bs)]
    return w - lr * np.mean(grads, axis=0)


def plus_sign(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X), bs):
        w = w + lr * grad_fn(w, X[start:start + bs], y[start:start + bs])
    return w


@pytest.mark.parametrize("name, index", [(n, i) for n in CASES for i in range(len(mistakes(n)))])
def test_typical_mistakes_get_their_message(name, index):
    wrong, words = mistakes(name)[index]
    fb = CASES[name](wrong)
    assert fb.status == INCORRECT
    assert words.lower() in fb.message.lower(), fb.message


def test_gd_step_must_also_work_on_numbers():
    def arrays_only(x, g, lr):
        return np.asarray(x) - lr * np.asarray(g) if np.ndim(x) else None
    assert "plain numbers" in ch06.check_gd_step(arrays_only).message
