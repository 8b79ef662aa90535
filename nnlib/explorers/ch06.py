"""Explorers for chapter 06, gradient descent.

* :class:`GradientDescent1D` — a ball rolling on a curve: learning rate,
  momentum, start point, number of steps and surface. The path carries step
  numbers; the plain-GD path is a ghost beside it whenever momentum is on.
* :class:`GradientDescent2D` — the same on a contour map with downhill arrows,
  and, for quadratic surfaces, the theory (eigenvalues, κ, stable and best
  learning rates, best momentum, predicted against measured rates) in the
  status table, with buttons that apply the recommended η and μ.
* :class:`MiniBatchSGD` — logistic regression (:mod:`nnlib.logistic`): the
  noisy mini-batch path and loss next to full-batch GD.

Each module-level ``*_status`` function writes an explorer's status text from
what it computed; the computation itself is :func:`nnlib.optim.trajectory`,
:func:`nnlib.optim.quadratic_theory` and :func:`nnlib.logistic.logistic_runs`.
"""

import numpy as np

from ..logistic import _full_loss, logistic_data, logistic_runs
from ..optim import predicted_rate, quadratic_theory, trajectory
from ..plot import ACCENT, CLASS_COLORS
from ..surfaces import SURFACES_1D, SURFACES_2D, get_surface, ravine
from .base import Choice, Explorer, Preset, Slider, Status, Sweep, clip_for_plot, plural, short

BLUE = CLASS_COLORS[0]      # plain gradient descent
ORANGE = ACCENT             # gradient descent with momentum (the "ball")
RED = "#b2182b"
GREEN = "#1b7837"


def _rate(r):
    """A convergence rate with enough digits to tell 0.9995 from 1."""
    if not np.isfinite(r):
        return "—"
    return f"{r:.4f}" if 0.99 <= r < 1 else f"{r:.3f}"


def _num(v):
    """A coordinate: at most 2 decimals, trailing zeros and "-0" dropped."""
    t = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if t == "-0" else t


def _growing(losses, k=6):
    """True when the loss rose at each of the last ``k`` steps and ends above where it started."""
    tail = np.asarray(losses[-(k + 1):], dtype=float)
    return len(tail) == k + 1 and bool(np.all(np.diff(tail) > 0)) and losses[-1] > losses[0]


def _start_of(surface):
    """Linked defaults: choosing a surface moves the start to that surface's own start."""
    start = np.ravel(get_surface(surface).start)
    return start


# ==========================================================================
# 1-D
# ==========================================================================

def free_spot(curves, spots, half_width=0.3, half_height=0.12):
    """The first of ``spots`` (axes coordinates) whose box no curve passes through."""
    for x, y in spots:
        if not any(np.any((np.abs(cx - x) < half_width) & (np.abs(cy - y) < half_height)) for cx, cy in curves):
            return x, y
    return spots[0]


def nice_limit(n, levels=(100, 200, 300)):
    """The first of a few round axis limits that holds ``n`` (so the axes rarely change)."""
    return next((m for m in levels if n <= m), n)


