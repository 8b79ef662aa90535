"""A neural network is one function: 784 pixels in, 10 confidences out (chapter 01).

Before any training, a network's weights and biases are random numbers, so
the function it computes is random too. Chapter 01 uses the network below,
784-16-10 with a sigmoid hidden layer and a softmax output, to show that an
untrained network is only guessing:

    H = σ(X W1 + b1)          X (n, 784), W1 (784, 16), b1 (16,)
    P = softmax(H W2 + b2)    W2 (16, 10), b2 (10,)  →  P (n, 10), rows sum to 1

Every weight and bias is drawn from a normal distribution with mean 0 and
standard deviation ``scale``. Chapters 07 and 08 build trainable networks of
this kind from layers (:mod:`nnlib.layers`); here the parameters are plain
``(W, b)`` pairs so that the whole function fits on a screen.
"""

import numbers

import numpy as np

from .activations import sigmoid, softmax
from .validate import as_matrix, as_number, as_positive_int

LAYER_SIZES = (784, 16, 10)


def random_network(*, seed=0, scale=1.0, sizes=LAYER_SIZES):
    """Random parameters ``[(W1, b1), (W2, b2), ...]`` for the given layer sizes.

    W of layer l has shape (sizes[l], sizes[l+1]) and b has shape
    (sizes[l+1],); every entry is ``scale`` times a standard normal number,
    drawn from ``np.random.default_rng(seed)``.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number >= 0, got {seed!r}.")
    if seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed}.")
    scale = as_number(scale, "scale", low=0, low_inclusive=False)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise TypeError(f"sizes must be a list of at least two layer sizes such as (784, 16, 10), got {sizes!r}.")
    sizes = [as_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    rng = np.random.default_rng(int(seed))
    return [(scale * rng.standard_normal((n_in, n_out)), scale * rng.standard_normal(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_parameters(params):
    """How many numbers a network has: every entry of every W and b."""
    _check_params(params)
    return int(sum(np.size(W) + np.size(b) for W, b in params))


def confidences(X, params):
    """The network's 10 confidences for each row of X, shape (n, 10).

    Hidden layers use the sigmoid, the last layer softmax, so every row is
    positive and sums to 1.
    """
    _check_params(params)
    A = as_matrix(X, "X", n_features=np.shape(params[0][0])[0])
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)


def _check_params(params):
    if not isinstance(params, (list, tuple)) or not params or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and np.ndim(p[0]) == 2 and np.ndim(p[1]) == 1
            for p in params):
        raise TypeError("params must be the list [(W1, b1), (W2, b2), ...] that random_network() returns, "
                        f"each W 2-D and each b 1-D; got {type(params).__name__}.")
