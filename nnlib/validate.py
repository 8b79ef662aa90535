"""Input checks shared by every public function in nnlib.

A student who passes the wrong thing should read what was expected, in the
course's own words and notation, and never a traceback from deep inside NumPy.
Each helper either returns a clean ``float64`` array or raises a ``TypeError``
(wrong kind of object) or ``ValueError`` (right kind, wrong shape or values)
whose message names the argument, the expected shape and what was received.
"""

import numbers

import numpy as np


def _describe(x):
    """A short description of ``x`` for error messages: type, and shape if any."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"a {type(x).__name__}"


def as_array(x, name, *, ndim=None, shape=None, finite=True, dtype=np.float64):
    """Convert ``x`` to a NumPy array and check its dimensions and values.

    ``shape`` is a tuple whose entries are ints or ``None`` (any size), and
    names the expected shape in the message, e.g. ``(None, 2)`` reads
    "(n_samples, 2)" when ``ndim`` is 2.
    """
    if x is None:
        raise TypeError(f"{name} is None; expected {_expected(ndim, shape)}.")
    if isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be {_expected(ndim, shape)} of numbers, got {_describe(x)}.")
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{name} must be {_expected(ndim, shape)} of numbers; could not convert {_describe(x)} "
            f"to numbers ({err})."
        ) from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be {_expected(ndim, shape)}, got {arr.ndim}-D with shape {arr.shape}."
        )
    if shape is not None:
        for axis, (want, got) in enumerate(zip(shape, arr.shape)):
            if want is not None and want != got:
                raise ValueError(
                    f"{name} must have shape {_shape_text(shape)}, got {arr.shape} "
                    f"(axis {axis} has size {got}, expected {want})."
                )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one value.")
    if finite and np.issubdtype(arr.dtype, np.number) and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite.")
    return arr


def as_matrix(X, name="X", *, n_features=None):
    """``X`` as a float array of shape (n_samples, n_features), batch-first."""
    return as_array(X, name, ndim=2, shape=(None, n_features))


def as_labels(y, name="y", *, n_samples=None, allowed=None):
    """``y`` as an int64 vector of shape (n_samples,), optionally from ``allowed``."""
    arr = as_array(y, name, ndim=1, shape=(n_samples,), dtype=np.float64)
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must hold whole-number class labels, got non-integer values such as {arr[arr != np.round(arr)][0]}.")
    labels = arr.astype(np.int64)
    if allowed is not None:
        extra = sorted(set(np.unique(labels).tolist()) - set(allowed))
        if extra:
            raise ValueError(f"{name} may only contain the labels {sorted(allowed)}, got {extra}.")
    return labels


def same_length(a, b, name_a="X", name_b="y"):
    """Raise if two batch-first arrays disagree on n_samples."""
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} must describe the same samples: {name_a} has {len(a)} rows "
            f"but {name_b} has {len(b)}."
        )


def as_positive_int(n, name):
    """A whole number >= 1 (bools are refused: True is not a count)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {_describe(n)}.")
    if n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}.")
    return int(n)


def as_number(x, name, *, low=None, high=None, low_inclusive=True):
    """A finite real number, optionally inside [low, high]."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        if isinstance(x, np.ndarray) and x.ndim == 0:
            x = float(x)
        else:
            raise TypeError(f"{name} must be a number, got {_describe(x)}.")
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x}.")
    if low is not None and (x < low or (x == low and not low_inclusive)):
        sign = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {sign} {low}, got {x}.")
    if high is not None and x > high:
        raise ValueError(f"{name} must be <= {high}, got {x}.")
    return x


def _shape_text(shape):
    names = {0: "n_samples", 1: "n_features"}
    parts = [str(s) if s is not None else names.get(i, "n") for i, s in enumerate(shape)]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _expected(ndim, shape):
    if shape is not None:
        return f"a {len(shape)}-D array of shape {_shape_text(shape)}"
    if ndim is not None:
        return f"a {ndim}-D array"
    return "an array"
