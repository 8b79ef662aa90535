"""Explorers for chapter 06, gradient descent.

* :class:`GradientDescent1D` — a ball rolling on a curve: learning rate,
  momentum, start point, number of steps and surface. Shows the path (step
  numbers on it), the slope at the current point and the loss per step, with
  the plain-GD path as a ghost whenever momentum is on.
* :class:`GradientDescent2D` — the same on a contour map with downhill arrows,
  plain GD and momentum overlaid, the loss on a log scale and, for quadratic
  surfaces, the theory (eigenvalues, κ, stable / best learning rate, best
  momentum, predicted against measured rates) in a panel of its own.
* :class:`MiniBatchSGD` — logistic regression on a toy set: batch size and
  learning rate; the noisy SGD path and loss next to full-batch GD.

All three keep their figure and move only the artists that change (the
contour map is computed once per surface), so a slider change costs little
more than encoding the PNG; ``benchmarks/bench_explorer_2d.py`` measures it.
"""

import numpy as np

from ..data import blobs, minibatches
from ..losses import binary_cross_entropy
from ..optim import predicted_rate, quadratic_theory, trajectory
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL
from ..surfaces import SURFACES_1D, SURFACES_2D, get_surface, ravine
from ..validate import as_labels, as_matrix, as_number, as_positive_int
from .base import Choice, Explorer, Slider

BLUE = CLASS_COLORS[0]      # plain gradient descent
ORANGE = ACCENT             # gradient descent with momentum (the "ball")
RED = "#b2182b"
GREEN = "#1b7837"


def _clip(values, low, high):
    """Clip to a margin around [low, high] so far-away points draw as lines leaving the box."""
    span = high - low
    return np.clip(np.nan_to_num(values, nan=high + span, posinf=high + span, neginf=low - span),
                   low - span, high + span)


def _steps(k):
    return f"{k} step" if k == 1 else f"{k} steps"


def _fmt(x, digits=3):
    return f"{x:.{digits}g}"


def _rate(r):
    """A convergence rate with enough digits to tell 0.9995 from 1."""
    if not np.isfinite(r):
        return "—"
    return f"{r:.4f}" if 0.99 <= r < 1 else f"{r:.3f}"


def _row(label, a, b):
    """One line of the theory table: a label, then two right-aligned columns."""
    return f"{label:<23}{a:>6}  {b:>8}"


def _num(v):
    """A coordinate for a label: at most 2 decimals, trailing zeros and "-0" dropped."""
    t = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if t == "-0" else t


def _free_corner(curves, corners=("upper right", "center right", "lower right", "upper left")):
    """The first legend location whose box (about 55 % wide, 35 % high) no curve passes through.

    ``curves`` are (x, y) pairs in axes coordinates (0..1).
    """
    boxes = {"upper right": (0.42, 0.62), "center right": (0.42, 0.32), "lower right": (0.42, 0.0),
             "upper left": (0.0, 0.62)}
    for loc in corners:
        x0, y0 = boxes[loc]
        if not any(np.any((x >= x0) & (x <= x0 + 0.58) & (y >= y0) & (y <= y0 + 0.38)) for x, y in curves):
            return loc
    return corners[0]


def _growing(losses, k=6):
    """True when the loss rose at each of the last ``k`` steps and ends above where it started."""
    tail = np.asarray(losses[-(k + 1):], dtype=float)
    return len(tail) == k + 1 and bool(np.all(np.diff(tail) > 0)) and losses[-1] > losses[0]


class _FastPNG:
    """Mixin: render the unchanging part of the figure once, then only the moving artists.

    The background (axes, ticks, contour map) is drawn with the moving artists
    hidden and kept as a bitmap; each :meth:`to_png` restores it, draws the
    artists listed by ``_dynamic()`` on top and encodes the PNG. The bitmap is
    redrawn only when ``_background_key()`` changes (a new surface, a new
    number of steps, ...). ``savefig`` and the book's animations are unaffected.
    """

    png_compress = 3

    def _dynamic(self):
        return []

    def _background_key(self):
        return None

    def to_png(self):
        import io

        from PIL import Image

        canvas = self.fig.canvas
        artists = sorted((a for a in self._dynamic() if a is not None), key=lambda a: a.get_zorder())
        key = (self._background_key(), tuple(self.fig.get_size_inches()), self.fig.dpi)
        if getattr(self, "_png_key", None) != key:
            for a in artists:
                a.set_animated(True)
            try:
                canvas.draw()
            finally:
                for a in artists:
                    a.set_animated(False)
            self._png_bg = canvas.copy_from_bbox(self.fig.bbox)
            self._png_key = key
        else:
            canvas.restore_region(self._png_bg)
        for a in artists:
            if a.get_visible():
                self.fig.draw_artist(a)
        buf = canvas.buffer_rgba()
        w, h = canvas.get_width_height()
        out = io.BytesIO()
        Image.frombuffer("RGBA", (w, h), bytes(buf), "raw", "RGBA", 0, 1).convert("RGB").save(
            out, format="png", compress_level=self.png_compress)
        return out.getvalue()


