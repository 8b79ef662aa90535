"""How every exercise checker works.

A checker runs the student's answer on a few cases, compares it with the
reference answer and, when they differ, asks *what the answer does*: does it
match what a typical mistake (a wrong sign, a forgotten bias, a factor of 2)
would give? If so it names that mistake and says how to think about it.

A checker never raises on a bad answer. It returns a :class:`Feedback`, which
shows itself as a short coloured note in the notebook and is truthy only
when the answer is correct (so solution notebooks can ``assert`` it).
"""

import functools
import html
import traceback
from dataclasses import dataclass

import numpy as np

CORRECT, NOT_ATTEMPTED, INCORRECT = "correct", "not attempted yet", "incorrect"
_COLORS = {CORRECT: "#1b7837", NOT_ATTEMPTED: "#555555", INCORRECT: "#b2182b"}
_ICONS = {CORRECT: "✔", NOT_ATTEMPTED: "…", INCORRECT: "✘"}


@dataclass
class Feedback:
    """The verdict on one exercise: a status and a message for the student."""
    exercise: str
    status: str
    message: str

    @property
    def correct(self):
        return self.status == CORRECT

    def __bool__(self):
        return self.correct

    def __str__(self):
        return f"{_ICONS[self.status]} {self.exercise}: {self.status}. {self.message}".strip()

    __repr__ = __str__

    def _repr_html_(self):
        color = _COLORS[self.status]
        return (f'<div style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{color}">{_ICONS[self.status]} {html.escape(self.exercise)}: '
                f'{self.status}.</b> {html.escape(self.message)}</div>')


def correct(exercise, message="Well done."):
    return Feedback(exercise, CORRECT, message)


def not_attempted(exercise):
    return Feedback(exercise, NOT_ATTEMPTED,
                    "Replace `raise NotImplementedError` with your code, run the cell, then run this check again.")


def incorrect(exercise, message):
    return Feedback(exercise, INCORRECT, message)


def close(a, b, *, rtol=1e-6, atol=1e-8):
    """True when ``a`` and ``b`` are numerically equal arrays of the same shape."""
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def call(exercise, fn, *args, **kwargs):
    """Call the student's function; turn every way it can go wrong into Feedback.

    Returns ``(result, None)`` on success or ``(None, feedback)`` otherwise.
    """
    if not callable(fn):
        return None, incorrect(exercise, f"Expected a function, got {type(fn).__name__}. "
                                          "Pass the function itself (no parentheses after its name).")
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs), None
    except NotImplementedError:
        return None, not_attempted(exercise)
    except Exception as err:  # a student's bug is feedback, not a crash
        where = traceback.extract_tb(err.__traceback__)[-1]
        return None, incorrect(exercise, f"Your function raised {type(err).__name__}: {err} "
                                          f"(line {where.lineno}: `{(where.line or '').strip()}`).")


def check_array_result(exercise, got, expected, *, what="the result"):
    """Feedback on type and shape problems, or None if ``got`` is comparable to ``expected``."""
    expected = np.asarray(expected)
    if got is None:
        return incorrect(exercise, f"Your function returned None. Did you forget the `return` statement?")
    if isinstance(got, (str, bytes, dict, set)) or callable(got):
        return incorrect(exercise, f"{what.capitalize()} should be a number or array, got {type(got).__name__}.")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return incorrect(exercise, f"{what.capitalize()} should be numeric, got {type(got).__name__} "
                                    "that cannot be read as numbers.")
    if arr.shape != expected.shape:
        if expected.ndim == 0 and arr.size == 1:
            hint = " Return a plain number (for example with float(...)), not an array or list holding one."
        elif arr.size == expected.size:
            hint = " The numbers may be right but arranged differently: check for a stray transpose or reshape."
        elif arr.ndim == 0 and expected.ndim > 0:
            hint = " You returned a single number: did you sum or average over the batch by mistake?"
        elif arr.ndim == expected.ndim == 1 and len(arr) == len(expected) - 1:
            hint = " That is one entry short: does a loop stop one step early (range(n - 1) instead of range(n))?"
        else:
            hint = " Remember the batch-first convention: one row per sample."
        return incorrect(exercise, f"{what.capitalize()} has shape {arr.shape}, expected {expected.shape}.{hint}")
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(expected)):
        return incorrect(exercise, f"{what.capitalize()} contains NaN or infinity. Look for a division by zero "
                                    "or an exponential of a large number.")
    return None


def diagnose(exercise, got, expected, mistakes, *, fallback):
    """Compare ``got`` with the right answer and with each typical mistake.

    ``mistakes`` is a list of ``(wrong_value, message)``: the value a typical
    mistake would produce on the same case, and what to tell the student.
    """
    if close(got, expected):
        return None
    for wrong, message in mistakes:
        if close(got, wrong):
            return incorrect(exercise, message)
    return incorrect(exercise, fallback)


def never_raises(checker):
    """Decorator for ``check_*`` functions: an answer so odd that the checker itself trips over it
    (a ragged list, an integer too large for a float) becomes feedback instead of an exception, and
    arithmetic on extreme values prints no NumPy warnings."""
    exercise = checker.__name__.removeprefix("check_")

    @functools.wraps(checker)
    def wrapper(fn):
        try:
            with np.errstate(all="ignore"):
                return checker(fn)
        except Exception:  # the answer's fault, by construction: the reference answers pass
            return incorrect(exercise, "Your function returned something that cannot be read as numbers of "
                                       "the expected shape (for example a list whose rows have different "
                                       "lengths, or a number too large for a float). Return the kind of "
                                       "value the exercise asks for.")
    return wrapper
