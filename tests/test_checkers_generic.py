"""Every exercise checker, found through the chapters' EXERCISES lists, against every kind of bad answer.

None of the answers below may make a checker raise, and none may pass: None, a huge integer, NaN,
±inf, text, a list, a generator, wrong shapes, objects whose ``__eq__`` or ``__array__`` raises, a
function that raises and one that runs too long. The suite runs with NNLIB_CHECKS_DEBUG=1 (see
the root conftest.py), so a bug in a checker's own code raises here instead of hiding behind a
"the checker itself failed" note. Also: each exercise accepts its own reference answer,
recognises each of its typical mistakes with that mistake's message, and renders safe HTML.
"""

import os
import threading
import time
import warnings

import numpy as np
import pytest

from nbutils import ROOT, solution_namespace
from nnlib.checks import all_exercises, calling, chapters
from nnlib.checks.core import BROKEN, CORRECT, INCORRECT, NOT_ATTEMPTED, Case, Exercise, Feedback, Mistake

EXERCISES = all_exercises()
IDS = [ex.name for ex in EXERCISES]


def reference_answer(ex, case=0):
    args, kwargs = ex.cases[case].fresh()
    return ex.reference(*args, **kwargs)


class RaisingEq:
    def __eq__(self, other):
        raise RuntimeError("__eq__ says no")

    __hash__ = object.__hash__


class RaisingArray:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("__array__ says no")


class Hostile:
    """Every way Python or NumPy might look at it raises."""
    def _no(self, *args, **kwargs):
        raise RuntimeError("no")

    __eq__ = __array__ = __len__ = __iter__ = __float__ = __int__ = __index__ = __bool__ = __repr__ = _no
    __str__ = __getitem__ = __getattr__ = _no
    __hash__ = object.__hash__


def generator():
    return (v for v in (1.0, 2.0, 3.0))


BAD_RETURNS = {
    "None": lambda: None,
    "huge int": lambda: 10 ** 400,
    "huge ints in a tuple": lambda: (10 ** 400, -10 ** 400),
    "NaN": lambda: float("nan"),
    "+inf": lambda: float("inf"),
    "-inf": lambda: -np.inf,
    "string": lambda: "0.5",
    "list": lambda: [1, 2, 3],
    "ragged list": lambda: [[1.0, 2.0], [3.0]],
    "generator": generator,
    "pair of generators": lambda: (generator(), generator()),
    "complex": lambda: 1j,
    "True": lambda: True,
    "__eq__ raises": RaisingEq,
    "__array__ raises": RaisingArray,
    "everything raises": Hostile,
    "pair of hostile objects": lambda: (Hostile(), Hostile()),
}


def wrong_shapes(expected):
    """Answers shaped unlike ``expected``: an extra axis, a stack, an empty array; for a tuple, wrong parts."""
    if type(expected) is tuple:
        return [tuple(np.zeros((7, 3)) for _ in expected), tuple(expected) + (0.0,), tuple(expected)[:1]]
    a = np.asarray(expected, dtype=float)
    return [np.zeros(a.shape + (1,)), np.zeros((3,) + a.shape), np.zeros(0), np.stack([a, a])]


def assert_incorrect(fb, what):
    assert isinstance(fb, Feedback), what
    assert fb.status == INCORRECT, f"{what}: {fb}"
    assert not fb and fb.message, what
    str(fb), fb._repr_html_()            # both render


# -- discovery --------------------------------------------------------------------------------------


def test_exercises_are_discovered_with_unique_names_and_checkers():
    assert EXERCISES, "nnlib.checks.all_exercises() found nothing"
    assert len(set(IDS)) == len(IDS), f"two exercises share a name: {IDS}"
    for ex in EXERCISES:
        assert ex.checker.__name__ == f"check_{ex.name}" and ex.checker.exercise is ex
        assert ex.cases and ex.returns and ex.title


# -- each exercise knows its own answer and its own mistakes ----------------------------------------


