"""Explorer for chapter 08, MNIST: draw your own digit and watch the trained network read it.

:class:`DrawDigit` is a different kind of explorer from the slider ones of
:mod:`nnlib.explorers.base`: the student's input is a drawing, not a few
numbers. In JupyterLab it is a canvas (an ``anywidget``: the small JavaScript
module ``draw_digit.js`` next to this file, shipped with nnlib, so nothing is
built or downloaded, and it also runs in VS Code and Colab). At the end of
each stroke the strokes go to Python, which does everything the chapter
explains, with the library's own functions:

1. :func:`nnlib.data.render_strokes` turns the pen strokes into an ink image;
2. :func:`nnlib.data.preprocess_drawing` makes it an MNIST image: cropped,
   fitted to 20 × 20, strokes as wide as MNIST's, centred by mass in 28 × 28;
3. the model gives 10 outputs; logits become confidences by
   :func:`nnlib.activations.softmax` (a model ending in a sigmoid already
   gives numbers in [0, 1], shown as they are).

The canvas then shows the 28 × 28 image the network saw, the predicted
digit and the 10 confidences as bars. The bars are drawn by the browser (in
the course's colours) rather than as a Matplotlib picture: they follow
within a few milliseconds of the answer and stay sharp at any zoom.

In the book no kernel runs, so :meth:`DrawDigit.fallback` shows a gallery
instead: the course's own drawings (``data/strokes/*.json``, see
:func:`nnlib.data.load_strokes`), each read by the model during the build.

``EXPLORERS`` is empty: the generic tests and benchmarks of slider explorers
(``tests/test_explorer_base.py``, ``benchmarks/bench_explorers.py``) do not
apply to a canvas; ``tests/test_drawing.py`` and ``tests/test_lab_drawing.py``
test this one.
"""

import base64
import html
import io
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..activations import softmax
from ..data import load_strokes, preprocess_drawing, render_strokes
from ..layers import Linear, Sigmoid
from ..plot import ACCENT, NEUTRAL
from ..validate import as_number, as_positive_int
from .base import in_book_build

EXPLORERS = []      # DrawDigit is not a slider Explorer (see the module docstring)

HERE = Path(__file__).resolve().parent
HINT = "Draw one digit, as big as the box, with the mouse, a finger or a pen."
OUTPUTS = ("auto", "logits", "probabilities")
WRONG = "#b2182b"


@dataclass
class Reading:
    """What the network made of one drawing."""
    image: np.ndarray          # (784,) float32: the 28 × 28 image the network saw
    confidences: np.ndarray    # (10,): one per digit
    digit: int                 # the most confident digit

    @property
    def confidence(self):
        return float(self.confidences[self.digit])

    def sentence(self):
        """The answer in words, with the runner-up."""
        second = int(np.argsort(self.confidences)[-2])
        return (f"The network reads {_a(self.digit)}, with confidence {self.confidence:.0%}; "
                f"its next guess is {second} ({self.confidences[second]:.0%}).")


