"""Chapter 03 — when one line is enough, and when it is not.

* :class:`SeparabilityExplorer` — choose a data set (AND, OR, XOR, blobs,
  circles, moons) and a noise level, then move through the epochs of the
  perceptron rule: the line after each epoch, the samples it gets wrong, and
  the mistakes made in every epoch so far. The status says whether training
  has converged, is caught in a cycle, or is still making mistakes.

The training runs are :func:`nnlib.separability.epoch_run`, computed once per
(data set, noise) and kept, so moving the epoch slider only redraws.
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator

from ..plot import ACCENT, CLASS_COLORS, CLASS_MARKERS, NEUTRAL, line_points
from ..separability import MAX_EPOCHS, TOY_SETS, epoch_run
from .base import Choice, Explorer, Slider, Status, Sweep, plural
from .ch02 import num, positive_side
from .fasttext import TextRow

NOISES = [round(0.05 * k, 2) for k in range(11)]


BOXES = {"gate": ((-0.5, 1.5), (-0.5, 1.5)), "noisy gate": ((-1.25, 2.25), (-1.25, 2.25)),
         "blobs": ((-2.5, 2.5), (-2.0, 2.0)), "circles": ((-1.75, 1.75), (-1.75, 1.75)),
         "moons": ((-1.75, 2.75), (-1.5, 2.0))}
"""The plane shown for each data set: fixed, whatever the noise, so that the picture does not jump
(and the explorer keeps one background per box). The rare sample jittered outside is not drawn."""


def _box(dataset, noise):
    if dataset in ("AND", "OR", "XOR"):
        return BOXES["gate" if noise == 0 else "noisy gate"]
    return BOXES[dataset]


def separability_status(run, epoch, dataset):
    """The explorer's status: what the line after ``epoch`` gets wrong, and how training ends."""
    n = len(run.y)
    first = ("Start: w = 0, b = 0, every output is 0" if epoch == 0 else f"After epoch {epoch}") + \
        f": the line gets {run.wrong[epoch]} of {n} samples wrong."
    separable = (f"A line does separate these data (best margin γ = {run.gamma:.2g})" if run.gamma > 0 else
                 "No line separates these data")
    if run.converged is not None and epoch >= run.converged:
        return Status([first, f"Converged: epoch {run.converged} was the first without a mistake, so this line "
                              "separates the data and training stops."], tone="good")
    if run.cycle is not None and epoch >= run.cycle[0] - 1 + run.cycle[1]:
        start, period = run.cycle
        loop = "each epoch repeats the one before" if period == 1 else f"the epochs repeat in a loop of {period}"
        return Status([first, f"Cycling: from epoch {start} on, {loop}, update for update. It will never stop: "
                              f"no line separates {dataset}."], tone="bad")
    if epoch < MAX_EPOCHS:
        later = f"it converges at epoch {run.converged}" if run.converged else \
            f"it is still making mistakes at epoch {MAX_EPOCHS}"
        return Status([first, f"Training goes on ({later}): move the epoch slider on."])
    return Status([first, f"Still making {plural(run.errors[-1], 'mistake')} in epoch {MAX_EPOCHS}. {separable}"
                          + (", so more epochs would get there." if run.gamma > 0 else ", so it never will.")],
                  tone="bad")


