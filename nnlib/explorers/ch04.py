"""Explorers for chapter 04, sigmoid neurons and networks.

* :class:`SteepnessExplorer` — the sigmoid σ(kz) beside the binary step: raise the
  steepness k and watch the sigmoid close in on the step, everywhere except in a
  thin band around z = 0.
* :class:`SigmoidSumExplorer` — a curve built from N sigmoids, fitted by least
  squares or as bumps by hand, each sigmoid drawn on its own, with the error
  against N beside it.
* :class:`HiddenSizeExplorer` — two-layer networks of every hidden size, trained
  on noisy circles over several seeds: the decision boundary of the chosen one,
  and the training and test errors of all of them.

The computation is :mod:`nnlib.approx` (cached); these classes only draw.
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..approx import (INTERVAL, STUDY_SIZES, approximation_errors, bump_components, fit_target, gap_to_step,
                      hidden_size_study, rms_error, steep_sigmoid, target_curve)
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL
from .base import Choice, Explorer, Slider, Status, Sweep, plural

BLUE = CLASS_COLORS[0]
ORANGE = ACCENT
GREEN = "#1b7837"


# ==========================================================================
# Steepness
# ==========================================================================

MARGIN = 0.1


def status_steepness(k):
    """The steepness explorer's status: how far from the step, and how steep in the middle."""
    gap = float(gap_to_step(k, MARGIN))
    close = gap <= 0.01
    return Status([
        f"k = {k:.3g}: for |z| ≥ {MARGIN:g} the sigmoid is within {gap:.3g} of the step"
        + (" (closer than 0.01)." if close else "."),
        f"slope in the middle σ′(0)·k = k/4 = {k / 4:.3g}: a change of z by 0.01 there moves the output by about "
        f"{min(k / 4 * 0.01, 1):.3g}; the step jumps by 1.",
    ], tone="good" if close else "info")


class SteepnessExplorer(Explorer):
    """The sigmoid σ(kz) approaching the binary step as k grows (chapter 04).

    ``SteepnessExplorer(k=5).show()``
    """

    params = [Slider("k", 0.2, 200.0, 1.0, log=True, step=0.02, label="steepness k")]
    figsize = (5.8, 3.3)
    moving = ("curve", "gap_bar", "gap_text")
    sweeps = [Sweep("k", [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 200], "Steepness k from {first} to {last}")]

    def setup(self, fig):
        ax = self.ax = fig.add_axes([0.1, 0.15, 0.86, 0.72])
        z = np.linspace(-2, 2, 801)
        self.z = z
        ax.axvspan(-MARGIN, MARGIN, color="#dddddd", alpha=0.6, lw=0, zorder=0)
        ax.text(0, 1.2, f"|z| < {MARGIN:g}", ha="center", va="center", fontsize=8, color=NEUTRAL)
        ax.plot([-2, 0, 0, 2], [0, 0, 1, 1], color="black", lw=1.6, ls="--", zorder=2, label="binary step")
        self.curve, = ax.plot([], [], color=ORANGE, lw=2.2, zorder=3, label="sigmoid σ(kz)")
        self.gap_bar, = ax.plot([], [], color=BLUE, lw=2.5, zorder=4, solid_capstyle="butt")
        self.gap_text = ax.text(0, 0, "", fontsize=8.5, color=BLUE, va="center", ha="left", zorder=5)
        ax.set_xlim(-2, 2)
        ax.set_ylim(-0.1, 1.3)
        ax.set_xlabel("weighted sum z")
        ax.set_ylabel("output")
        ax.legend(loc="upper left", fontsize=8.5)
        fig.text(0.02, 0.975, "Step and sigmoid: the larger k, the closer", ha="left", va="top", fontsize=10)

    def draw(self, k):
        self.curve.set_data(self.z, steep_sigmoid(self.z, k))
        gap = float(gap_to_step(k, MARGIN))
        top = 1.0
        self.gap_bar.set_data([MARGIN, MARGIN], [top - gap, top])
        self.gap_text.set_text(f"gap at z = {MARGIN:g}: {gap:.3g}")
        self.gap_text.set_position((MARGIN + 0.08, max(top - gap / 2, 0.45)))
        return status_steepness(k)


# ==========================================================================
# A sum of N sigmoids
# ==========================================================================

N_MAX = 30
METHODS = ["fitted", "bumps by hand"]


