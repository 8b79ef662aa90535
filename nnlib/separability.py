"""Linear separability, margins and the perceptron convergence theorem. Chapter 03.

Two classes are *linearly separable* when some line (plane, hyperplane)
w · x + b = 0 has every class-1 sample on its positive side and every class-0
sample on its negative side. The bias is handled as in chapter 02, as one more
weight on an input that is always 1: write x̃ = (x, 1) and w̃ = (w, b), so that
z = w̃ · x̃. With signs s = +1 for class 1 and s = −1 for class 0:

* the **margin** of a separator w̃ is  γ(w̃) = min_i s_i (w̃ · x̃_i) / ‖w̃‖,
  the distance, in the space of the x̃, from the separating plane through the
  origin to the nearest sample (negative if some sample is on the wrong side);
* the **margin of the data**, γ, is the largest margin of any separator;
* the **radius** is R = max_i ‖x̃_i‖.

**Perceptron convergence theorem** (Block 1962, Novikoff 1962). If the data
are separable with margin γ > 0, the perceptron rule, started from w̃ = 0 and
visiting the samples in any order, makes at most (R / γ)² updates. Proof in
two lines, for a unit separator u with margin γ: every update adds s_i x̃_i
to w̃, which raises w̃ · u by at least γ but raises ‖w̃‖² by at most R²
(the update only happens when s_i w̃ · x̃_i ≤ 0). After k updates,
kγ ≤ w̃ · u ≤ ‖w̃‖ ≤ √k R, so k ≤ (R/γ)². (With a learning rate η, w̃ is
only multiplied by η: the same updates happen.)
"""

from collections import namedtuple
from functools import lru_cache

import numpy as np

from .data import blobs, circles, logic_gate, moons
from .perceptron import Perceptron
from .validate import _describe, as_array, as_labels, as_matrix, as_number, as_positive_int, as_rng, same_length


def augment(X):
    """x̃ = (x, 1) for every row: X with a column of ones appended, shape (n_samples, n_features + 1)."""
    X = as_matrix(X, "X")
    return np.column_stack([X, np.ones(len(X))])


def _signed(X, y):
    """The rows s_i x̃_i, with s = +1 for class 1 and −1 for class 0."""
    X = as_matrix(X, "X")
    y = as_labels(y, "y", allowed=(0, 1))
    same_length(X, y)
    return (2 * y - 1)[:, None] * augment(X)


def radius(X):
    """R = max_i ‖(x_i, 1)‖: the length of the longest input, counting the bias's constant 1."""
    return float(np.max(np.linalg.norm(augment(X), axis=1)))


def margin(X, y, w, b):
    """γ = min_i s_i (x_i · w + b) / ‖(w, b)‖ for the separator (w, b); negative if it misclassifies.

    s_i = +1 for class 1 and −1 for class 0. Dividing by ‖(w, b)‖ makes the
    margin a property of the line, not of how large the numbers w, b are.
    """
    Z = _signed(X, y)
    w = as_array(w, "w", ndim=1, shape=(Z.shape[1] - 1,))
    b = as_number(b, "b")
    wt = np.append(w, b)
    norm = np.linalg.norm(wt)
    if norm == 0:
        raise ValueError("w and b are all zero: that is no line at all, so it has no margin.")
    return float(np.min(Z @ wt) / norm)


MaxMargin = namedtuple("MaxMargin", "w b gamma")