def status_1d(s, run, ghost, lr):
    """The 1-D explorer's status text: where the ball went, and why."""
    who = "plain GD" if run.momentum == 0 else f"momentum μ = {run.momentum:.2f}"
    x0, x1 = s.box[0]
    tone = "info"
    if run.diverged:
        lines = [f"DIVERGED after {plural(run.diverged_at, 'step')}: η = {short(lr)} is too large, "
                 "each step overshoots further than the last."]
        tone = "bad"
    else:
        x = run.final
        if _growing(run.losses):
            lines, tone = [f"{who}: the swings GROW (η = {short(lr)} is too large): heading for divergence, "
                           f"now at x = {x:.3g}."], "bad"
        elif not (x0 <= x <= x1):
            lines, tone = [f"{who}: the ball is off the plot at x = {x:.3g}."], "bad"
        else:
            k = run.nearest_minimum()
            m = s.minima[k]
            near = abs(x - m) < 0.05 * (x1 - x0) and abs(s.grad(x)) < 0.05
            if near and len(s.minima) > 1:
                where = "the global minimum" if k == 0 else "the LOCAL minimum (stuck)"
                lines, tone = [f"{who}: settled in {where} at x = {x:.2f}."], "good" if k == 0 else "bad"
            elif near:
                lines, tone = [f"{who}: reached the minimum, x = {x:.3g}."], "good"
            elif len(run.losses) > 4 and np.ptp(run.losses[-4:]) < 1e-9 and abs(s.grad(x)) > 1e-3:
                lines, tone = [f"{who}: bounces back and forth for ever (each step overshoots by exactly "
                               f"as much), x = {x:.3g}."], "bad"
            else:
                lines = [f"{who}: still on its way, x = {x:.3g}, f(x) = {run.losses[-1]:.3g}."]
    if ghost is not None:
        if ghost.diverged:
            lines.append(f"plain GD diverged after {plural(ghost.diverged_at, 'step')}.")
        else:
            gk, gx = ghost.nearest_minimum(), ghost.final
            if len(s.minima) > 1 and abs(gx - s.minima[gk]) < 0.05 * (x1 - x0):
                lines.append(f"plain GD: {'global' if gk == 0 else 'local'} minimum at x = {gx:.2f}.")
            else:
                lines.append(f"plain GD: x = {gx:.3g}.")
    x_now = float(run.points[-1])
    if x0 <= x_now <= x1 and not run.diverged:
        g = s.grad(x_now)
        direction = ("flat: the gradient no longer pushes" if abs(g) < 1e-3
                     else f"downhill is to the {'left' if g > 0 else 'right'}")
        lines.append(f"At x = {x_now:.3g} the slope is f′(x) = {g:.3g}: {direction}.")
    if not (x0 <= float(run.points[0]) <= x1):
        lines.insert(0, f"The start x₀ = {float(run.points[0]):.3g} is off the plot.")
    return Status(lines, tone=tone)