def status_sum(n, method, error, best_error):
    if method == "bumps by hand":
        bumps = n // 2
        if bumps == 0:
            return Status(["A bump takes two sigmoids (a step up and a step down): choose N ≥ 2."], tone="bad")
        lines = [f"{plural(bumps, 'bump')} by hand, {2 * bumps} sigmoids: RMS error {error:.3g}.",
                 f"Fitting the output weights of {plural(n, 'sigmoid')} by least squares gets {best_error:.3g}."]
        return Status(lines)
    return Status([f"{plural(n, 'sigmoid')}, output weights fitted by least squares: RMS error {error:.3g}.",
                   "Each thin line is one sigmoid times its output weight; their sum plus b₂ is the orange curve."],
                  tone="good" if error < 0.01 else "info")


class SigmoidSumExplorer(Explorer):
    """A target curve approximated by a sum of N sigmoids (chapter 04).

    ``SigmoidSumExplorer(n=7).show()``
    """

    params = [Slider("n", 1, N_MAX, 7, integer=True, label="sigmoids N"),
              Choice("method", METHODS, "fitted", label="weights"),
              Choice("parts", ["each sigmoid", "sum only"], "each sigmoid", label="draw")]
    figsize = (5.8, 3.6)
    moving = ("parts_lines", "approx", "marker")
    sweeps = [Sweep("n", [1, 2, 4, 5, 7, 10, 15, 30], "Number of sigmoids N from {first} to {last}, "
                    "output weights fitted", fixed={"method": "fitted"}),
              Sweep("n", [2, 6, 14, 30], "N sigmoids as N/2 bumps by hand", fixed={"method": "bumps by hand"})]

    def setup(self, fig):
        ax = self.ax = fig.add_axes([0.09, 0.14, 0.56, 0.72])
        ae = self.ax_err = fig.add_axes([0.77, 0.14, 0.21, 0.72])
        self.x = np.linspace(*INTERVAL, 400)
        self.f = target_curve(self.x)
        ax.plot(self.x, self.f, color="black", lw=2.4, zorder=2, label="target f(x)")
        self.parts_lines = [ax.plot([], [], lw=0.9, color=BLUE, alpha=0.6, zorder=1)[0] for _ in range(N_MAX)]
        self.approx, = ax.plot([], [], color=ORANGE, lw=1.8, zorder=3, label="sum of sigmoids")
        ax.set_xlim(*INTERVAL)
        ax.set_ylim(-0.75, 1.2)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="lower left", fontsize=8, ncol=2)
        ns = np.arange(1, N_MAX + 1)
        fitted, by_hand = approximation_errors(ns)
        self.errors = {"fitted": fitted, "bumps by hand": by_hand}
        ae.semilogy(ns, fitted, "-", color=ORANGE, lw=1.5, label="fitted")
        ae.semilogy(ns, by_hand, "--", color=NEUTRAL, lw=1.2, label="by hand")
        self.marker, = ae.plot([], [], "o", color=ORANGE, mec="black", ms=7, zorder=5)
        ae.set_xlabel("sigmoids N")
        ae.set_title("RMS error", fontsize=9)
        ae.set_xlim(0, N_MAX + 1)
        ae.set_ylim(3e-4, 0.6)
        ae.legend(loc="upper right", fontsize=8, handlelength=1.2)
        fig.text(0.02, 0.975, "f(x) ≈ σ(x W₁ + b₁) W₂ + b₂, a weighted sum of sigmoids", ha="left", va="top",
                 fontsize=10)

    def draw(self, n, method, parts):
        if method == "fitted":
            model = fit_target(n)
            comps = model.components(self.x)
            yhat = comps.sum(axis=1) + model.b2[0]
            error = rms_error(model.predict)
        elif n >= 2:
            comps = bump_components(self.x, n // 2)
            yhat = comps.sum(axis=1)
            error = float(self.errors[method][n - 1])
        else:
            comps, yhat, error = np.zeros((len(self.x), 0)), None, np.nan
        for i, line in enumerate(self.parts_lines):
            if parts == "each sigmoid" and i < comps.shape[1]:
                line.set_data(self.x, comps[:, i])
            else:
                line.set_data([], [])
        self.approx.set_data(([], []) if yhat is None else (self.x, yhat))
        if np.isfinite(error):
            self.marker.set_data([n], [error])
            self.marker.set_color(ORANGE if method == "fitted" else NEUTRAL)
        else:
            self.marker.set_data([], [])
        return status_sum(n, method, error, float(self.errors["fitted"][n - 1]))


# ==========================================================================
# Hidden-layer size
# ==========================================================================

_MAP = LinearSegmentedColormap.from_list("ch04_classes", [BLUE, "#ffffff", CLASS_COLORS[1]])


def status_hidden(study, j, seed):
    tr, te = study.train_error[seed, j], study.test_error[seed, j]
    h = study.sizes[j]
    best = study.best_size()
    mean_tr, mean_te = study.train_error[:, j].mean(), study.test_error[:, j].mean()
    lines = [f"{plural(h, 'hidden neuron')}, seed {seed}: training error {tr:.1%}, test error {te:.1%}.",
             f"Over {len(study.seeds)} seeds: training {mean_tr:.1%}, test {mean_te:.1%} on average."]
    if h == best:
        lines.append(f"{h} hidden neurons give the lowest mean test error of all sizes.")
        tone = "good"
    elif h < best:
        lines.append(f"Too few neurons (underfitting): both errors are high; {best} do better on the test data.")
        tone = "info"
    else:
        lines.append(f"More neurons than needed: the training error keeps falling, but the test error is above "
                     f"that of {best} neurons (overfitting: the boundary follows the noise).")
        tone = "info"
    return Status(lines, tone=tone)


class HiddenSizeExplorer(Explorer):
    """Two-layer networks of each hidden size on noisy circles: boundary and errors (chapter 04).

    ``HiddenSizeExplorer(hidden=8, seed=0).show()``. The networks are trained
    once by :func:`nnlib.approx.hidden_size_study` (a few seconds) and cached.
    """

    params = [Choice("hidden", list(STUDY_SIZES), 8, label="hidden size"),
              Slider("seed", 0, 4, 0, integer=True, label="seed")]
    figsize = (5.8, 3.3)
    moving = ("map", "boundary", "points", "mark_train", "mark_test")
    sweeps = [Sweep("hidden", list(STUDY_SIZES), "Hidden size from {first} to {last}, seed {seed}")]

    def setup(self, fig):
        self.study = s = hidden_size_study()
        ax = self.ax = fig.add_axes([0.03, 0.13, 0.42, 0.74])
        ae = self.ax_err = fig.add_axes([0.6, 0.15, 0.38, 0.72])
        x0, x1, y0, y1 = s.extent
        self.map = ax.imshow(s.maps[0, 0], origin="lower", extent=s.extent, cmap=_MAP, vmin=0, vmax=1,
                             alpha=0.55, interpolation="bilinear", zorder=0)
        self.boundary = None
        X, y = s.X_train, s.y_train
        self.points = [ax.scatter(X[y == c, 0], X[y == c, 1], s=16, c=CLASS_COLORS[c], marker=m,
                                  edgecolors="white", linewidths=0.5, zorder=3) for c, m in ((0, "o"), (1, "s"))]
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_xlabel(f"{len(X)} training points", fontsize=9)
        sizes = np.array(s.sizes)
        for err, color, label in ((s.train_error, BLUE, "training"), (s.test_error, ORANGE, "test")):
            ae.fill_between(sizes, err.min(axis=0) * 100, err.max(axis=0) * 100, color=color, alpha=0.2, lw=0)
            ae.plot(sizes, err.mean(axis=0) * 100, "-o", color=color, ms=3.5, lw=1.6, label=f"{label} (mean)")
        self.mark_train, = ae.plot([], [], "o", ms=8, mfc="white", mec=BLUE, mew=2, zorder=5)
        self.mark_test, = ae.plot([], [], "o", ms=8, mfc="white", mec=ORANGE, mew=2, zorder=5)
        ae.set_xscale("log", base=2)
        ae.set_xticks(sizes)
        ae.set_xticklabels([str(h) for h in sizes])
        ae.minorticks_off()
        ae.set_xlabel("hidden size")
        ae.set_ylabel("error (%)")
        ae.set_ylim(0, 50)
        ae.legend(loc="upper right", fontsize=8)
        ae.set_title("band: lowest to highest seed", fontsize=9)
        fig.text(0.02, 0.975, "Noisy circles: how many hidden neurons?", ha="left", va="top", fontsize=10)

    def draw(self, hidden, seed):
        s = self.study
        j = s.sizes.index(hidden)
        P = s.maps[seed, j]
        self.map.set_data(P)
        if self.boundary is not None:
            self.boundary.remove()
        g = np.linspace(s.extent[0], s.extent[1], P.shape[0])
        self.boundary = self.ax.contour(g, g, P, levels=[0.5], colors="black", linewidths=1.6, zorder=2)
        self.mark_train.set_data([hidden], [s.train_error[seed, j] * 100])
        self.mark_test.set_data([hidden], [s.test_error[seed, j] * 100])
        return status_hidden(s, j, seed)


EXPLORERS = [SteepnessExplorer, SigmoidSumExplorer, HiddenSizeExplorer]