class DrawDigit:
    """Draw a digit; a trained network reads it (chapter 08).

    ``model`` maps a batch of MNIST images (n, 784), pixels in [0, 1], to 10
    outputs per image, e.g. a trained :class:`~nnlib.layers.Sequential`.
    ``outputs`` says what they are: "logits" (turned into confidences with
    softmax), "probabilities" (shown as they are), or "auto": probabilities
    when the model ends in a Sigmoid, logits when it ends in a Linear layer,
    otherwise judged from whether its outputs lie in [0, 1]. ``size`` is the
    canvas in pixels and ``pen`` the width of the line (default size / 14).

    ``DrawDigit(model).show()`` gives the canvas in JupyterLab and the gallery
    of the course's drawings in the book.
    """

    def __init__(self, model, *, outputs="auto", size=280, pen=None):
        if not callable(getattr(model, "forward", None)):
            raise TypeError(f"model must be a trained network with a forward(X) method, such as a "
                            f"Sequential; got {type(model).__name__}.")
        if not (isinstance(outputs, str) and outputs in OUTPUTS):
            raise ValueError(f"outputs must be one of {', '.join(map(repr, OUTPUTS))}, got {outputs!r}.")
        self.model = model
        self.size = as_positive_int(size, "size")
        self.pen = self.size / 14 if pen is None else as_number(pen, "pen", low=0, low_inclusive=False)
        probe = np.random.default_rng(0).random((2, 784), dtype=np.float32)
        try:
            Z = np.asarray(model.forward(probe))
        except Exception as err:
            raise TypeError(f"model could not read MNIST images of shape (n, 784): "
                            f"{type(err).__name__}: {err}") from None
        if Z.shape != (2, 10):
            raise ValueError(f"model must give 10 outputs per image (one per digit), shape (n, 10); for 2 images "
                             f"it gave shape {Z.shape}.")
        self.outputs = _output_kind(model, Z) if outputs == "auto" else outputs
        self.latencies_ms = []          # Python's time for each stroke: strokes in → answer out
        self._widget = None

    # -- reading ------------------------------------------------------------------------
    def confidences(self, X):
        """The 10 confidences of each image of X (n, 784): softmax of the logits, or the
        model's own outputs when they are probabilities."""
        Z = np.asarray(self.model.forward(X), dtype=np.float64)
        return softmax(Z) if self.outputs == "logits" else np.clip(Z, 0, 1)

    def read_image(self, image):
        """A :class:`Reading` of an ink image (H, W) of any size (see preprocess_drawing)."""
        x = preprocess_drawing(image)
        p = self.confidences(x[None, :])[0]
        return Reading(image=x, confidences=p, digit=int(np.argmax(p)))

    def read(self, strokes):
        """A :class:`Reading` of pen strokes on this canvas (see render_strokes)."""
        return self.read_image(render_strokes(strokes, size=self.size, width=self.pen))

    # -- JupyterLab -----------------------------------------------------------------------
    def widget(self):
        """The live canvas: draw, and the answer follows each stroke."""
        w = _widget_class()(size=self.size, pen=float(self.pen), message=HINT)
        w.add_class("nnlib-explorer")
        w.add_class("nnlib-explorer-DrawDigit")
        w.explorer = self                   # handy for tests and for curious students
        w.observe(lambda change: self._answer(w, change["new"]), names="strokes")
        self._widget = w
        return w

    def _answer(self, w, strokes):
        """Strokes in (from the browser, or set in Python), answer out: all traits in one message."""
        start = time.perf_counter()
        with w.hold_sync():
            try:
                if not strokes:
                    w.probs, w.image, w.digit, w.message = [], [], -1, HINT
                else:
                    r = self.read(strokes)
                    w.probs = [round(float(p), 4) for p in r.confidences]
                    w.image = np.rint(r.image * 255).astype(int).tolist()
                    w.digit, w.message = r.digit, r.sentence()
            except Exception as err:        # shown to the student, never lost in a log
                w.probs, w.image, w.digit = [], [], -1
                w.message = f"Nothing to read: {err}" if isinstance(err, ValueError) else \
                    f"The network could not read this drawing: {type(err).__name__}: {err}"
            ms = (time.perf_counter() - start) * 1000
            self.latencies_ms.append(ms)
            w.python_ms = round(ms, 2)
            w.version += 1

    def clear(self):
        """Wipe the canvas of the last widget (as its Clear button does)."""
        if self._widget is not None:
            self._widget.strokes = []

    # -- the book -----------------------------------------------------------------------------
    def fallback(self, drawings=None):
        """The book's stand-in: a gallery of drawings (default: the course's own,
        :func:`nnlib.data.load_strokes`), each with the 28 × 28 image the network
        saw, its answer and its 10 confidences. Self-contained HTML."""
        drawings = load_strokes() if drawings is None else drawings
        tiles, right = [], 0
        for d in drawings:
            ink = render_strokes(d["strokes"], size=d["size"])
            r = self.read_image(ink)
            right += r.digit == d["digit"]
            tiles.append(_tile(d, ink, r))
        n = len(drawings)
        return ('<div class="nnlib-draw-gallery" style="max-width:760px;font-size:14px;color:#222">'
                f'<p style="margin:0 0 6px"><b>The network reads {right} of these {n} hand-drawn digits '
                f'correctly.</b> Each tile: the drawing, the 28 × 28 image the network receives '
                f'(after <code>preprocess_drawing</code>), its answer with its confidence, and its 10 '
                f'confidences (digits 0–9). In JupyterLab you draw your own.</p>'
                '<div style="display:flex;flex-wrap:wrap;gap:10px">' + "".join(tiles) + "</div></div>")

    def show(self):
        """The canvas in JupyterLab, or the gallery in the book."""
        if in_book_build():
            from IPython.display import HTML
            return HTML(self.fallback())
        return self.widget()