class _DefaultStart:
    """Mixin: choosing a surface moves the start point(s) to that surface's default."""

    _start_names = ()

    def _defaults_for(self, surface):
        start = np.ravel(get_surface(surface).start)
        return {n: float(s) for n, s in zip(self._start_names, start)}

    def _with_start(self, values):
        if "surface" in values and not any(n in values for n in self._start_names):
            options = next(p.options for p in self.params if p.name == "surface")
            if isinstance(values["surface"], str) and values["surface"] in options:
                values = {**values, **self._defaults_for(values["surface"])}
        return values

    def set(self, **values):
        return super().set(**self._with_start(values))

    def widget(self):
        box = super().widget()
        controls = box.controls

        def sync(change):
            for n in self._start_names:
                if controls[n].value != self.values[n]:
                    controls[n].value = self.values[n]

        controls["surface"].observe(sync, names="value")
        return box


# ==========================================================================
# 1-D
# ==========================================================================

class _SweepFallback:
    """The book fallback of both gradient-descent explorers: 12 learning rates at the
    current momentum, then 12 momenta (0 to 0.95) at the current learning rate."""

    def _sweeps(self, sweep, lrs):
        if sweep not in ("lr", "momentum", "both"):
            raise ValueError(f"sweep must be 'lr', 'momentum' or 'both', got {sweep!r}.")
        parts = []
        if sweep in ("lr", "both"):
            lrs = [float(v) for v in np.round(lrs, 4)]
            with _BookDPI(self, self.book_dpi):
                html = self.animation("lr", lrs)
            parts.append((f"Learning rate from {_fmt(lrs[0])} to {_fmt(lrs[-1])}, momentum fixed at "
                          f"μ = {self.values['momentum']:.2f}", html))
        if sweep in ("momentum", "both"):
            mus = [float(v) for v in np.round(np.linspace(0.0, 0.95, 12), 3)]
            with _BookDPI(self, self.book_dpi):
                html = self.animation("momentum", mus)
            parts.append((f"Momentum from 0 to 0.95, learning rate fixed at η = {_fmt(self.values['lr'])}", html))
        return _join(parts)


