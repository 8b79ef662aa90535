"""MNIST experiments of chapter 08: networks, many runs side by side, and what a model gets wrong.

Building networks
    :func:`mlp` builds a fully connected ReLU network ``Linear, ReLU, ..., Linear``
    for a list of layer sizes, with He initialisation (chapter 07) and float32;
    the last layer outputs logits Z (no activation: the loss adds the sigmoid or
    the softmax). :func:`thesis_network` is the network of the thesis essay,
    784-16-16-16-10.

Runs side by side
    Training one network on MNIST answers one question with one number; a
    claim such as "about 90 % after one epoch" needs several seeds, and
    explaining a difference needs several settings. :func:`train_side_by_side`
    trains one network per (setting, seed) pair *at once*: the weights of all
    runs are stacked into arrays of shape (settings, seeds, n_in, n_out), and
    one batched matrix product per layer does the work of all of them. Each
    run is exactly what :func:`nnlib.train.train` would do with the same seed
    (same starting weights from :func:`mlp`, same shuffled mini-batches, same
    loss gradient and the same update v ← μv − ηg, θ ← θ + v as
    :class:`nnlib.optim.SGD`), up to float32 rounding.

    A *setting* is a dict: ``{"label": "lr 0.1", "loss": "sigmoid_mse",
    "lr": 0.1, "momentum": 0.0}``. ``loss`` is "sigmoid_mse" (sigmoid outputs
    scored by the mean squared error over all n × 10 outputs, as
    ``torch.nn.MSELoss`` and :func:`nnlib.losses.sigmoid_mse` compute it) or
    "softmax_cross_entropy"; ``lr`` is a number, a schedule of
    :mod:`nnlib.optim` or any function of the step count t.

One change at a time
    :data:`ONE_CHANGE_AT_A_TIME` lists the configurations of the chapter's
    table, from the thesis network to 98 %; :func:`fit` trains one with
    :func:`nnlib.train.train` and times it.

What a model gets wrong
    :func:`confusion_counts` (rows: true digit, columns: predicted digit),
    :func:`per_class_accuracy` and :func:`most_confident_mistakes`.
"""

import numbers
import time
from dataclasses import dataclass

import numpy as np

from .data import one_hot
from .layers import Linear, ReLU, Sequential
from .losses import sigmoid_mse, softmax_cross_entropy
from .optim import SGD, _as_schedule, check_momentum, inverse_time_decay, step_decay
from .train import train
from .validate import _describe, as_array, as_float_dtype, as_labels, as_positive_int, as_rng

THESIS_SIZES = (784, 16, 16, 16, 10)
"""The thesis essay's network: 784 pixels, three hidden layers of 16 ReLU units, 10 outputs."""

SIDE_BY_SIDE_LOSSES = ("sigmoid_mse", "softmax_cross_entropy")


# --------------------------------------------------------------------------
# Building networks
# --------------------------------------------------------------------------

def _sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple)):
        raise TypeError(f"sizes must be a list of layer sizes such as [784, 256, 10], got {_describe(sizes)}.")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two layers (inputs and outputs), got {list(sizes)}.")
    return tuple(as_positive_int(n, f"sizes[{k}]") for k, n in enumerate(sizes))


def mlp(sizes, *, rng=0, dtype=np.float32):
    """A fully connected ReLU network for the layer ``sizes``, e.g. ``mlp([784, 256, 10])``.

    Returns ``Sequential([Linear, ReLU, Linear, ..., ReLU, Linear])``: a ReLU
    after every layer but the last, whose outputs are logits. The weights
    start with He initialisation, drawn layer by layer from one generator
    seeded by ``rng``; the biases start at 0. ``dtype`` is float32 by default
    (half the memory of float64, about twice as fast, and plenty for MNIST).
    """
    sizes = _sizes(sizes)
    gen = as_rng(rng)
    dtype = as_float_dtype(dtype)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        if k:
            layers.append(ReLU())
        layers.append(Linear(n_in, n_out, rng=gen, dtype=dtype))
    return Sequential(layers)


def thesis_network(*, rng=0, dtype=np.float32):
    """The thesis essay's MNIST network, 784-16-16-16-10 with ReLU hidden layers (chapter 08).

    The last layer gives logits; the essay's sigmoid output lives in the loss,
    :func:`nnlib.losses.sigmoid_mse` (A = σ(Z), then the mean squared error).
    """
    return mlp(THESIS_SIZES, rng=rng, dtype=dtype)


# --------------------------------------------------------------------------
# Many runs side by side
# --------------------------------------------------------------------------

