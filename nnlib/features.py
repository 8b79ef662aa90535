"""Feature maps: new inputs computed from the old ones. Chapter 03.

A perceptron draws a straight line (a plane, a hyperplane) through whatever
inputs it is given. Data that no line separates in the plane may become
separable once each sample x = (x1, x2) is *lifted* to more coordinates,
φ(x) = (x1, x2, x1·x2) for example: a plane in the lifted space

    w1·x1 + w2·x2 + w3·x1·x2 + b = 0

is a curve when seen back in the plane of (x1, x2). A map that only adds
linear combinations of x1 and x2 (x1 + x2, 2·x1 − x2, ...) lifts nothing: the
new coordinate is already a weighted sum the perceptron could compute, so its
lines stay lines. The nonlinear term does the work.

Every map takes X of shape (n_samples, 2), batch-first, and returns a new
batch-first matrix, one row per sample.
"""

import numpy as np

from .validate import as_matrix


def product_features(X):
    """φ(x) = (x1, x2, x1·x2): the two inputs and their product, shape (n_samples, 3).

    On the four XOR inputs the product is 1 only at (1, 1), which lifts that
    corner off the floor: then the plane x1 + x2 − 2·x1·x2 = 0.5 separates XOR.
    """
    X = as_matrix(X, "X", n_features=2)
    return np.column_stack([X, X[:, 0] * X[:, 1]])


def quadratic_features(X):
    """φ(x) = (x1, x2, x1², x1·x2, x2²): every term of degree 1 and 2, shape (n_samples, 5).

    A line in this space is a conic in the plane (circle, ellipse, parabola,
    hyperbola): enough to separate the two rings of ``nnlib.data.circles``.
    """
    X = as_matrix(X, "X", n_features=2)
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1 ** 2, x1 * x2, x2 ** 2])
