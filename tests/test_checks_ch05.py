"""Chapter 05 checkers: name each typical mistake as a student would write it, and never raise on odd
answers. (That every solution notebook's answer is accepted, every stub is "not attempted" and every
declared mistake is recognised: test_checkers_generic.py.)"""

import numpy as np
import pytest

from nnlib.checks import ch05
from nnlib.checks.core import CORRECT, INCORRECT

CASES = {
    "batch_mse": ch05.check_batch_mse,
    "stable_softmax": ch05.check_stable_softmax,
    "cross_entropy_loss": ch05.check_cross_entropy_loss,
    "flip_weight": ch05.check_flip_weight,
    "mse_sigmoid_slope": ch05.check_mse_sigmoid_slope,
    "two_losses": ch05.check_two_losses,
}

def _sig(z):
    return 1 / (1 + np.exp(-z))


# Mistakes written the way a student writes them (loops, other spellings), not copied from the module.

def mse_with_a_loop(A, Y):
    total = 0.0
    for row_a, row_y in zip(A, Y):
        for a, t in zip(row_a, row_y):
            total += (a - t) ** 2
    return total                                    # forgot to divide


def mse_per_row(A, Y):
    return np.mean([np.sum((a - t) ** 2) for a, t in zip(A, Y)])


def softmax_naive(Z):
    E = np.exp(Z)
    return E / np.sum(E, axis=1, keepdims=True)


def softmax_no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)                         # broadcasts wrongly, or fails


def ce_loop_without_minus(P, y):
    return sum(np.log(P[i, y[i]]) for i in range(len(y))) / len(y)


def ce_of_the_answer(P, y):
    return -np.mean(np.log(np.max(P, axis=1)))


STUDENT_MISTAKES = [
    ("batch_mse", mse_with_a_loop, "added the squared errors up"),
    ("batch_mse", mse_per_row, "per example"),
    ("batch_mse", lambda A, Y: np.abs(A - Y).mean(), "absolute errors"),
    ("stable_softmax", softmax_naive, "did not subtract the largest score"),
    ("stable_softmax", softmax_no_keepdims, "keepdims=True"),
    ("stable_softmax", lambda Z: np.exp(Z - np.max(Z, axis=0)) / np.sum(np.exp(Z - np.max(Z, axis=0)), axis=1,
                                                                         keepdims=True), "each COLUMN"),
    ("cross_entropy_loss", ce_loop_without_minus, "minus sign is missing"),
    ("cross_entropy_loss", ce_of_the_answer, "LARGEST probability"),
    ("cross_entropy_loss", lambda P, y: -np.log(P[np.arange(len(P)), y]).sum(), "MEAN"),
    ("flip_weight", lambda z, x, w: w + z / x, "Wrong sign"),
    ("flip_weight", lambda z, x, w: -z / x, "CHANGE"),
    ("mse_sigmoid_slope", lambda z, t: 2 * (_sig(z) - t), "inner derivative"),
    ("mse_sigmoid_slope", lambda z, t: _sig(z) - t, "CROSS-ENTROPY"),
    ("two_losses", lambda p, k: (-np.log(p[k]), np.sum((p - np.eye(len(p))[k]) ** 2)), "wrong order"),
    ("two_losses", lambda p, k: (np.sum((p - np.eye(len(p))[k]) ** 2), np.log(p[k])), "minus sign"),
]


@pytest.mark.parametrize("name, answer, words", STUDENT_MISTAKES, ids=[f"{n}-{w[:20]}" for n, _, w in STUDENT_MISTAKES])
def test_student_written_mistakes_are_named(name, answer, words):
    fb = CASES[name](answer)
    assert fb.status == INCORRECT and words in fb.message, fb.message


def test_a_naive_softmax_on_huge_scores_is_told_about_infinity():
    """For scores above ~710 the naive softmax gives NaN; the checker says so plainly (reading.kind_problem)."""
    huge = ch05.STABLE_SOFTMAX
    extra = type(huge.cases[0])(np.array([[1000.0, 999.0]]), label="huge scores")
    huge.cases.insert(0, extra)
    try:
        fb = ch05.check_stable_softmax(softmax_naive)
    finally:
        huge.cases.remove(extra)
    assert fb.status == INCORRECT and "not finite" in fb.message and "exponential of a large number" in fb.message


def test_correct_answers_written_differently_pass():
    def softmax_rows(Z):
        return np.array([np.exp(r - r.max()) / np.exp(r - r.max()).sum() for r in Z])

    def ce_one_hot(P, y):
        T = np.eye(P.shape[1])[y]
        return -np.sum(T * np.log(P)) / len(P)

    assert ch05.check_stable_softmax(softmax_rows).status == CORRECT
    assert ch05.check_cross_entropy_loss(ce_one_hot).status == CORRECT
    assert ch05.check_batch_mse(lambda A, Y: ((A - Y) ** 2).sum() / A.size).status == CORRECT
    assert ch05.check_flip_weight(lambda z, x, w: w + (-z / x)).status == CORRECT


def test_softmax_that_changes_its_input_in_place_is_wrong():
    def in_place(Z):
        Z -= Z.max(axis=1, keepdims=True)
        np.exp(Z, out=Z)
        Z /= Z.sum(axis=1, keepdims=True)
        return Z

    fb = ch05.check_stable_softmax(in_place)
    assert fb.status == INCORRECT and "place" in fb.message


def test_type_errors_get_a_clear_message():
    fb = ch05.check_batch_mse(lambda A, Y: len(A) + "loss")
    assert fb.status == INCORRECT and "raised TypeError" in fb.message, fb.message
