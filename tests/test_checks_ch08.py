"""Chapter 08 checkers (solution accepted, stub not attempted: test_checkers_generic.py): recognise the
typical mistakes written the way a student would write them, judge honestly, and never raise."""

import numpy as np

from nnlib.checks import ch08
from nnlib.checks.core import CORRECT, INCORRECT
from nnlib.data import one_hot
from nnlib.losses import binary_cross_entropy
from nnlib.mnist import confusion_counts
from nnlib.train import accuracy

CASES = {
    "accuracy_from_logits": ch08.check_accuracy_from_logits,
    "one_hot": ch08.check_one_hot,
    "get_batch": ch08.check_get_batch,
    "confusion": ch08.check_confusion,
    "step_2v9": ch08.check_step_2v9,
    "pick_lr": ch08.check_pick_lr,
}


def incorrect_saying(fb, words):
    assert fb.status == INCORRECT, fb
    assert words in fb.message, fb.message


# -- the references agree with the library ---------------------------------------------------------------

def test_references_agree_with_the_library():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(50, 10)), rng.integers(0, 10, size=50)
    assert ch08.ACCURACY_FROM_LOGITS.reference(Z, y) == accuracy(Z, y)
    assert np.array_equal(ch08.ONE_HOT.reference(y, 10), one_hot(y, 10))
    y_pred = rng.integers(0, 10, size=50)
    assert np.array_equal(ch08.CONFUSION.reference(y, y_pred, 10), confusion_counts(y, y_pred, n_classes=10))
    X, t, w = rng.random((8, 5)), rng.integers(0, 2, size=8), rng.normal(size=5)
    _, dz = binary_cross_entropy(X @ w + 0.3, t)
    w_new, b_new = ch08.STEP_2V9.reference(w, 0.3, X, t, 0.5)
    assert np.allclose(w_new, w - 0.5 * X.T @ dz) and np.isclose(b_new, 0.3 - 0.5 * dz.sum())


# -- typical mistakes, written as a student would -------------------------------------------------------

def test_accuracy_mistakes():
    incorrect_saying(ch08.check_accuracy_from_logits(lambda Z, y: (Z.argmax(1) == y).sum()), "fraction")
    incorrect_saying(ch08.check_accuracy_from_logits(lambda Z, y: 1 - np.mean(Z.argmax(1) == y)), "error rate")
    assert ch08.check_accuracy_from_logits(lambda Z, y: (np.argmax(Z, axis=-1) == y).mean()).status == CORRECT


def test_one_hot_mistakes():
    def transposed(y, n_classes):
        Y = np.zeros((n_classes, len(y)))
        Y[y, np.arange(len(y))] = 1
        return Y
    incorrect_saying(ch08.check_one_hot(transposed), "transposed")
    incorrect_saying(ch08.check_one_hot(lambda y, k: np.eye(k)[y - 1]), "one column too far left")
    assert ch08.check_one_hot(lambda y, k: np.eye(k)[y]).status == CORRECT


def test_get_batch_mistakes():
    def unshuffled_labels(X, y, order, k, batch_size):
        rows = order[k * batch_size:(k + 1) * batch_size]
        return X[rows], y[k * batch_size:(k + 1) * batch_size]
    incorrect_saying(ch08.check_get_batch(unshuffled_labels), "not shuffled with it")
    incorrect_saying(ch08.check_get_batch(lambda X, y, order, k, bs: (X[order[k:k + bs]], y[order[k:k + bs]])),
                     "k · batch_size")


def test_confusion_mistakes():
    def swapped(y_true, y_pred, n_classes):
        C = np.zeros((n_classes, n_classes), int)
        for t, p in zip(y_true, y_pred):
            C[p, t] += 1
        return C
    incorrect_saying(ch08.check_confusion(swapped), "Rows and columns are swapped")

    def only_right(y_true, y_pred, n_classes):
        C = np.zeros((n_classes, n_classes), int)
        for t, p in zip(y_true, y_pred):
            if t == p:
                C[t, t] += 1
        return C
    incorrect_saying(ch08.check_confusion(only_right), "Only the diagonal")


def test_step_mistakes():
    def uphill(w, b, X, y, lr):
        dz = (1 / (1 + np.exp(-(X @ w + b))) - y) / len(X)
        return w + lr * X.T @ dz, b + lr * dz.sum()
    incorrect_saying(ch08.check_step_2v9(uphill), "uphill")

    def summed(w, b, X, y, lr):
        dz = 1 / (1 + np.exp(-(X @ w + b))) - y
        return w - lr * X.T @ dz, b - lr * dz.sum()
    incorrect_saying(ch08.check_step_2v9(summed), "summed over the batch")


def test_pick_lr_mistakes():
    incorrect_saying(ch08.check_pick_lr(lambda lrs, losses: lrs[int(np.argmin(losses))]), "diverged")
    incorrect_saying(ch08.check_pick_lr(lambda lrs, losses: int(np.nanargmin(np.where(np.isfinite(losses), losses,
                                                                                     np.nan)))), "position")
    good = lambda lrs, losses: min((l, lr) for lr, l in zip(lrs, losses) if np.isfinite(l))[1]   # noqa: E731
    assert ch08.check_pick_lr(good).status == CORRECT
