"""How every exercise checker works: an exercise described as data, and one runner.

An :class:`Exercise` says what the student's function is called, which cases it is run on, the
right answer (a ``reference`` function) and the *typical mistakes*: each a :class:`Mistake`, a
function that computes the wrong answer a student would get (a wrong sign, a forgotten bias, a
factor of 2) and a message that names the idea behind it. :func:`run` does the rest:

1. call the student's function on every case (on copies of the inputs, with a time limit);
2. read each answer: None, text, NaN, or the wrong number of returned values is said plainly;
3. compare with the reference answer; a correct answer that changed its inputs in place gets a
   remark (or, where the exercise says so, is wrong);
4. otherwise ask what the answer *does*: the first mistake that gives the same numbers on every
   case names the mistake (failing that, the one that explains most of the cases the answer gets
   wrong, if that is more than half of them);
5. otherwise describe a wrong shape, or give a general message and the exercise's hints.

An exercise that needs more than a comparison of numbers (any weights that make a NAND neuron are
right; a mini-batch loop must hand out its batches in order) adds a ``compare`` function, which
may say in its own words what is wrong. The declarative path stays the default.

A checker never raises. What the student's code does is feedback; what the checker's own code
does wrong (in a reference, a mistake, a custom comparison) is a bug: with the environment
variable ``NNLIB_CHECKS_DEBUG=1`` (the test suite sets it) it is raised, otherwise the note says
the checker failed and that this is not the student's fault. Chapter modules (``ch01``, ``ch02``,
``ch06``, ...) hold the exercises; each lists them in ``EXERCISES`` and exposes
``check_<name> = EXERCISE.checker`` for its notebook.
"""

import copy
import inspect
import os
import warnings
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from . import calling
from .feedback import BROKEN, CORRECT, INCORRECT, NOT_ATTEMPTED, Feedback, correct, incorrect, not_attempted
from .reading import Unreadable, agree, kind_problem, numbers, shape_problem, show

__all__ = ["Case", "Mistake", "Exercise", "run", "Feedback", "CORRECT", "NOT_ATTEMPTED", "INCORRECT", "BROKEN",
           "correct", "incorrect", "not_attempted", "call", "close", "check_array_result", "diagnose"]


class Case:
    """One call of the student's function: ``Case(X, w, b, label="XOR")``.

    The label, when given, names the case in messages ("On XOR your function returned None").
    """

    def __init__(self, *args, label="", **kwargs):
        self.args, self.kwargs, self.label = args, kwargs, label

    def fresh(self):
        """New copies of the arguments: nobody's call can change what the next one sees."""
        return copy.deepcopy(self.args), copy.deepcopy(self.kwargs)

    def apply(self, fn):
        """``fn`` called on fresh copies of the arguments (for the checker's own functions)."""
        args, kwargs = self.fresh()
        return fn(*args, **kwargs)


@dataclass
class Mistake:
    """A typical mistake: ``wrong`` computes the answer it gives, ``message`` explains the idea.

    ``fix`` is the corrected line, shown folded. ``part`` compares only that value of a tuple
    answer (e.g. 1 for the velocity of ``(x_new, v_new)``). Messages may use the placeholders of
    :meth:`Exercise.say`.
    """
    wrong: Optional[Callable]
    message: str
    fix: str = ""
    part: Optional[int] = None


@dataclass
class Exercise:
    """One exercise, as data. ``check_<name> = EXERCISE.checker`` is what the notebook calls."""
    name: str                        # the student's function, e.g. "gd_step"
    title: str                       # shown in the feedback, e.g. "One gradient-descent step"
    reference: Callable              # the right answer, with the student's signature
    cases: list                      # Case objects (or tuples of arguments)
    returns: str                     # what to return, in words: "a pair (w_new, b_new)"
    mistakes: list = field(default_factory=list)
    hints: list = field(default_factory=list)
    praise: str = "Well done."
    fallback: str = "On {case} the answer should be {expected}; you returned {got}."
    parts: tuple = ()                # names of the values of a tuple answer, e.g. ("w_new", "b_new")
    compare: Optional[Callable] = None   # custom comparison, see _verdict
    error_hints: dict = field(default_factory=dict)   # text in an error message → what it means here
    in_place: str = "remark"         # an input changed in place: "remark", "incorrect" or "ignore"
    accept_lists: bool = True        # may a list stand for an array?
    rtol: float = 1e-6

    def __post_init__(self):
        self.cases = [c if isinstance(c, Case) else Case(*c) for c in self.cases]
        if self.in_place not in ("remark", "incorrect", "ignore"):
            raise ValueError(f"in_place must be 'remark', 'incorrect' or 'ignore', got {self.in_place!r}")

        def checker(fn):
            return run(self, fn)
        checker.__name__ = checker.__qualname__ = f"check_{self.name}"
        checker.__doc__ = (f"Check your `{self.name}` ({self.title}) and return a Feedback note: truthy only "
                           "when the answer is correct. Never raises.")
        checker.exercise = self
        self.checker = checker

    # -- words ------------------------------------------------------------------------------------

    def named(self, case):
        """The case's arguments by the names of the reference's parameters."""
        bound = inspect.signature(self.reference).bind(*case.args, **case.kwargs)
        return dict(bound.arguments)

    def call_text(self, case):
        args = [show(a) for a in case.args] + [f"{k}={show(v)}" for k, v in case.kwargs.items()]
        return f"{self.name}({', '.join(args)})"

    def say(self, template, case, got, expected):
        """Fill in a message: ``{got}``, ``{expected}``, ``{case}`` (its label, or the call) and the
        arguments by name (``{sizes}``, ``{X}`` ...), each as a short text."""
        values = {name: show(value) for name, value in self.named(case).items()}
        values.update(got=show(got), expected=show(expected), case=case.label or f"`{self.call_text(case)}`")
        return template.format_map(values)

    def seen(self, case, got):
        where = f"{case.label}: " if case.label else ""
        return f"{where}`{self.call_text(case)}` returned `{show(got)}`"


