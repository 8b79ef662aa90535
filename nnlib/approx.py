"""Sums of sigmoids, and small sigmoid networks on two inputs (chapter 04).

Why can a network with one hidden layer draw almost any curve? Because its
output is a weighted sum of sigmoids. With one input x and N hidden neurons,

    A = σ(x W₁ + b₁)      W₁ (1, N), b₁ (N,)     the N hidden sigmoids
    ŷ = A W₂ + b₂         W₂ (N, 1), b₂ (1,)     their weighted sum

Each hidden neuron is a smoothed step σ(k(x − c)) with steepness k = W₁ and
position c = −b₁/W₁. Two steep steps make a **bump**: up at a, down again
at b. Bumps side by side make a staircase that follows any continuous curve
(:func:`bump`, :func:`bump_approximation`). Instead of setting the heights
by hand, :class:`SigmoidSum` fixes the hidden layer and finds the output
weights W₂, b₂ by least squares; its error falls as N grows
(:func:`approximation_errors`).

The second half of the module trains real two-layer classifiers on the toy
sets of :mod:`nnlib.data` with :func:`nnlib.train.train` (chapter 07 explains
how training works): :func:`two_layer_network`, :func:`fit_classifier`, and
:func:`hidden_size_study`, which trains every hidden size over several seeds
and keeps the training and test errors and each network's decision map. The
study is cached, so the chapter's explorer never trains twice.
"""

import functools
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .validate import as_array, as_number, as_positive_int, as_rng

INTERVAL = (0.0, 1.0)
"""The interval on which the chapter approximates its target curve."""


# --------------------------------------------------------------------------
# One sigmoid, steep sigmoids, bumps
# --------------------------------------------------------------------------

def _interval(interval):
    if isinstance(interval, (str, bytes)) or not hasattr(interval, "__len__") or len(interval) != 2:
        raise TypeError(f"interval must be a pair (low, high) such as (0, 1), got {interval!r}.")
    lo, hi = (as_number(v, "interval") for v in interval)
    if not lo < hi:
        raise ValueError(f"interval must be (low, high) with low < high, got ({lo:g}, {hi:g}).")
    return lo, hi


def steep_sigmoid(x, k=1.0, c=0.0):
    """σ(k(x − c)): a sigmoid of steepness ``k`` whose middle (value 1/2) sits at x = c.

    As a neuron with one input: weight w = k and bias b = −k·c, so z = w x + b.
    The larger k, the closer it comes to the step at c (|k| large: a step;
    k < 0: a step down).
    """
    x = as_array(x, "x")
    k, c = as_number(k, "k"), as_number(c, "c")
    return sigmoid(k * (x - c))


def gap_to_step(k, margin=0.1):
    """The largest distance between σ(kz) and the step, over all |z| ≥ ``margin``.

    The sigmoid is farthest from the step where |z| is smallest, so the gap is
    1 − σ(k·margin) = σ(−k·margin). ``k`` may be an array of steepnesses.
    """
    k = as_array(k, "k")
    if np.any(k < 0):
        raise ValueError("k must be >= 0 (a steepness); a negative k makes a step down.")
    margin = as_number(margin, "margin", low=0, low_inclusive=False)
    return sigmoid(-k * margin)


def bump(x, a, b, *, height=1.0, k=50.0):
    """A bump of ``height`` on [a, b] built from two steep sigmoids (a step pair):

        height · (σ(k(x − a)) − σ(k(x − b)))

    The first step goes up at a, the second (subtracted) brings it back down at
    b. Inside [a, b] the value is close to ``height``, outside close to 0; the
    steeper k, the sharper the edges.
    """
    x = as_array(x, "x")
    a, b = as_number(a, "a"), as_number(b, "b")
    if not a < b:
        raise ValueError(f"a bump needs a < b (it rises at a and falls at b), got a = {a:g}, b = {b:g}.")
    height = as_number(height, "height")
    k = as_number(k, "k", low=0, low_inclusive=False)
    return height * (sigmoid(k * (x - a)) - sigmoid(k * (x - b)))


def target_curve(x):
    """The chapter's target: f(x) = 0.5 + 0.3 sin(3πx) e^(−x) + 0.1 x, a wavy curve on [0, 1]."""
    x = as_array(x, "x")
    return 0.5 + 0.3 * np.sin(3 * np.pi * x) * np.exp(-x) + 0.1 * x


def _curve(f):
    if not callable(f):
        raise TypeError(f"f must be a function of x such as target_curve, got {type(f).__name__}.")
    return f


