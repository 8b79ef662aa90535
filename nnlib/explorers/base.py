"""The machinery shared by every explorer.

An explorer is a figure plus a few named parameters. A chapter's explorer
declares what it is made of and nothing else:

* ``params`` — its :class:`Slider`, :class:`Choice` and :class:`Toggle` parameters;
* ``setup(fig)`` — build the axes and artists once;
* ``draw(**values)`` — move the artists to show ``values``, and return the
  status text (a :class:`Status`, a string, or None);
* ``moving`` — the names of the attributes holding the artists that ``draw``
  changes at every call;
* ``slow`` and ``background`` — the artists that change only with the
  ``background`` parameters (a contour map that depends on the surface); the
  rest of the figure (axes, ticks, labels) is drawn once per set of axes limits;
* ``links`` — linked defaults: ``{"surface": fn}`` where ``fn(value)`` returns the
  values of other parameters that follow (a start point that follows the surface);
* ``sweeps`` — what the book shows in place of the live widget: a list of
  :class:`Sweep` (one parameter run through a list of values);
* ``presets`` — one-click buttons (:class:`Preset`) that set recommended values.

From that, this module gives every explorer:

* :meth:`Explorer.widget` for JupyterLab: controls, an image at its natural size
  and the status text as HTML. Renders run in a background thread and are
  coalesced: while one runs, only the latest value of each control is kept, so a
  fast drag never queues up stale pictures;
* :meth:`Explorer.to_png`, fast: only the moving artists are redrawn over the
  cached background;
* :meth:`Explorer.fallback` for the published book, where no kernel runs: a
  self-contained HTML player (frames, status text, play and scrub controls, no
  internet needed) for each sweep;
* :meth:`Explorer.show`, which picks the widget or the fallback. The book build
  sets ``NNLIB_BOOK_BUILD=1`` (see ``_ext/nnlib_book.py``) and the kernels that
  execute the chapters inherit it.
"""

import base64
import html
import io
import json
import math
import numbers
import os
import threading
import uuid
import warnings
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..plot import course_style

BOOK_ENV = "NNLIB_BOOK_BUILD"
# Matplotlib is not thread-safe (rcParams, the warnings filters, font caches), and the
# widgets render in a background thread: every explorer draws under this one lock.
_DRAWING = threading.RLock()
MIN_TEXT_PX = 11          # the smallest text an explorer image may hold, in its own pixels


def in_book_build():
    """True while the Jupyter Book build executes the notebooks."""
    return os.environ.get(BOOK_ENV, "") == "1"


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

def _fmt_range(low, high):
    return f"between {low:g} and {high:g}"


@dataclass
class Slider:
    """A numeric parameter from ``low`` to ``high``.

    ``log=True`` spaces the slider logarithmically (``step`` is then in powers
    of ten); ``integer=True`` makes it a whole number. A typed or programmatic
    value lands exactly: the slider only moves to the nearest position.
    """
    name: str
    low: float
    high: float
    value: float
    step: float = None
    label: str = None
    log: bool = False
    integer: bool = False

    def check(self, value):
        what = "a whole number" if self.integer else "a number"
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{self.name} must be {what} {_fmt_range(self.low, self.high)}, "
                            f"got {type(value).__name__} {value!r}.")
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise ValueError(f"{self.name} must be {what} {_fmt_range(self.low, self.high)}, got {value}.")
        if self.integer:
            if value != int(value):
                raise ValueError(f"{self.name} must be a whole number {_fmt_range(self.low, self.high)}, "
                                 f"got {value}.")
            return int(value)
        return float(value)

    # slider position <-> value (positions are log10(value) on a log slider)
    def position(self, value):
        return math.log10(value) if self.log else value

    def from_position(self, pos):
        if self.log:
            v = 10.0 ** pos
            v = float(f"{v:.3g}")                          # 3 significant digits: 0.0251, 1.58
        else:
            digits = max(0, -int(math.floor(math.log10(self.step or (self.high - self.low) / 100))))
            v = round(pos, digits)
        return min(max(v, self.low), self.high)