def run(exercise, fn):
    """Check the student's ``fn`` against ``exercise`` and return a :class:`Feedback`. Never raises."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _judge(exercise, fn)
    except Exception as err:          # the checker's own bug: never the student's fault
        if os.environ.get("NNLIB_CHECKS_DEBUG", "") not in ("", "0"):
            raise
        return Feedback(exercise.title, BROKEN,
                        f"The checker itself failed ({type(err).__name__}). This is not your fault and says nothing "
                        "about your answer: please tell your teacher. (Teachers: run with NNLIB_CHECKS_DEBUG=1 to "
                        "see the error.)")


def _judge(ex, fn):
    if not callable(fn):
        return incorrect(ex.title, f"Expected a function, got {type(fn).__name__}. Pass the function itself, "
                                   f"without parentheses after its name: `check_{ex.name}({ex.name})`.")
    answers, passed = [], []
    for case in ex.cases:
        args, kwargs = case.fresh()
        value, failure = calling.call_student(fn, args, kwargs)
        if failure:
            status, message = failure
            if status == NOT_ATTEMPTED:
                return not_attempted(ex.title)
            message += "".join(f" {hint}" for text, hint in ex.error_hints.items() if text in message)
            return incorrect(ex.title, message, seen=f"{case.label + ': ' if case.label else ''}"
                                                     f"`{ex.call_text(case)}`")
        answers.append(value)
        passed.append((args, kwargs))
    expected = [case.apply(ex.reference) for case in ex.cases]

    for case, got, want in zip(ex.cases, answers, expected):
        problem = kind_problem(got, want, returns=ex.returns, parts=ex.parts, accept_lists=ex.accept_lists,
                               rtol=ex.rtol)
        if problem:
            return incorrect(ex.title, _on(case, problem), seen=ex.seen(case, got))

    verdicts = [_verdict(ex, got, want, args, kwargs) for got, want, (args, kwargs) in zip(answers, expected, passed)]
    failing = [i for i, v in enumerate(verdicts) if v is not True]
    if not failing:
        return _correct(ex, _changed_in_place(ex, passed))
    told = next((i for i in failing if isinstance(verdicts[i], Mistake)), None)
    if told is not None:               # a custom comparison said what is wrong, in its own words
        return incorrect(ex.title, verdicts[told].message, seen=ex.seen(ex.cases[told], answers[told]),
                         fix=verdicts[told].fix)
    mistake, i = _recognise(ex, answers, failing)
    if mistake:
        case = ex.cases[i]
        return incorrect(ex.title, ex.say(mistake.message, case, answers[i], expected[i]),
                         seen=ex.seen(case, answers[i]), fix=mistake.fix)
    i = failing[0]
    case, got, want = ex.cases[i], answers[i], expected[i]
    problem = shape_problem(got, want, returns=ex.returns, parts=ex.parts)
    if problem:
        return incorrect(ex.title, _on(case, problem), seen=ex.seen(case, got))
    return incorrect(ex.title, ex.say(ex.fallback, case, got, want), seen=ex.seen(case, got), hints=tuple(ex.hints))


def _on(case, problem):
    """Put the case's label in front of a message about the answer: "On XOR your function ..."."""
    if not case.label:
        return problem
    if problem.startswith(("Your ", "The ")):
        problem = problem[0].lower() + problem[1:]
    return f"On {case.label} {problem}"


