"""What a checker hands back: a :class:`Feedback` note (used by the checkers of every chapter).

A note has a status ("correct", "not attempted yet", "incorrect", or "could not be checked" when
the checker itself failed) and a message that names the mistake and the idea behind it. It may
add the call that showed the problem, a few hints, and the corrected line, which the notebook
keeps folded under "show me the fix": the student should get the chance to find it first.

A note is truthy only when the answer is correct, so solution notebooks can ``assert`` it. In a
notebook it shows as a coloured box; ``str(note)`` is the same content as plain text.
"""

import html
import re
from dataclasses import dataclass

CORRECT, NOT_ATTEMPTED, INCORRECT = "correct", "not attempted yet", "incorrect"
BROKEN = "could not be checked"        # the checker's own fault, never the student's
_COLORS = {CORRECT: "#1b7837", NOT_ATTEMPTED: "#555555", INCORRECT: "#b2182b", BROKEN: "#8c510a"}
_ICONS = {CORRECT: "✔", NOT_ATTEMPTED: "…", INCORRECT: "✘", BROKEN: "⚠"}

# A Markdown code span: a run of backticks, some text, the same run again.
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def as_html(text):
    """``text`` as safe HTML: everything escaped first, then `code spans` shown as <code>.

    Escaping comes first, so whatever a message contains (an answer's ``repr`` with ``<script>`` in
    it, say) stays text; the code spans are recognised in the escaped text and cannot add markup.
    """
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(2).strip()}</code>", html.escape(text))


@dataclass
class Feedback:
    """The verdict on one exercise: a status and a message for the student."""
    exercise: str
    status: str
    message: str
    seen: str = ""          # the call that showed the problem, e.g. "`f([2, 3])` returned `6`"
    hints: tuple = ()       # general advice, given when no specific mistake was recognised
    fix: str = ""           # the corrected line: folded away in the notebook

    @property
    def correct(self):
        return self.status == CORRECT

    def __bool__(self):
        return self.correct

    def __str__(self):
        lines = [f"{_ICONS[self.status]} {self.exercise}: {self.status}. {self.message}".strip()]
        if self.seen:
            lines.append(f"  Seen on: {self.seen}")
        lines += [f"  Hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        color = _COLORS[self.status]
        parts = [f'<div style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">',
                 f'<b style="color:{color}">{_ICONS[self.status]} {html.escape(self.exercise)}: '
                 f'{self.status}.</b> {as_html(self.message)}']
        if self.seen:
            parts.append(f'<div style="color:#555;font-size:90%">Seen on: {as_html(self.seen)}</div>')
        if self.hints:
            items = "".join(f"<li>{as_html(hint)}</li>" for hint in self.hints)
            parts.append(f'<div>Hints:</div><ul style="margin:2px 0">{items}</ul>')
        if self.fix:
            parts.append(f"<details><summary>show me the fix</summary>{as_html(self.fix)}</details>")
        parts.append("</div>")
        return "\n".join(parts)


def correct(exercise, message="Well done."):
    return Feedback(exercise, CORRECT, message)


def not_attempted(exercise):
    return Feedback(exercise, NOT_ATTEMPTED, "Replace `raise NotImplementedError` with your code, run the cell, "
                                             "then run this check again.")


def incorrect(exercise, message, **details):
    return Feedback(exercise, INCORRECT, message, **details)
