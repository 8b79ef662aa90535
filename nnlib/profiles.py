"""The loss along one weight: chapter 05's 2-vs-9 model and its profiles.

Chapter 05's model looks at an MNIST image of a 2 or a 9 (the task of the essay
"How do Neural Networks really work?") and says how sure it is that the digit is a 9:

    z = x · w + b,     a = σ(z)          Sequential([Linear(784, 1), Sigmoid()])

It answers "9" when a > 0.5, that is when z > 0. Trained for two epochs with
the mean squared error it is right on about 98 % of unseen images.

Freeze every parameter but one weight w_j, the weight of pixel j. The loss is
then a function of one number, L(w_j), which we can draw: its *profile*. It is
cheap to compute, because moving w_j by Δ moves every logit by Δ times that
pixel's ink x_ij:

    z_i(w_j + Δ) = z_i + Δ · x_ij

so a whole curve of k weights on n images is one outer product, a (k, n) matrix
of logits (:func:`shifted_logits`), not k forward passes.

The accuracy along w_j is a **staircase**. Image i changes its answer only
where its logit crosses 0, at the single weight

    w_j* = w_j − z_i / x_ij          (images with no ink at pixel j never change)

and between two such points the accuracy does not move at all: its slope is 0
almost everywhere, so it cannot tell gradient descent which way to go.
:func:`accuracy_steps` finds the exact stairs; :func:`weight_profile` gives the
smooth losses (MSE and cross-entropy of the sigmoid outputs) beside them.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .data import mnist_pair
from .layers import Linear, Sequential, Sigmoid
from .optim import SGD
from .train import train
from .validate import as_array, as_labels, as_number, as_positive_int

PIXELS = {
    "base of a 2": (20, 9),
    "left of a 9's loop": (12, 10),
    "centre (both digits)": (14, 14),
    "corner (always blank)": (0, 0),
}
"""A few telling pixels, name → (row, column) in the 28 × 28 image: ink at the base
of a 2 is evidence against a 9, ink on the left of a 9's loop is evidence for one,
the centre is inked by most digits of both kinds, and the corner by none."""

WEIGHT_RANGE = (-6.0, 6.0)
"""The weights the chapter's profiles run through (the trained ones lie within ±0.4)."""


# --------------------------------------------------------------------------
# The model and its data
# --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _trained_parameters():
    X, y = _training_images()
    model = Sequential([Linear(784, 1, rng=0, dtype=np.float32), Sigmoid()])
    train(model, X, y[:, None].astype(np.float32), loss="mse", optimizer=SGD(model, lr=0.5), epochs=2,
          batch_size=64, rng=0, progress=False)
    W, b = model.layers[0].W, model.layers[0].b
    W.setflags(write=False)
    b.setflags(write=False)
    return W, b


def two_vs_nine_model():
    """Chapter 05's trained model: ``Sequential([Linear(784, 1), Sigmoid()])`` (float32).

    Trained on all 11,907 training images of 2s and 9s (``nnlib.data.mnist_pair(2, 9)``,
    label 1 for a 9) for 2 epochs of mini-batch SGD (batch 64, learning rate 0.5) on
    the mean squared error of its sigmoid output, from He-initialised weights (seed 0).
    The training runs once per session (about a quarter of a second); every call
    returns a fresh model with copies of those weights, so changing one model
    changes no other.
    """
    W, b = _trained_parameters()
    model = Sequential([Linear(784, 1, dtype=np.float32), Sigmoid()])
    model.layers[0].W[...] = W
    model.layers[0].b[...] = b
    return model


def two_vs_nine_subset(n_images=2000):
    """The first ``n_images`` training images of 2s and 9s, ``(X, y)``: the images the profiles use.

    A fixed subset (about half 2s and half 9s), so every profile of the chapter
    is measured on the same images; read-only, like all MNIST arrays.
    """
    n_images = as_positive_int(n_images, "n_images")
    X, y = _training_images()
    if n_images > len(X):
        raise ValueError(f"n_images must be at most {len(X)}, the number of training images of 2s and 9s, "
                         f"got {n_images}.")
    return X[:n_images], y[:n_images]


@lru_cache(maxsize=1)
def _training_images():
    X, y, _, _ = mnist_pair(2, 9)                 # picking the 2s and 9s out of MNIST takes 0.1 s: once
    X.setflags(write=False)                       # shared by every caller: nobody may change them
    y.setflags(write=False)
    return X, y