def _solutions_notebook(ex):
    """The solutions notebook of the chapter whose module lists ``ex`` (e.g. solutions/06_*_solutions.ipynb)."""
    chapter = next(key for key, module in chapters().items() if ex in module.EXERCISES)
    (path,) = (ROOT / "solutions").glob(f"{chapter}_*_solutions.ipynb")
    return path.name


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_the_solution_notebooks_own_answer_is_accepted(ex):
    """The single source: the answer written in the solutions notebook, not only the reference."""
    answer = solution_namespace(_solutions_notebook(ex)).get(ex.name)
    if answer is None:
        pytest.fail(f"{_solutions_notebook(ex)} defines no {ex.name}()")
    fb = ex.checker(answer)
    assert fb.status == CORRECT, fb.message


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_reference_answer_is_correct_and_a_stub_is_not_attempted(ex):
    fb = ex.checker(ex.reference)
    assert fb.status == CORRECT and fb, fb
    def stub(*args, **kwargs):
        raise NotImplementedError("Replace this line with your code.")
    assert ex.checker(stub).status == NOT_ATTEMPTED


MISTAKES = [(ex, k) for ex in EXERCISES for k in range(len(ex.mistakes))]


@pytest.mark.parametrize("ex,k", MISTAKES, ids=[f"{ex.name}-{k}" for ex, k in MISTAKES])
def test_each_typical_mistake_is_recognised_with_its_own_message(ex, k):
    """Run the mistake itself as the answer: a mistake that gives the right answer, or that an earlier
    mistake with another message hides, fails here."""
    mistake = ex.mistakes[k]
    fb = ex.checker(mistake.wrong)
    assert_incorrect(fb, f"{ex.name} mistake {k}")
    assert mistake.message.split("{")[0] in fb.message, fb.message
    assert fb.fix == mistake.fix


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_a_wrong_answer_that_is_no_typical_mistake_is_incorrect(ex):
    def perturb(value):
        if type(value) is tuple:
            return tuple(perturb(v) for v in value)
        return -1.37 * np.asarray(value, dtype=float) - 0.11

    fb = ex.checker(lambda *args, **kwargs: perturb(ex.reference(*args, **kwargs)))
    assert_incorrect(fb, ex.name)


# -- no bad answer makes a checker raise, and none passes ---------------------------------------------


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
@pytest.mark.parametrize("bad", BAD_RETURNS, ids=list(BAD_RETURNS))
def test_bad_return_values_never_raise_nor_pass(ex, bad):
    make = BAD_RETURNS[bad]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb = ex.checker(lambda *args, **kwargs: make())
    assert_incorrect(fb, f"{ex.name} on {bad}")


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_wrong_shapes_never_raise_nor_pass(ex):
    for shaped in wrong_shapes(reference_answer(ex)):
        assert_incorrect(ex.checker(lambda *args, _v=shaped, **kwargs: _v), f"{ex.name} on {shaped!r}")


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_not_a_function_and_a_raising_function_are_feedback(ex):
    for not_a_function in (None, 42, "gd_step", [ex.reference]):
        fb = ex.checker(not_a_function)
        assert_incorrect(fb, f"{ex.name} given {not_a_function!r}")
        assert "Expected a function" in fb.message

    def buggy(*args, **kwargs):
        return [1, 2][5]
    fb = ex.checker(buggy)
    assert_incorrect(fb, f"{ex.name} on an IndexError")
    assert "IndexError" in fb.message and "`return [1, 2][5]`" in fb.message


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(calling, "TIME_LIMIT", 0.2)


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_a_function_that_runs_too_long_is_given_up_on(ex, short_time_limit):
    def endless(*args, **kwargs):
        time.sleep(60)
    start = time.monotonic()
    fb = ex.checker(endless)
    assert_incorrect(fb, f"{ex.name} on an endless function")
    assert "still running after 0.2 seconds" in fb.message
    assert time.monotonic() - start < 5


def test_the_default_time_limit_is_a_few_seconds():
    assert 1 <= calling.TIME_LIMIT <= 10


def test_time_limit_survives_an_answer_that_swallows_the_first_alarm(short_time_limit):
    def stubborn(*args, **kwargs):
        try:
            time.sleep(60)
        except BaseException:
            time.sleep(60)
    start = time.monotonic()
    fb = EXERCISES[0].checker(stubborn)
    assert "still running" in fb.message and time.monotonic() - start < 5


def test_time_limit_works_outside_the_main_thread(short_time_limit):
    release, result = threading.Event(), {}

    def stuck(*args, **kwargs):
        release.wait(60)

    worker = threading.Thread(target=lambda: result.update(fb=EXERCISES[0].checker(stuck)))
    worker.start()
    worker.join(10)
    release.set()                           # let the abandoned call finish
    assert not worker.is_alive()
    assert result["fb"].status == INCORRECT and "still running" in result["fb"].message