class GradientDescent1D(_SweepFallback, _FastPNG, _DefaultStart, Explorer):
    """A ball rolling on a 1-D loss curve (chapter 06).

    ``GradientDescent1D(surface="double_well", lr=0.05, momentum=0.9).show()``
    """

    params = [
        Choice("surface", list(SURFACES_1D), "double_well", label="surface"),
        Slider("lr", 0.001, 3.0, 0.05, log=True, step=0.05, label="learning rate η"),
        Slider("momentum", 0.0, 0.99, 0.0, step=0.01, label="momentum μ"),
        Slider("start", -6.0, 6.0, 2.5, step=0.1, label="start x₀"),
        Slider("steps", 1, 200, 60, integer=True, label="steps"),
    ]
    _start_names = ("start",)
    figsize = (9.6, 4.0)
    dpi = 80
    book_dpi = 68
    n_labels = 7

    def __init__(self, **values):
        super().__init__(**self._with_start(values))

    def setup(self, fig):
        fig.set_layout_engine("none")
        self.ax = fig.add_axes([0.065, 0.215, 0.56, 0.635])
        self.ax_loss = fig.add_axes([0.69, 0.215, 0.29, 0.635], sharey=self.ax)
        ax, al = self.ax, self.ax_loss
        self.title = fig.suptitle("", x=0.02, y=0.975, ha="left", fontsize=11.5)
        self.curve, = ax.plot([], [], color="#222222", lw=2, zorder=2)
        self.minima_marks, = ax.plot([], [], ls="none", marker="v", ms=7, color=GREEN, zorder=3)
        self.minima_text = [ax.text(0, 0, "", ha="center", va="top", fontsize=8.5, color=GREEN) for _ in range(2)]
        self.ghost, = ax.plot([], [], "-o", color=BLUE, lw=1.2, ms=3.5, alpha=0.8, zorder=4,
                              label="plain GD (μ = 0)")
        self.path, = ax.plot([], [], "-o", color=ORANGE, lw=1.5, ms=4.5, zorder=5, label="path of the ball")
        self.start_mark, = ax.plot([], [], "o", ms=9, mfc="white", mec="black", mew=1.5, zorder=6,
                                   label="start x₀")
        self.ball, = ax.plot([], [], "o", ms=13, color=ORANGE, mec="black", mew=1.2, zorder=7, label="now")
        self.tangent, = ax.plot([], [], "--", color="black", lw=1.3, zorder=6, label="slope f′(x) now")
        self.labels = [ax.text(0, 0, "", fontsize=8, color="#7a3300", ha="center", va="bottom", zorder=8)
                       for _ in range(self.n_labels)]
        self.status = ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top", fontsize=10,
                              zorder=9, bbox=dict(boxstyle="round,pad=0.35", fc="white", ec="#999999", alpha=0.92))
        self.slope_text = ax.set_title("", loc="right", fontsize=9.5, color="#333333")
        ax.set_xlabel("weight x")
        ax.set_ylabel("loss f(x)")
        self.legend = None        # below the axes (see draw), so it never hides the path
        self.loss_ghost, = al.plot([], [], "-", color=BLUE, lw=1.2, alpha=0.8, label="plain GD")
        self.loss_line, = al.plot([], [], "-", color=ORANGE, lw=1.8, label="ball")
        self.loss_now, = al.plot([], [], "o", color=ORANGE, mec="black", ms=7)
        self.loss_div = al.text(0.5, 0.5, "", transform=al.transAxes, ha="center", va="center", color=RED,
                                fontsize=10, fontweight="bold")
        al.set_xlabel("step t")
        al.set_title("loss after each step", fontsize=10)
        al.tick_params(labelleft=True)
        self._surface = None

    def _set_surface(self, s):
        if self._surface is s:
            return
        self._surface = s
        xs, fs = s.grid(400)
        self.curve.set_data(xs, fs)
        lo = float(fs.min())
        hi = max(float(s.f(s.start)), float(np.percentile(fs, 60)))
        pad = 0.12 * (hi - lo)
        self.ylim = (lo - 2.4 * pad, hi + 0.55 * (hi - lo))   # room for the minima labels and the status box
        self.ax.set_xlim(*s.box[0])
        self.ax.set_ylim(*self.ylim)
        mins = np.array(s.minima)
        self.minima_marks.set_data(mins, [s.f(m) - 0.04 * (hi - lo) for m in mins])
        for i, t in enumerate(self.minima_text):
            if i < len(mins):
                kind = "global min" if i == 0 else "local min"
                t.set_text(f"{kind}\nx = {mins[i]:.2f}")
                t.set_position((mins[i], s.f(mins[i]) - 0.08 * (hi - lo)))
            else:
                t.set_text("")

    def _dynamic(self):
        return [self.title, self.ghost, self.path, self.start_mark, self.ball, self.tangent, *self.labels,
                self.status, self.slope_text, self.legend, self.loss_ghost, self.loss_line, self.loss_now,
                self.loss_div]

    def _background_key(self):
        return (self.values["surface"], self.values["steps"])

    def _place_labels(self, xs, fs):
        """Step numbers at the first points that do not crowd each other."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ylim
        chosen = []
        for t in range(len(xs)):
            u, w = (xs[t] - x0) / (x1 - x0), (fs[t] - y0) / (y1 - y0)
            if not (0 <= u <= 1 and 0 <= w <= 1):
                continue
            if all(abs(u - a) > 0.045 or abs(w - b) > 0.07 for a, b, _ in chosen):
                chosen.append((u, w, t))
            if len(chosen) == len(self.labels):
                break
        for lab, item in zip(self.labels, chosen + [None] * len(self.labels)):
            if item is None:
                lab.set_text("")
            else:
                t = item[2]
                lab.set_text(str(t))
                lab.set_position((xs[t], fs[t] + 0.025 * (y1 - y0)))

    def draw(self, surface, lr, momentum, start, steps):
        s = get_surface(surface, dim=1)
        self._set_surface(s)
        (x0, x1), (y0, y1) = s.box[0], self.ylim
        run = trajectory(s, start, lr=lr, momentum=momentum, steps=steps)
        xs, fs = run.points, run.losses
        cx, cf = _clip(xs, x0, x1), _clip(fs, y0, y1)
        self.path.set_data(cx, cf)
        self.start_mark.set_data([cx[0]], [cf[0]])
        self.ball.set_data([cx[-1]], [cf[-1]])
        self.loss_line.set_data(np.arange(len(fs)), cf)
        self.loss_now.set_data([len(fs) - 1], [cf[-1]])
        self._place_labels(xs, fs)

        if momentum > 0:
            ghost = trajectory(s, start, lr=lr, momentum=0.0, steps=steps)
            self.ghost.set_data(_clip(ghost.points, x0, x1), _clip(ghost.losses, y0, y1))
            self.loss_ghost.set_data(np.arange(len(ghost.losses)), _clip(ghost.losses, y0, y1))
            self.path.set_label(f"with momentum μ = {momentum:.2f}")
        else:
            ghost = None
            self.ghost.set_data([], [])
            self.loss_ghost.set_data([], [])
            self.path.set_label("path of the ball (plain GD)")
        handles = [self.path] + ([self.ghost] if ghost is not None else []) + [self.start_mark, self.tangent]
        if self.legend is not None:
            self.legend.remove()
        self.legend = self.fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.055, 0.0),
                                      ncol=len(handles), fontsize=9, handlelength=1.8, frameon=False,
                                      columnspacing=1.4)

        # the slope at the current point
        x_now = float(xs[-1])
        inside = x0 <= x_now <= x1 and not run.diverged
        if inside:
            g = s.grad(x_now)
            half = 0.08 * (x1 - x0) / np.sqrt(1 + (g * (x1 - x0) / (y1 - y0)) ** 2) * 1.6
            self.tangent.set_data([x_now - half, x_now + half], [fs[-1] - g * half, fs[-1] + g * half])
            if abs(g) < 1e-3:
                direction = "flat: the gradient no longer pushes"
            else:
                direction = f"downhill is to the {'left' if g > 0 else 'right'}"
            self.slope_text.set_text(f"at x = {x_now:.3g}: slope f′(x) = {g:.3g}  →  {direction}")
        else:
            self.tangent.set_data([], [])
            self.slope_text.set_text("")

        self.ax_loss.set_xlim(-0.5, max(steps, 1) + 0.5)
        self.title.set_text(f"{s.title}     η = {_fmt(lr)}   μ = {momentum:.2f}   x₀ = {start:.2f}   "
                            f"{_steps(steps)}")
        self._status(s, run, ghost, lr)

    def _status(self, s, run, ghost, lr):
        who = "plain GD" if run.momentum == 0 else f"momentum μ = {run.momentum:.2f}"
        x0, x1 = s.box[0]
        if run.diverged:
            msg = f"DIVERGED after {_steps(run.diverged_at)}: η = {_fmt(lr)} is too large,\neach step overshoots further than the last"
            color = RED
            self.loss_div.set_text(f"diverged\nafter {_steps(run.diverged_at)}")
        else:
            self.loss_div.set_text("")
            x = run.final
            if _growing(run.losses):
                msg, color = (f"{who}: the swings GROW (η = {_fmt(lr)} is too large):\n"
                              f"heading for divergence, now at x = {x:.3g}"), RED
            elif not (x0 <= x <= x1):
                msg, color = f"{who}: the ball is off the plot at x = {x:.3g}", RED
            else:
                k = run.nearest_minimum()
                m = s.minima[k]
                near = abs(x - m) < 0.05 * (x1 - x0) and abs(s.grad(x)) < 0.05
                if near and len(s.minima) > 1:
                    where = "the global minimum" if k == 0 else "the LOCAL minimum (stuck)"
                    msg, color = f"{who}: settled in {where} at x = {x:.2f}", GREEN if k == 0 else RED
                elif near:
                    msg, color = f"{who}: reached the minimum, x = {x:.3g}", GREEN
                elif len(run.losses) > 4 and np.ptp(run.losses[-4:]) < 1e-9 and abs(s.grad(x)) > 1e-3:
                    msg, color = (f"{who}: bounces back and forth for ever\n"
                                  f"(each step overshoots by exactly as much), x = {x:.3g}"), RED
                else:
                    msg, color = f"{who}: still on its way, x = {x:.3g}, f(x) = {run.losses[-1]:.3g}", NEUTRAL
        if ghost is not None:
            if ghost.diverged:
                msg += f"\nplain GD diverged after {_steps(ghost.diverged_at)}"
            else:
                gk = ghost.nearest_minimum()
                gx = ghost.final
                if len(s.minima) > 1 and abs(gx - s.minima[gk]) < 0.05 * (x1 - x0):
                    msg += f"\nplain GD: {'global' if gk == 0 else 'local'} minimum at x = {gx:.2f}"
                else:
                    msg += f"\nplain GD: x = {gx:.3g}"
        if not (x0 <= float(run.points[0]) <= x1):
            msg = f"start x₀ = {float(run.points[0]):.3g} is off the plot\n" + msg
        self.status.set_text(msg)
        self.status.set_color(color)

    def fallback(self, sweep="both"):
        """Kernel-free animations: a sweep of the learning rate at fixed momentum
        (``sweep="lr"``), of the momentum at fixed learning rate (``"momentum"``), or both."""
        return self._sweeps(sweep, np.geomspace(0.005, 2.4, 12))


def _join(parts):
    if len(parts) == 1:
        return parts[0][1]
    return "\n".join(f"<p><b>{title}</b></p>\n{html}" for title, html in parts)


class _BookDPI:
    """Render the book's animations at a lower resolution so pages stay small."""

    def __init__(self, explorer, dpi):
        self.fig, self.dpi = explorer.fig, dpi

    def __enter__(self):
        import matplotlib as mpl
        self.old = self.fig.get_dpi()
        self.fig.set_dpi(self.dpi)
        self.rc = mpl.rc_context({"animation.frame_format": "jpeg"})   # photos of figures: 3-4x smaller
        self.rc.__enter__()

    def __exit__(self, *exc):
        self.rc.__exit__(*exc)
        self.fig.set_dpi(self.old)


