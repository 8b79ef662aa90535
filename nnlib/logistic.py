"""Logistic regression on two features, trained by mini-batch SGD and by full-batch GD (chapter 06).

Chapter 06 uses this small model to show what a mini-batch does to the path
of the weights. The model has two weights and no bias:

    p = σ(x · w)            x (2,), w (2,)
    L(w) = mean over the data of  −[y log p + (1 − y) log(1 − p)]
    ∇L on a batch B = X_Bᵀ (σ(X_B w) − y_B) / |B|

One epoch visits every sample once, in batches of ``batch_size`` drawn in a
fresh random order each epoch (the order of epoch e comes from seed
``rng + e``, as :func:`nnlib.data.minibatches` draws it). After each update
the loss on *all* the data is recorded, so the noisy SGD curve and the smooth
full-batch curve can be compared step for step.

The updates run one sample at a time in plain Python floats: with two weights
that is several times faster than NumPy's per-call overhead, so even batch
size 1 (6,000 updates for 30 epochs of 200 points) takes a few milliseconds.
The full-data losses of all updates are then computed in one matrix product.
"""

import math

import numpy as np

from .data import blobs
from .validate import as_array, as_labels, as_matrix, as_number, as_positive_int, same_length


def logistic_data():
    """The toy set of chapter 06's SGD explorer: two overlapping blobs, 200 points, labels 0/1."""
    return blobs(200, centers=((-1.0, -0.5), (1.0, 0.5)), std=1.0, rng=0)


def _learning_rate(lr):
    """A positive number, or a schedule: any callable of the step count t returning one."""
    return lr if callable(lr) else as_number(lr, "lr", low=0.0, low_inclusive=False)


def _rate_at(schedule, t):
    eta = schedule(t)
    if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)) \
            or not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning-rate schedule must return a positive finite number; at step t = {t} "
                         f"it returned {eta!r}.")
    return float(eta)


def _full_loss(X, y, W):
    """The mean cross-entropy on all of (X, y) for each row of W (shape (k, 2)) → shape (k,)."""
    Z = W @ X.T                          # (k, n): the logit of every sample under every w
    S = np.abs(Z)                        # softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^−|z|), in place
    np.negative(S, out=S)
    np.exp(S, out=S)
    np.log1p(S, out=S)
    S += np.maximum(Z, 0.0)
    return S.mean(axis=1) - Z @ y / len(y)


def sgd_run(X, y, *, lr, batch_size, epochs, w0=(-1.5, 2.5), rng=0):
    """Train by mini-batch SGD; return a dict of arrays, one row per update (row 0 = the start).

    ``W`` (k + 1, 2) the weights, ``epoch`` (k + 1,) the epoch reached (fractional:
    1.5 = half-way through the second epoch), ``loss`` (k + 1,) the loss on all the
    data. A run whose weights blow up (beyond 1e6) stops there. With
    ``batch_size = len(X)`` it is full-batch gradient descent (no shuffling).
    """
    X = as_matrix(X, "X", n_features=2)
    y = as_labels(y, "y", n_samples=len(X), allowed=(0, 1)).astype(float)
    lr = _learning_rate(lr)
    batch_size = as_positive_int(batch_size, "batch_size")
    epochs = as_positive_int(epochs, "epochs")
    w0 = as_array(w0, "w0", ndim=1, shape=(2,))
    n = len(X)
    batch_size = min(batch_size, n)
    x1, x2, ys = X[:, 0].tolist(), X[:, 1].tolist(), y.tolist()
    w1, w2 = float(w0[0]), float(w0[1])
    W, E = [(w1, w2)], [0.0]
    n_batches = -(-n // batch_size)
    t = 0
    for epoch in range(epochs):
        order = (np.random.default_rng(rng + epoch).permutation(n) if batch_size < n else np.arange(n)).tolist()
        for b in range(n_batches):
            g1 = g2 = 0.0
            batch = order[b * batch_size:(b + 1) * batch_size]
            for i in batch:
                z = x1[i] * w1 + x2[i] * w2
                p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
                e = p - ys[i]
                g1 += e * x1[i]
                g2 += e * x2[i]
            eta = (_rate_at(lr, t) if callable(lr) else lr) / len(batch)
            w1, w2 = w1 - eta * g1, w2 - eta * g2
            t += 1
            if not (abs(w1) <= 1e6 and abs(w2) <= 1e6):        # also catches NaN
                break
            W.append((w1, w2))
            E.append(epoch + (b + 1) / n_batches)
        else:
            continue
        break
    W = np.array(W)
    return {"W": W, "epoch": np.array(E), "loss": _full_loss(X, y, W)}


def logistic_runs(X, y, *, lr, batch_size, epochs, w0=(-1.5, 2.5), rng=0):
    """The same model trained twice from ``w0``: by mini-batch SGD and by full-batch GD.

    Returns ``(sgd, gd)``, two dicts as :func:`sgd_run` returns them. ``lr`` is
    a positive number or a schedule (a function of the step count t, such as
    :func:`nnlib.optim.inverse_time_decay`).
    """
    X = as_matrix(X, "X", n_features=2)
    same_length(X, as_labels(y, "y"), "X", "y")
    sgd = sgd_run(X, y, lr=lr, batch_size=batch_size, epochs=epochs, w0=w0, rng=rng)
    gd = sgd_run(X, y, lr=lr, batch_size=len(X), epochs=epochs, w0=w0, rng=rng)
    return sgd, gd
