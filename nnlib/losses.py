"""Loss functions, each returning the loss and its gradient (chapters 05–08).

Every function here returns ``(loss, grad)``: the loss is one float, the
average over the batch (or, for MSE, over every element), and ``grad`` is the
derivative of that average with respect to the function's first argument,
with the same shape. That gradient is where backpropagation (chapter 07)
starts.

``mse(A, Y)``
    L = mean over all elements of (A − Y)²;  dL/dA = 2(A − Y) / A.size.
``binary_cross_entropy(Z, y)``
    from logits z (before the sigmoid), labels y in {0, 1} (or in [0, 1]):
    L = mean of −[y log σ(z) + (1 − y) log(1 − σ(z))] = mean of softplus(z) − y z;
    dL/dz = (σ(z) − y) / n.
``softmax_cross_entropy(Z, y)``
    from a row of logits per sample, integer labels y:
    L = mean of −log softmax(Z)[i, y_i] = mean of logsumexp(Z_i) − Z[i, y_i];
    dL/dZ = (softmax(Z) − one_hot(y)) / n.

Chapter 05 adds the pieces it needs to compare losses:

``squared_errors(A, Y)``
    the table behind the squared error: (A − Y)² position by position.
``mae(A, Y)``
    mean absolute error, L = mean of |A − Y|;  dL/dA = sign(A − Y) / A.size
    (the same push for every error, large or small: why squares are preferred).
``cross_entropy(P, y)``
    from probabilities (a row per sample that sums to 1), integer labels:
    L = mean of −log P[i, y_i], the "surprise" at the true class;
    dL/dP = −1 / (n P[i, y_i]) at the true class, 0 elsewhere.
``sigmoid_mse(Z, Y)``
    a sigmoid output A = σ(Z) scored by MSE, from logits, as the thesis network
    of essay 003 does: L = mean of (σ(Z) − Y)²;
    dL/dZ = 2(σ(Z) − Y) σ′(Z) / Z.size. The factor σ′(Z) vanishes when the
    sigmoid saturates, and so does the gradient, right or wrong.

The cross-entropies are computed from logits with the log-sum-exp trick, so
they stay finite for logits of any size (chapter 05 explains why).

Number types: the loss is computed in the dtype of the network's output (the
first argument): float32 outputs give a float32 gradient, float64 outputs a
float64 one. Targets are converted to that dtype; nothing is widened.
"""

import numpy as np

from .validate import as_floats
from .validate import as_labels


def mse(A, Y):
    """Mean squared error over all elements, as ``torch.nn.MSELoss`` computes it.

    ``A`` (the network's outputs) and ``Y`` (the targets) have the same shape.
    Returns ``(loss, dA)`` with dA = 2(A − Y) / A.size.
    """
    A, Y = _same_shape(A, Y)
    diff = A - Y
    return float(np.mean(diff ** 2)), 2.0 * diff / diff.size



def binary_cross_entropy(Z, y):
    """Binary cross-entropy from logits, averaged over the batch.

    ``Z`` holds one logit per sample, shape (n,) or (n, 1); ``y`` the targets
    in [0, 1] (usually 0 or 1) with n entries. Returns ``(loss, dZ)`` with dZ
    of ``Z``'s shape: dZ = (σ(Z) − y) / n.
    """
    Z = as_floats(Z, "Z")
    if not (Z.ndim == 1 or (Z.ndim == 2 and Z.shape[1] == 1)):
        raise ValueError(f"Z must hold one logit per sample, shape (n_samples,) or (n_samples, 1), got {Z.shape}.")
    z = Z.reshape(-1)
    t = as_floats(y, "y", dtype=Z.dtype)
    if t.size != z.size or not (t.ndim == 1 or (t.ndim == 2 and t.shape[1] == 1)):
        raise ValueError(f"y must hold one target per sample ({z.size} of them), got shape {t.shape}.")
    t = t.reshape(-1)
    if t.min() < 0 or t.max() > 1:
        raise ValueError("y must hold targets between 0 and 1 (class labels 0 and 1), "
                         f"got values from {t.min():g} to {t.max():g}.")
    n = z.size
    e = np.exp(-np.abs(z))                                   # e^(−|z|) in (0, 1]: never overflows
    softplus = np.maximum(z, 0) + np.log1p(e)                # log(1 + e^z)
    sigma = np.where(z >= 0, 1 / (1 + e), e / (1 + e))       # σ(z), stable on both sides
    loss = float(np.mean(softplus - t * z))
    dz = (sigma - t) / n
    return loss, dz.reshape(Z.shape)


def softmax_cross_entropy(Z, y):
    """Softmax followed by cross-entropy, from logits, averaged over the batch.

    ``Z`` has shape (n_samples, n_classes); ``y`` holds n_samples integer
    labels in 0..n_classes−1. Returns ``(loss, dZ)`` with
    dZ = (softmax(Z) − one_hot(y)) / n_samples.
    """
    Z = as_floats(Z, "Z", ndim=2)
    labels = _class_labels(y, len(Z), Z.shape[1])
    n, rows = len(Z), np.arange(len(Z))
    shifted = Z - Z.max(axis=1, keepdims=True)               # every exponent <= 0: no overflow
    E = np.exp(shifted)
    total = E.sum(axis=1)
    loss = float(np.mean(np.log(total) - shifted[rows, labels]))
    dZ = E                                                   # reuse the buffer: dZ = (softmax − one_hot) / n
    dZ /= total[:, None] * n
    dZ[rows, labels] -= 1 / n
    return loss, dZ


