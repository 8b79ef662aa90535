"""Chapter 04 checkers (solution accepted, stub not attempted: test_checkers_generic.py): recognise the
typical mistakes written the way a student would write them, and judge honestly."""

import math

import numpy as np

from nnlib import approx
from nnlib.activations import sigmoid
from nnlib.checks import ch04
from nnlib.checks.core import CORRECT, INCORRECT

CASES = {
    "steep_sigmoid": ch04.check_steep_sigmoid,
    "steepness_needed": ch04.check_steepness_needed,
    "bump": ch04.check_bump,
    "boundary_line": ch04.check_boundary_line,
    "choose_hidden_size": ch04.check_choose_hidden_size,
}


def test_every_exercise_has_a_checker_and_at_least_two_mistakes():
    assert [ex.name for ex in ch04.EXERCISES] == list(CASES)
    for ex in ch04.EXERCISES:
        assert getattr(ch04, f"check_{ex.name}") is ex.checker and len(ex.mistakes) >= 2


def incorrect_saying(fb, words):
    assert fb.status == INCORRECT, fb
    assert words in fb.message, fb.message


# -- the references agree with the library ----------------------------------------------------------------

def test_references_agree_with_nnlib_approx():
    x = np.linspace(-2, 2, 41)
    assert np.allclose(ch04.STEEP_SIGMOID.reference(x, 7.0, 0.3), approx.steep_sigmoid(x, 7.0, 0.3))
    assert np.allclose(ch04.BUMP.reference(x, -0.5, 1.0, 0.7, 20.0), approx.bump(x, -0.5, 1.0, height=0.7, k=20.0))
    k = ch04.STEEPNESS_NEEDED.reference(0.01, 0.1)
    assert np.isclose(approx.gap_to_step(k, 0.1), 0.01)
    slope, intercept = ch04.BOUNDARY_LINE.reference(np.array([1.0, 0.5]), -0.25)
    x1 = np.array([-1.0, 0.0, 2.0])
    assert np.allclose(sigmoid(x1 * 1.0 + (slope * x1 + intercept) * 0.5 - 0.25), 0.5)


# -- steep_sigmoid ------------------------------------------------------------------------------------------

def test_steep_sigmoid_mistakes_as_students_write_them():
    incorrect_saying(ch04.check_steep_sigmoid(lambda x, k, c: 1 / (1 + np.exp(k * (x - c)))), "1/(1 + e^(+z))")
    incorrect_saying(ch04.check_steep_sigmoid(lambda x, k, c: 1 / (1 + np.exp(-(x - k * c)))), "shift only")
    incorrect_saying(ch04.check_steep_sigmoid(lambda x, k, c: 1 / (1 + np.exp(-(k * x - c)))), "x = c/k")
    incorrect_saying(ch04.check_steep_sigmoid(lambda x, k, c: np.where(k * (x - c) > 0, 1.0, 0.0)), "binary step")


def test_steep_sigmoid_overflow_is_explained():
    # e^z / (1 + e^z) for every z: inf / inf = NaN at z = +2500
    naive = ch04.check_steep_sigmoid(lambda x, k, c: np.exp(k * (x - c)) / (1 + np.exp(k * (x - c))))
    incorrect_saying(naive, "exponential of a large number")
    # math.exp raises OverflowError: the hint says what to do
    scalar = ch04.check_steep_sigmoid(lambda x, k, c: np.array([1 / (1 + math.exp(-k * (v - c))) for v in x]))
    incorrect_saying(scalar, "e^(−|z|)")
    # the textbook formula with np.exp overflows only to inf, which gives the right 0: accepted
    assert ch04.check_steep_sigmoid(lambda x, k, c: 1 / (1 + np.exp(-k * (x - c)))).status == CORRECT


def test_steep_sigmoid_lists_are_fine_and_text_is_not():
    assert ch04.check_steep_sigmoid(lambda x, k, c: list(approx.steep_sigmoid(x, k, c))).status == CORRECT
    incorrect_saying(ch04.check_steep_sigmoid(lambda x, k, c: "0.5"), "cannot be read as numbers")


