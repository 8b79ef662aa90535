"""Chapter 06 checkers: name each typical mistake and never raise on odd answers. (That every
solution notebook's answer is accepted and every stub is "not attempted": test_checkers_generic.py.)"""

import numpy as np
import pytest

from nnlib.checks import ch06
from nnlib.checks.core import INCORRECT


CASES = {
    "gd_step": ch06.check_gd_step,
    "momentum_step": ch06.check_momentum_step,
    "divergence_threshold": ch06.check_divergence_threshold,
    "optimal_lr": ch06.check_optimal_lr,
    "decayed_lr": ch06.check_decayed_lr,
    "minibatch_epoch": ch06.check_minibatch_epoch,
}


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
            (gd_in_place, "in place"),
            (lambda x, g, lr: [xi - lr * gi for xi, gi in zip(np.atleast_1d(x), np.atleast_1d(g))], "Python list"),
            (lambda x, g, lr: x - lr * np.sign(g), "proportional to the gradient"),
            (lambda x, g, lr: x - lr * g / np.linalg.norm(g), "normalised"),
        ],
        "momentum_step": [
            (lambda x, v, g, lr, mu: (x + mu * v + lr * g, mu * v + lr * g), "moves uphill"),
            (lambda x, v, g, lr, mu: (x - mu * v - lr * g, -mu * v - lr * g), "momentum term has the wrong sign"),
            (lambda x, v, g, lr, mu: (x + mu * v - g, mu * v - g), "forgot to scale"),
            (lambda x, v, g, lr, mu: (x + v, mu * v - lr * g), "OLD velocity"),
            (lambda x, v, g, lr, mu: x + mu * v - lr * g, "Return two things"),
            (lambda x, v, g, lr, mu: (mu * v - lr * g, x + mu * v - lr * g), "wrong order"),
            (lambda x, v, g, lr, mu: (x + mu * v - lr * g, v), "OLD velocity"),
            (momentum_in_place, "in place"),
            (lambda x, v, g, lr, mu: (x + lr * (mu * v - g), lr * (mu * v - g)), "Only the gradient is scaled"),
            (lambda x, v, g, lr, mu: (x + mu * v - (1 - mu) * lr * g, mu * v - (1 - mu) * lr * g), "dampened"),
        ],
        "divergence_threshold": [
            (lambda H: 1 / eig(H).max(), "factor 2"),
            (lambda H: 2 / eig(H).min(), "smallest eigenvalue"),
            (lambda H: 2 / np.diag(H).max(), "diagonal"),
            (lambda H: 2 / np.linalg.norm(H), "Frobenius"),
            (lambda H: 2 // eig(H).max(), "integer division"),
            (lambda H: 2 / eig(H), "not 2 of them"),
            (lambda H: [2 / eig(H).max()], "single number"),
            (lambda H: 2 / eig(H).mean(), "averaged"),
        ],
        "optimal_lr": [
            (lambda H: 1 / (eig(H).min() + eig(H).max()), "factor 2"),
            (lambda H: 2 / eig(H).max(), "stops converging"),
            (lambda H: 2 / (np.diag(H).min() + np.diag(H).max()), "diagonal"),
            (lambda H: 2 / np.trace(H), "trace"),
            (lambda H: 1 / eig(H).mean(), "averaged"),
            (lambda H: 2 / (eig(H)[0] + eig(H)[1]), "smallest to largest"),
            (lambda H: (2 / (np.sqrt(eig(H).min()) + np.sqrt(eig(H).max()))) ** 2, "best momentum"),
        ],
        "decayed_lr": [
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * e), "once per epoch"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * s), "restarts at 0"),
            (lambda lr0, d, e, s, spe: lr0 * (1 - d * (e * spe + s)), "linear decay"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * (e * spe + s + 1)), "Off by one"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * ((e - 1) * spe + s)), "counted from 0"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d * (e + s * spe)), "swapped"),
            (lambda lr0, d, e, s, spe: lr0 / (1 + d) ** (e * spe + s), "not a power"),
            (lambda lr0, d, e, s, spe: lr0 // (1 + d * (e * spe + s)), "integer division"),
            (lambda lr0, d, e, s, spe: lr0 / (d * (e * spe + s)) if e * spe + s else lr0, "Keep the 1"),
            (lambda lr0, d, e, s, spe: [lr0 / (1 + d * (e * spe + s))], "single number"),
        ],
        "minibatch_epoch": [
            (drop_last, "last, smaller batch"),
            (full_batch, "full-batch"),
            (one_update, "one update at the end"),
            (plus_sign, "subtract"),
            (skip_first, "row 0"),
            (shuffled, "not in order"),
            (whole_y, "slice y"),
            (history, "only the final w"),
            (summed, "MEAN gradient"),
            (overlapping, "more than once"),
            (stale_w, "starting weights"),
        ],
    }[name]


def gd_in_place(x, g, lr):
    x -= lr * g
    return x


def momentum_in_place(x, v, g, lr, mu):
    v *= mu
    v -= lr * g
    x += v
    return x, v


def skip_first(w, X, y, lr, bs, grad_fn):
    for start in range(1, len(X), bs):
        w = w - lr * grad_fn(w, X[start:start + bs], y[start:start + bs])
    return w


def shuffled(w, X, y, lr, bs, grad_fn):
    order = np.random.default_rng(0).permutation(len(X))
    for start in range(0, len(X), bs):
        rows = order[start:start + bs]
        w = w - lr * grad_fn(w, X[rows], y[rows])
    return w


def whole_y(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X), bs):
        w = w - lr * grad_fn(w, X[start:start + bs], y)
    return w


def history(w, X, y, lr, bs, grad_fn):
    out = []
    for start in range(0, len(X), bs):
        w = w - lr * grad_fn(w, X[start:start + bs], y[start:start + bs])
        out.append(w)
    return out


def summed(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X), bs):
        Xb = X[start:start + bs]
        w = w - lr * len(Xb) * grad_fn(w, Xb, y[start:start + bs])
    return w


def overlapping(w, X, y, lr, bs, grad_fn):
    for start in range(0, len(X), bs - 1):
        w = w - lr * grad_fn(w, X[start:start + bs], y[start:start + bs])
    return w


def stale_w(w, X, y, lr, bs, grad_fn):
    w0 = w
    for start in range(0, len(X), bs):
        w = w - lr * grad_fn(w0, X[start:start + bs], y[start:start + bs])
    return w


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