@dataclass
class Choice:
    """A parameter chosen from a list of options (a drop-down menu).

    Text options are matched without regard to case (``"and"`` means ``"AND"``),
    the same rule as :func:`nnlib.data.logic_gate`.
    """
    name: str
    options: list
    value: object
    label: str = None

    def check(self, value):
        if not isinstance(value, (bool, np.bool_)):
            for option in self.options:
                if isinstance(option, str) and isinstance(value, str):
                    if option.lower() == value.strip().lower():
                        return option
                elif not isinstance(option, str) and isinstance(value, numbers.Real) and option == value:
                    return option
        raise ValueError(f"{self.name} must be one of {list(self.options)}, got {value!r}.")


@dataclass
class Toggle:
    """An on/off parameter (a checkbox)."""
    name: str
    value: bool = False
    label: str = None

    def check(self, value):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{self.name} must be True or False, got {type(value).__name__}.")
        return bool(value)


@dataclass
class Sweep:
    """One kernel-free animation for the book: ``param`` run through ``values``.

    ``values`` is a list, or a function of the explorer's current values that
    returns one. ``fixed`` sets other parameters first. ``caption`` is a format
    string filled with the values (``"momentum fixed at μ = {momentum:.2f}"``),
    plus ``{first}`` and ``{last}``, the ends of the sweep.
    """
    param: str
    values: object
    caption: str = ""
    fixed: dict = field(default_factory=dict)


@dataclass
class Preset:
    """A button that sets recommended values: ``values(explorer_values)`` returns a
    dict of new values, or None when the preset does not apply (the button is
    then greyed out)."""
    label: str
    values: object
    tooltip: str = ""


@dataclass
class Status:
    """The text under an explorer's image: a few lines, a tone, and an optional table.

    ``tone`` is "good" (green), "bad" (red) or "info". ``table`` is a list of
    rows (tuples of strings), the first row being the header.
    """
    lines: list
    tone: str = "info"
    table: list = None
    table_title: str = ""
    notes: list = None

    def to_html(self):
        color = {"good": "#1b7837", "bad": "#b2182b"}.get(self.tone, "#222222")
        out = [f'<div style="font-size:14px;line-height:1.45;color:{color}">']
        out += [f"<div>{html.escape(str(line))}</div>" for line in self.lines if line]
        out.append("</div>")
        if self.table:
            out.append('<div style="font-size:13px;margin-top:6px;color:#222">')
            if self.table_title:
                out.append(f"<b>{html.escape(self.table_title)}</b>")
            out.append('<table style="border-collapse:collapse;font-variant-numeric:tabular-nums">')
            for i, row in enumerate(self.table):
                tag = "th" if i == 0 else "td"
                last = len(row) - 1            # numbers right-aligned; labels and formulas left
                cells = "".join(f'<{tag} style="padding:1px 14px 1px 0;text-align:'
                                f'{"left" if j == 0 or (j == last and last > 1) else "right"}">'
                                f"{html.escape(str(c))}</{tag}>" for j, c in enumerate(row))
                out.append(f"<tr>{cells}</tr>")
            out.append("</table>")
            out += [f'<div style="color:#555">{html.escape(n)}</div>' for n in (self.notes or [])]
            out.append("</div>")
        return "".join(out)

    def __str__(self):
        rows = ["  ".join(str(c) for c in row) for row in (self.table or [])]
        return "\n".join([str(line) for line in self.lines if line] + ([self.table_title] if self.table_title else [])
                         + rows + list(self.notes or []))


def _as_status(result):
    if result is None:
        return Status([])
    if isinstance(result, Status):
        return result
    return Status(str(result).splitlines())


# ---------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------