def max_margin(X, y, *, max_iter=1000):
    """The separator with the largest margin: ``MaxMargin(w, b, gamma)``, with ‖(w, b)‖ = 1.

    The largest margin equals the distance from the origin to the convex hull
    of the points s_i x̃_i (the point p = Σ α_i s_i x̃_i, α ≥ 0, Σ α = 1, of
    smallest length), and the best w̃ points to that nearest point p. This
    function finds p exactly by Wolfe's minimum-norm-point algorithm (1976): keep
    a few "support" samples, jump to the nearest point of the plane (line,
    point) through them, drop a support sample whose weight would turn
    negative, and add the sample that the current p serves worst, until no
    sample is served worse than p itself, z · p ≥ p · p for every row z.

    ``gamma`` is the margin of the separator returned, measured exactly: γ > 0
    proves the data separable. γ ≤ 0 means there is none: the nearest point
    of the hull is the origin, and no line separates the data.
    """
    Z = _signed(X, y)
    max_iter = as_positive_int(max_iter, "max_iter")
    scale = float(np.max(np.sum(Z * Z, axis=1)))
    eps = 1e-12 * scale
    support = [int(np.argmin(np.sum(Z * Z, axis=1)))]
    lam = np.array([1.0])
    p = Z[support[0]].copy()
    for _ in range(max_iter):
        k = int(np.argmin(Z @ p))
        if p @ p - Z[k] @ p <= eps or k in support:
            break                                            # no sample is served worse than p: done
        support.append(k)
        lam = np.append(lam, 0.0)
        while True:                                          # the nearest point of the affine hull of the support
            S = Z[support]
            n = len(support)
            kkt = np.block([[S @ S.T, np.ones((n, 1))], [np.ones((1, n)), np.zeros((1, 1))]])
            mu = np.linalg.lstsq(kkt, np.append(np.zeros(n), 1.0), rcond=None)[0][:n]
            if np.all(mu > 1e-12):
                lam, p = mu, mu @ S
                break
            shrink = mu <= 1e-12                             # walk towards it until a weight reaches 0
            theta = np.min(lam[shrink] / (lam[shrink] - mu[shrink]))
            lam = lam + theta * (mu - lam)
            keep = lam > 1e-12
            support = [i for i, kept in zip(support, keep) if kept]
            lam = lam[keep]
            p = lam @ Z[support]
        if p @ p <= eps:
            break                                            # the origin is in the hull: not separable
    norm = np.linalg.norm(p)
    if norm ** 2 <= eps:
        return MaxMargin(np.zeros(Z.shape[1] - 1), 0.0, 0.0)
    wt = p / norm
    return MaxMargin(wt[:-1], float(wt[-1]), float(np.min(Z @ wt)))


def convergence_bound(X, y):
    """(R / γ)², the theorem's limit on the perceptron's updates, with γ from :func:`max_margin`.

    Raises for data that are not linearly separable (there is no bound: the
    perceptron never stops).
    """
    gamma = max_margin(X, y).gamma
    if gamma <= 0:
        raise ValueError("These data are not linearly separable (no separator with a positive margin), so the "
                         "convergence theorem promises nothing: the perceptron never stops.")
    return (radius(X) / gamma) ** 2


SEPARATOR = (np.array([0.6, 0.8]), 0.2)
"""The line 0.6·x1 + 0.8·x2 + 0.2 = 0 that :func:`margin_data` keeps its gap around."""


def margin_data(n_samples=100, *, gap=0.1, rng=0):
    """Points uniform in the square [−1, 1]², none closer than ``gap`` to the line 0.6·x1 + 0.8·x2 + 0.2 = 0.

    Class 1 on the positive side. The first two samples, one of each class, are
    placed at distance exactly ``gap`` from the line, so the line's margin in
    the plane is ``gap``: the data are separable, and a smaller gap makes the
    perceptron's job harder (chapter 03 counts its updates as the gap shrinks).
    """
    n_samples = as_positive_int(n_samples, "n_samples")
    gap = as_number(gap, "gap", low=0, low_inclusive=False)
    if gap >= 0.9:
        raise ValueError(f"gap must be below 0.9, or no room is left in the square for one class; got {gap}.")
    rng = as_rng(rng)
    u, c = SEPARATOR
    kept = np.empty((0, 2))
    while len(kept) < n_samples:
        P = rng.uniform(-1, 1, size=(4 * n_samples, 2))
        kept = np.concatenate([kept, P[np.abs(P @ u + c) >= gap]])
    X = kept[:n_samples].copy()
    for i, side in enumerate((1.0, -1.0)[:n_samples]):     # slide two samples onto the edges of the gap
        X[i] += (side * gap - (X[i] @ u + c)) * u
    return X, (X @ u + c > 0).astype(np.int64)


