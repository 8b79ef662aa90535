"""Reading a student's answer without tripping over it (a part of the checkers' runner, core.py).

An answer can be anything: None, a generator, a ragged list, an integer with 400 digits, complex
numbers, an object whose ``__array__`` raises. Every place where the runner touches such a value
lives in this module, and each one is guarded: :func:`numbers` either returns a float array or
raises :class:`Unreadable` with a reason the student can act on. The checker's *own* values (the
reference answer, what a typical mistake gives) go through the same functions unguarded, so a
bug there surfaces as a bug instead of passing as "your answer cannot be read".

Two kinds of problem are told apart, because typical mistakes come between them:
:func:`kind_problem` (the answer cannot be compared at all: None, text, NaN, the wrong number of
returned values) is checked before the mistakes, :func:`shape_problem` (a column instead of a flat
vector, one entry short) after them, since some mistakes have a shape of their own.
"""

import numbers as _abc
import warnings

import numpy as np

_WORDS = {2: "two", 3: "three", 4: "four"}


class Unreadable(Exception):
    """The answer cannot be read as numbers; the message says why, in the student's terms."""


def _is_seq(value):
    return type(value) in (tuple, list)


def numbers(value):
    """``value`` as a float array; :class:`Unreadable` if it cannot be read as numbers."""
    kind = type(value)
    if value is None:
        raise Unreadable("it is None")
    if kind in (str, bytes):
        raise Unreadable(f"it is text ({kind.__name__}), not a number")
    if isinstance(value, (dict, set, frozenset)):
        raise Unreadable(f"it is a {kind.__name__}")
    if hasattr(kind, "__next__"):
        raise Unreadable(f"it is a {kind.__name__} (a generator or iterator), which makes its values one at a time, "
                         "on demand; NumPy cannot read that. Build a list (`[... for ...]`) or an array instead")
    if callable(value):
        raise Unreadable("it is a function: call it, or return what it computes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value)
            if arr.dtype.kind == "c":
                raise Unreadable("it holds complex numbers")
            if arr.dtype.kind not in "biufO":
                raise Unreadable(f"it holds {arr.dtype.name} values, not numbers")
            return arr.astype(float)
    except Unreadable:
        raise
    except OverflowError:
        raise Unreadable("it holds a number too large for a float (more than about 1.8e308)") from None
    except ValueError as err:
        if "inhomogeneous" in str(err) or "sequence" in str(err):
            raise Unreadable("its rows have different lengths (a ragged list)") from None
        raise Unreadable(f"it holds something that is not a number ({type(err).__name__})") from None
    except Exception as err:       # the answer's own code raised: __array__, __len__, __float__ ...
        raise Unreadable(f"reading it as numbers raised {type(err).__name__}") from None


def holds_bools(value):
    """True when the answer is True/False values (a bool, or an array or list of them)."""
    try:
        return np.asarray(value).dtype.kind == "b"
    except Exception:
        return False


def agree(got, want, *, rtol=1e-6, atol=1e-8):
    """True when the answer ``got`` equals ``want`` (the checker's value) within the tolerance.

    A tuple ``want`` is a fixed number of separate values (``w_new, b_new``), compared one by one;
    anything else is compared as one array. (True and 1 agree here; :func:`kind_problem` has
    already turned away True/False answers where numbers are asked for.)
    """
    if type(want) is tuple:
        return (_is_seq(got) and len(got) == len(want)
                and all(agree(g, w, rtol=rtol, atol=atol) for g, w in zip(got, want)))
    try:
        a = numbers(got)
    except Unreadable:
        return False
    b = numbers(want)
    with np.errstate(all="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def describe(want):
    """What ``want`` looks like, in words: "a plain number", "an array of shape (4,)"."""
    if type(want) is tuple:
        return f"{len(want)} separate values"
    shape = numbers(want).shape
    return "a plain number" if shape == () else f"an array of shape {shape}"


def _first_upper(text):
    return text[:1].upper() + text[1:]


def kind_problem(got, want, *, returns, what="your answer", parts=(), accept_lists=True, rtol=1e-6):
    """Why ``got`` cannot be compared with the right answer ``want`` at all, or None."""
    whole = what == "your answer"
    if type(want) is tuple:
        k = len(want)
        things = "numbers" if all(numbers(w).shape == () for w in want) else "values"
        if got is None:
            return f"Your function returned None. Did you forget the `return` statement? Return {returns}."
        if not _is_seq(got):
            return f"Return {_WORDS.get(k, k)} things: {returns}. Your function returned one value, of type " \
                   f"{type(got).__name__}."
        if len(got) != k:
            if len(got) < k and _total_size(got) == sum(numbers(w).size for w in want):
                return (f"You returned {len(got)} values, one of them holding several numbers. Return {returns} as "
                        f"{_WORDS.get(k, k)} separate numbers.")
            return f"Return exactly {_WORDS.get(k, k)} {things}, {returns}; you returned {len(got)}."
        names = parts or [f"value {i + 1} of your answer" for i in range(k)]
        for name, g, w in zip(names, got, want):
            label = f"`{name}`" if parts else name
            problem = kind_problem(g, w, returns=describe(w), what=label, accept_lists=accept_lists, rtol=rtol)
            if problem:
                return problem
        return None
    if got is None:
        return ("Your function returned None. Did you forget the `return` statement?" if whole
                else f"{_first_upper(what)} is None.") + f" It should be {returns}."
    if not accept_lists and _is_seq(got) and type(want) is np.ndarray:
        return (f"{_first_upper(what)} is a Python {type(got).__name__}. Return the NumPy result itself: arithmetic "
                "on arrays gives an array, and the same line works for plain numbers too.")
    try:
        arr = numbers(got)
    except Unreadable as why:
        return f"{_first_upper(what)} cannot be read as numbers: {why}. It should be {returns}."
    if holds_bools(got) and not holds_bools(want) and agree(got, want, rtol=rtol):
        return (f"The values are right, but {what} holds True/False instead of numbers. Turn them into whole "
                "numbers, 1 and 0 (for example with `.astype(int)`).")
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(numbers(want))):
        return (f"{_first_upper(what)} is not finite: it contains NaN or infinity. Look for a division by zero "
                "or an exponential of a large number.")
    return None


def _total_size(values):
    try:
        return sum(numbers(v).size for v in values)
    except Unreadable:
        return -1


def shape_problem(got, want, *, returns, what="your answer", parts=()):
    """Why ``got`` (readable, see :func:`kind_problem`) has the wrong shape or kind, or None."""
    if type(want) is tuple:
        names = parts or [f"value {i + 1} of your answer" for i in range(len(want))]
        for name, g, w in zip(names, got, want):
            problem = shape_problem(g, w, returns=describe(w), what=f"`{name}`" if parts else name)
            if problem:
                return problem
        return None
    a, b = numbers(got), numbers(want)
    if holds_bools(got) and not holds_bools(want):
        return f"{_first_upper(what)} is True/False, but it should be {returns}."
    if a.shape == b.shape:
        return None
    what = _first_upper(what)
    if b.ndim == 0 and a.size == 1:
        return (f"{what} is a list or array holding one number. Return the single number itself, a plain number: "
                "drop the brackets, or use `float(...)`.")
    if b.ndim == 0:
        return (f"{what} holds {a.size} numbers (shape {a.shape}), but it should be a single number: {returns}. "
                f"Return only the number itself, not {a.size} of them.")
    if a.ndim == 0:
        return (f"{what} is a single number, but it should be {returns}, shape {b.shape}. Did you sum or average "
                "over everything, or use an `if` on a whole array (which looks at the whole batch at once)?")
    if a.shape == b.shape + (1,):
        return (f"{what} has shape {a.shape}, a column, but it should be a flat vector of shape {b.shape}. Look for "
                "a `keepdims=True`, a `reshape(-1, 1)` or a column-shaped vector in the computation.")
    if a.ndim == b.ndim == 1 and len(a) == len(b) - 1:
        return (f"{what} has shape {a.shape}, one entry short of {b.shape}. Does a loop stop one step early "
                "(`range(n - 1)` instead of `range(n)`)?")
    if a.size == b.size:
        return (f"{what} has shape {a.shape} instead of {b.shape}. The numbers may be right but arranged "
                "differently: look for a stray transpose or reshape.")
    return (f"{what} has shape {a.shape}, but it should have shape {b.shape}. Remember the batch-first "
            "convention: one row per sample.")


def show(value):
    """A short text for ``value`` in a message; never raises, whatever the value is."""
    try:
        return _show(value)
    except Exception:
        return f"a {type(value).__name__}"


def _number(x):
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{x:.1f}"
    if 1e-4 <= abs(x) < 1e6:
        return np.format_float_positional(x, precision=4, fractional=False, trim="-")
    return f"{x:.4g}"


def _show(value):
    kind = type(value)
    if kind in (bool, np.bool_):
        return str(bool(value))
    if isinstance(value, _abc.Integral):
        value = int(value)
        digits = int(value.bit_length() * 0.30103) + 1          # log10(2) digits per bit
        return str(value) if abs(value) < 10 ** 15 else f"a whole number with about {digits} digits"
    if isinstance(value, _abc.Real):
        return _number(float(value))
    if kind is np.ndarray:
        if value.ndim == 0:
            return _show(value.item())
        if value.size > 12:
            return f"<array of shape {value.shape}>"
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if kind in (list, tuple):
        if len(value) > 12:
            return f"<{kind.__name__} of {len(value)} items>"
        inner = ", ".join(_show(v) for v in value)
        return f"[{inner}]" if kind is list else f"({inner}{',' if len(value) == 1 else ''})"
    if callable(value):
        return str(getattr(value, "__name__", "a function"))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