def _setting(s, k):
    if not isinstance(s, dict):
        raise TypeError(f"settings[{k}] must be a dict such as {{'label': 'lr 0.1', 'loss': 'sigmoid_mse', "
                        f"'lr': 0.1}}, got {_describe(s)}.")
    unknown = set(s) - {"label", "loss", "lr", "momentum"}
    if unknown:
        raise ValueError(f"settings[{k}] has unknown key(s) {sorted(unknown)}; use label, loss, lr and momentum.")
    loss = s.get("loss", "sigmoid_mse")
    if loss not in SIDE_BY_SIDE_LOSSES:
        raise ValueError(f"settings[{k}]['loss'] must be one of {list(SIDE_BY_SIDE_LOSSES)}, got {loss!r}.")
    return dict(label=str(s.get("label", f"setting {k}")), loss=loss, schedule=_as_schedule(s.get("lr", 0.1)),
                momentum=check_momentum(s.get("momentum", 0.0), f"settings[{k}]['momentum']"))


def _seeds(seeds):
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        raise TypeError(f"seeds must be a list of seeds such as range(5), got the single number {seeds}.")
    try:
        seeds = list(seeds)
    except TypeError:
        raise TypeError(f"seeds must be a list of seeds such as range(5), got {_describe(seeds)}.") from None
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed.")
    for s in seeds:
        as_rng(s, "each seed")
        if not isinstance(s, numbers.Integral):
            raise TypeError(f"each seed must be a whole number >= 0, got {_describe(s)}.")
    return [int(s) for s in seeds]


@dataclass
class SideBySide:
    """The result of :func:`train_side_by_side`.

    ``accuracy[i, j, e]`` is the validation accuracy of setting i, seed j
    after epoch e + 1; ``labels`` names the settings, ``seeds`` the seeds.
    ``weights`` and ``biases`` hold the final parameters, one array per
    layer, stacked (settings, seeds, ...); :meth:`model` rebuilds one run
    as a Sequential. ``seconds`` is the wall-clock time of the training.
    """
    labels: list
    seeds: list
    sizes: tuple
    accuracy: np.ndarray
    weights: list
    biases: list
    seconds: float

    def _index(self, setting):
        if isinstance(setting, str):
            if setting not in self.labels:
                raise ValueError(f"no setting labelled {setting!r}; the labels are {self.labels}.")
            return self.labels.index(setting)
        if isinstance(setting, bool) or not isinstance(setting, numbers.Integral) or not \
                -len(self.labels) <= setting < len(self.labels):
            raise ValueError(f"setting must be a label or an index below {len(self.labels)}, got {setting!r}.")
        return int(setting)

    def _epoch(self, epoch):
        epoch = as_positive_int(epoch, "epoch")
        if epoch > self.accuracy.shape[2]:
            raise ValueError(f"epoch must be at most {self.accuracy.shape[2]}, the number of epochs trained; "
                             f"got {epoch}.")
        return epoch - 1

    def median(self, setting, epoch):
        """The median validation accuracy over the seeds, after ``epoch`` (1-based)."""
        return float(np.median(self.accuracy[self._index(setting), :, self._epoch(epoch)]))

    def range(self, setting, epoch):
        """(lowest, highest) validation accuracy over the seeds, after ``epoch``."""
        a = self.accuracy[self._index(setting), :, self._epoch(epoch)]
        return float(a.min()), float(a.max())

    def model(self, setting, seed_index=0):
        """One run's trained network, as a :class:`~nnlib.layers.Sequential` (a copy of its weights)."""
        i = self._index(setting)
        j = as_positive_int(seed_index + 1, "seed_index + 1") - 1
        if j >= len(self.seeds):
            raise ValueError(f"seed_index must be below {len(self.seeds)}, got {seed_index}.")
        net = mlp(self.sizes, rng=0, dtype=self.weights[0].dtype)
        for layer, W, b in zip(net.layers[::2], self.weights, self.biases):
            layer.W[...] = W[i, j]
            layer.b[...] = b[i, j, 0]
        return net

    def table(self, epochs=None):
        """Median and range over the seeds per setting, as text (one line per setting)."""
        epochs = range(1, self.accuracy.shape[2] + 1) if epochs is None else [self._epoch(e) + 1 for e in epochs]
        width = max(len(label) for label in self.labels)
        lines = []
        for label in self.labels:
            cells = [f"epoch {e}: {self.median(label, e):6.1%} [{self.range(label, e)[0]:.1%}, "
                     f"{self.range(label, e)[1]:.1%}]" for e in epochs]
            lines.append(f"{label:{width}s}   " + "   ".join(cells))
        return "\n".join(lines)