def pixel_index(pixel):
    """The index j (0..783) of a pixel given as j, as (row, column), or by its name in :data:`PIXELS`."""
    if isinstance(pixel, str):
        if pixel not in PIXELS:
            raise ValueError(f"pixel must be one of {list(PIXELS)}, an index 0..783 or (row, column), "
                             f"got {pixel!r}.")
        pixel = PIXELS[pixel]
    if isinstance(pixel, (tuple, list)):
        if len(pixel) != 2:
            raise ValueError(f"pixel must be (row, column), two numbers, got {pixel!r}.")
        row, col = (_whole(v, name, 27) for v, name in zip(pixel, ("row", "column")))
        return 28 * row + col
    return _whole(pixel, "pixel", 783)


def _whole(v, name, high):
    v = as_number(v, name, low=0, high=high)
    if v != int(v):
        raise ValueError(f"{name} must be a whole number from 0 to {high}, got {v}.")
    return int(v)


# --------------------------------------------------------------------------
# Profiles along one weight
# --------------------------------------------------------------------------

class Profile(NamedTuple):
    """Loss and accuracy of a model as one weight runs through ``weights``, one entry per weight."""
    weights: np.ndarray
    mse: np.ndarray              # mean over the images of (σ(z) − y)²
    cross_entropy: np.ndarray    # mean over the images of −[y log σ(z) + (1 − y) log(1 − σ(z))]
    accuracy: np.ndarray         # fraction of images with (z > 0) == y
    mse_slope: np.ndarray        # dMSE/dw_j = mean of 2(σ(z) − y) σ′(z) x_j: the slope of the mse curve


class Staircase(NamedTuple):
    """The exact accuracy along one weight: ``accuracy[k]`` holds from ``edges[k]`` to ``edges[k + 1]``.

    ``edges`` runs from the low end through every weight at which an image changes its
    answer to the high end; draw it with ``ax.stairs(accuracy, edges)``.
    """
    edges: np.ndarray
    accuracy: np.ndarray

    def at(self, w):
        """The accuracy at weight ``w`` (on a step's edge, the step to its right)."""
        k = np.searchsorted(self.edges, as_number(w, "w"), side="right") - 1
        return float(self.accuracy[min(max(k, 0), len(self.accuracy) - 1)])


def shifted_logits(z, x, deltas):
    """Every image's logit after one weight moves by each of ``deltas``: z + Δ·x, shape (k, n).

    ``z`` (n,) are the logits now, ``x`` (n,) the images' values of the input whose
    weight moves, ``deltas`` (k,) the changes of that weight. Row r holds the n logits
    with the weight moved by ``deltas[r]``; nothing else of the model is needed.
    """
    z = as_array(z, "z", ndim=1, dtype=None)
    x = as_array(x, "x", ndim=1, shape=(len(z),), dtype=None)
    deltas = as_array(deltas, "deltas", ndim=1)
    return z[None, :] + deltas[:, None] * x[None, :]


def _model_data(X, y, W, b, j):
    X = as_array(X, "X", ndim=2, dtype=None)
    y = as_labels(y, "y", n_samples=len(X), allowed=(0, 1))
    W = as_array(W, "W", dtype=None)
    if W.shape not in ((X.shape[1],), (X.shape[1], 1)):
        raise ValueError(f"W must hold one weight per input, shape ({X.shape[1]}, 1) or ({X.shape[1]},), "
                         f"got {W.shape}.")
    w = W.reshape(-1)
    b = as_array(b, "b", dtype=None).reshape(-1)
    if b.size != 1:
        raise ValueError(f"b must be one number (the model has one output), got {b.size} values.")
    j = pixel_index(j) if X.shape[1] == 784 else _whole(j, "j", X.shape[1] - 1)
    z = X @ w + b[0]
    return X, y, w, z, j


def weight_profile(X, y, W, b, j, weights):
    """Loss and accuracy of the model z = X·W + b, a = σ(z), as weight ``j`` runs through ``weights``.

    ``X`` (n, n_features) and labels ``y`` (0 or 1) are the images, ``W`` (n_features, 1)
    and ``b`` the model's parameters, ``j`` the input whose weight moves (an index, or
    for MNIST a pixel as in :func:`pixel_index`). All other parameters stay as they are.
    Returns a :class:`Profile`. Vectorised: one (k, n) matrix of logits
    (:func:`shifted_logits`), no loop over the weights.
    """
    X, y, w, z, j = _model_data(X, y, W, b, j)
    weights = as_array(weights, "weights", ndim=1)
    return _profile(X[:, j], y, z, w[j], weights)


