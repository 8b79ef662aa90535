"""Activation functions φ and their derivatives φ′.

A neuron computes a weighted sum z = x·w + b and passes it through an
activation, a = φ(z). Chapter 02 starts with the binary step; chapter 04 swaps
it for the smooth sigmoid (and meets tanh and ReLU); chapter 05 adds softmax,
which turns a row of scores into confidences that sum to 1.

Every function accepts a number or an array of any shape and works element by
element (softmax works along the last axis). All of them stay finite and raise
no overflow warnings for |z| up to 1e4 and beyond.
"""

import numpy as np

from .validate import as_array


def _z(z):
    return as_array(z, "z")


def step(z):
    """Binary step (chapter 02): φ(z) = 1 if z > 0, else 0.

    The perceptron's activation. Its derivative is 0 everywhere it exists,
    which is why gradient descent cannot train it (chapter 04).
    """
    return (_z(z) > 0).astype(np.float64)


def sigmoid(z):
    """Logistic sigmoid (chapter 04): σ(z) = 1 / (1 + e^(−z)).

    Computed as e^z / (1 + e^z) for negative z so that e^(−z) never overflows;
    |z| is capped at 700, beyond which σ is 0 or 1 to double precision anyway,
    so the exponential never underflows either.
    """
    z = _z(z)
    e = np.exp(-np.minimum(np.abs(z), 700.0))   # in (0, 1]: no overflow, no underflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z)); at most 1/4, reached at z = 0 (chapter 07)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent (chapter 04): tanh(z) = 2σ(2z) − 1, values in (−1, 1)."""
    return np.tanh(_z(z))


def tanh_prime(z):
    """tanh′(z) = 1 − tanh(z)²."""
    return 1.0 - np.tanh(_z(z)) ** 2


def relu(z):
    """Rectified linear unit (chapter 04): ReLU(z) = max(0, z)."""
    return np.maximum(_z(z), 0.0)


def relu_prime(z):
    """ReLU′(z) = 1 if z > 0 else 0 (we take 0 at z = 0, as PyTorch does)."""
    return (_z(z) > 0).astype(np.float64)


def softmax(Z):
    """Softmax along the last axis (chapter 05): p_k = e^(z_k) / Σ_j e^(z_j).

    Subtracting the row maximum first leaves the result unchanged (it cancels
    in the ratio) and keeps every exponent ≤ 0, so nothing overflows.
    """
    Z = as_array(Z, "Z")
    if Z.ndim == 0:
        raise ValueError("Z must hold a row of scores, one per class (shape (n_classes,) or "
                         "(n_samples, n_classes)); got a single number, whose softmax would always be 1.")
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


ACTIVATIONS = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
}
"""Name → function, for explorers and checkers that let you pick one."""
