"""Interactive explorers, one module per chapter (``ch01``, ``ch02``, ...).

Each explorer is a live widget in JupyterLab and a kernel-free animation in
the published book; see :mod:`nnlib.explorers.base`.
"""

from .base import BOOK_ENV, Choice, Explorer, Slider, Toggle, in_book_build, offline_jshtml

__all__ = ["BOOK_ENV", "Choice", "Explorer", "Slider", "Toggle", "in_book_build", "offline_jshtml"]