def _a(digit):
    """"a 3", "an 8": the digit with its article."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def _output_kind(model, Z):
    last = model.layers[-1] if isinstance(getattr(model, "layers", None), list) and model.layers else model
    if isinstance(last, Sigmoid):
        return "probabilities"
    if isinstance(last, Linear):
        return "logits"
    return "probabilities" if np.all((Z >= 0) & (Z <= 1)) else "logits"


@lru_cache(maxsize=None)
def _widget_class():
    """The anywidget class, made on first use (importing this module needs no front end)."""
    import anywidget
    import traitlets as T

    class DrawDigitWidget(anywidget.AnyWidget):
        """The canvas of :class:`DrawDigit`; ``strokes`` comes from the browser, the rest from Python."""
        _esm = (HERE / "draw_digit.js").read_text(encoding="utf-8")
        _css = (HERE / "draw_digit.css").read_text(encoding="utf-8")
        size = T.Int(280).tag(sync=True)
        pen = T.Float(20.0).tag(sync=True)
        strokes = T.List().tag(sync=True)           # [[[x, y], ...], ...] in canvas pixels
        probs = T.List().tag(sync=True)             # 10 confidences, or [] before the first stroke
        image = T.List().tag(sync=True)             # 784 ink values 0-255: the 28 x 28 image
        digit = T.Int(-1).tag(sync=True)            # -1: nothing to read
        message = T.Unicode("").tag(sync=True)
        python_ms = T.Float(0.0).tag(sync=True)     # strokes in → answer out, in Python
        version = T.Int(0).tag(sync=True)           # +1 for each answer: the browser redraws then

        def __repr__(self):
            answer = f"reads a {self.digit}" if self.digit >= 0 else "nothing drawn yet"
            return f"<DrawDigit canvas: {len(self.strokes)} stroke(s), {answer}>"

    DrawDigitWidget.__qualname__ = "DrawDigitWidget"
    DrawDigitWidget.__module__ = __name__
    return DrawDigitWidget


def _png(gray, scale=1):
    """PNG bytes, base64, of an ink image in [0, 1] (ink dark on white), enlarged ``scale`` times."""
    from PIL import Image

    img = Image.fromarray(np.rint(255 * (1 - np.clip(gray, 0, 1))).astype(np.uint8), mode="L")
    if scale > 1:
        img = img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    img.save(out, format="png")
    return base64.b64encode(out.getvalue()).decode("ascii")


def _thumbnail(ink, px=84):
    """The drawing shrunk to ``px`` pixels by area averaging (what the eye sees of it)."""
    from PIL import Image

    img = Image.fromarray(np.rint(255 * (1 - ink)).astype(np.uint8), mode="L")
    out = io.BytesIO()
    img.resize((px, px), Image.Resampling.BOX).save(out, format="png")
    return base64.b64encode(out.getvalue()).decode("ascii")


def _tile(drawing, ink, r):
    ok = r.digit == drawing["digit"]
    color = ACCENT if ok else WRONG
    bars = "".join(
        f'<div title="{k}: {p:.1%}" style="display:flex;flex-direction:column;align-items:center;width:11px">'
        f'<div style="height:36px;width:9px;display:flex;align-items:flex-end;border-bottom:1px solid #555">'
        f'<div style="width:9px;height:{100 * p:.0f}%;background:{ACCENT if k == r.digit else NEUTRAL}"></div></div>'
        f'<div style="font-size:11px;line-height:1.2">{k}</div></div>' for k, p in enumerate(r.confidences))
    verdict = "" if ok else f'<div style="color:{WRONG};font-size:13px">drawn as {_a(drawing["digit"])}</div>'
    alt = html.escape(f"a hand-drawn {drawing['digit']}")
    return (f'<figure class="nnlib-draw-tile" style="margin:0;padding:6px;border:1px solid {"#ccc" if ok else WRONG};'
            f'border-radius:4px;width:178px">'
            f'<div style="display:flex;gap:6px">'
            f'<img alt="{alt}" width="84" height="84" style="border:1px solid #bbb" '
            f'src="data:image/png;base64,{_thumbnail(ink)}">'
            f'<img alt="the 28 × 28 image the network sees" width="84" height="84" '
            f'style="border:1px solid #bbb;image-rendering:pixelated" '
            f'src="data:image/png;base64,{_png(r.image.reshape(28, 28), scale=3)}"></div>'
            f'<figcaption style="display:flex;gap:8px;align-items:center;margin-top:4px">'
            f'<div style="text-align:center;min-width:52px"><div style="font-size:30px;font-weight:700;line-height:1;'
            f'color:{color}">{r.digit}</div><div style="font-size:12px">{r.confidence:.0%}</div>{verdict}</div>'
            f'<div style="display:flex;gap:1px">{bars}</div></figcaption></figure>')
