"""Interactive explorers, one module per chapter (``ch01``, ``ch02``, ...).

Each explorer is a live widget in JupyterLab and a kernel-free player in the
published book; the machinery is in :mod:`nnlib.explorers.base`.
"""

from .base import BOOK_ENV, Choice, Explorer, Preset, Slider, Status, Sweep, Toggle, in_book_build, player_html

CHAPTERS = ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08"]


def all_explorers():
    """Every explorer class of the course, from each chapter module's ``EXPLORERS`` list."""
    import importlib
    return [cls for name in CHAPTERS for cls in importlib.import_module(f"{__name__}.{name}").EXPLORERS]


__all__ = ["all_explorers", "BOOK_ENV", "Choice", "Explorer", "Preset", "Slider", "Status", "Sweep", "Toggle", "in_book_build",
           "player_html"]