def bump_components(x, n_bumps, *, f=target_curve, interval=INTERVAL, k=None):
    """The hand-built approximation of ``f`` on ``interval``, bump by bump: shape (len(x), n_bumps).

    The interval is cut into ``n_bumps`` equal cells; the bump on each cell has
    the height of f in the cell's middle, and is made of 2 sigmoids (:func:`bump`).
    The outer edges sit half a cell outside the interval, so the ends are not
    cut to half height. ``k`` defaults to 40 / (cell width): sharp edges.
    """
    x = as_array(x, "x", ndim=1)
    n_bumps = as_positive_int(n_bumps, "n_bumps")
    lo, hi = _interval(interval)
    f = _curve(f)
    edges = np.linspace(lo, hi, n_bumps + 1)
    k = 40.0 * n_bumps / (hi - lo) if k is None else as_number(k, "k", low=0, low_inclusive=False)
    heights = np.asarray(f((edges[:-1] + edges[1:]) / 2), dtype=float)
    half = (hi - lo) / n_bumps / 2
    edges[0], edges[-1] = lo - half, hi + half
    return np.column_stack([bump(x, a, b, height=h, k=k) for a, b, h in zip(edges[:-1], edges[1:], heights)])


def bump_approximation(x, n_bumps, *, f=target_curve, interval=INTERVAL, k=None):
    """The sum of :func:`bump_components`: ``n_bumps`` bumps side by side, a staircase that follows f."""
    return bump_components(x, n_bumps, f=f, interval=interval, k=k).sum(axis=1)


# --------------------------------------------------------------------------
# A fitted sum of N sigmoids
# --------------------------------------------------------------------------

class SigmoidSum:
    """A sum of N sigmoids, ŷ = σ(x W₁ + b₁) W₂ + b₂, fitted to a curve (chapter 04).

    ``SigmoidSum(7).fit(x, y).predict(x_new)``. The hidden layer is fixed: the
    N sigmoids sit at the middles c_j of N equal cells of ``interval``, all
    with steepness k = ``steepness`` · N / width (so W₁ = k, b₁ = −k c). Only the
    output weights W₂ and the bias b₂ are fitted, by least squares: with the
    hidden layer fixed, ŷ is linear in them, so the best ones solve one linear
    least-squares problem (``np.linalg.lstsq``); no training loop is needed.
    """

    def __init__(self, n_sigmoids=7, *, steepness=4.0, interval=INTERVAL):
        self.n_sigmoids = as_positive_int(n_sigmoids, "n_sigmoids")
        self.steepness = as_number(steepness, "steepness", low=0, low_inclusive=False)
        self.interval = _interval(interval)
        lo, hi = self.interval
        n = self.n_sigmoids
        self.centers = lo + (np.arange(n) + 0.5) * (hi - lo) / n
        k = self.steepness * n / (hi - lo)
        self.W1 = np.full((1, n), k)
        self.b1 = -k * self.centers
        self.W2 = self.b2 = None

    def hidden(self, x):
        """The N sigmoids at x: A = σ(x W₁ + b₁), shape (len(x), N)."""
        x = as_array(x, "x", ndim=1)
        return sigmoid(x[:, None] @ self.W1 + self.b1)

    def fit(self, x, y):
        """Choose W₂, b₂ that minimise the squared error Σ (ŷ − y)²; returns self."""
        x = as_array(x, "x", ndim=1)
        y = as_array(y, "y", ndim=1)
        if len(x) != len(y):
            raise ValueError(f"x and y must hold the same number of points, got {len(x)} and {len(y)}.")
        A = np.column_stack([self.hidden(x), np.ones(len(x))])
        coef = np.linalg.lstsq(A, y, rcond=None)[0]
        self.W2, self.b2 = coef[:-1, None], coef[-1:]
        return self

    def components(self, x):
        """Each weighted sigmoid on its own, shape (len(x), N): their sum plus b₂ is ŷ."""
        if self.W2 is None:
            raise RuntimeError("this SigmoidSum is not fitted yet: call fit(x, y) first.")
        return self.hidden(x) * self.W2[:, 0]

    def predict(self, x):
        """ŷ = σ(x W₁ + b₁) W₂ + b₂, shape (len(x),)."""
        return self.components(x).sum(axis=1) + self.b2[0]


def _grid(interval, n=400):
    return np.linspace(*interval, n)