# --------------------------------------------------------------------------
# The explorer's data sets and training runs
# --------------------------------------------------------------------------

TOY_SETS = ("AND", "OR", "XOR", "blobs", "circles", "moons")
COPIES = 10                 # a noisy gate: each corner ten times, each copy jittered


def _toy_name(name):
    """The canonical name of an explorer data set, matched ignoring case."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a data set name, one of {', '.join(TOY_SETS)}; got {_describe(name)}.")
    key = next((t for t in TOY_SETS if t.lower() == name.strip().lower()), None)
    if key is None:
        raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(TOY_SETS)}.")
    return key


def toy_set(name, *, noise=0.0, rng=0):
    """One of the explorer's data sets as (X, y): AND, OR, XOR, blobs, circles or moons.

    ``noise`` is the standard deviation of the Gaussian jitter: a gate with no
    noise is its four corners, with noise ten jittered copies of each; blobs
    have spread 0.3 + noise; circles and moons are jittered by ``noise``.
    """
    key = _toy_name(name)
    noise = as_number(noise, "noise", low=0)
    rng = as_rng(rng)
    if key in ("AND", "OR", "XOR"):
        X, y = logic_gate(key)
        if noise == 0:
            return X, y
        return np.repeat(X, COPIES, axis=0) + noise * rng.standard_normal((4 * COPIES, 2)), np.repeat(y, COPIES)
    if key == "blobs":
        return blobs(60, centers=((-0.8, -0.5), (0.8, 0.5)), std=0.3 + noise, rng=rng)
    if key == "circles":
        return circles(60, noise=noise, factor=0.45, rng=rng)
    return moons(60, noise=noise, rng=rng)


EpochRun = namedtuple("EpochRun", "X y W b errors wrong converged cycle gamma")
EpochRun.__doc__ = """A perceptron run seen epoch by epoch (:func:`epoch_run`).

W[e], b[e]: the weights after epoch e (W[0] = 0, b[0] = 0: the start); errors[e − 1]:
the mistakes made *during* epoch e; wrong[e]: the samples the line W[e], b[e]
gets wrong; converged: the first clean epoch, or None; cycle: ``Perceptron.cycle_``;
gamma: the data's margin from :func:`max_margin` (0 when no line separates them)."""

MAX_EPOCHS = 20


def epoch_run(name, noise=0.0, *, epochs=MAX_EPOCHS):
    """Train a perceptron (η = 1, from zero, samples in order) on ``toy_set(name, noise=noise)``.

    Computed once per (name, noise, epochs) and kept, so the chapter 03
    explorer answers a slider move at once. Returns an :class:`EpochRun`; after
    convergence the states stay where they stopped.
    """
    return _epoch_run(_toy_name(name), as_number(noise, "noise", low=0), as_positive_int(epochs, "epochs"))


@lru_cache(maxsize=None)
def _epoch_run(name, noise, epochs):
    X, y = toy_set(name, noise=noise)
    p = Perceptron(2).fit(X, y, epochs=epochs, lr=1.0)
    ends = [h for h in p.history_ if h["index"] is None or h["index"] == len(X) - 1]
    W = np.array([h["w"] for h in ends])
    b = np.array([h["b"] for h in ends])
    if len(W) < epochs + 1:                                 # converged early: the line stays put
        pad = epochs + 1 - len(W)
        W, b = np.concatenate([W, np.repeat(W[-1:], pad, axis=0)]), np.concatenate([b, np.repeat(b[-1:], pad)])
    wrong = ((X @ W.T + b) > 0).astype(int) != y[:, None]     # (n_samples, epochs + 1)
    converged = len(p.errors_) if p.converged_ else None
    for arr in (X, y, W, b, wrong):
        arr.setflags(write=False)
    return EpochRun(X, y, W, b, tuple(p.errors_), tuple(int(k) for k in wrong.sum(axis=0)), converged, p.cycle_,
                    max(max_margin(X, y).gamma, 0.0))
