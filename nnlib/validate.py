"""Input checks shared by every public function in nnlib.

A student who passes the wrong thing should read what was expected, in the
course's own words and notation, and never a traceback from deep inside NumPy.
Each helper either returns a clean value or raises a ``TypeError`` (wrong kind
of object) or ``ValueError`` (right kind, wrong shape or values) whose message
names the argument, what was expected and what was received.

One rule for numbers, everywhere: a number is an int or a float. Text (even
``"3"``), True/False and None are not numbers, whether alone (:func:`as_number`)
or inside a list or array (:func:`as_array`). The one exception is a vector of
class labels (:func:`as_labels`, :func:`as_label`): ``y = X[:, 0] > 0`` is a
natural way to write labels, so True and False are read as 1 and 0 there.
"""

import numbers

import numpy as np

LABEL_LIMIT = 2**31
"""Class labels are indices 0, 1, 2, ...; anything this large is a mistake."""


def _describe(x):
    """A short description of ``x`` for error messages: type, and shape if any."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"a {type(x).__name__}"


def _not_a_number(x, bools):
    """Describe the first entry of ``x`` that is not a number, or return ''.

    Looks inside lists, tuples and object arrays, where NumPy would quietly
    turn "3" into 3.0, True into 1.0 and None into NaN.
    """
    if isinstance(x, (str, bytes)):
        return f"the text {x!r} (numbers are written without quotes)"
    if x is None:
        return "None"
    if isinstance(x, (bool, np.bool_)):
        return "" if bools else f"the truth value {x} (True/False is not a number here)"
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "US" and x.size:
            return f"the text {x.flat[0].item()!r} (numbers are written without quotes)"
        if x.dtype.kind == "b" and not bools:
            return "an array of True/False values (convert with .astype(float) if you mean 1 and 0)"
        if x.dtype.kind == "c":
            return "complex numbers"
        if x.dtype.kind == "O":
            return next(filter(None, (_not_a_number(e, bools) for e in x.flat)), "")
        return ""
    if isinstance(x, (list, tuple)):
        return next(filter(None, (_not_a_number(e, bools) for e in x)), "")
    if isinstance(x, complex):
        return "complex numbers"
    return ""


def as_array(x, name, *, ndim=None, shape=None, finite=True, dtype=np.float64, bools=False):
    """Convert ``x`` to a NumPy array of numbers and check its dimensions and values.

    ``shape`` is a tuple whose entries are ints or ``None`` (any size), and
    names the expected shape in the message, e.g. ``(None, 2)`` reads
    "(n_samples, 2)". ``dtype=None`` keeps a numeric array's own dtype (so a
    float32 MNIST matrix is not copied). ``bools=True`` accepts True/False;
    only label vectors do.
    """
    if x is None:
        raise TypeError(f"{name} is None; expected {_expected(ndim, shape)} of numbers.")
    if isinstance(x, (dict, set)):
        raise TypeError(f"{name} must be {_expected(ndim, shape)} of numbers, got {_describe(x)}.")
    odd = _not_a_number(x, bools)
    if odd:
        raise TypeError(f"{name} must be {_expected(ndim, shape)} of numbers, got {odd}.")
    try:
        arr = np.asarray(x)
        if dtype is not None or arr.dtype.kind not in "iufb":
            arr = arr.astype(np.float64 if dtype is None else dtype, copy=False)
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
    if finite and arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite.")
    return arr


def as_matrix(X, name="X", *, n_features=None):
    """``X`` as a float array of shape (n_samples, n_features), batch-first."""
    return as_array(X, name, ndim=2, shape=(None, n_features))


def as_labels(y, name="y", *, n_samples=None, allowed=None):
    """``y`` as an int64 vector of class labels, shape (n_samples,), optionally from ``allowed``.

    Labels are whole numbers; True and False count as 1 and 0.
    """
    arr = as_array(y, name, ndim=1, shape=(n_samples,), bools=True)
    big = np.abs(arr) >= LABEL_LIMIT
    if np.any(big):
        raise ValueError(f"{name} must hold class labels 0, 1, 2, ...; got {arr[big][0]:g}, far too large "
                         f"to number a class.")
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must hold whole-number class labels, got non-integer values such as "
                         f"{arr[arr != np.round(arr)][0]}.")
    labels = arr.astype(np.int64)
    if allowed is not None:
        extra = sorted(set(np.unique(labels).tolist()) - set(allowed))
        if extra:
            raise ValueError(f"{name} may only contain the labels {sorted(allowed)}, got {extra}.")
    return labels


def as_label(y, name="y", *, allowed=None):
    """One class label (an int, or True/False for 1/0), optionally from ``allowed``."""
    if isinstance(y, np.ndarray) and y.ndim == 0:
        y = y.item()
    if isinstance(y, (bool, np.bool_)):
        y = int(y)
    if not isinstance(y, numbers.Real):
        raise TypeError(f"{name} must be one class label such as 0 or 1, got {_describe(y)}.")
    if not np.isfinite(y) or y != round(y):
        raise ValueError(f"{name} must be a whole-number class label such as 0 or 1, got {y}.")
    y = int(y)
    if allowed is not None and y not in allowed:
        raise ValueError(f"{name} must be one of the labels {sorted(allowed)}, got {y}.")
    return y


def same_length(a, b, name_a="X", name_b="y"):
    """Raise if two batch-first arrays disagree on n_samples."""
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} must describe the same samples: {name_a} has {len(a)} rows "
            f"but {name_b} has {len(b)}."
        )


def as_positive_int(n, name):
    """A whole number >= 1 (bools are refused: True is not a count)."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {_describe(n)}.")
    if n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}.")
    return int(n)