def _verdict(ex, got, want, args, kwargs):
    """True when the answer is right; else False, or a Mistake when a custom comparison says what is wrong.

    A custom ``compare(got, expected, *args, **kwargs)`` sees the arguments the student's function
    was given (a spy passed as an argument, say, with what it recorded). It returns True, False,
    or a message (a str or a Mistake) that explains what is wrong.
    """
    if ex.compare is None:
        return agree(got, want, rtol=ex.rtol)
    verdict = ex.compare(got, want, *args, **kwargs)
    if isinstance(verdict, str):
        return Mistake(None, verdict)
    if verdict is True or verdict is False or isinstance(verdict, Mistake):
        return verdict
    raise TypeError(f"compare of {ex.name} returned {verdict!r}; expected True, False, a str or a Mistake")


def _recognise(ex, answers, failing):
    """The typical mistake the answer makes: ``(mistake, index of a case it explains)`` or ``(None, None)``.

    First choice: the first mistake that gives the same numbers as the answer on every case. Failing
    that, the mistake that explains most of the cases the answer gets wrong, if that is more than half
    of them (an answer that is right on a simple case and wrong on the others, say).
    """
    outputs = {}

    def explains(k, i):
        mistake = ex.mistakes[k]
        if (k, i) not in outputs:
            outputs[k, i] = ex.cases[i].apply(mistake.wrong)
        got, wrong = answers[i], outputs[k, i]
        if mistake.part is not None:
            if not (type(got) in (tuple, list) and len(got) > mistake.part):
                return False
            got, wrong = got[mistake.part], wrong[mistake.part]
        return agree(got, wrong, rtol=ex.rtol)

    for k, mistake in enumerate(ex.mistakes):
        if all(explains(k, i) for i in range(len(answers))):
            return mistake, failing[0]
    best, explained = None, []
    for k in range(len(ex.mistakes)):
        cases = [i for i in failing if explains(k, i)]
        if len(cases) > len(explained):
            best, explained = k, cases
    if 2 * len(explained) > len(failing):
        return ex.mistakes[best], explained[0]
    return None, None


def _changed_in_place(ex, passed):
    """Names of the input arrays that the student's function changed."""
    changed = []
    for case, (args, kwargs) in zip(ex.cases, passed):
        after = ex.named(Case(*args, **kwargs))
        for name, before in ex.named(case).items():
            if type(before) is np.ndarray and not np.array_equal(before, after[name]) and name not in changed:
                changed.append(name)
    return changed


def _correct(ex, changed):
    if not changed or ex.in_place == "ignore":
        return correct(ex.title, ex.praise)
    names = " and ".join(f"`{name}`" for name in changed)
    first = changed[0]
    if ex.in_place == "remark":
        return correct(ex.title, f"{ex.praise} One remark: your function also changed the caller's {names} in place "
                                 f"(`{first} += ...` does that). Writing `{first} = {first} + ...` makes a new array "
                                 "and leaves the old one untouched, which matters as soon as you keep a history "
                                 "of the values.")
    return incorrect(ex.title, f"The values are right, but your function changed the caller's {names} in place "
                               f"(`{first} -= ...`, `+=` and `*=` do that). Compute a new array instead: a trajectory "
                               "keeps every point, and with in-place updates they would all turn into the same, "
                               "last one.",
                     fix=f"Write `{first} = {first} - ...` (a new array) instead of `{first} -= ...`.")


# -- small helpers, also handy on their own ----------------------------------------------------------


def call(exercise, fn, *args, **kwargs):
    """Call the student's function: ``(result, None)``, or ``(None, feedback)`` when it went wrong."""
    if not callable(fn):
        return None, incorrect(exercise, f"Expected a function, got {type(fn).__name__}. "
                                         "Pass the function itself (no parentheses after its name).")
    value, failure = calling.call_student(fn, args, kwargs)
    if failure is None:
        return value, None
    status, message = failure
    return None, (not_attempted(exercise) if status == NOT_ATTEMPTED else incorrect(exercise, message))


def close(a, b, *, rtol=1e-6, atol=1e-8):
    """True when ``a`` and ``b`` are numerically equal arrays of the same shape."""
    try:
        a, b = numbers(a), numbers(b)
    except Unreadable:
        return False
    with np.errstate(all="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def check_array_result(exercise, got, expected, *, what="your answer"):
    """Feedback on a type or shape problem of ``got``, or None if it is comparable to ``expected``."""
    problem = (kind_problem(got, expected, returns=f"numbers like {show(expected)}", what=what)
               or shape_problem(got, expected, returns=f"numbers like {show(expected)}", what=what))
    return incorrect(exercise, problem) if problem else None


def diagnose(exercise, got, expected, mistakes, *, fallback):
    """None when ``got`` equals ``expected``; else the message of the first ``(wrong value, message)``
    that ``got`` equals, or ``fallback``."""
    if close(got, expected):
        return None
    return incorrect(exercise, next((message for wrong, message in mistakes if close(got, wrong)), fallback))