class SeparabilityExplorer(Explorer):
    """Watch the perceptron rule epoch by epoch on a data set of your choice.

    ``SeparabilityExplorer(dataset="XOR", noise=0.0, epoch=0).show()``
    """

    params = [
        Choice("dataset", list(TOY_SETS), "XOR", label="data set"),
        Slider("noise", 0.0, 0.5, 0.0, step=0.05, label="noise"),
        Slider("epoch", 0, MAX_EPOCHS, 0, integer=True, label="epoch"),
    ]
    figsize = (5.8, 3.9)
    moving = ("title_pieces", "shade", "points", "line", "rings", "bars", "epoch_band", "plane_spines", "err_spines")
    sweeps = [Sweep("epoch", list(range(0, 9)), "The perceptron rule on XOR, epoch {first} to {last}: it cycles",
                    fixed={"dataset": "XOR", "noise": 0.0}),
              Sweep("epoch", list(range(0, 11)), "A noisy AND (noise 0.1), epoch {first} to {last}: separable, "
                    "and the perceptron gets there", fixed={"dataset": "AND", "noise": 0.1})]

    def prefetch_items(self):
        """Train ahead (while the student reads) on the other data sets and noise levels
        next to the current ones: the first move of either control is then as fast as the rest."""
        return [("dataset", d) for d in TOY_SETS if d != self.values["dataset"]] + \
            [("noise", v) for v in NOISES if v != self.values["noise"]]

    def setup(self, fig):
        ax = self.ax = fig.add_axes([0.125, 0.24, 0.44, 0.675])
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
        ax.grid(False)
        self.shade = ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, fc=CLASS_COLORS[1], alpha=0.2, lw=0,
                                          zorder=0))
        self.points = [ax.scatter([], [], s=40, c=CLASS_COLORS[k], marker=CLASS_MARKERS[k], edgecolors="white",
                                  linewidths=0.6, zorder=4, label=f"class {k}") for k in (0, 1)]
        self.rings = ax.scatter([], [], s=150, facecolors="none", edgecolors=ACCENT, linewidths=1.8, zorder=3,
                                label="wrong now")
        self.line, = ax.plot([], [], color="black", lw=2, zorder=2, label="line $z = 0$")
        ax.set_xlabel("$x_1$", labelpad=1)
        ax.set_ylabel("$x_2$", labelpad=1)
        self.plane_spines = list(ax.spines.values())
        side = Line2D([], [], ls="none", marker="s", color=CLASS_COLORS[1], alpha=0.3, ms=9, label="output 1")
        fig.legend(handles=[*self.points, self.rings, self.line, side], loc="lower center", ncol=5, fontsize=8,
                   bbox_to_anchor=(0.5, 0.0), markerscale=0.8, handlelength=1.4, columnspacing=1.0,
                   borderaxespad=0.3)
        self.title = TextRow(fig, 0.02, 0.975, 3, va="top", fontsize=10)
        self.title_pieces = self.title.pieces
        ae = self.ax_err = fig.add_axes([0.68, 0.24, 0.30, 0.625])
        ae.set_axisbelow(True)
        ae.grid(axis="x", visible=False)
        ae.set_xlabel("epoch", labelpad=2)
        ae.set_ylabel("mistakes in the epoch", labelpad=2)
        ae.set_title("mistakes per epoch", fontsize=10)
        self.bars = list(ae.bar(np.arange(1, MAX_EPOCHS + 1), np.zeros(MAX_EPOCHS), color=NEUTRAL, zorder=1))
        ae.set_xlim(0.4, MAX_EPOCHS + 0.6)
        ae.set_xticks([1, 5, 10, 15, 20])
        ae.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self.epoch_band = ae.axvspan(0.5, 1.5, color=ACCENT, alpha=0.12, zorder=0.6, lw=0)
        self.err_spines = list(ae.spines.values())

    def draw(self, dataset, noise, epoch):
        run = epoch_run(dataset, noise)
        X, y = run.X, run.y
        xlim, ylim = _box(dataset, noise)
        ax = self.ax
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        for k in (0, 1):
            self.points[k].set_offsets(X[y == k])
            self.points[k].set_sizes([90 if len(X) <= 4 else 40])
        self.rings.set_sizes([320 if len(X) <= 4 else 150])
        w, b = run.W[epoch], run.b[epoch]
        box = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[0]], [xlim[1], ylim[1]], [xlim[0], ylim[1]]])
        side = positive_side(w, b, box)
        self.shade.set_xy(side if len(side) >= 3 else np.zeros((0, 2)))
        self.shade.set_visible(len(side) >= 3)
        pts = line_points(w, b, xlim, ylim)
        self.line.set_data(*(pts if pts is not None else ([], [])))
        wrong = (X @ w + b > 0).astype(int) != y
        self.rings.set_offsets(X[wrong] if wrong.any() else np.empty((0, 2)))
        top = 4 if len(X) <= 4 else max(12, max(run.errors))
        self.ax_err.set_ylim(0, top * 1.1)
        for k, bar in enumerate(self.bars, start=1):
            shown = k <= min(epoch, len(run.errors))
            bar.set_height(run.errors[k - 1] if shown else 0)
            bar.set_facecolor(ACCENT if k == epoch else NEUTRAL)
            bar.set_visible(shown and bar.get_height() > 0)
        self.epoch_band.set_visible(epoch > 0)
        self.epoch_band.set_x(epoch - 0.5)
        self.title.set_text(f"{dataset}, noise {noise:g}:", f"epoch {epoch},",
                            f"w = ({num(w[0])}, {num(w[1])}), b = {num(b)}")
        return separability_status(run, epoch, dataset)


EXPLORERS = [SeparabilityExplorer]