class Explorer:
    """Base class: a figure whose artists follow a set of named parameters.

    Subclasses define ``params``, ``figsize`` (inches; at ``dpi`` = 100 one inch
    is 100 pixels of the image) and the methods ``setup(fig)`` and
    ``draw(**values)``; see the module docstring for the optional declarations.
    Values given to the constructor override the defaults.
    """

    params = []
    figsize = (5.8, 3.2)
    dpi = 100
    moving = ()
    slow = ()
    background = ()
    links = {}
    sweeps = []
    presets = []
    png_colors = 0                # > 0: the live PNG uses a palette of this many colours
    book_colors = 64              # the book's frames do: 4x smaller pages, no visible loss

    def __init__(self, **values):
        self._spec = {p.name: p for p in self.params}
        self.values = {p.name: p.value for p in self.params}
        self._lock = _DRAWING
        self.status = Status([])
        self.renders = 0
        values = self._checked(values)
        self.values.update(values)
        with self._lock, course_style():
            self.fig = Figure(figsize=self.figsize, dpi=self.dpi)
            FigureCanvasAgg(self.fig)
            self.setup(self.fig)
            self.redraw()

    # -- to be provided by subclasses -------------------------------------
    def setup(self, fig):
        """Create axes and artists once."""
        raise NotImplementedError

    def draw(self, **values):
        """Move the artists to show ``values``; return the status text."""
        raise NotImplementedError

    # -- values ----------------------------------------------------------------
    def _checked(self, values):
        """Validate ``values`` and add the linked defaults they imply."""
        unknown = set(values) - set(self._spec)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no parameter(s) {sorted(unknown)}; "
                            f"its parameters are {list(self._spec)}.")
        checked = {k: self._spec[k].check(v) for k, v in values.items()}
        for name, follow in self.links.items():
            if name in checked:
                for k, v in follow(checked[name]).items():
                    checked.setdefault(k, self._spec[k].check(v))
        return checked

    def redraw(self):
        """Redraw for the current values, with NumPy warnings silenced (the
        explorer itself reports divergence and other trouble in its status)."""
        with self._lock, np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            self.status = _as_status(self.draw(**self.values))

    def set(self, **values):
        """Change some parameters (linked ones follow) and redraw; returns self."""
        checked = self._checked(values)
        with self._lock:
            self.values.update(checked)
            self.redraw()
        return self

    # -- pictures ----------------------------------------------------------------
    # The image is drawn in three layers. The static layer (axes, ticks, labels:
    # everything not named in ``slow`` or ``moving``) changes only with the axes'
    # limits; the slow layer (``slow``) only with the ``background`` parameters;
    # the moving artists every time. Both lower layers are kept as bitmaps, a few
    # of each, so going back to a surface seen before costs nothing.
    def _artists(self, names):
        out = []
        for name in names:
            a = getattr(self, name, None)
            if a is None:
                continue
            out.extend(x for x in (a if isinstance(a, (list, tuple)) else [a]) if x is not None)
        return sorted(out, key=lambda a: a.get_zorder())

    def _static_key(self):
        limits = tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.get_position().bounds)
                       for ax in self.fig.axes)
        return (limits, tuple(self.fig.get_size_inches()), self.fig.dpi)

    def _cached(self, cache, key, make):
        if key in cache:
            cache[key] = cache.pop(key)            # most recently used last
            self.fig.canvas.restore_region(cache[key])
            return False
        make()
        cache[key] = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        while len(cache) > 8:
            cache.pop(next(iter(cache)))
        return True

    def _pixels(self, fast=True):
        """The figure as an RGBA array, drawn in layers when ``fast``."""
        canvas = self.fig.canvas
        moving, slow = (self._artists(self.moving), self._artists(self.slow)) if fast else ([], [])
        if not (moving or slow):
            canvas.draw()
            return np.asarray(canvas.buffer_rgba())
        if not hasattr(self, "_layers"):
            self._layers = ({}, {})
        statics, slows = self._layers
        key = self._static_key()

        def draw_static():
            hidden = moving + slow
            for a in hidden:
                a.set_animated(True)
            try:
                canvas.draw()
            finally:
                for a in hidden:
                    a.set_animated(False)

        def draw_slow():
            self._cached(statics, key, draw_static)
            for a in slow:
                if a.get_visible():
                    self.fig.draw_artist(a)

        self._cached(slows, (key, tuple(self.values[p] for p in self.background)), draw_slow)
        for a in moving:
            if a.get_visible():
                self.fig.draw_artist(a)
        return np.asarray(canvas.buffer_rgba())

    def prefetch_items(self):
        """What :meth:`prefetch` draws ahead: every other option of each menu that
        changes the background (each surface of a surface menu)."""
        return [(p.name, o) for p in self.params if isinstance(p, Choice) and p.name in self.background
                for o in p.options if o != self.values[p.name]]

    def prefetch(self, items=None):
        """Draw the layers of ``items`` (default :meth:`prefetch_items`) ahead of time and
        keep them, then come back to the current values. The widget does this in the
        background while the student reads, so the first switch of a menu is as fast
        as the later ones."""
        for item in (self.prefetch_items() if items is None else items):
            self._prefetch_one(item)

    def _prefetch_one(self, item):
        name, option = item
        with self._lock:
            start, status = dict(self.values), self.status
            try:
                self.set(**{name: option})
                self._pixels()
            finally:
                self.values.update(start)
                self.redraw()
                self.status = status

    def to_png(self, *, fast=True, colors=None):
        """The current figure as PNG bytes (``fast=False`` redraws everything; ``colors``
        reduces it to a palette of that many colours, as the book's frames are)."""
        from PIL import Image

        with self._lock:
            rgba = self._pixels(fast)
            image = Image.fromarray(rgba[..., :3])
        colors = self.png_colors if colors is None else colors
        if colors:
            image = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=9 if colors else 1)
        self.renders += 1
        return out.getvalue()

    def size_px(self):
        """(width, height) of the image in pixels."""
        w, h = self.fig.get_size_inches() * self.fig.dpi
        return int(round(w)), int(round(h))

    def smallest_text_px(self):
        """The height of the smallest visible text in the image, in image pixels."""
        with self._lock:
            self.fig.canvas.draw()
            sizes = [t.get_fontsize() for t in self.fig.findobj(Text)
                     if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is self.fig
                     and _really_drawn(t)]
        return min(sizes) * self.fig.dpi / 72 if sizes else float("inf")

    # -- JupyterLab ----------------------------------------------------------------
    def widget(self):
        """Live controls, image and status text for JupyterLab."""
        return _ExplorerWidget(self).box

    # -- the book ----------------------------------------------------------------
    def animation(self, param, values, *, caption="", **fixed):
        """A kernel-free HTML player showing ``param`` run through ``values``
        (other parameters set from ``fixed`` first); the explorer is left as it was."""
        if param not in self._spec:
            raise TypeError(f"{type(self).__name__} has no parameter {param!r}; its parameters are {list(self._spec)}.")
        values = [self._spec[param].check(v) for v in values]
        if not values:
            raise ValueError("animation needs at least one value to show.")
        start = dict(self.values)
        frames = []
        try:
            self.set(**fixed)
            for v in values:
                self.set(**{param: v})
                label = f"{self._spec[param].label or param} = {_short(v)}"
                frames.append((self.to_png(fast=False, colors=self.book_colors), self.status.to_html(), label))
        finally:
            self.set(**start)
        return player_html(frames, caption=caption, width=self.size_px()[0])

    def fallback(self):
        """The book's stand-in for the widget: one player per declared sweep."""
        if not self.sweeps:
            raise NotImplementedError(f"{type(self).__name__} declares no sweeps for the book.")
        parts = []
        for sweep in self.sweeps:
            values = sweep.values(self.values) if callable(sweep.values) else list(sweep.values)
            caption = sweep.caption.format(**self.values, first=_short(values[0]), last=_short(values[-1]))
            parts.append(self.animation(sweep.param, values, caption=caption, **sweep.fixed))
        return "\n".join(parts)

    def show(self):
        """The live widget in JupyterLab, or the kernel-free fallback in the book."""
        if in_book_build():
            from IPython.display import HTML
            return HTML(self.fallback())
        return self.widget()