class GradientDescent1D(Explorer):
    """A ball rolling on a 1-D loss curve (chapter 06).

    ``GradientDescent1D(surface="double_well", lr=0.05, momentum=0.9).show()``
    """

    params = [
        Choice("surface", list(SURFACES_1D), "double_well", label="surface"),
        Slider("lr", 0.001, 3.0, 0.05, log=True, step=0.02, label="learning rate η"),
        Slider("momentum", 0.0, 0.99, 0.0, step=0.01, label="momentum μ"),
        Slider("start", -6.0, 6.0, 2.5, step=0.1, label="start x₀"),
        Slider("steps", 1, 200, 60, integer=True, label="steps"),
    ]
    links = {"surface": lambda name: {"start": float(_start_of(name)[0])}}
    figsize = (5.8, 3.9)
    moving = ("ghost", "path", "start_mark", "ball", "tangent", "labels", "loss_ghost", "loss_line", "loss_now",
              "loss_div")
    slow = ("title", "curve", "minima_marks", "minima_text")
    background = ("surface",)
    sweeps = [
        Sweep("lr", [0.005, 0.01, 0.02, 0.04, 0.07, 0.1, 0.2, 0.35, 0.6, 0.9, 1.0, 1.2],
              "Learning rate from {first} to {last}, momentum fixed at μ = {momentum:.2f}"),
        Sweep("momentum", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95],
              "Momentum from {first} to {last}, learning rate fixed at η = {lr:.3g}"),
    ]
    n_labels = 7

    def setup(self, fig):
        self.ax = fig.add_axes([0.115, 0.28, 0.54, 0.6])
        self.ax_loss = fig.add_axes([0.765, 0.28, 0.215, 0.6], sharey=self.ax)
        ax, al = self.ax, self.ax_loss
        self.title = fig.text(0.02, 0.975, "", ha="left", va="top", fontsize=10)
        self.curve, = ax.plot([], [], color="#222222", lw=2, zorder=2)
        self.minima_marks, = ax.plot([], [], ls="none", marker="v", ms=7, color=GREEN, zorder=3)
        self.minima_text = [ax.text(0, 0, "", ha="center", va="top", fontsize=8, color=GREEN) for _ in range(2)]
        self.ghost, = ax.plot([], [], "-o", color=BLUE, lw=1.2, ms=3.5, alpha=0.8, zorder=4, label="plain GD (μ = 0)")
        self.path, = ax.plot([], [], "-o", color=ORANGE, lw=1.5, ms=4.5, zorder=5, label="path of the ball")
        self.start_mark, = ax.plot([], [], "o", ms=9, mfc="white", mec="black", mew=1.5, zorder=6, label="start x₀")
        self.ball, = ax.plot([], [], "o", ms=12, color=ORANGE, mec="black", mew=1.2, zorder=7, label="now")
        self.tangent, = ax.plot([], [], "--", color="black", lw=1.3, zorder=6, label="slope f′(x) now")
        self.labels = [ax.text(0, 0, "", fontsize=8, color="#7a3300", ha="center", va="bottom", zorder=8)
                       for _ in range(self.n_labels)]
        ax.set_xlabel("weight x")
        ax.set_ylabel("loss f(x)")
        self.ghost.set_label("plain GD (μ = 0), when μ > 0")
        self.path.set_label("path of the ball")
        self.legend = fig.legend(handles=[self.path, self.ghost, self.start_mark, self.tangent], loc="lower left",
                                 bbox_to_anchor=(0.0, 0.0), ncol=2, fontsize=8, handlelength=1.6, frameon=False,
                                 columnspacing=1.2)
        self.loss_ghost, = al.plot([], [], "-", color=BLUE, lw=1.2, alpha=0.8)
        self.loss_line, = al.plot([], [], "-", color=ORANGE, lw=1.8)
        self.loss_now, = al.plot([], [], "o", color=ORANGE, mec="black", ms=6)
        self.loss_div = al.text(0.5, 0.5, "", transform=al.transAxes, ha="center", va="center", color=RED,
                                fontsize=9, fontweight="bold")
        al.set_xlabel("step t")
        al.set_title("loss per step", fontsize=9)
        al.tick_params(labelleft=False)
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
        self.ylim = (lo - 2.4 * pad, hi + 0.3 * (hi - lo))      # room for the minima labels
        self.ax.set_xlim(*s.box[0])
        self.ax.set_ylim(*self.ylim)
        mins = np.array(s.minima)
        self.minima_marks.set_data(mins, [s.f(m) - 0.04 * (hi - lo) for m in mins])
        for i, t in enumerate(self.minima_text):
            if i < len(mins):
                t.set_text(f"{'global' if i == 0 else 'local'} min\nx = {mins[i]:.2f}")
                t.set_position((mins[i], s.f(mins[i]) - 0.08 * (hi - lo)))
            else:
                t.set_text("")

    def _place_labels(self, xs, fs):
        """Step numbers at the first points that do not crowd each other."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ylim
        chosen = []
        for t in range(len(xs)):
            u, w = (xs[t] - x0) / (x1 - x0), (fs[t] - y0) / (y1 - y0)
            if not (0 <= u <= 1 and 0 <= w <= 1):
                continue
            if all(abs(u - a) > 0.06 or abs(w - b) > 0.09 for a, b, _ in chosen):
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
        cx, cf = clip_for_plot(xs, x0, x1), clip_for_plot(fs, y0, y1)
        self.path.set_data(cx, cf)
        self.start_mark.set_data([cx[0]], [cf[0]])
        self.ball.set_data([cx[-1]], [cf[-1]])
        self.loss_line.set_data(np.arange(len(fs)), cf)
        self.loss_now.set_data([len(fs) - 1], [cf[-1]])
        self._place_labels(xs, fs)
        ghost = trajectory(s, start, lr=lr, momentum=0.0, steps=steps) if momentum > 0 else None
        if ghost is not None:
            self.ghost.set_data(clip_for_plot(ghost.points, x0, x1), clip_for_plot(ghost.losses, y0, y1))
            self.loss_ghost.set_data(np.arange(len(ghost.losses)), clip_for_plot(ghost.losses, y0, y1))
        else:
            self.ghost.set_data([], [])
            self.loss_ghost.set_data([], [])
        x_now = float(xs[-1])
        if x0 <= x_now <= x1 and not run.diverged:
            g = s.grad(x_now)
            half = 0.08 * (x1 - x0) / np.sqrt(1 + (g * (x1 - x0) / (y1 - y0)) ** 2) * 1.6
            self.tangent.set_data([x_now - half, x_now + half], [fs[-1] - g * half, fs[-1] + g * half])
        else:
            self.tangent.set_data([], [])
        self.loss_div.set_text(f"diverged\nafter {plural(run.diverged_at, 'step')}" if run.diverged else "")
        self.ax_loss.set_xlim(-0.5, nice_limit(steps) + 0.5)
        self.title.set_text(s.title)
        return status_1d(s, run, ghost, lr)


# ==========================================================================
# 2-D
# ==========================================================================

def _sig3(x):
    """x rounded to 3 significant digits, as the theory table prints it."""
    return float(f"{x:.3g}")


def theory_table(s):
    """The theory for quadratic surface ``s``: its numbers, and the rates at the best
    settings, predicted and measured (200 steps from the start)."""
    th = quadratic_theory(s.hessian)
    gd = trajectory(s, lr=th["lr_opt"], steps=200).rate()
    hb = trajectory(s, lr=th["lr_opt_momentum"], momentum=th["momentum_opt"], steps=200).rate()
    rows = [("", "value", "formula"),
            ("eigenvalues λ", f"{th['lambda_min']:.3g}, {th['lambda_max']:.3g}", "curvatures"),
            ("condition κ", f"{th['kappa']:.3g}", "λmax / λmin"),
            ("stable if η <", f"{th['lr_max']:.3g}", "2 / λmax"),
            ("best η (μ = 0)", f"{th['lr_opt']:.3g}", "2 / (λmin + λmax)"),
            ("best μ*", f"{th['momentum_opt']:.3g}", "((√κ − 1)/(√κ + 1))²"),
            ("its η", f"{th['lr_opt_momentum']:.3g}", "(2 / (√λmin + √λmax))²"),
            ("rate, best η", f"{_rate(th['rate_gd'])} (measured {_rate(gd)})", "(κ − 1)/(κ + 1)"),
            ("rate, best η and μ*", f"{_rate(th['rate_momentum'])} (measured {_rate(hb)})", "(√κ − 1)/(√κ + 1)")]
    return th, rows


def status_2d(s, ghost, run, lr, momentum, start, table):
    """The 2-D explorer's status: what happened to each run, rates, and the theory table."""
    lines, tone = [], "info"
    (bx0, bx1), (by0, by1) = s.box
    if not (bx0 <= start[0] <= bx1 and by0 <= start[1] <= by1):
        lines.append(f"The start ({_num(start[0])}, {_num(start[1])}) is outside the plot.")
        tone = "bad"

    def measured(r):
        if r.diverged:
            return f"diverged after {plural(r.diverged_at, 'step')}"
        rate = r.rate()
        return "too few steps to measure a rate" if not np.isfinite(rate) else f"measured rate {_rate(rate)}"

    for name, r, mu in (("plain GD", ghost, 0.0), (f"momentum μ = {momentum:.2f}", run, momentum)):
        if r is None:
            continue
        text = f"{name}: {measured(r)}"
        if s.is_quadratic:
            text += f", theory {_rate(predicted_rate(s.hessian, lr, mu))}"
        elif not r.diverged:
            x = r.final
            text += (f"; ends at ({_num(x[0])}, {_num(x[1])})" if np.all(np.abs(x) < 1e4) else "; ends far away")
        lines.append(text + ".")
        if r.diverged:
            tone = "bad"
    if s.is_quadratic and lr >= 2.0 / float(np.linalg.eigvalsh(s.hessian).max()):
        lines.append(f"η = {short(lr)} ≥ 2/λmax: plain GD cannot converge.")
    lines.append("Rate: the factor by which the distance to the minimum shrinks per step (smaller is faster).")
    if table is None:
        return Status(lines, tone=tone, notes=[
            "No exact theory on this surface: its curvature changes from point to point, so there is no "
            "single best η. Near a minimum it looks like a quadratic, and the theory holds approximately."])
    return Status(lines, tone=tone, table=table, table_title="Theory for this quadratic")