# ==========================================================================
# 2-D
# ==========================================================================

class GradientDescent2D(_SweepFallback, _FastPNG, _DefaultStart, Explorer):
    """Gradient descent and momentum on a 2-D surface, with live theory (chapter 06).

    ``GradientDescent2D(surface="ravine", lr=1.5, momentum=0.5).show()``
    """

    params = [
        Choice("surface", list(SURFACES_2D), "ravine", label="surface"),
        Slider("lr", 1e-4, 3.0, 1.5, log=True, step=0.05, label="learning rate η"),
        Slider("momentum", 0.0, 0.99, 0.5, step=0.01, label="momentum μ"),
        Slider("kappa", 1.0, 100.0, 10.0, log=True, step=0.05, label="ravine κ"),
        Slider("start_x", -6.0, 6.0, -4.5, step=0.01, label="start x₀"),
        Slider("start_y", -6.0, 6.0, 2.0, step=0.01, label="start y₀"),
        Slider("steps", 1, 300, 60, integer=True, label="steps"),
    ]
    _start_names = ("start_x", "start_y")
    figsize = (11.5, 4.2)
    dpi = 72
    book_dpi = 60
    grid_n = 120

    def __init__(self, **values):
        self._contour_cache = {}
        self._run_cache = {}
        super().__init__(**self._with_start(values))

    def setup(self, fig):
        fig.set_layout_engine("none")
        self.ax = fig.add_axes([0.05, 0.12, 0.36, 0.76])
        self.ax_loss = fig.add_axes([0.475, 0.12, 0.2, 0.76])
        self.ax_text = fig.add_axes([0.69, 0.03, 0.305, 0.87])
        self.ax_text.set_axis_off()
        ax, al = self.ax, self.ax_loss
        self.title = fig.suptitle("", x=0.01, y=0.985, ha="left", fontsize=11.5)
        self._bg = []
        self.ghost, = ax.plot([], [], "-o", color=BLUE, lw=1.4, ms=2.8, zorder=4, label="plain GD (μ = 0)")
        self.path, = ax.plot([], [], "-o", color=ORANGE, lw=1.6, ms=3.2, zorder=5, label="momentum")
        self.start_mark, = ax.plot([], [], "o", ms=8, mfc="white", mec="black", mew=1.5, zorder=6, label="start")
        self.end_ghost, = ax.plot([], [], "o", ms=7, color=BLUE, mec="black", zorder=7)
        self.end_path, = ax.plot([], [], "o", ms=9, color=ORANGE, mec="black", zorder=7)
        self.minima_marks, = ax.plot([], [], "*", ms=13, color="white", mec="black", mew=1.0, zorder=6,
                                     label="minimum")
        self.div_text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", color=RED,
                                fontsize=11, fontweight="bold", zorder=10,
                                bbox=dict(boxstyle="round", fc="white", ec=RED, alpha=0.9))
        ax.set_xlabel("weight x")
        ax.set_ylabel("weight y")
        self.legend = None
        self.loss_ghost, = al.plot([], [], "-", color=BLUE, lw=1.4, label="plain GD")
        self.loss_line, = al.plot([], [], "-", color=ORANGE, lw=1.8, label="momentum")
        al.set_yscale("log")
        al.set_xlabel("step t")
        al.set_ylabel("f(x_t) − f(x*)   (log scale)")
        al.set_title("loss gap after each step", fontsize=10)
        self.loss_legend = al.legend(loc="lower left", fontsize=8)
        self.loss_div = al.text(0.5, 0.6, "", transform=al.transAxes, ha="center", va="center", color=RED,
                                fontsize=11, fontweight="bold")
        self.text_head = self.ax_text.text(0.0, 1.0, "", va="top", ha="left", fontsize=10.5, fontweight="bold",
                                           transform=self.ax_text.transAxes)
        self.text_body = self.ax_text.text(0.0, 0.92, "", va="top", ha="left", fontsize=9.0, linespacing=1.4,
                                           transform=self.ax_text.transAxes, family="DejaVu Sans Mono")
        self.text_runs = self.ax_text.text(0.0, 0.2, "", va="top", ha="left", fontsize=9.0, linespacing=1.4,
                                           transform=self.ax_text.transAxes, family="DejaVu Sans Mono",
                                           color="#7a3300")
        self._key = None

    # -- the expensive background, once per surface ------------------------------
    def _surface(self, name, kappa):
        return ravine(kappa) if name == "ravine" else get_surface(name, dim=2)

    def _background(self, s, key):
        if key == self._key:
            return
        self._key = key
        head, body = self._theory_text(s)
        self.text_head.set_text(head)
        self.text_body.set_text(body)
        self.text_runs.set_y(0.2 if s.is_quadratic else 0.42)
        for artist in self._bg:
            artist.remove()
        ax = self.ax
        X, Y, F = s.grid(self.grid_n)
        gap = F - s.f_min
        top = float(np.percentile(gap, 98))
        levels = s.f_min + np.geomspace(max(top * 1e-4, 1e-3), top, 11)
        filled = ax.contourf(X, Y, F, levels=np.concatenate([[F.min() - 1], levels, [F.max() + 1]]),
                             cmap="Greys", alpha=0.45, zorder=0, antialiased=False)
        lines = ax.contour(X, Y, F, levels=levels, colors="#666666", linewidths=0.6, alpha=0.7, zorder=1)
        gx, gy = np.meshgrid(np.linspace(*s.box[0], 13)[1:-1], np.linspace(*s.box[1], 11)[1:-1])
        G = s.grad_raw(np.stack([gx, gy], axis=-1))
        norm = np.hypot(G[..., 0], G[..., 1])
        norm[norm == 0] = 1
        arrows = ax.quiver(gx, gy, -G[..., 0] / norm, -G[..., 1] / norm, color="#555555", alpha=0.55,
                           angles="xy", scale_units="xy", scale=1.8 / (s.box[0][1] - s.box[0][0]) * 8,
                           width=0.004, zorder=2)
        self._bg = [filled, lines, arrows]
        ax.set_xlim(*s.box[0])
        ax.set_ylim(*s.box[1])
        ax.set_aspect("equal", adjustable="box")
        mins = np.array(s.minima)
        self.minima_marks.set_data(mins[:, 0], mins[:, 1])
        hi = float(np.max(gap))
        self.ax_loss.set_ylim(1e-10, max(hi, 1.0) * 10)

    def _dynamic(self):
        return [self.title, self.ghost, self.path, self.start_mark, self.end_ghost, self.end_path,
                self.minima_marks, self.div_text, self.legend, self.loss_ghost, self.loss_line,
                self.loss_legend, self.loss_div, self.text_runs]

    def _background_key(self):
        return (self._key, self.values["steps"])

    def _run(self, s, key, start, lr, momentum, steps):
        k = (key, tuple(start), lr, momentum, steps)
        if k not in self._run_cache:
            if len(self._run_cache) > 64:
                self._run_cache.clear()
            self._run_cache[k] = trajectory(s, start, lr=lr, momentum=momentum, steps=steps)
        return self._run_cache[k]

    def draw(self, surface, lr, momentum, kappa, start_x, start_y, steps):
        s = self._surface(surface, kappa)
        key = (surface, kappa if surface == "ravine" else None)
        self._background(s, key)
        start = (start_x, start_y)
        (x0, x1), (y0, y1) = s.box
        ghost = self._run(s, key, start, lr, 0.0, steps)
        run = self._run(s, key, start, lr, momentum, steps) if momentum > 0 else None

        def put(line, end, r):
            if r is None:
                line.set_data([], [])
                end.set_data([], [])
                return
            px, py = _clip(r.points[:, 0], x0, x1), _clip(r.points[:, 1], y0, y1)
            line.set_data(px, py)
            end.set_data([px[-1]], [py[-1]])

        put(self.ghost, self.end_ghost, ghost)
        put(self.path, self.end_path, run)
        self.start_mark.set_data([start_x], [start_y])
        self.ghost.set_label("gradient descent" if run is None else "plain GD (μ = 0)")
        self.path.set_label(f"momentum μ = {momentum:.2f}")
        if self.legend is not None:
            self.legend.remove()
        handles = [self.ghost] + ([self.path] if run is not None else []) + [self.start_mark, self.minima_marks]
        self.legend = self.ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85,
                                     frameon=True, borderpad=0.3)

        fmin = s.f_min
        for line, r in ((self.loss_ghost, ghost), (self.loss_line, run)):
            if r is None:
                line.set_data([], [])
            else:
                gap = np.clip(np.nan_to_num(r.losses - fmin, nan=1e300, posinf=1e300), 1e-12, 1e300)
                line.set_data(np.arange(len(gap)), gap)
        self.ax_loss.set_xlim(0, steps)
        self.loss_line.set_label(f"momentum μ = {momentum:.2f}")
        self.loss_legend.remove()
        self.loss_legend = self.ax_loss.legend(
            handles=[self.loss_ghost] + ([self.loss_line] if run is not None else []), loc="lower left", fontsize=8)

        div = [f"{name} diverged after {_steps(r.diverged_at)}"
               for name, r in (("plain GD", ghost), ("momentum", run)) if r is not None and r.diverged]
        (bx0, bx1), (by0, by1) = s.box
        if not (bx0 <= start_x <= bx1 and by0 <= start_y <= by1):
            div.insert(0, f"start ({_num(start_x)}, {_num(start_y)}) is outside the plot")
        gone = [name for name, r in (("plain GD", ghost), ("momentum", run)) if r is not None and r.diverged]
        self.loss_div.set_text(" and ".join(gone) + "\ndiverged" if gone else "")
        self.div_text.set_text("\n".join(div))
        self.div_text.set_visible(bool(div))
        kap = f"   κ = {kappa:g}" if surface == "ravine" else ""
        self.title.set_text(f"{s.title.split('  ')[0]}{kap}     η = {_fmt(lr)}   μ = {momentum:.2f}   "
                            f"start ({_num(start_x)}, {_num(start_y)})   {_steps(steps)}")
        self._panel(s, ghost, run, lr, momentum)

    def _theory_text(self, s):
        """The theory panel for surface ``s`` (drawn once per surface, with the background).

        For a quadratic: the numbers of :func:`~nnlib.optim.quadratic_theory`, and the
        rates at the best settings both predicted and measured (200 steps from the start).
        """
        if not s.is_quadratic:
            return "No exact theory on this surface", "\n".join([
                "Its Hessian (curvature) changes from",
                "point to point, so there is no single",
                "best η. Near a minimum the surface looks",
                "like a quadratic and the theory applies",
                "approximately.",
                "",
                "measured rate = geometric mean of",
                "‖x_{t+1} − x*‖ / ‖x_t − x*‖ over the",
                "last half of the run (x* = global min)",
            ])
        th = quadratic_theory(s.hessian)
        gd = trajectory(s, lr=th["lr_opt"], steps=200).rate()
        hb = trajectory(s, lr=th["lr_opt_momentum"], momentum=th["momentum_opt"], steps=200).rate()
        return "Theory for this quadratic", "\n".join([
            f"eigenvalues  λ = {th['lambda_min']:.3g}, {th['lambda_max']:.3g}",
            f"condition    κ = λmax/λmin = {th['kappa']:.3g}",
            f"stable if    η < 2/λmax = {th['lr_max']:.3g}",
            f"best η       2/(λmin+λmax) = {th['lr_opt']:.3g}",
            f"best μ*      ((√κ−1)/(√κ+1))² = {th['momentum_opt']:.3g}",
            f"  its η      (2/(√λmin+√λmax))² = {th['lr_opt_momentum']:.3g}",
            "",
            "rate: factor by which ‖x_t − x*‖",
            "shrinks per step (smaller is faster)",
            _row("", "theory", "measured"),
            _row("best η, μ = 0", _rate(th["rate_gd"]), _rate(gd)),
            "  (κ−1)/(κ+1)",
            _row("best η and μ*", _rate(th["rate_momentum"]), _rate(hb)),
            "  (√κ−1)/(√κ+1)",
        ])

    def _panel(self, s, ghost, run, lr, momentum):
        """The lines about the current runs (the theory itself is part of the background)."""
        def measured(r):
            if r is None:
                return "—"
            if r.diverged:
                return f"diverged (step {r.diverged_at})"
            rate = r.rate()
            return "too few steps" if not np.isfinite(rate) else _rate(rate)

        if s.is_quadratic:
            runs = [_row(f"your η = {_fmt(lr)}", "theory", "measured"),
                    _row("  plain GD", _rate(predicted_rate(s.hessian, lr, 0.0)), measured(ghost))]
            if run is not None:
                runs.append(_row(f"  momentum μ = {momentum:.2f}", _rate(predicted_rate(s.hessian, lr, momentum)),
                                 measured(run)))
            if lr >= 2.0 / float(np.linalg.eigvalsh(s.hessian).max()):
                runs.append(f"η = {_fmt(lr)} ≥ 2/λmax: plain GD cannot converge")
        else:
            runs = ["measured rate", f"  plain GD    {measured(ghost)}"]
            if run is not None:
                runs.append(f"  momentum    {measured(run)}")
            for name, r in (("plain GD", ghost), ("momentum", run)):
                if r is not None and not r.diverged:
                    x = r.final
                    runs.append(f"{name} ends at ({_num(x[0])}, {_num(x[1])})" if np.all(np.abs(x) < 1e4)
                                else f"{name} ends far away")
        self.text_runs.set_text("\n".join(runs))

    def fallback(self, sweep="both"):
        """Kernel-free animations: a learning-rate sweep at fixed momentum
        (``sweep="lr"``), a momentum sweep at fixed learning rate (``"momentum"``), or both."""
        return self._sweeps(sweep, np.geomspace(0.1, 2.2, 12))