def _same_shape(A, Y):
    """``A`` and ``Y`` as float arrays of one shape (``Y`` in ``A``'s dtype)."""
    A = as_floats(A, "A")
    Y = as_floats(Y, "Y", dtype=A.dtype)
    if A.shape != Y.shape:
        raise ValueError(f"A and Y must have the same shape, got A {A.shape} and Y {Y.shape}. "
                         "For class labels, one-hot encode them first (nnlib.data.one_hot).")
    return A, Y


def squared_errors(A, Y):
    """The squared error position by position, (A − Y)², with the shape of ``A`` (chapter 05).

    Its sum over a row is that sample's squared error; its mean over all
    entries is ``mse(A, Y)[0]``.
    """
    A, Y = _same_shape(A, Y)
    return (A - Y) ** 2


def mae(A, Y):
    """Mean absolute error over all elements (chapter 05): L = mean of |A − Y|.

    Returns ``(loss, dA)`` with dA = sign(A − Y) / A.size: every entry is pushed
    equally hard whether its error is 0.01 or 0.9, and the slope jumps at an
    error of 0 (there we take sign(0) = 0). The squared error's slope, 2(A − Y),
    shrinks as the error does; that is one reason to prefer squares.
    """
    A, Y = _same_shape(A, Y)
    diff = A - Y
    return float(np.mean(np.abs(diff))), np.sign(diff) / diff.size


def cross_entropy(P, y):
    """Cross-entropy from probabilities, averaged over the batch (chapter 05).

    ``P`` has shape (n_samples, n_classes), one row of probabilities per sample
    (each row between 0 and 1 and summing to 1); ``y`` holds the true classes.
    L = mean of −log P[i, y_i]: the *surprise* at the true class, 0 when it got
    probability 1, and growing without bound as that probability goes to 0.
    Returns ``(loss, dP)``, dP = −1/(n P[i, y_i]) at the true class and 0
    elsewhere. A probability of exactly 0 at the true class gives an infinite
    loss: to train, compute the loss from logits with :func:`softmax_cross_entropy`.
    """
    P = as_floats(P, "P", ndim=2)
    if P.min() < 0 or P.max() > 1:
        raise ValueError(f"P must hold probabilities between 0 and 1, got values from {P.min():g} to {P.max():g}. "
                         "For scores (logits), use softmax_cross_entropy.")
    sums = P.sum(axis=1)
    if not np.allclose(sums, 1, atol=1e-3):
        i = int(np.argmax(np.abs(sums - 1)))
        raise ValueError(f"each row of P must sum to 1 (one probability per class); row {i} sums to {sums[i]:g}.")
    labels = _class_labels(y, len(P), P.shape[1])
    n, rows = len(P), np.arange(len(P))
    p_true = P[rows, labels]
    with np.errstate(divide="ignore"):
        surprise = -np.log(p_true)
        dP = np.zeros_like(P)
        dP[rows, labels] = -1.0 / (n * p_true)
    return float(np.mean(surprise)), dP


def sigmoid_mse(Z, Y):
    """Sigmoid outputs scored by the mean squared error, from logits (chapters 05 and 08).

    A = σ(Z) element by element; L = mean over all elements of (A − Y)².
    ``Y`` has the shape of ``Z``, with targets between 0 and 1. Returns
    ``(loss, dZ)`` with dZ = 2(A − Y) σ′(Z) / Z.size, where σ′(Z) = A(1 − A).
    That factor is at most 1/4, and almost 0 once |z| is large: a sigmoid
    that is confidently wrong learns slowly under MSE. Binary cross-entropy
    has no such factor: its dL/dZ is (A − Y)/n.
    """
    Z = as_floats(Z, "Z")
    Y = as_floats(Y, "Y", dtype=Z.dtype)
    if Z.shape != Y.shape:
        raise ValueError(f"Z and Y must have the same shape, got Z {Z.shape} and Y {Y.shape}: one target per "
                         "sigmoid output.")
    if Y.min() < 0 or Y.max() > 1:
        raise ValueError(f"Y must hold targets between 0 and 1, got values from {Y.min():g} to {Y.max():g}.")
    e = np.exp(-np.abs(Z))                                   # as in binary_cross_entropy: no overflow
    A = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    diff = A - Y
    return float(np.mean(diff ** 2)), 2.0 * diff * A * (1 - A) / diff.size


def _ndim(y):
    try:
        return np.ndim(y)
    except ValueError:          # a ragged list: as_labels explains
        return None


def _class_labels(y, n_samples, n_classes):
    """Integer labels 0..n_classes−1, one per sample; an int64 array skips the slow checks."""
    if (isinstance(y, np.ndarray) and y.dtype.kind in "iu" and y.shape == (n_samples,)
            and 0 <= y.min() and y.max() < n_classes):
        return y
    if isinstance(y, (list, tuple, np.ndarray)) and _ndim(y) == 2:
        raise ValueError(f"y must be integer class labels of shape (n_samples,), got a 2-D array {np.shape(y)}. "
                         "If y is one-hot, pass y.argmax(axis=1).")
    return as_labels(y, "y", n_samples=n_samples, allowed=range(n_classes))