class GradientDescent2D(Explorer):
    """Gradient descent and momentum on a 2-D surface, with live theory (chapter 06).

    ``GradientDescent2D(surface="ravine", lr=1.5, momentum=0.5).show()``
    """

    params = [
        Choice("surface", list(SURFACES_2D), "ravine", label="surface"),
        Slider("lr", 1e-4, 4.0, 1.5, log=True, step=0.02, label="learning rate η"),
        Slider("momentum", 0.0, 0.99, 0.5, step=0.01, label="momentum μ"),
        Slider("kappa", 1.0, 100.0, 10.0, log=True, step=0.02, label="ravine κ"),
        Slider("start_x", -6.0, 6.0, -4.5, step=0.05, label="start x₀"),
        Slider("start_y", -6.0, 6.0, 2.0, step=0.05, label="start y₀"),
        Slider("steps", 1, 300, 60, integer=True, label="steps"),
    ]
    links = {"surface": lambda name: dict(zip(("start_x", "start_y"), map(float, _start_of(name))))}
    presets = [
        Preset("best η (μ = 0)", lambda v: GradientDescent2D._best(v, momentum=False),
               "η = 2/(λmin + λmax) and μ = 0, as the theory table gives them (3 significant digits)"),
        Preset("best η and μ*", lambda v: GradientDescent2D._best(v, momentum=True),
               "μ* = ((√κ−1)/(√κ+1))² and its η = (2/(√λmin + √λmax))², as the theory table gives them"),
    ]
    figsize = (5.8, 3.6)
    moving = ("ghost", "path", "start_mark", "end_ghost", "end_path", "minima_marks", "loss_ghost", "loss_line",
              "loss_div")
    slow = ("title", "map", "map_frame")
    background = ("surface", "kappa")
    sweeps = [
        Sweep("lr", lambda v: [0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.2, 1.5, 1.82, 2.0, 2.1, 2.31],
              "Learning rate from {first} to {last}, momentum fixed at μ = {momentum:.2f}"),
        Sweep("momentum", [0.0, 0.1, 0.2, 0.27, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 0.95],
              "Momentum from {first} to {last}, learning rate fixed at η = {lr:.3g}"),
    ]
    grid_n = 90

    def __init__(self, **values):
        self._theory = {}
        self._runs = {}
        self._maps = {}
        self.map = []
        self._key = None
        super().__init__(**values)

    @staticmethod
    def _surface_for(name, kappa):
        return ravine(kappa) if name == "ravine" else get_surface(name, dim=2)

    @staticmethod
    def _best(values, *, momentum):
        s = GradientDescent2D._surface_for(values["surface"], values["kappa"])
        if not s.is_quadratic:
            return None
        th = quadratic_theory(s.hessian)
        if momentum:
            return {"lr": _sig3(th["lr_opt_momentum"]), "momentum": _sig3(th["momentum_opt"])}
        return {"lr": _sig3(th["lr_opt"]), "momentum": 0.0}

    def setup(self, fig):
        self.ax = fig.add_axes([0.09, 0.22, 0.47, 0.68])
        self.ax_loss = fig.add_axes([0.70, 0.22, 0.28, 0.68])
        ax, al = self.ax, self.ax_loss
        self.title = fig.text(0.02, 0.975, "", ha="left", va="top", fontsize=10)
        self.ghost, = ax.plot([], [], "-o", color=BLUE, lw=1.4, ms=2.8, zorder=4, label="plain GD")
        self.path, = ax.plot([], [], "-o", color=ORANGE, lw=1.6, ms=3.2, zorder=5, label="momentum")
        self.start_mark, = ax.plot([], [], "o", ms=8, mfc="white", mec="black", mew=1.5, zorder=6, label="start")
        self.end_ghost, = ax.plot([], [], "o", ms=7, color=BLUE, mec="black", zorder=7)
        self.end_path, = ax.plot([], [], "o", ms=9, color=ORANGE, mec="black", zorder=7)
        self.minima_marks, = ax.plot([], [], "*", ms=13, color="white", mec="black", mew=1.0, zorder=6,
                                     label="minimum")
        ax.set_xlabel("weight x")
        ax.set_ylabel("weight y")
        ax.grid(False)                       # a contour map needs no grid (and it would sit under the map)
        self.map_frame = list(ax.spines.values())     # drawn over the map, as a full redraw would
        self.ghost.set_label("plain GD (μ = 0)")
        self.path.set_label("with momentum μ")
        # one legend for both panels, below them: drawn once, it never hides a path
        self.legend = fig.legend(handles=[self.ghost, self.path, self.start_mark, self.minima_marks],
                                 loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=8, frameon=False,
                                 handlelength=1.4, columnspacing=1.2)
        self.loss_ghost, = al.plot([], [], "-", color=BLUE, lw=1.4, label="plain GD")
        self.loss_line, = al.plot([], [], "-", color=ORANGE, lw=1.8, label="momentum")
        al.set_yscale("log")
        al.set_ylim(1e-10, 1e4)
        al.set_xlabel("step t")
        al.set_title("loss gap f(xₜ) − f(x*)", fontsize=9)
        self.loss_div = al.text(0.5, 0.5, "", transform=al.transAxes, ha="center", va="center", color=RED,
                                fontsize=9, fontweight="bold",
                                bbox=dict(boxstyle="round", fc="white", ec=RED, alpha=0.9))

    def _background(self, s, key):
        """The contour map and downhill arrows, computed once per surface and kept."""
        if key == self._key:
            return
        self._key = key
        for artist in self.map:
            artist.set_visible(False)
        if key in self._maps:
            self.map = self._maps[key]
            for artist in self.map:
                artist.set_visible(True)
        else:
            if len(self._maps) >= 12:
                for artist in self._maps.pop(next(iter(self._maps))):
                    artist.remove()
            self.map = self._maps[key] = self._contours(s)
        self.ax.set_xlim(*s.box[0])
        self.ax.set_ylim(*s.box[1])
        mins = np.array(s.minima)
        self.minima_marks.set_data(mins[:, 0], mins[:, 1])

    def _contours(self, s):
        ax = self.ax
        X, Y, F = s.grid(self.grid_n)
        gap = F - s.f_min
        top = float(np.percentile(gap, 98))
        levels = s.f_min + np.geomspace(max(top * 1e-4, 1e-3), top, 11)
        filled = ax.contourf(X, Y, F, levels=np.concatenate([[F.min() - 1], levels, [F.max() + 1]]),
                             cmap="Greys", alpha=0.45, zorder=0, antialiased=False)
        lines = ax.contour(X, Y, F, levels=levels, colors="#666666", linewidths=0.6, alpha=0.7, zorder=1)
        gx, gy = np.meshgrid(np.linspace(*s.box[0], 11)[1:-1], np.linspace(*s.box[1], 9)[1:-1])
        G = s.grad_raw(np.stack([gx, gy], axis=-1))
        norm = np.hypot(G[..., 0], G[..., 1])
        norm[norm == 0] = 1
        arrows = ax.quiver(gx, gy, -G[..., 0] / norm, -G[..., 1] / norm, color="#555555", alpha=0.55,
                           angles="xy", scale_units="xy", scale=1.8 / (s.box[0][1] - s.box[0][0]) * 8,
                           width=0.005, zorder=2)
        ax.set_aspect("equal", adjustable="box")
        return [filled, lines, arrows]

    def _run(self, s, key, start, lr, momentum, steps):
        k = (key, tuple(start), lr, momentum, steps)
        if k not in self._runs:
            if len(self._runs) > 256:
                self._runs.clear()
            self._runs[k] = trajectory(s, start, lr=lr, momentum=momentum, steps=steps)
        return self._runs[k]

    def _table(self, s, key):
        if not s.is_quadratic:
            return None
        if key not in self._theory:
            self._theory[key] = theory_table(s)[1]
        return self._theory[key]

    def draw(self, surface, lr, momentum, kappa, start_x, start_y, steps):
        s = self._surface_for(surface, kappa)
        key = (surface, kappa if surface == "ravine" else None)
        self._background(s, key)
        start = (start_x, start_y)
        (x0, x1), (y0, y1) = s.box
        ghost = self._run(s, key, start, lr, 0.0, steps)
        run = self._run(s, key, start, lr, momentum, steps) if momentum > 0 else None
        for line, end, r in ((self.ghost, self.end_ghost, ghost), (self.path, self.end_path, run)):
            if r is None:
                line.set_data([], [])
                end.set_data([], [])
            else:
                px, py = clip_for_plot(r.points[:, 0], x0, x1), clip_for_plot(r.points[:, 1], y0, y1)
                line.set_data(px, py)
                end.set_data([px[-1]], [py[-1]])
        self.start_mark.set_data([start_x], [start_y])
        for line, r in ((self.loss_ghost, ghost), (self.loss_line, run)):
            if r is None:
                line.set_data([], [])
            else:
                gap = np.clip(np.nan_to_num(r.losses - s.f_min, nan=1e300, posinf=1e300), 1e-12, 1e300)
                line.set_data(np.arange(len(gap)), gap)
        self.ax_loss.set_xlim(0, nice_limit(steps))
        gone = [name for name, r in (("plain GD", ghost), ("momentum", run)) if r is not None and r.diverged]
        self.loss_div.set_text(("both runs" if len(gone) == 2 else gone[0]) + "\ndiverged" if gone else "")
        self.loss_div.set_visible(bool(gone))
        if gone:                   # where no curve and no legend is: the label never hides a curve
            lo, hi = np.log10(self.ax_loss.get_ylim())
            pts = [(np.asarray(l.get_xdata(), float) / nice_limit(steps),
                    (np.log10(np.asarray(l.get_ydata(), float)) - lo) / (hi - lo))
                   for l in (self.loss_ghost, self.loss_line) if len(l.get_xdata())]
            self.loss_div.set_position(free_spot(pts, [(0.5, y) for y in (0.5, 0.25, 0.75, 0.1, 0.9)]))
        self.title.set_text(s.title)
        return status_2d(s, ghost, run, lr, momentum, start, self._table(s, key))


