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
    A = as_floats(A, "A")
    Y = as_floats(Y, "Y", dtype=A.dtype)
    if A.shape != Y.shape:
        raise ValueError(f"A and Y must have the same shape, got A {A.shape} and Y {Y.shape}. "
                         "For class labels, one-hot encode them first (nnlib.data.one_hot).")
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
