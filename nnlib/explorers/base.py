"""The machinery shared by every explorer.

An explorer is a figure plus a few named parameters. Subclasses say which
parameters exist (``params``), build the figure once (``setup``) and move its
artists to match the current values (``draw``). The base class turns that
into two things:

* in JupyterLab, :meth:`Explorer.widget` — sliders and menus wired to an
  image that is re-rendered on every change (only the artists move; the figure,
  its axes and any expensive background are built once);
* in the published book, where no kernel runs, :meth:`Explorer.animation` —
  a self-contained HTML animation (matplotlib's ``to_jshtml``) whose frames
  sweep one parameter, with play and scrub controls that need no internet.

:meth:`Explorer.show` picks between them: the book build sets the environment
variable ``NNLIB_BOOK_BUILD=1`` (see ``_ext/nnlib_book.py``), and the kernels
that execute the chapters inherit it. So one call in a notebook gives a live
widget to a student and a working fallback to a reader.
"""

import io
import math
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plot import course_style

BOOK_ENV = "NNLIB_BOOK_BUILD"


def in_book_build():
    """True while the Jupyter Book build executes the notebooks."""
    return os.environ.get(BOOK_ENV, "") == "1"


@dataclass
class Slider:
    """A numeric parameter. ``log=True`` spaces the slider logarithmically."""
    name: str
    low: float
    high: float
    value: float
    step: float = None
    label: str = None
    log: bool = False
    integer: bool = False

    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{self.name} must be a number between {self.low} and {self.high}, "
                            f"got {type(value).__name__}.")
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise ValueError(f"{self.name} must be between {self.low} and {self.high}, got {value}.")
        return int(round(value)) if self.integer else float(value)


@dataclass
class Choice:
    """A parameter chosen from a list of options (a drop-down menu)."""
    name: str
    options: list
    value: object
    label: str = None

    def check(self, value):
        if value not in self.options:
            raise ValueError(f"{self.name} must be one of {list(self.options)}, got {value!r}.")
        return value


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


_ICONS = {  # Font Awesome icons of matplotlib's player → plain characters (no CDN needed).
    # Only characters that ordinary text fonts have (e.g. DejaVu Sans):
    # the media-control symbols U+23ED..U+23F8 exist only in emoji fonts.
    "fa fa-minus": "−", "fa fa-fast-backward": "|◀︎◀︎", "fa fa-step-backward": "|◀︎",
    "fa fa-play fa-flip-horizontal": "◀︎", "fa fa-pause": "❚❚", "fa fa-play": "▶︎",
    "fa fa-step-forward": "▶︎|", "fa fa-fast-forward": "▶︎▶︎|", "fa fa-plus": "+",
}


def offline_jshtml(html):
    """Make matplotlib's ``to_jshtml`` output work with no internet.

    Removes the Font Awesome stylesheet link (a CDN request) and replaces the
    icon elements it would have drawn with plain characters.
    """
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)
    for cls, char in _ICONS.items():
        html = html.replace(f'<i class="{cls}"></i>', f'<span aria-hidden="true">{char}</span>')
    if "font-awesome" in html or "<i class=\"fa" in html:
        raise RuntimeError("offline_jshtml: matplotlib's animation template changed; update _ICONS.")
    return html


class Explorer:
    """Base class: a figure whose artists follow a set of named parameters.

    Subclasses define ``params`` (a list of :class:`Slider`, :class:`Choice`
    or :class:`Toggle`), ``figsize``, and the two methods ``setup(fig)`` and
    ``draw(**values)``. Values given to the constructor override defaults.
    """

    params = []
    figsize = (8, 4)
    dpi = 90

    def __init__(self, **values):
        self._spec = {p.name: p for p in self.params}
        self.values = {p.name: p.value for p in self.params}
        self._check(values)
        self.values.update({k: self._spec[k].check(v) for k, v in values.items()})
        with course_style():
            self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(self.fig)
            self.setup(self.fig)
        self.redraw()

    # -- to be provided by subclasses -------------------------------------
    def setup(self, fig):
        """Create axes and artists once."""
        raise NotImplementedError

    def draw(self, **values):
        """Move the artists to show ``values``."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------
    def _check(self, values):
        unknown = set(values) - set(self._spec)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no parameter(s) {sorted(unknown)}; "
                            f"its parameters are {list(self._spec)}.")

    def redraw(self):
        """Redraw for the current values, with NumPy warnings silenced (the
        explorer itself reports divergence and other trouble in the figure)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            self.draw(**self.values)

    def set(self, **values):
        """Change some parameters and redraw; returns self."""
        self._check(values)
        checked = {k: self._spec[k].check(v) for k, v in values.items()}
        self.values.update(checked)
        self.redraw()
        return self

    def to_png(self):
        """The current figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()

    def widget(self):
        """Live controls and image for JupyterLab."""
        import ipywidgets as W

        image = W.Image(value=self.to_png(), format="png")
        image.layout.max_width = "100%"
        controls = {}
        for p in self.params:
            label = p.label or p.name
            style = {"description_width": "initial"}
            if isinstance(p, Choice):
                c = W.Dropdown(options=p.options, value=self.values[p.name], description=label, style=style)
            elif isinstance(p, Toggle):
                c = W.Checkbox(value=self.values[p.name], description=label, style=style)
            elif p.log:
                c = W.FloatLogSlider(value=self.values[p.name], min=math.log10(p.low), max=math.log10(p.high),
                                     step=p.step or 0.05, base=10, description=label, readout_format=".3g",
                                     continuous_update=True, style=style)
            elif p.integer:
                c = W.IntSlider(value=self.values[p.name], min=int(p.low), max=int(p.high), step=int(p.step or 1),
                                description=label, continuous_update=True, style=style)
            else:
                c = W.FloatSlider(value=self.values[p.name], min=p.low, max=p.high, step=p.step or (p.high - p.low) / 100,
                                  description=label, readout_format=".3g", continuous_update=True, style=style)
            c.layout.width = "420px"
            controls[p.name] = c

        def on_change(change, name):
            self.set(**{name: change["new"]})
            image.value = self.to_png()

        for name, c in controls.items():
            c.observe(lambda ch, name=name: on_change(ch, name), names="value")
        box = W.VBox([W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")), image])
        box.explorer = self      # handy for tests and for curious students
        box.controls = controls
        box.image = image
        return box

    def animation(self, param, values, *, interval=400, **fixed):
        """A kernel-free HTML animation sweeping ``param`` through ``values``.

        Other parameters are set from ``fixed`` first. The reader scrubs the
        frames with a slider or plays them; every frame is a rendered figure.
        """
        if param not in self._spec:
            raise TypeError(f"{type(self).__name__} has no parameter {param!r}; its parameters are {list(self._spec)}.")
        values = [self._spec[param].check(v) for v in values]
        if not values:
            raise ValueError("animation needs at least one value to show.")
        self.set(**fixed)
        start = dict(self.values)

        def frame(i):
            self.set(**{param: values[i]})
            return []

        anim = FuncAnimation(self.fig, frame, frames=len(values), interval=interval, blit=False)
        html = anim.to_jshtml(default_mode="once")
        self.set(**start)
        return offline_jshtml(html)

    def fallback(self):
        """The book's stand-in: subclasses return ``self.animation(...)``."""
        raise NotImplementedError

    def show(self):
        """The live widget in JupyterLab, or the kernel-free fallback in the book."""
        if in_book_build():
            from IPython.display import HTML
            return HTML(self.fallback())
        return self.widget()