@functools.lru_cache(maxsize=256)
def _fitted(n_sigmoids, steepness, interval):
    x = _grid(interval)
    return SigmoidSum(n_sigmoids, steepness=steepness, interval=interval).fit(x, target_curve(x))


def fit_target(n_sigmoids, *, steepness=4.0):
    """:class:`SigmoidSum` of ``n_sigmoids`` fitted to :func:`target_curve` on 400 points of [0, 1] (cached)."""
    return _fitted(as_positive_int(n_sigmoids, "n_sigmoids"), as_number(steepness, "steepness", low=0,
                                                                        low_inclusive=False), INTERVAL)


def rms_error(approximation, f=target_curve, n_points=1000):
    """The root-mean-square gap between ``approximation`` and ``f`` on [0, 1], both functions of x."""
    if not callable(approximation):
        raise TypeError(f"approximation must be a function of x (such as SigmoidSum(7).fit(x, y).predict), "
                        f"got {type(approximation).__name__}.")
    f = _curve(f)
    x = _grid(INTERVAL, as_positive_int(n_points, "n_points"))
    return float(np.sqrt(np.mean((np.asarray(approximation(x), dtype=float) - f(x)) ** 2)))


def approximation_errors(ns, *, steepness=4.0):
    """The RMS error (:func:`rms_error`) on [0, 1] of the fitted sum of N sigmoids, for each N in ``ns``,
    and of the hand-built bumps with the same number of sigmoids (N // 2 bumps; NaN for N = 1).
    Returns ``(fitted, by_hand)``, two arrays like ``ns``."""
    ns = as_array(ns, "ns", ndim=1)
    if np.any(ns < 1) or np.any(ns != np.round(ns)):
        raise ValueError("ns must hold whole numbers of sigmoids, each at least 1.")
    steepness = as_number(steepness, "steepness", low=0, low_inclusive=False)
    fitted = np.array([_errors(int(n), steepness)[0] for n in ns])
    by_hand = np.array([_errors(int(n), steepness)[1] for n in ns])
    return fitted, by_hand