# ==========================================================================
# SGD versus full-batch GD
# ==========================================================================

def logistic_data():
    """The toy set of the SGD explorer: two overlapping blobs, 200 points."""
    return blobs(200, centers=((-1.0, -0.5), (1.0, 0.5)), std=1.0, rng=0)


def logistic_runs(X, y, *, lr, batch_size, epochs, w0=(-1.5, 2.5), rng=0):
    """Logistic regression p = σ(X·w) trained by mini-batch SGD and by full-batch GD.

    Returns ``(sgd, gd)``: dicts with the weights after every update (``W``),
    the epoch of each update (``epoch``) and the full-data loss there (``loss``).
    """
    X = as_matrix(X, "X", n_features=2)
    y = as_labels(y, "y", n_samples=len(X), allowed=(0, 1))
    lr = as_number(lr, "lr", low=0.0, low_inclusive=False)
    batch_size = as_positive_int(batch_size, "batch_size")
    epochs = as_positive_int(epochs, "epochs")

    def full_loss(w):
        return binary_cross_entropy(X @ w, y)[0]

    out = []
    for bs in (batch_size, len(X)):
        w = np.array(w0, dtype=float)
        W, E, L = [w.copy()], [0.0], [full_loss(w)]
        n_batches = int(np.ceil(len(X) / bs))
        for epoch in range(epochs):
            for i, (Xb, yb) in enumerate(minibatches(X, y, batch_size=bs, shuffle=bs < len(X), rng=rng + epoch)):
                _, dz = binary_cross_entropy(Xb @ w, yb)
                w = w - lr * (Xb.T @ dz)
                if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 1e6:
                    break
                W.append(w.copy())
                E.append(epoch + (i + 1) / n_batches)
                L.append(full_loss(w))
        out.append({"W": np.array(W), "epoch": np.array(E), "loss": np.array(L)})
    return out[0], out[1]