def _first_layer(X, W0, C):
    """X W for every run's first layer: X (S, n, n_in) or (1, n, n_in) -> (C, S, n, h).

    The runs of one seed share their input batch, so their first layers (the
    widest and slowest) are stored side by side as one wide matrix per seed,
    W0 (S, n_in, C·h) = [W_1 ... W_C], and done as one product X W0.
    """
    S, h = W0.shape[0], W0.shape[2] // C
    Z = X @ W0                                                         # (S, n, C·h)
    return np.ascontiguousarray(np.moveaxis(Z.reshape(S, -1, C, h), 2, 0))


def _first_layer_grad(X, delta):
    """dW = Xᵀ δ for the wide first layer: X (S, B, n_in), δ (C, S, B, h) -> (S, n_in, C·h)."""
    C, S, B, h = delta.shape
    return np.swapaxes(X, 1, 2) @ np.moveaxis(delta, 0, 2).reshape(S, B, C * h)


def train_side_by_side(settings, seeds, X, y, *, X_val, y_val, sizes=THESIS_SIZES, epochs=1, batch_size=64):
    """Train one network per (setting, seed) at once; returns a :class:`SideBySide`.

    Every run starts from ``mlp(sizes, rng=seed)`` and sees the training data
    in the order ``nnlib.train.train(..., rng=seed)`` would give it; runs with
    the same seed differ only in their setting. After every epoch the
    validation accuracy of every run is measured on ``(X_val, y_val)``.
    ``y`` and ``y_val`` hold digit labels; float32 throughout.
    """
    settings = [_setting(s, k) for k, s in enumerate(settings)] if isinstance(settings, (list, tuple)) else None
    if not settings:
        raise TypeError("settings must be a non-empty list of dicts such as [{'label': 'lr 0.1', "
                        "'loss': 'sigmoid_mse', 'lr': 0.1}].")
    seeds = _seeds(seeds)
    sizes = _sizes(sizes)
    epochs = as_positive_int(epochs, "epochs")
    batch_size = as_positive_int(batch_size, "batch_size")
    f32 = np.float32
    X = as_array(X, "X", ndim=2, dtype=f32)
    X_val = as_array(X_val, "X_val", ndim=2, dtype=f32)
    k_out = sizes[-1]
    y = as_labels(y, "y", n_samples=len(X), allowed=range(k_out))
    y_val = as_labels(y_val, "y_val", n_samples=len(X_val), allowed=range(k_out))
    for M, name in ((X, "X"), (X_val, "X_val")):
        if M.shape[1] != sizes[0]:
            raise ValueError(f"{name} must have {sizes[0]} columns (sizes[0]), got shape {M.shape}.")

    C, S = len(settings), len(seeds)
    Ws = [[layer.W for layer in mlp(sizes, rng=seed).layers[::2]] for seed in seeds]   # the starting weights
    W = [np.broadcast_to(np.stack([w[l] for w in Ws]), (C, S) + Ws[0][l].shape).copy() for l in range(len(Ws[0]))]
    W[0] = np.concatenate([np.stack([w[0] for w in Ws])] * C, axis=2)   # the first layer wide: (S, n_in, C·h)
    b = [np.zeros((C, S, 1, n), f32) for n in sizes[1:]]           # W: (C, S, n_in, n_out), b: (C, S, 1, n_out)
    vW = [np.zeros_like(w) for w in W]
    vb = [np.zeros_like(v) for v in b]
    shufflers = [as_rng(seed) for seed in seeds]
    is_mse = np.array([s["loss"] == "sigmoid_mse" for s in settings])
    mu = np.array([s["momentum"] for s in settings], f32).reshape(C, 1, 1, 1)
    plain = not mu.any()
    h0 = sizes[1]                                          # the first layer's width
    one_hot = np.eye(k_out, dtype=f32)
    n = len(X)
    acc = np.zeros((C, S, epochs))
    t, start = 0, time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):      # divergence is caught below, with a clear message
        for e in range(epochs):
            orders = np.stack([g.permutation(n) for g in shufflers])            # (S, n)
            for s0 in range(0, n, batch_size):
                idx = orders[:, s0:s0 + batch_size]
                Xb = X[idx]                                                        # (S, B, n_in)
                eta = np.array([s["schedule"](t) for s in settings], f32).reshape(C, 1, 1, 1)
                # forward: Z = A W + b, A = ReLU(Z) between the layers
                As, A = [Xb], Xb
                for l in range(len(W)):
                    Z = _first_layer(Xb, W[0], C) if l == 0 else A @ W[l]
                    Z += b[l]
                    A = np.maximum(Z, 0) if l < len(W) - 1 else Z
                    As.append(A)
                # δ of the output, per run (the formulas of nnlib.losses)
                B = idx.shape[1]
                Y = one_hot[y[idx]]                                                # (S, B, k)
                delta = np.empty_like(Z)
                for rows, mse in ((is_mse, True), (~is_mse, False)):
                    if not rows.any():
                        continue
                    Zr = Z if rows.all() else Z[rows]
                    if mse:                                                        # sigmoid_mse
                        P = 1 / (1 + np.exp(-Zr))                                  # σ(Z)
                        d = 2 * (P - Y) * P * (1 - P) / (B * k_out)
                    else:                                                          # softmax_cross_entropy
                        E = np.exp(Zr - Zr.max(axis=-1, keepdims=True))
                        d = (E / E.sum(axis=-1, keepdims=True) - Y) / B
                    if rows.all():
                        delta = d
                    else:
                        delta[rows] = d
                # backward and the update v ← μv − ηg, θ ← θ + v, layer by layer from the top
                for l in range(len(W) - 1, -1, -1):
                    dW = np.swapaxes(As[l], -1, -2) @ delta if l else _first_layer_grad(Xb, delta)
                    db = delta.sum(axis=-2, keepdims=True)
                    if l:
                        delta = (delta @ np.swapaxes(W[l], -1, -2)) * (As[l] > 0)
                    eta_W, mu_W = (eta, mu) if l else (np.repeat(eta.ravel(), h0), np.repeat(mu.ravel(), h0))
                    if plain:                                                      # μ = 0: θ ← θ − ηg
                        dW *= eta_W
                        W[l] -= dW
                        b[l] -= eta * db
                        continue
                    vW[l] *= mu_W
                    vW[l] -= eta_W * dW
                    W[l] += vW[l]
                    vb[l] *= mu
                    vb[l] -= eta * db
                    b[l] += vb[l]
                t += 1
            A = X_val
            for l in range(len(W)):
                A = _first_layer(X_val[None], W[0], C) if l == 0 else A @ W[l]
                A += b[l]
                if l < len(W) - 1:
                    np.maximum(A, 0, out=A)
            acc[:, :, e] = np.mean(A.argmax(axis=-1) == y_val, axis=-1)
            if not np.all(np.isfinite(A)):
                bad = [settings[i]["label"] for i in range(C) if not np.all(np.isfinite(A[i]))]
                raise FloatingPointError(f"training diverged in epoch {e + 1} for {bad}: try a smaller learning rate.")
    seconds = time.perf_counter() - start
    S_, n_in, h = W[0].shape[0], W[0].shape[1], W[0].shape[2] // C
    W[0] = np.ascontiguousarray(np.moveaxis(W[0].reshape(S_, n_in, C, h), 2, 0))   # back to (C, S, n_in, h)
    return SideBySide([s["label"] for s in settings], seeds, sizes, acc, W, b, seconds)