# -- steepness_needed ----------------------------------------------------------------------------------------

def test_a_careful_search_is_accepted_and_a_coarse_one_is_not():
    def search(tol, margin, step):
        ks = np.arange(step, 1000, step)
        return ks[approx.gap_to_step(ks, margin) <= tol][0]
    assert ch04.check_steepness_needed(lambda tol, margin: search(tol, margin, 0.001)).status == CORRECT
    assert ch04.check_steepness_needed(lambda tol, margin: search(tol, margin, 1.0)).status == INCORRECT


def test_steepness_mistakes():
    incorrect_saying(ch04.check_steepness_needed(lambda tol, margin: math.log(1 / tol) / margin), "tol/(1 − tol)")
    incorrect_saying(ch04.check_steepness_needed(lambda tol, margin: math.log((1 - tol) / tol)), "divide by the")
    incorrect_saying(ch04.check_steepness_needed(lambda tol, margin: math.log10((1 - tol) / tol) / margin), "log10")


# -- bump ----------------------------------------------------------------------------------------------------

def test_bump_mistakes_as_students_write_them():
    def sig(z):
        return 1 / (1 + np.exp(-z))
    incorrect_saying(ch04.check_bump(lambda x, a, b, h, k: h * (sig(k * (x - b)) - sig(k * (x - a)))),
                     "wrong order")
    incorrect_saying(ch04.check_bump(lambda x, a, b, h, k: h * (sig(k * (x - a)) + sig(k * (x - b)))),
                     "added the two steps")
    incorrect_saying(ch04.check_bump(lambda x, a, b, h, k: h * (sig(x * 1 - k * a) - sig(x - k * b))),
                     "shift only")
    incorrect_saying(ch04.check_bump(lambda x, a, b, h, k: sig(k * (x - a)) - sig(k * (x - b))), "height is 1")


# -- boundary_line ----------------------------------------------------------------------------------------------

def test_boundary_mistakes_as_students_write_them():
    incorrect_saying(ch04.check_boundary_line(lambda w, b: (-w[0] / w[1], (0.5 - b) / w[1])), "z = 1/2")
    incorrect_saying(ch04.check_boundary_line(lambda w, b: (-b / w[1], -w[0] / w[1])), "wrong order")
    incorrect_saying(ch04.check_boundary_line(lambda w, b: (w[0] / w[1], -b / w[1])), "slope has the wrong sign")
    incorrect_saying(ch04.check_boundary_line(lambda w, b: (-w[1] / w[0], -b / w[0])), "solved for x₁")


def test_boundary_accepts_a_list_and_refuses_one_number():
    assert ch04.check_boundary_line(lambda w, b: [-w[0] / w[1], -b / w[1]]).status == CORRECT
    incorrect_saying(ch04.check_boundary_line(lambda w, b: -w[0] / w[1]), "two things")


# -- choose_hidden_size ----------------------------------------------------------------------------------------

def test_choosing_by_training_error_is_recognised():
    fb = ch04.check_choose_hidden_size(lambda sizes, tr, te: sizes[np.argmin(tr.mean(axis=0))])
    incorrect_saying(fb, "training error")
    incorrect_saying(ch04.check_choose_hidden_size(lambda sizes, tr, te: int(np.argmin(te.mean(axis=0)))),
                     "position")
    incorrect_saying(ch04.check_choose_hidden_size(lambda sizes, tr, te: sizes[np.argmin(te[0])]), "first seed")


def test_choosing_on_the_real_study_agrees_with_its_best_size():
    study = approx.hidden_size_study(sizes=(1, 8), n_seeds=2, n_train=40, epochs=60, grid=20)
    chosen = ch04.CHOOSE_HIDDEN_SIZE.reference(np.array(study.sizes), study.train_error, study.test_error)
    assert chosen == study.best_size()
