"""Exercise checkers, one module per chapter (``ch01``, ``ch02``, ``ch06``, ...).

Each chapter module describes its exercises as data (see :mod:`nnlib.checks.core`), lists them in
``EXERCISES`` and exposes ``check_<name>`` for its notebook. Every checker returns a
:class:`~nnlib.checks.feedback.Feedback`: "correct", "not attempted yet" or "incorrect", with a
message that names the mistake. :func:`all_exercises` finds every exercise of every chapter; the
teacher's ``python -m nnlib.selfcheck`` and the tests use it, so a new chapter module is picked up
without a list to update.
"""

import importlib
import pkgutil
import re

from .feedback import Feedback

__all__ = ["Feedback", "chapters", "all_exercises"]


def chapters():
    """``{"01": module, "02": module, ...}``: every chapter module ``chNN`` of this package, in order."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"ch\d\d", m.name))
    return {name[2:]: importlib.import_module(f"{__name__}.{name}") for name in names}


def all_exercises():
    """Every exercise of every chapter, in chapter order."""
    return [exercise for module in chapters().values() for exercise in module.EXERCISES]