# --------------------------------------------------------------------------
# What a model gets wrong
# --------------------------------------------------------------------------

def _pair(y_true, y_pred, n_classes=None):
    y_true = as_labels(y_true, "y_true")
    y_pred = as_labels(y_pred, "y_pred", n_samples=len(y_true))
    low = min(y_true.min(), y_pred.min())
    if low < 0:
        raise ValueError(f"labels must be 0, 1, 2, ...; got a negative label {low}.")
    top = int(max(y_true.max(), y_pred.max())) + 1
    k = top if n_classes is None else as_positive_int(n_classes, "n_classes")
    if top > k:
        raise ValueError(f"a label {top - 1} does not fit n_classes={k} (labels 0..{k - 1}).")
    return y_true, y_pred, k


def confusion_counts(y_true, y_pred, *, n_classes=None):
    """The confusion matrix as counts: ``C[i, j]`` = how many samples of class i were predicted as j.

    Rows are the true classes, columns the predictions; the diagonal holds the
    correct answers. ``n_classes`` defaults to the largest label plus one.
    """
    y_true, y_pred, k = _pair(y_true, y_pred, n_classes)
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


def per_class_accuracy(y_true, y_pred, *, n_classes=None):
    """For every class, the fraction of its samples predicted correctly (NaN for a class with no samples)."""
    C = confusion_counts(y_true, y_pred, n_classes=n_classes)
    totals = C.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(C) / np.maximum(totals, 1), np.nan)