def _really_drawn(text):
    """False for texts that are clipped away or sit outside the figure."""
    try:
        bbox = text.get_window_extent()
    except Exception:
        return True
    fw, fh = text.get_figure(root=True).bbox.size
    return bbox.x1 > 0 and bbox.y1 > 0 and bbox.x0 < fw and bbox.y0 < fh


# ---------------------------------------------------------------------------
# Small helpers for drawing and for status text
# ---------------------------------------------------------------------------

def short(v):
    """A value as a status line shows it: 3 significant digits for floats."""
    return f"{v:.3g}" if isinstance(v, float) else str(v)


_short = short


def plural(n, word):
    """``plural(1, "step")`` → "1 step"; ``plural(3, "step")`` → "3 steps"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def clip_for_plot(values, low, high):
    """Values clipped to a margin around [low, high], so that far-away points (or NaN,
    ±inf after a divergence) draw as lines leaving the box instead of breaking the plot."""
    span = high - low
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=high + span, posinf=high + span, neginf=low - span)
    return np.clip(values, low - span, high + span)


_CORNERS = {"upper right": (0.42, 0.62), "center right": (0.42, 0.32), "lower right": (0.42, 0.0),
            "upper left": (0.0, 0.62), "lower left": (0.0, 0.0), "center left": (0.0, 0.32)}


def free_corner(curves, corners=("upper right", "center right", "lower right", "upper left", "lower left")):
    """The first legend location whose box (about 58 % wide, 38 % high) no curve passes
    through; ``curves`` are (x, y) pairs in axes coordinates (0..1)."""
    for loc in corners:
        x0, y0 = _CORNERS[loc]
        if not any(np.any((x >= x0) & (x <= x0 + 0.58) & (y >= y0) & (y <= y0 + 0.38)) for x, y in curves):
            return loc
    return corners[0]


# ---------------------------------------------------------------------------
# The live widget: controls, coalesced background renders
# ---------------------------------------------------------------------------

class _ExplorerWidget:
    """The ipywidgets of one explorer, and the thread that renders for them."""

    def __init__(self, explorer):
        import ipywidgets as W

        self.explorer = ex = explorer
        self.W = W
        self._pending = {}
        self._guard = False
        self._cv = threading.Condition()
        self._busy = False
        width, _ = ex.size_px()
        self.image = W.Image(value=ex.to_png(), format="png",
                             layout=W.Layout(width=f"{width}px", max_width="100%", height="auto"))
        self.image.add_class("nnlib-explorer-image")
        self.status = W.HTML(ex.status.to_html())
        self.status.add_class("nnlib-explorer-status")
        self.controls, rows = {}, []
        for p in ex.params:
            control, row = self._control(p)
            self.controls[p.name] = control
            rows.append(row)
        self.buttons = []
        for preset in ex.presets:
            b = W.Button(description=preset.label, tooltip=preset.tooltip,
                         layout=W.Layout(width="auto"))
            b.add_class("nnlib-preset")
            b.on_click(lambda _b, preset=preset: self._apply_preset(preset))
            self.buttons.append((b, preset))
        self._update_buttons()
        parts = [W.HBox(rows, layout=W.Layout(flex_flow="row wrap", max_width=f"{max(width, 580)}px"))]
        if self.buttons:
            parts.append(W.HBox([b for b, _ in self.buttons], layout=W.Layout(flex_flow="row wrap")))
        self.box = W.VBox(parts + [self.image, self.status])
        self.box.add_class("nnlib-explorer")
        self.box.add_class(f"nnlib-explorer-{type(ex).__name__}")
        self.box.explorer = ex          # handy for tests and for curious students
        self.box.controls = self.controls
        self.box.image = self.image
        self.box.status = self.status
        self.box.buttons = [b for b, _ in self.buttons]
        self.box.renderer = self
        self._prefetch = list(ex.prefetch_items()) if ex.moving or ex.slow else []
        if self._prefetch:
            self.submit({})                    # starts the worker, which draws ahead when idle

    # -- one control per parameter ---------------------------------------------------
    def _control(self, p):
        W = self.W
        value = self.explorer.values[p.name]
        label = p.label or p.name
        style = {"description_width": "110px"}
        if isinstance(p, Choice):
            c = W.Dropdown(options=p.options, value=value, description=label, style=style,
                           layout=W.Layout(width="280px"))
            row = c
        elif isinstance(p, Toggle):
            c = W.Checkbox(value=value, description=label, style=style)
            row = c
        elif p.integer:
            c = W.IntSlider(value=value, min=int(p.low), max=int(p.high), step=int(p.step or 1), description=label,
                            continuous_update=True, style=style, layout=W.Layout(width="280px"))
            row = c
        else:
            # the slider only drives; the text box holds the exact value
            lo, hi = p.position(p.low), p.position(p.high)
            step = p.step or ((hi - lo) / 200 if p.log else (p.high - p.low) / 100)
            slider = W.FloatSlider(value=p.position(value), min=lo, max=hi, step=step, readout=False,
                                   description=label, continuous_update=True, style=style,
                                   layout=W.Layout(width="200px"))
            c = W.BoundedFloatText(value=value, min=p.low, max=p.high, step=None, layout=W.Layout(width="76px"))
            slider.add_class(f"nnlib-param-{p.name}")
            c.add_class(f"nnlib-param-{p.name}-value")

            def slid(change, p=p, c=c):
                if not self._guard:
                    c.value = p.from_position(change["new"])    # → typed(), which renders
            slider.observe(slid, names="value")
            c.slider = slider
            row = W.HBox([slider, c], layout=W.Layout(width="290px"))
        if not isinstance(row, W.HBox):
            c.add_class(f"nnlib-param-{p.name}")
        c.observe(lambda change, name=p.name: self._changed(name, change["new"]), names="value")
        return c, row

    def _set_control(self, name, value):
        """Show ``value`` in a control without triggering a render."""
        c = self.controls[name]
        self._guard = True
        try:
            c.value = value
            if hasattr(c, "slider"):
                c.slider.value = min(max(self.explorer._spec[name].position(value), c.slider.min), c.slider.max)
        finally:
            self._guard = False

    def _changed(self, name, value):
        if self._guard:
            return
        try:
            checked = self.explorer._checked({name: value})
        except (TypeError, ValueError) as err:
            self.status.value = Status([str(err)], tone="bad").to_html()
            return
        for k, v in checked.items():
            if k != name:
                self._set_control(k, v)
        slider = getattr(self.controls[name], "slider", None)
        if slider is not None and abs(slider.value - self.explorer._spec[name].position(checked[name])) > slider.step:
            self._set_control(name, checked[name])          # a typed value: move the slider near it
        self.submit(checked)

    def _apply_preset(self, preset):
        new = preset.values(dict(self.explorer.values))
        if not new:
            return
        checked = self.explorer._checked(new)
        for k, v in checked.items():
            self._set_control(k, v)
        self.submit(checked)

    def _update_buttons(self):
        for b, preset in self.buttons:
            b.disabled = not preset.values(dict(self.explorer.values))

    # -- coalesced rendering -------------------------------------------------------
    def submit(self, values, *, wait=False):
        """Ask for a render with ``values``. While a render runs, later requests are
        merged, so only the latest value of each parameter is drawn next."""
        with self._cv:
            self._pending.update(values)
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._work, daemon=True, name="nnlib-explorer-render").start()
        if wait:
            self.wait()

    def wait(self, timeout=30):
        """Block until every requested render is on the image (for tests)."""
        with self._cv:
            self._cv.wait_for(lambda: not self._busy, timeout=timeout)

    def _work(self):
        while True:
            with self._cv:
                if not self._pending and self._prefetch:
                    item = self._prefetch.pop(0)
                else:
                    item = None
                if item is None and not self._pending:
                    self._busy = False
                    self._cv.notify_all()
                    return
                values, self._pending = self._pending, {}
            if item is not None:               # nothing asked for: draw a menu option ahead
                try:
                    self.explorer._prefetch_one(item)
                except Exception:              # prefetching is only an optimisation
                    self._prefetch.clear()
                continue
            if not values:
                continue
            try:
                with self.explorer._lock:
                    self.explorer.values.update(values)
                    self.explorer.redraw()
                    png = self.explorer.to_png()
                    status = self.explorer.status.to_html()
                self.image.value = png
                self.status.value = status
                self._update_buttons()
            except Exception as err:       # shown to the student, never lost in a thread
                self.status.value = Status([f"The explorer could not draw this: {type(err).__name__}: {err}"],
                                           tone="bad").to_html()


# ---------------------------------------------------------------------------
# The book's player
# ---------------------------------------------------------------------------

_PLAYER_JS = """
(function () {
  var root = document.getElementById(%(id)s), frames = %(frames)s;
  var img = root.querySelector("img"), status = root.querySelector(".nnlib-player-status"),
      range = root.querySelector("input[type=range]"), label = root.querySelector(".nnlib-player-label"),
      play = root.querySelector("button"), timer = null;
  function show(i) {
    var f = frames[i]; img.src = "data:image/png;base64," + f[0]; status.innerHTML = f[1];
    label.textContent = f[2] + "  (" + (i + 1) + " of " + frames.length + ")"; range.value = i;
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "\\u25B6 play"; }
  range.addEventListener("input", function () { stop(); show(+range.value); });
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    play.textContent = "\\u275A\\u275A pause";
    timer = setInterval(function () {
      var i = +range.value + 1; if (i >= frames.length) { stop(); return; } show(i);
    }, %(interval)d);
  });
  show(0);
})();
"""


def player_html(frames, *, caption="", width=580, interval=700):
    """A self-contained HTML player for ``frames``: a list of ``(png_bytes, status_html,
    label)``. Play/pause and a range slider; nothing is fetched from the internet."""
    uid = "nnlib-player-" + uuid.uuid4().hex[:10]
    data = [[base64.b64encode(png).decode("ascii"), status, label] for png, status, label in frames]
    first = data[0][0]
    js = _PLAYER_JS % {"id": json.dumps(uid), "frames": json.dumps(data), "interval": interval}
    return (f'<div class="animation nnlib-player" id="{uid}" style="max-width:{width}px">'
            + (f'<p class="nnlib-player-caption"><b>{html.escape(caption)}</b></p>' if caption else "")
            + f'<img alt="{html.escape(caption or "explorer frame")}" style="width:100%;max-width:{width}px" '
              f'src="data:image/png;base64,{first}">'
            + '<div style="display:flex;gap:10px;align-items:center;margin:4px 0">'
              '<button type="button" style="font-size:14px">&#9654; play</button>'
              f'<input type="range" min="0" max="{len(frames) - 1}" step="1" value="0" style="flex:1" '
              'aria-label="frame">'
              '</div><div class="nnlib-player-label" style="font-size:13px;color:#555"></div>'
            + '<div class="nnlib-player-status" style="min-height:3em"></div>'
            + f"<script>{js}</script></div>")
