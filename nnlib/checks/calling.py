"""Calling a student's function, with a time limit (a part of the checkers' runner, core.py).

Whatever happens inside the student's code becomes words: ``NotImplementedError`` means "not
attempted yet"; any other exception is reported with its type, its message and the student's own
line; a call that runs longer than :data:`TIME_LIMIT` seconds is given up on, with a hint about
loops that never end. Nothing escapes except ``KeyboardInterrupt`` (the student pressed stop).

The time limit uses ``SIGALRM`` where it can (the main thread of a Unix process: a Jupyter
kernel, pytest), which interrupts the student's loop itself. Elsewhere the call runs in a helper
thread and the checker stops waiting for it; the thread cannot be killed and finishes on its own.
"""

import os
import signal
import threading
import time
import traceback

import numpy as np

from .feedback import INCORRECT, NOT_ATTEMPTED

TIME_LIMIT = 3.0     # seconds per call of the student's function

_LIBRARIES = (os.path.dirname(np.__file__), os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _TimeUp(BaseException):
    """Raised inside the student's code when its time is up (a BaseException: `except Exception` can't eat it)."""


def call_student(fn, args, kwargs):
    """``fn(*args, **kwargs)`` → ``(value, None)``, or ``(None, (status, message))`` when it went wrong."""
    limit = TIME_LIMIT
    try:
        return _with_time_limit(fn, args, kwargs, limit), None
    except NotImplementedError:
        return None, (NOT_ATTEMPTED, "Replace `raise NotImplementedError` with your code, run the cell, then run "
                                     "this check again.")
    except _TimeUp:
        return None, (INCORRECT, f"Your function was still running after {limit:g} seconds, so the check gave up "
                                 "on it. Look for a loop that never ends: a `while` whose condition never becomes "
                                 "False, or a counter that is never increased.")
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # the student's bug (even `exit()`) is feedback, not a crash
        return None, (INCORRECT, f"Your function raised {_describe(err)}{_student_line(err)}.")


def _describe(err):
    try:
        text = str(err)
    except Exception:
        text = ""
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _student_line(err):
    """" (line 3: `return x / lr`)" for the deepest frame of the student's own code, or ""."""
    frames = traceback.extract_tb(err.__traceback__)
    theirs = [f for f in frames if not os.path.abspath(f.filename).startswith(_LIBRARIES)]
    if not theirs:
        return ""
    frame = theirs[-1]
    line = (frame.line or "").strip()
    return f" (line {frame.lineno}: `{line}`)" if line else f" (line {frame.lineno})"


def _with_time_limit(fn, args, kwargs, seconds):
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _with_alarm(fn, args, kwargs, seconds)
    return _in_thread(fn, args, kwargs, seconds)


def _with_alarm(fn, args, kwargs, seconds):
    armed = [True]

    def time_up(signum, frame):
        if armed[0]:
            raise _TimeUp

    start = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, time_up)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)  # repeats, in case a bare except eats it
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:      # somebody else's alarm was running: give back what is left of it
            left = max(previous_timer[0] - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, previous_timer[1])


def _in_thread(fn, args, kwargs, seconds):
    box = {}

    def work():
        try:
            with np.errstate(all="ignore"):
                box["value"] = fn(*args, **kwargs)
        except BaseException as err:
            box["error"] = err

    worker = threading.Thread(target=work, name="student answer", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _TimeUp
    if "error" in box:
        raise box["error"]
    return box["value"]