def most_confident_mistakes(P, y, *, k=10):
    """Indices of the ``k`` wrongly predicted samples with the highest confidence in their wrong answer.

    ``P`` (n, n_classes) holds each sample's confidences (softmax
    probabilities, or any score where higher means surer); ``y`` the true
    labels. The prediction is the column with the largest value. Returns at
    most ``k`` indices, the most confident mistake first.
    """
    P = as_array(P, "P", ndim=2)
    y = as_labels(y, "y", n_samples=len(P), allowed=range(P.shape[1]))
    k = as_positive_int(k, "k")
    pred = P.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    conf = P[wrong, pred[wrong]]
    return wrong[np.argsort(-conf, kind="stable")[:k]]


# --------------------------------------------------------------------------
# One change at a time (chapter 08, section 4)
# --------------------------------------------------------------------------

BATCH_SIZE = 64
"""Mini-batch size of every configuration: the thesis essay's 64."""

ONE_CHANGE_AT_A_TIME = [
    dict(change="the thesis network (sigmoid + MSE)", sizes=THESIS_SIZES, loss="sigmoid_mse", lr=0.1,
         decay="1/t", momentum=0.0, epochs=3),
    dict(change="1. softmax + cross-entropy", sizes=THESIS_SIZES, loss="softmax_cross_entropy", lr=0.1,
         decay="1/t", momentum=0.0, epochs=3),
    dict(change="2. momentum 0.9", sizes=THESIS_SIZES, loss="softmax_cross_entropy", lr=0.1,
         decay="1/t", momentum=0.9, epochs=3),
    dict(change="3. one hidden layer of 256", sizes=(784, 256, 10), loss="softmax_cross_entropy", lr=0.1,
         decay="1/t", momentum=0.9, epochs=3),
    dict(change="4. 6 epochs, η × 0.3 every 2", sizes=(784, 256, 10), loss="softmax_cross_entropy", lr=0.1,
         decay="step", momentum=0.9, epochs=6),
]
"""The configurations of chapter 08's table, each differing from the one before in one respect.

``decay`` is "1/t" (η_t = η₀ / (1 + 0.001 t), t counting mini-batches: the
course's reading of the essay's decay rate 0.001) or "step" (η multiplied by
0.3 every two epochs)."""


def _config(config):
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict such as ONE_CHANGE_AT_A_TIME[0], got {_describe(config)}.")
    missing = {"sizes", "loss", "lr", "decay", "momentum", "epochs"} - set(config)
    if missing:
        raise ValueError(f"config is missing {sorted(missing)}; see nnlib.mnist.ONE_CHANGE_AT_A_TIME.")
    if config["loss"] not in SIDE_BY_SIDE_LOSSES:
        raise ValueError(f"config['loss'] must be one of {list(SIDE_BY_SIDE_LOSSES)}, got {config['loss']!r}.")
    if config["decay"] not in ("1/t", "step"):
        raise ValueError(f"config['decay'] must be '1/t' or 'step', got {config['decay']!r}.")
    return config


def schedule(config, n_samples):
    """The learning-rate schedule of a configuration, for a training set of ``n_samples``."""
    config = _config(config)
    steps_per_epoch = -(-as_positive_int(n_samples, "n_samples") // BATCH_SIZE)
    if config["decay"] == "1/t":
        return inverse_time_decay(config["lr"], decay=0.001)
    return step_decay(config["lr"], drop=0.3, every=2 * steps_per_epoch)


def fit(config, X, y, *, rng=0):
    """Train ``mlp(config["sizes"], rng=rng)`` as ``config`` says; returns ``(model, seconds of training)``.

    ``config`` is a dict like those of :data:`ONE_CHANGE_AT_A_TIME`; ``y``
    holds digit labels (one-hot targets are made here for "sigmoid_mse").
    Training uses :func:`nnlib.train.train` with mini-batches of 64, shuffled
    with the seed ``rng``, and no progress bar.
    """
    config = _config(config)
    X = as_array(X, "X", ndim=2, dtype=np.float32)
    sizes = _sizes(config["sizes"])
    y = as_labels(y, "y", n_samples=len(X), allowed=range(sizes[-1]))
    model = mlp(sizes, rng=rng)
    optimizer = SGD(model, lr=schedule(config, len(X)), momentum=config["momentum"])
    targets = one_hot(y, sizes[-1]).astype(np.float32) if config["loss"] == "sigmoid_mse" else y
    loss = sigmoid_mse if config["loss"] == "sigmoid_mse" else softmax_cross_entropy
    start = time.perf_counter()
    train(model, X, targets, loss=loss, optimizer=optimizer, epochs=config["epochs"], batch_size=BATCH_SIZE,
          rng=rng, progress=False)
    return model, time.perf_counter() - start
