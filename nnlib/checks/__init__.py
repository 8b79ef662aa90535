"""Exercise checkers, one module per chapter (``ch02``, ``ch06``, ...).

Every checker returns a :class:`~nnlib.checks.core.Feedback`: "correct",
"not attempted yet" or "incorrect" with a message that names the mistake.
"""

from .core import Feedback

__all__ = ["Feedback"]