class MiniBatchSGD(_FastPNG, Explorer):
    """Mini-batch SGD against full-batch GD on logistic regression (chapter 06).

    ``MiniBatchSGD(batch_size=10, lr=0.5).show()``
    """

    params = [
        Slider("batch_size", 1, 200, 10, integer=True, label="batch size"),
        Slider("lr", 0.01, 10.0, 0.5, log=True, step=0.05, label="learning rate η"),
        Slider("epochs", 1, 30, 5, integer=True, label="epochs"),
    ]
    figsize = (11.5, 3.9)
    dpi = 72
    book_dpi = 64
    box = ((-2.5, 4.0), (-1.5, 3.5))

    def setup(self, fig):
        fig.set_layout_engine("none")
        self.X, self.y = logistic_data()
        X, y = self.X, self.y
        self.ax = fig.add_axes([0.05, 0.13, 0.27, 0.70])
        self.ax_loss = fig.add_axes([0.39, 0.13, 0.27, 0.70])
        self.ax_data = fig.add_axes([0.72, 0.13, 0.26, 0.70])
        self.title = fig.suptitle("", x=0.01, y=0.985, ha="left", fontsize=11.5)
        ax = self.ax
        w1, w2 = np.meshgrid(np.linspace(*self.box[0], 90), np.linspace(*self.box[1], 80))
        Wg = np.stack([w1.ravel(), w2.ravel()], axis=1)
        Z = X @ Wg.T                                    # (n, grid)
        F = np.mean(np.maximum(Z, 0) + np.log1p(np.exp(-np.abs(Z))) - y[:, None] * Z, axis=0).reshape(w1.shape)
        ax.contourf(w1, w2, F, levels=14, cmap="Greys", alpha=0.45, zorder=0)
        ax.contour(w1, w2, F, levels=14, colors="#666666", linewidths=0.5, alpha=0.7, zorder=1)
        i = np.argmin(F)
        ax.plot(w1.ravel()[i], w2.ravel()[i], "*", ms=13, color="white", mec="black", zorder=6,
                label="lowest loss")
        ax.set_xlim(*self.box[0])
        ax.set_ylim(*self.box[1])
        ax.set_xlabel("weight w₁")
        ax.set_ylabel("weight w₂")
        ax.set_title("path of the weights on the loss surface", fontsize=10)
        self.sgd_path, = ax.plot([], [], "-", color=ORANGE, lw=1.0, alpha=0.9, zorder=4, label="mini-batch SGD")
        self.gd_path, = ax.plot([], [], "-o", color=BLUE, lw=1.6, ms=4, zorder=5, label="full-batch GD")
        ax.plot(-1.5, 2.5, "o", ms=8, mfc="white", mec="black", mew=1.5, zorder=6, label="start")
        self.path_legend = ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.9)
        al = self.ax_loss
        self.sgd_loss, = al.plot([], [], "-", color=ORANGE, lw=1.0, label="mini-batch SGD")
        self.gd_loss, = al.plot([], [], "-o", color=BLUE, lw=1.6, ms=4, label="full-batch GD")
        al.set_xlabel("epochs (passes through the data)")
        al.set_ylabel("loss on all 200 points")
        al.set_title("loss after each update", fontsize=10)
        self.info = al.legend(loc="upper right", fontsize=8, framealpha=0.9)   # labels carry the numbers
        ad = self.ax_data
        for k, marker in ((0, "o"), (1, "s")):
            ad.scatter(X[y == k, 0], X[y == k, 1], s=14, c=CLASS_COLORS[k], marker=marker, edgecolors="white",
                       linewidths=0.4, label=f"class {k}", zorder=3)
        self.sgd_line, = ad.plot([], [], "-", color=ORANGE, lw=2, label="SGD boundary", zorder=4)
        self.gd_line, = ad.plot([], [], "--", color=BLUE, lw=2, label="GD boundary", zorder=4)
        lim = np.abs(X).max() * 1.05
        self.lim = lim
        ad.set_xlim(-lim, lim)
        ad.set_ylim(-lim, lim)
        ad.set_aspect("equal", adjustable="box")
        ad.set_xlabel("feature x₁")
        ad.set_ylabel("feature x₂")
        ad.set_title("decision boundary  x·w = 0", fontsize=10)
        self.data_legend = ad.legend(loc="lower right", fontsize=7.5, frameon=True, framealpha=0.9,
                                     markerscale=1.8)

    def _dynamic(self):
        return [self.title, self.sgd_path, self.gd_path, self.sgd_loss, self.gd_loss,
                self.sgd_line, self.gd_line, self.path_legend, self.info, self.data_legend]

    def _background_key(self):
        return (self.values["epochs"], self.ax_loss.get_ylim())

    def _boundary(self, line, w):
        lim = self.lim
        if not np.all(np.isfinite(w)) or np.hypot(*w) < 1e-12:
            line.set_data([], [])
        elif abs(w[1]) > abs(w[0]):
            xs = np.array([-lim, lim])
            line.set_data(xs, -w[0] * xs / w[1])
        else:
            ys = np.array([-lim, lim])
            line.set_data(-w[1] * ys / w[0], ys)

    def draw(self, batch_size, lr, epochs):
        sgd, gd = logistic_runs(self.X, self.y, lr=lr, batch_size=batch_size, epochs=epochs)
        (a, b), (c, d) = self.box
        self.sgd_path.set_data(_clip(sgd["W"][:, 0], a, b), _clip(sgd["W"][:, 1], c, d))
        self.gd_path.set_data(_clip(gd["W"][:, 0], a, b), _clip(gd["W"][:, 1], c, d))
        self.sgd_loss.set_data(sgd["epoch"], np.minimum(sgd["loss"], 10))
        self.gd_loss.set_data(gd["epoch"], np.minimum(gd["loss"], 10))
        top = max(1.2, float(min(np.max(sgd["loss"]), 10)) * 1.05)
        self.ax_loss.set_xlim(0, epochs)
        self.ax_loss.set_ylim(0, top)
        self._boundary(self.sgd_line, sgd["W"][-1])
        self._boundary(self.gd_line, gd["W"][-1])
        n_up = len(sgd["W"]) - 1
        per_epoch = int(np.ceil(len(self.X) / batch_size))
        self.sgd_loss.set_label(f"mini-batch SGD: {per_epoch} update{'s' if per_epoch > 1 else ''}/epoch\n"
                                f"{n_up} in all, final loss {sgd['loss'][-1]:.3f}")
        self.gd_loss.set_label(f"full-batch GD: 1 update/epoch\n"
                               f"{len(gd['W']) - 1} in all, final loss {gd['loss'][-1]:.3f}")
        self.info.remove()
        self.info = self.ax_loss.legend(handles=[self.sgd_loss, self.gd_loss], fontsize=8, framealpha=0.9,
                                        loc=_free_corner([(sgd["epoch"] / epochs, np.minimum(sgd["loss"], 10) / top),
                                                          (gd["epoch"] / epochs, np.minimum(gd["loss"], 10) / top)]))
        self.title.set_text(f"Logistic regression on 200 points     batch size = {batch_size}   η = {_fmt(lr)}   "
                            f"{epochs} epoch{'' if epochs == 1 else 's'}")

    def fallback(self):
        """Kernel-free animation: a sweep of the batch size at fixed learning rate."""
        with _BookDPI(self, self.book_dpi):
            return self.animation("batch_size", [1, 2, 4, 8, 16, 32, 64, 100, 200])
