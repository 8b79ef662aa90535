"""Chapter 03 checkers (solution accepted, stub not attempted, each listed mistake recognised:
test_checkers_generic.py): other right answers are accepted, the mistakes are recognised when
written the way a student would write them, and wrong kinds of answers get a clear message."""

import numpy as np

from nnlib.checks import ch03
from nnlib.checks.core import CORRECT, INCORRECT
from nnlib.data import logic_gate
from nnlib.perceptron import Perceptron
from nnlib.separability import margin_data

CASES = {
    "xor_network": ch03.check_xor_network,
    "xor_lift": ch03.check_xor_lift,
    "margin_and_radius": ch03.check_margin_and_radius,
    "updates_until_converged": ch03.check_updates_until_converged,
    "ovr_predict": ch03.check_ovr_predict,
}


def test_every_exercise_has_a_checker_and_at_least_two_mistakes():
    assert [ex.name for ex in ch03.EXERCISES] == list(CASES)
    for ex in ch03.EXERCISES:
        assert getattr(ch03, f"check_{ex.name}") is ex.checker and len(ex.mistakes) >= 2


def incorrect_saying(fb, words):
    assert fb.status == INCORRECT, fb
    assert words in fb.message, fb.message


# -- many right answers ---------------------------------------------------------------------------------

def test_other_xor_networks_are_accepted():
    # hidden OR and AND, output "OR and not AND"
    fb = ch03.check_xor_network(lambda: (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5]),
                                         np.array([[1.0], [-1.0]]), np.array([-0.5])))
    assert fb.status == CORRECT, fb
    # lists, a flat W2 and a plain number for b2 are fine too
    fb = ch03.check_xor_network(lambda: ([[2, -2], [2, -2]], [-1, 3], [1, 1], -1.5))
    assert fb.status == CORRECT, fb


def test_other_lifts_are_accepted():
    # one feature, (x1 − x2)², is enough; so is x1·x2 with a different plane
    fb = ch03.check_xor_lift(lambda X: ((X[:, 0] - X[:, 1]) ** 2, np.array([1.0]), -0.5))
    assert fb.status == CORRECT, fb
    fb = ch03.check_xor_lift(lambda X: (np.column_stack([X, X[:, 0] * X[:, 1]]), [2.0, 2.0, -4.0], -1.0))
    assert fb.status == CORRECT, fb


# -- mistakes written the way students write them ---------------------------------------------------------

def test_xor_network_mistakes():
    # one row per neuron: the transpose of the course's W (n_in, n_out)
    incorrect_saying(ch03.check_xor_network(lambda: ([[1, 1], [-1, -1]], [-0.5, 1.5], [[1], [1]], [-1.5])),
                     "one ROW per hidden neuron")
    incorrect_saying(ch03.check_xor_network(lambda: ([[1, -1], [1, -1]], [0, 0], [[1], [1]], [0])), "biases are 0")
    incorrect_saying(ch03.check_xor_network(lambda: ([[1, -1], [1, -1]], [-0.5, 1.5], [[-1], [-1]], [1.5])), "XNOR")
    incorrect_saying(ch03.check_xor_network(lambda: ([[1, -1], [1, -1]], [-1, 1.5], [[1], [1]], [-1.5])),
                     "exactly 0")
    # a network that computes some other gate is named, with what its hidden neurons do
    fb = ch03.check_xor_network(lambda: ([[1, 1], [1, 1]], [-0.5, -1.5], [[1], [1]], [-1.5]))
    incorrect_saying(fb, "computes AND")
    assert "hidden neuron 1 computes OR" in fb.message and "hidden neuron 2 computes AND" in fb.message


def test_xor_lift_mistakes():
    incorrect_saying(ch03.check_xor_lift(lambda X: (np.column_stack([X, 2 * X[:, 0] - X[:, 1] + 1]), [1, 1, 1], 0)),
                     "still linear")
    incorrect_saying(ch03.check_xor_lift(lambda X: (X ** 2, [1.0, 1.0], -0.5)), "treat x1 and x2 separately")
    fb = ch03.check_xor_lift(lambda X: (np.column_stack([X, X[:, 0] * X[:, 1]]), [1.0, 1.0, -1.0], -0.5))
    incorrect_saying(fb, "does not separate XOR")
    assert "target 0" in fb.message


def test_margin_mistakes():
    def no_one(X, y, w, b):
        s = 2 * y - 1
        return (s * (X @ w + b)).min() / np.linalg.norm(np.append(w, b)), np.linalg.norm(X, axis=1).max()
    incorrect_saying(ch03.check_margin_and_radius(no_one), "leaves out the bias")

    def labels_not_signs(X, y, w, b):
        return (y * (X @ w + b)).min() / np.hypot(np.linalg.norm(w), b), np.sqrt((X ** 2).sum(axis=1) + 1).max()
    incorrect_saying(ch03.check_margin_and_radius(labels_not_signs), "signs s = 2y − 1")


def test_update_count_mistakes():
    def epochs(X, y, max_epochs=1000):
        return len(Perceptron(X.shape[1]).fit(X, y, epochs=max_epochs).errors_)
    incorrect_saying(ch03.check_updates_until_converged(epochs), "counted epochs")

    def wrong_sign(X, y, max_epochs=1000):
        w, b, count = np.zeros(X.shape[1]), 0.0, 0
        for _ in range(max_epochs):
            mistakes = 0
            for x, t in zip(X, y):
                err = int(x @ w + b > 0) - t                  # ŷ − y: the sign flipped
                if err:
                    w, b, mistakes = w + err * x, b + err, mistakes + 1
            count += mistakes
            if not mistakes:
                break
        return count
    incorrect_saying(ch03.check_updates_until_converged(wrong_sign), "Wrong sign")


def test_the_update_reference_agrees_with_the_bound():
    X, y = margin_data(30, gap=0.05, rng=2)
    count = ch03.UPDATES_UNTIL_CONVERGED.reference(X, y)
    assert 0 < count == ch03._count(X, y, 1000)


def test_ovr_mistakes_and_shapes():
    incorrect_saying(ch03.check_ovr_predict(lambda X, W, b: (X @ W + b).argmin(axis=1)), "SMALLEST")
    incorrect_saying(ch03.check_ovr_predict(lambda X, W, b: np.argmax(np.heaviside(X @ W + b, 0), axis=1)),
                     "first perceptron that fires")
    incorrect_saying(ch03.check_ovr_predict(lambda X, W, b: np.argmax(X @ W.T + b, axis=1)), "needs no transpose")


def test_wrong_kinds_of_answers_get_a_clear_message():
    incorrect_saying(ch03.check_xor_network(lambda: "OR, NAND, AND"), "")
    incorrect_saying(ch03.check_xor_network(lambda: (np.eye(2), np.zeros(2))), "four")
    incorrect_saying(ch03.check_xor_lift(lambda X: X[:, 0] * X[:, 1]), "three")
    incorrect_saying(ch03.check_margin_and_radius(lambda X, y, w, b: None), "None")
    incorrect_saying(ch03.check_ovr_predict(lambda X, W, b: X @ W + b), "shape")
    assert ch03.check_updates_until_converged(lambda X, y, max_epochs=1000: "5").status == INCORRECT
    assert logic_gate("XOR")[1].tolist() == ch03.XOR_Y.tolist()