# ==========================================================================
# SGD versus full-batch GD
# ==========================================================================

def status_sgd(sgd, gd, batch_size, n):
    """The SGD explorer's status: updates per epoch and final losses of both runs."""
    per_epoch = -(-n // batch_size)
    return Status([
        f"mini-batch SGD: {plural(per_epoch, 'update')} per epoch, {len(sgd['W']) - 1} in all, "
        f"final loss {sgd['loss'][-1]:.3f}.",
        f"full-batch GD: 1 update per epoch, {len(gd['W']) - 1} in all, final loss {gd['loss'][-1]:.3f}.",
    ])


class MiniBatchSGD(Explorer):
    """Mini-batch SGD against full-batch GD on logistic regression (chapter 06).

    ``MiniBatchSGD(batch_size=10, lr=0.5).show()``
    """

    params = [
        Slider("batch_size", 1, 200, 10, integer=True, label="batch size"),
        Slider("lr", 0.01, 10.0, 0.5, log=True, step=0.02, label="learning rate η"),
        Slider("epochs", 1, 30, 5, integer=True, label="epochs"),
    ]
    figsize = (5.8, 5.4)
    moving = ("sgd_path", "gd_path", "lowest", "start", "sgd_loss", "gd_loss", "sgd_line", "gd_line")
    sweeps = [Sweep("batch_size", [1, 2, 4, 8, 16, 32, 64, 100, 200],
                    "Batch size from {first} to {last}, learning rate fixed at η = {lr:.3g}")]
    box = ((-2.5, 4.0), (-1.5, 3.5))
    MAX_EPOCHS = 30

    def setup(self, fig):
        self.X, self.y = logistic_data()
        X, y = self.X, self.y
        self._runs = {}
        self.ax = fig.add_axes([0.105, 0.54, 0.37, 0.37])
        self.ax_data = fig.add_axes([0.6, 0.54, 0.37, 0.37])
        self.ax_loss = fig.add_axes([0.105, 0.09, 0.865, 0.22])
        fig.text(0.02, 0.985, "Logistic regression p = σ(x·w) on 200 points", ha="left", va="top", fontsize=10)
        ax = self.ax
        w1, w2 = np.meshgrid(np.linspace(*self.box[0], 90), np.linspace(*self.box[1], 80))
        F = _full_loss(X, y.astype(float), np.column_stack([w1.ravel(), w2.ravel()])).reshape(w1.shape)
        ax.contourf(w1, w2, F, levels=14, cmap="Greys", alpha=0.45, zorder=0)
        ax.contour(w1, w2, F, levels=14, colors="#666666", linewidths=0.5, alpha=0.7, zorder=1)
        i = np.argmin(F)
        self.lowest = lowest, = ax.plot(w1.ravel()[i], w2.ravel()[i], "*", ms=13, color="white", mec="black", zorder=6)
        ax.set_xlim(*self.box[0])
        ax.set_ylim(*self.box[1])
        ax.set_xlabel("weight w₁")
        ax.set_ylabel("weight w₂")
        ax.set_title("path of the weights", fontsize=9)
        self.sgd_path, = ax.plot([], [], "-", color=ORANGE, lw=1.0, alpha=0.9, zorder=4, label="SGD")
        self.gd_path, = ax.plot([], [], "-o", color=BLUE, lw=1.6, ms=4, zorder=5, label="GD")
        self.start = start, = ax.plot(-1.5, 2.5, "o", ms=8, mfc="white", mec="black", mew=1.5, zorder=6)
        al = self.ax_loss
        self.sgd_loss, = al.plot([], [], "-", color=ORANGE, lw=1.0, label="mini-batch SGD")
        self.gd_loss, = al.plot([], [], "-o", color=BLUE, lw=1.6, ms=4, label="full-batch GD")
        al.set_xlabel("epochs (passes through the data)")
        al.set_ylabel("loss, all data")
        ad = self.ax_data
        classes = [ad.scatter(X[y == k, 0], X[y == k, 1], s=12, c=CLASS_COLORS[k], marker=marker,
                              edgecolors="white", linewidths=0.4, zorder=3) for k, marker in ((0, "o"), (1, "s"))]
        self.sgd_line, = ad.plot([], [], "-", color=ORANGE, lw=2, label="SGD", zorder=4)
        self.gd_line, = ad.plot([], [], "--", color=BLUE, lw=2, label="GD", zorder=4)
        self.lim = lim = np.abs(X).max() * 1.05
        ad.set_xlim(-lim, lim)
        ad.set_ylim(-lim, lim)
        ad.set_aspect("equal", adjustable="box")
        ad.set_xlabel("feature x₁")
        ad.set_ylabel("feature x₂")
        ad.set_title("decision boundary x·w = 0", fontsize=9)
        # one legend for all three panels, between the rows: drawn once, it never hides a curve
        self.legend = fig.legend([self.sgd_path, self.gd_path, start, lowest, *classes],
                                 ["mini-batch SGD", "full-batch GD", "start", "lowest loss", "class 0", "class 1"],
                                 loc="center", bbox_to_anchor=(0.53, 0.40), ncol=3, fontsize=8, frameon=False,
                                 markerscale=1.3, handlelength=1.6, columnspacing=1.5)

    def runs(self, batch_size, lr, epochs):
        """Both runs for ``epochs``: computed once for 30 epochs per (batch size, η), then cut."""
        k = (batch_size, lr)
        if k not in self._runs:
            if len(self._runs) > 64:
                self._runs.clear()
            self._runs[k] = logistic_runs(self.X, self.y, lr=lr, batch_size=batch_size, epochs=self.MAX_EPOCHS)
        return tuple({name: r[name][r["epoch"] <= epochs + 1e-9] for name in r} for r in self._runs[k])

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
        sgd, gd = self.runs(batch_size, lr, epochs)
        (a, b), (c, d) = self.box
        self.sgd_path.set_data(clip_for_plot(sgd["W"][:, 0], a, b), clip_for_plot(sgd["W"][:, 1], c, d))
        self.gd_path.set_data(clip_for_plot(gd["W"][:, 0], a, b), clip_for_plot(gd["W"][:, 1], c, d))
        self.sgd_loss.set_data(sgd["epoch"], np.minimum(sgd["loss"], 10))
        self.gd_loss.set_data(gd["epoch"], np.minimum(gd["loss"], 10))
        peak = float(min(np.max(sgd["loss"]), 10))
        top = next(t for t in (1.2, 2.5, 5.0, 10.5) if peak * 1.05 <= t)     # few levels: the axes rarely change
        self.ax_loss.set_xlim(0, nice_limit(epochs, (5, 30)))
        self.ax_loss.set_ylim(0, top)
        self._boundary(self.sgd_line, sgd["W"][-1])
        self._boundary(self.gd_line, gd["W"][-1])
        return status_sgd(sgd, gd, batch_size, len(self.X))


EXPLORERS = [GradientDescent1D, GradientDescent2D, MiniBatchSGD]