def test_the_alarm_is_disarmed_after_a_check():
    import signal
    EXERCISES[0].checker(EXERCISES[0].reference)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_exit_in_an_answer_is_feedback():
    import sys
    fb = EXERCISES[0].checker(lambda *args, **kwargs: sys.exit(3))
    assert_incorrect(fb, "sys.exit")
    assert "SystemExit" in fb.message


# -- the checker's own bugs: raised in debug mode, a polite note otherwise ------------------------------


def _toy(**overrides):
    spec = dict(name="double", title="Doubling", reference=lambda x: 2 * x, cases=[Case(1.0), Case(np.arange(3.0))],
                returns="twice x", mistakes=[Mistake(lambda x: x + 2, "You added 2 instead of doubling.",
                                                     fix="`return 2 * x`")],
                hints=["Multiply by 2."])
    spec.update(overrides)
    return Exercise(**spec)


def test_debug_mode_is_on_in_the_test_suite():
    assert os.environ.get("NNLIB_CHECKS_DEBUG") == "1"


@pytest.mark.parametrize("bug", ["reference", "mistake", "template", "compare"])
def test_a_checkers_own_bug_raises_in_debug_mode_and_is_a_polite_note_otherwise(bug, monkeypatch):
    broken = {"reference": dict(reference=lambda x: x / "oops"),
              "mistake": dict(mistakes=[Mistake(lambda x: x["oops"], "never shown")]),
              "template": dict(fallback="For x = {x} you returned {oops}."),
              "compare": dict(compare=lambda got, want, x: got.oops)}[bug]
    toy = _toy(**broken)
    answer = lambda x: 5 * x                    # noqa: E731  (wrong, so the mistakes and the fallback are reached)
    with pytest.raises(Exception):
        toy.checker(answer)
    monkeypatch.setenv("NNLIB_CHECKS_DEBUG", "0")
    fb = toy.checker(answer)
    assert fb.status == BROKEN and not fb
    assert "checker itself failed" in fb.message and "not your fault" in fb.message


def test_a_students_bug_is_not_a_checker_bug_even_in_debug_mode():
    fb = _toy().checker(lambda x: 1 / 0)
    assert_incorrect(fb, "ZeroDivisionError")
    assert "ZeroDivisionError" in fb.message


def test_toy_exercise_mistake_fallback_and_hints():
    toy = _toy()
    assert toy.checker(lambda x: x * 2)
    fb = toy.checker(lambda x: x + 2)
    assert fb.message == "You added 2 instead of doubling." and fb.fix == "`return 2 * x`" and not fb.hints
    fb = toy.checker(lambda x: x * 3)
    assert "should be 2.0; you returned 3.0" in fb.message and fb.hints == ("Multiply by 2.",)


def test_in_place_changes_remark_or_fail_as_the_exercise_says():
    def in_place(x):
        x *= 2
        return x
    assert "in place" in _toy().checker(in_place).message and _toy().checker(in_place)
    fb = _toy(in_place="incorrect").checker(in_place)
    assert fb.status == INCORRECT and "in place" in fb.message
    assert _toy(in_place="ignore").checker(in_place).message == "Well done."


# -- the note itself ----------------------------------------------------------------------------------


def test_html_escapes_everything_and_renders_code_spans():
    fb = Feedback("T <i>", INCORRECT, "Use `x -= lr * g` here, not <script>alert(1)</script> & `a<b`; a lone ` stays.",
                  seen="`f(1)` returned `<b>`", hints=("Try ``x[0]``.",), fix="`x = x - lr * g`")
    page = fb._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<i>" not in page and "<b>" not in page.replace("<b style", "")
    assert "<code>x -= lr * g</code>" in page and "<code>a&lt;b</code>" in page and "a lone ` stays" in page
    assert "<code>&lt;b&gt;</code>" in page and "<code>x[0]</code>" in page
    assert "<details><summary>show me the fix</summary><code>x = x - lr * g</code></details>" in page
    text = str(fb)
    assert "`x -= lr * g`" in text and "<code>" not in text and "Hint: Try ``x[0]``." in text
    assert "x = x - lr * g" not in text, "the fix stays folded away: it is not in the plain text"


def test_a_note_without_fix_has_no_fold():
    assert "<details>" not in Feedback("T", INCORRECT, "Wrong.")._repr_html_()