@functools.lru_cache(maxsize=512)
def _errors(n, steepness):
    fitted = rms_error(fit_target(n, steepness=steepness).predict)
    by_hand = rms_error(functools.partial(bump_approximation, n_bumps=n // 2)) if n >= 2 else np.nan
    return fitted, by_hand


# --------------------------------------------------------------------------
# Two-layer classifiers on two inputs (trained with nnlib.train)
# --------------------------------------------------------------------------

def two_layer_network(n_hidden, *, activation="sigmoid", rng=0, n_inputs=2):
    """A float32 network n_inputs → n_hidden → 1: Linear, activation, Linear.

    Its one output is a logit z; σ(z) is the probability of class 1 (train it
    with ``loss="binary_cross_entropy"``). ``activation`` is "sigmoid", "tanh"
    or "relu"; sigmoid and tanh layers start with Xavier weights, ReLU with He.
    """
    from .layers import Linear, ReLU, Sequential, Sigmoid, Tanh

    layers = {"sigmoid": (Sigmoid, "xavier"), "tanh": (Tanh, "xavier"), "relu": (ReLU, "he")}
    if activation not in layers:
        raise ValueError(f"activation must be one of {sorted(layers)}, got {activation!r}.")
    n_hidden = as_positive_int(n_hidden, "n_hidden")
    n_inputs = as_positive_int(n_inputs, "n_inputs")
    rng = as_rng(rng)
    layer, init = layers[activation]
    return Sequential([Linear(n_inputs, n_hidden, init=init, rng=rng, dtype=np.float32), layer(),
                       Linear(n_hidden, 1, init="xavier", rng=rng, dtype=np.float32)])


def fit_classifier(X, y, n_hidden, *, activation="sigmoid", epochs=300, lr=0.3, momentum=0.9,
                   batch_size=None, seed=0):
    """Train :func:`two_layer_network` on (X, y) with :func:`nnlib.train.train`; returns the model.

    Binary cross-entropy, SGD with momentum, full batches unless ``batch_size``
    is given. ``seed`` fixes the starting weights and the shuffling.
    """
    from .optim import SGD
    from .train import train

    X = as_array(X, "X", ndim=2)
    model = two_layer_network(n_hidden, activation=activation, rng=seed, n_inputs=X.shape[1])
    batch_size = len(X) if batch_size is None else batch_size
    train(model, X, y, loss="binary_cross_entropy", optimizer=SGD(model, lr=lr, momentum=momentum),
          epochs=epochs, batch_size=batch_size, rng=seed, progress=False)
    return model


def probability(model, X):
    """σ(model.forward(X)): the probability of class 1 for each row of X, shape (n,)."""
    if not hasattr(model, "forward"):
        raise TypeError(f"model must be a network with forward, such as two_layer_network(...), "
                        f"got {type(model).__name__}.")
    return sigmoid(np.asarray(model.forward(as_array(X, "X", ndim=2)), dtype=np.float64)).reshape(-1)


def error_rate(model, X, y):
    """The fraction of rows of X that the model puts in the wrong class (probability > 1/2 means class 1)."""
    y = as_array(y, "y", ndim=1)
    p = probability(model, X)
    if len(p) != len(y):
        raise ValueError(f"X and y must hold the same samples, got {len(p)} rows and {len(y)} labels.")
    return float(np.mean((p > 0.5) != (y > 0.5)))


@dataclass(frozen=True)
class HiddenSizeStudy:
    """What :func:`hidden_size_study` measured.

    ``train_error`` and ``test_error`` have shape (n_seeds, n_sizes); ``maps``
    (n_seeds, n_sizes, G, G) holds each network's probability of class 1 on a
    G × G grid over ``extent`` = (x₀, x₁, y₀, y₁). All arrays are read-only.
    """
    sizes: tuple
    seeds: tuple
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    maps: np.ndarray
    extent: tuple
    activation: str
    epochs: int

    def best_size(self):
        """The hidden size with the lowest test error, averaged over the seeds."""
        return self.sizes[int(np.argmin(self.test_error.mean(axis=0)))]


STUDY_SIZES = (1, 2, 4, 8, 32, 128)


@functools.lru_cache(maxsize=8)
def _study(sizes, n_seeds, n_train, noise, epochs, activation, grid):
    from .data import circles

    X_train, y_train = circles(n_train, noise=noise, rng=1)
    X_test, y_test = circles(1000, noise=noise, rng=2)
    lim = 1.75
    g = np.linspace(-lim, lim, grid, dtype=np.float32)
    gx, gy = np.meshgrid(g, g)                  # row i: y = g[i]; column j: x = g[j] (imshow origin="lower")
    G = np.column_stack([gx.ravel(), gy.ravel()])
    train_error = np.zeros((n_seeds, len(sizes)))
    test_error = np.zeros_like(train_error)
    maps = np.zeros((n_seeds, len(sizes), grid, grid), dtype=np.float32)
    for i in range(n_seeds):
        for j, h in enumerate(sizes):
            model = fit_classifier(X_train, y_train, h, activation=activation, epochs=epochs, seed=i)
            train_error[i, j] = error_rate(model, X_train, y_train)
            test_error[i, j] = error_rate(model, X_test, y_test)
            maps[i, j] = probability(model, G).reshape(grid, grid)
    arrays = [X_train, y_train, X_test, y_test, train_error, test_error, maps]
    for a in arrays:
        a.setflags(write=False)
    return HiddenSizeStudy(tuple(sizes), tuple(range(n_seeds)), *arrays, (-lim, lim, -lim, lim), activation, epochs)


def hidden_size_study(sizes=STUDY_SIZES, *, n_seeds=5, n_train=60, noise=0.3, epochs=400, activation="relu",
                      grid=60):
    """Train a two-layer network of every hidden size in ``sizes``, ``n_seeds`` times each (cached).

    The data: :func:`nnlib.data.circles` with ``noise`` — ``n_train`` training
    points (seed 1) and 1000 test points (seed 2) from the same distribution.
    Each network trains for ``epochs`` full-batch epochs (:func:`fit_classifier`);
    seed i sets its starting weights. Returns a :class:`HiddenSizeStudy`. The
    default takes a few seconds; a second call with the same arguments is instant.
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) == 0:
        raise TypeError(f"sizes must be a list of hidden sizes such as (1, 2, 4, 8), got {sizes!r}.")
    sizes = tuple(as_positive_int(h, "each hidden size") for h in sizes)
    n_seeds = as_positive_int(n_seeds, "n_seeds")
    n_train = as_positive_int(n_train, "n_train")
    noise = as_number(noise, "noise", low=0)
    epochs = as_positive_int(epochs, "epochs")
    grid = as_positive_int(grid, "grid")
    if activation not in ("sigmoid", "tanh", "relu"):
        raise ValueError(f"activation must be one of ['relu', 'sigmoid', 'tanh'], got {activation!r}.")
    return _study(sizes, n_seeds, n_train, noise, epochs, activation, grid)