def _profile(x, y, z, wj, weights):
    Z = shifted_logits(z, x, (weights - wj).astype(z.dtype))
    e = np.exp(-np.abs(Z))                                  # stable on both sides, as in nnlib.losses
    A = 1 / (1 + e)
    A = np.where(Z >= 0, A, e * A)                          # σ(z) = e^z/(1 + e^z) for z < 0
    t = y.astype(Z.dtype)
    mse = np.mean((A - t) ** 2, axis=1, dtype=np.float64)
    ce = np.mean(np.maximum(Z, 0) + np.log1p(e) - t * Z, axis=1, dtype=np.float64)
    acc = np.count_nonzero((Z > 0) == (y == 1), axis=1) / len(y)
    slope = np.mean(2 * (A - t) * A * (1 - A) * x, axis=1, dtype=np.float64)
    return Profile(weights, mse, ce, acc, slope)


def accuracy_steps(X, y, W, b, j, *, low, high):
    """The exact accuracy of the model z = X·W + b along weight ``j``, from ``low`` to ``high``.

    Image i changes its answer only where its logit z_i + Δ·x_ij crosses 0, at the
    weight w_j − z_i / x_ij; images with x_ij = 0 never change. Returns a
    :class:`Staircase`: those weights (within the range, sorted) as the edges of flat
    steps, and the accuracy on each step.
    """
    X, y, w, z, j = _model_data(X, y, W, b, j)
    low, high = as_number(low, "low"), as_number(high, "high")
    if not low < high:
        raise ValueError(f"low must be smaller than high, got low = {low} and high = {high}.")
    return _steps(X[:, j], y, z, w[j], low, high)


def _steps(x, y, z, wj, low, high):
    x, z = x.astype(np.float64), z.astype(np.float64)
    start = z + (low - wj) * x                              # the logits at the low end
    correct = (start > 0) == (y == 1)
    moving = x != 0
    flips = wj - z[moving] / x[moving]
    inside = (flips > low) & (flips < high)
    order = np.argsort(flips[inside], kind="stable")
    edges = flips[inside][order]
    # crossing its flip point, an image is right afterwards exactly when it was wrong before
    change = np.where(correct[moving][inside][order], -1, 1)
    accuracy = (np.count_nonzero(correct) + np.concatenate([[0], np.cumsum(change)])) / len(y)
    return Staircase(np.concatenate([[low], edges, [high]]), accuracy)


@lru_cache(maxsize=8)
def _pixel_data(j, n_images):
    """Pixel j's ink in the subset, the labels, and the trained logits there."""
    W, b = _trained_parameters()
    X, y = two_vs_nine_subset(n_images)
    return X[:, j].copy(), y, X @ W[:, 0] + b[0], float(W[j, 0]), float(b[0])


@lru_cache(maxsize=64)
def _chapter_profile(j, bias, n_images, n_points):
    x, y, z, wj, b = _pixel_data(j, n_images)
    if bias is not None:
        z = z + np.float32(bias - b)
    weights = np.linspace(*WEIGHT_RANGE, n_points)
    return _profile(x, y, z, wj, weights), _steps(x, y, z, wj, *WEIGHT_RANGE)


def telling_images(pixel, *, n_per_class=2, n_images=2000):
    """Indices into :func:`two_vs_nine_subset` of a few images whose answer the weight of ``pixel`` can change.

    For each class (the 2s first, then the 9s), the ``n_per_class`` images with ink at
    the pixel (at least 0.5) whose trained logit is closest to 0, i.e. that are the
    least sure. If the pixel is (almost) never inked, simply the least sure images.
    """
    j = pixel_index(pixel)
    n_per_class = as_positive_int(n_per_class, "n_per_class")
    x, y, z, _, _ = _pixel_data(j, as_positive_int(n_images, "n_images"))
    chosen = []
    for label in (0, 1):
        mine = np.flatnonzero(y == label)
        inked = mine[x[mine] >= 0.5]
        pool = inked if len(inked) >= n_per_class else mine
        chosen += pool[np.argsort(np.abs(z[pool]), kind="stable")[:n_per_class]].tolist()
    return np.array(chosen)


def two_vs_nine_profile(pixel, *, bias=None, n_images=2000, n_points=121):
    """The profiles of chapter 05's model along the weight of ``pixel``: ``(Profile, Staircase)``.

    Over :data:`WEIGHT_RANGE` (``n_points`` weights), on :func:`two_vs_nine_subset`
    (``n_images``), with the trained bias or ``bias`` in its place. Results are kept,
    so going back to a pixel and bias seen before costs nothing (the explorer's
    weight slider never recomputes them).
    """
    j = pixel_index(pixel)
    bias = None if bias is None else as_number(bias, "bias")
    return _chapter_profile(j, bias, as_positive_int(n_images, "n_images"), as_positive_int(n_points, "n_points"))