def as_number(x, name, *, low=None, high=None, low_inclusive=True):
    """A finite real number (int or float, not True/False), optionally inside [low, high]."""
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        x = x.item()
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(x)}.")
    try:
        x = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be a finite number, got one too large for a float.") from None
    if not np.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x}.")
    if low is not None and (x < low or (x == low and not low_inclusive)):
        sign = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {sign} {low}, got {x}.")
    if high is not None and x > high:
        raise ValueError(f"{name} must be <= {high}, got {x}.")
    return x


def as_rng(rng, name="rng"):
    """A NumPy random Generator from a seed (a whole number >= 0), a Generator, or None.

    The same seed gives the same numbers, so every run of a notebook agrees;
    None asks for fresh randomness; a Generator is used as it is.
    """
    if rng is None or isinstance(rng, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
        return np.random.default_rng(rng)
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"{name} must be a seed (a whole number such as 0), a numpy Generator or None, "
                        f"got {_describe(rng)}.")
    if rng < 0:
        raise ValueError(f"{name} must be a seed >= 0, got {rng}.")
    return np.random.default_rng(int(rng))


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


# --------------------------------------------------------------------------
# Float arrays for the network code (chapters 07 and 08): fast when already right
# --------------------------------------------------------------------------

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_float_dtype(dtype, name="dtype"):
    """np.float32 or np.float64 (or their names); anything else is refused clearly."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in FLOAT_DTYPES or isinstance(dtype, bool):
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dtype!r}.")
    return dt


def all_finite(a):
    """True when no entry of the float array ``a`` is NaN or infinite.

    One fast BLAS pass: the dot product a·a is NaN or infinite exactly when an
    entry is, or when the squares overflow; only then are the entries tested
    one by one.
    """
    flat = a.reshape(-1)
    with np.errstate(over="ignore", invalid="ignore"):
        square = np.dot(flat, flat)
    return bool(np.isfinite(square) or np.isfinite(a).all())


class NonFiniteError(ValueError):
    """An array that must be finite holds NaN or infinity (in training: the numbers have blown up)."""


def as_floats(x, name, *, dtype=None, finite=True, **checks):
    """``x`` as a float array of ``dtype``: float32 and float64 arrays keep their
    own type when ``dtype`` is None; everything else becomes float64.
    NaN or infinity raises :class:`NonFiniteError` (a ValueError)."""
    if dtype is None:
        dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype in FLOAT_DTYPES else np.float64
    if (finite and isinstance(x, np.ndarray) and x.dtype == dtype and x.size and checks.keys() <= {"ndim"}
            and x.ndim == checks.get("ndim", x.ndim) and all_finite(x)):
        return x                                        # already right: one fast pass, no Python-level checks
    arr = as_array(x, name, dtype=dtype, finite=False, **checks)
    if finite and not all_finite(arr):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise NonFiniteError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite.")
    return arr
