"""Explorer for chapter 05, loss functions: move one weight of the 2-vs-9 model.

:class:`OneWeightExplorer` freezes every parameter of chapter 05's trained model
(:func:`nnlib.profiles.two_vs_nine_model`) except the weight of one pixel and the
bias, and shows, on 2000 training images:

* the loss (MSE of the sigmoid outputs) along that weight: a smooth valley;
* the accuracy along the same weight: a staircase, drawn exactly;
* a zoom around the current weight, in images gained or lost: flat steps of one image;
* four images whose answer the weight can change, with the model's output a = σ(z).

Everything it draws comes from :func:`nnlib.profiles.two_vs_nine_profile` (computed once
per pixel and bias, and kept) and :func:`nnlib.profiles.telling_images`: moving the weight
only moves markers and re-reads those results.
"""

import numpy as np

from ..activations import sigmoid
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL
from ..profiles import (PIXELS, WEIGHT_RANGE, _pixel_data, pixel_index, telling_images, two_vs_nine_profile,
                        two_vs_nine_subset)
from .base import Choice, Explorer, Preset, Slider, Status, Sweep
from .fasttext import TextRow, add_text

BLUE = CLASS_COLORS[0]
RED = "#b2182b"
GREEN = "#1b7837"
ZOOM = 0.3                       # the zoom panel shows the weight ± this much
ZOOM_IMAGES = 6                  # ... and ± this many images gained or lost
LOSS_LIMITS = (0.005, 1.0)       # fixed axes (a log scale for the loss), so that moving the bias only
ACC_LIMITS = (0.4, 1.01)         # redraws the curves, never the axes


def trained_weight(pixel):
    """The trained weight of ``pixel`` and the trained bias, as the explorer starts them (2 decimals)."""
    _, _, _, wj, b = _pixel_data(pixel_index(pixel), 2000)
    return round(wj, 2), round(b, 2)


def _num(v, digits=3):
    """A signed number with a real minus sign."""
    return f"{v:.{digits}f}".replace("-", "−")


def one_weight_status(pixel, w, b, profile, steps, n_images):
    """The explorer's status: loss and its slope, the accuracy step the weight is on, and what to notice."""
    loss = float(np.interp(w, profile.weights, profile.mse))
    slope = float(np.interp(w, profile.weights, profile.mse_slope))
    k = int(np.clip(np.searchsorted(steps.edges, w, side="right") - 1, 0, len(steps.accuracy) - 1))
    acc = float(steps.accuracy[k])
    lo, hi = steps.edges[k], steps.edges[k + 1]
    if abs(slope) < 1e-5:
        direction = "flat"
    else:
        direction = f"the loss falls to the {'left' if slope > 0 else 'right'}"
    lines = [f"Loss (MSE on {n_images:,} images): {loss:.4f}; its slope along w: {_num(slope, 4)} per unit "
             f"({direction}).",
             f"Accuracy: {acc:.2%} ({round(acc * n_images):,} of {n_images:,} right), the same for every w "
             f"from {_num(lo, 2)} to {_num(hi, 2)}: slope 0."]
    if len(steps.edges) == 2:
        lines.append(f"The pixel '{pixel}' is blank in every image, so its weight changes no logit: "
                     "loss and accuracy are flat lines.")
    else:
        lines.append("The accuracy only changes where an image's logit z crosses 0: "
                     f"{len(steps.edges) - 2} such weights between {_num(WEIGHT_RANGE[0], 0)} and "
                     f"{_num(WEIGHT_RANGE[1], 0)}.")
    return Status(lines, tone="info")


class OneWeightExplorer(Explorer):
    """Move one weight (and the bias) of the 2-vs-9 model; watch loss, accuracy and answers (chapter 05).

    ``OneWeightExplorer(pixel="base of a 2").show()``
    """

    params = [
        Choice("pixel", list(PIXELS), "base of a 2", label="pixel"),
        Slider("w", WEIGHT_RANGE[0], WEIGHT_RANGE[1], 0.0, step=0.01, label="its weight w"),
        Slider("b", -6.0, 6.0, 0.0, step=0.01, label="bias b"),
    ]
    links = {"pixel": lambda name: {"w": trained_weight(name)[0]}}
    presets = [Preset("trained values", lambda v: dict(zip(("w", "b"), trained_weight(v["pixel"]))),
                      "put the weight and the bias back where training left them")]
    figsize = (5.8, 4.6)
    moving = ("loss_now", "loss_vline", "acc_now", "acc_vline", "zoom_steps", "images", "pixel_marks", "outputs",
              "verdicts", "title_pieces")
    slow = ("loss_curve", "acc_steps", "trained_marks")
    background = ("pixel", "b")
    sweeps = [Sweep("w", [-6, -4, -2, -1, -0.39, 0, 1, 2, 3, 4.5, 6],
                    "The weight of the pixel '{pixel}' from {first} to {last}, the bias fixed at b = {b:.2f}",
                    fixed={"pixel": "base of a 2"})]
    n_images = 2000

    def __init__(self, **values):
        pixel = values.get("pixel", self.params[0].value)
        w0, b0 = trained_weight(self.params[0].check(pixel))
        values.setdefault("w", w0)
        values.setdefault("b", b0)
        super().__init__(**values)

    def setup(self, fig):
        self.X, self.y = two_vs_nine_subset(self.n_images)
        self.title = TextRow(fig, 0.015, 0.985, 3, va="top", fontsize=10)
        self.title_pieces = self.title.pieces

        self.ax_loss = al = fig.add_axes([0.105, 0.6, 0.37, 0.3])
        self.ax_acc = aa = fig.add_axes([0.61, 0.6, 0.37, 0.3])
        self.ax_zoom = az = fig.add_axes([0.125, 0.1, 0.35, 0.33])
        self.loss_curve, = al.plot([], [], color="black", lw=1.8, zorder=2)
        self.acc_steps = aa.stairs([0], [0, 1], color=BLUE, lw=1.5, baseline=None, zorder=2)
        self.trained_marks = [ax.axvline(0, color=NEUTRAL, ls=":", lw=1.2, zorder=1) for ax in (al, aa)]
        self.loss_vline = al.axvline(0, color=ACCENT, lw=1, alpha=0.6, zorder=3)
        self.acc_vline = aa.axvline(0, color=ACCENT, lw=1, alpha=0.6, zorder=3)
        self.loss_now, = al.plot([], [], "o", color=ACCENT, mec="black", ms=7, zorder=4)
        self.acc_now, = aa.plot([], [], "o", color=ACCENT, mec="black", ms=7, zorder=4)
        al.set_yscale("log")
        al.set_ylim(*LOSS_LIMITS)
        aa.set_ylim(*ACC_LIMITS)
        for ax in (al, aa):
            ax.set_xlim(*WEIGHT_RANGE)
            ax.set_xlabel("weight w", labelpad=1)
        al.set_title("loss (MSE, log scale)", fontsize=10)
        aa.set_title("accuracy", fontsize=10)

        az.axhline(0, color=NEUTRAL, lw=0.8, zorder=1)
        az.axvline(0, color=ACCENT, lw=1, alpha=0.6, zorder=1)
        self.zoom_steps = az.stairs([0], [0, 1], color=BLUE, lw=1.8, baseline=None, zorder=2)
        az.set_xlim(-ZOOM, ZOOM)
        az.set_ylim(-ZOOM_IMAGES - 0.5, ZOOM_IMAGES + 0.5)
        az.set_yticks(range(-ZOOM_IMAGES, ZOOM_IMAGES + 1, 2))
        az.set_xlabel("change of w from now", labelpad=1)
        az.set_ylabel("images gained", labelpad=1)
        az.set_title(f"accuracy, zoomed in: w ± {ZOOM}", fontsize=10)

        # four images: the 2s in the top row, the 9s below; under each, its output and verdict
        self.images, self.outputs, self.verdicts, self.pixel_marks = [], [], [], []
        for k, (xc, y0) in enumerate([(0.645, 0.3), (0.87, 0.3), (0.645, 0.075), (0.87, 0.075)]):
            ax = fig.add_axes([xc - 0.05, y0, 0.1, 0.126])
            ax.set_axis_off()
            self.images.append(ax.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1))
            self.pixel_marks.append(ax.plot([], [], "s", ms=7, mfc="none", mec=RED, mew=1.5, zorder=3)[0])
            ax.set_xlim(-0.5, 27.5)
            ax.set_ylim(27.5, -0.5)
            self.outputs.append(add_text(fig, xc, y0 - 0.008, "", ha="center", va="top", fontsize=9))
            self.verdicts.append(add_text(fig, xc, y0 - 0.045, "", ha="center", va="top", fontsize=9,
                                          weight="bold"))
        add_text(fig, 0.757, 0.47, "four images: output a = σ(z)", ha="center", va="bottom", fontsize=9)
        self._background = None

    def _set_background(self, pixel, b):
        if self._background == (pixel, b):
            return
        self._background = (pixel, b)
        profile, steps = two_vs_nine_profile(pixel, bias=b, n_images=self.n_images)
        self.profile, self.steps = profile, steps
        self.loss_curve.set_data(profile.weights, profile.mse)
        self.acc_steps.set_data(steps.accuracy, steps.edges)
        w0, _ = trained_weight(pixel)
        for line in self.trained_marks:
            line.set_xdata([w0, w0])
        j = pixel_index(pixel)
        self.j, self.row_col = j, divmod(j, 28)
        self.chosen = telling_images(pixel, n_images=self.n_images)
        x, _, z, wj, b0 = _pixel_data(j, self.n_images)
        self.z0, self.x, self.wj, self.b0 = z[self.chosen], x[self.chosen], wj, b0
        for im, mark, i in zip(self.images, self.pixel_marks, self.chosen):
            im.set_data(self.X[i].reshape(28, 28))
            mark.set_data([self.row_col[1]], [self.row_col[0]])

    def draw(self, pixel, w, b):
        self._set_background(pixel, b)
        profile, steps = self.profile, self.steps
        loss = float(np.interp(w, profile.weights, profile.mse))
        acc = steps.at(w)
        self.loss_now.set_data([w], [loss])
        self.acc_now.set_data([w], [acc])
        self.loss_vline.set_xdata([w, w])
        self.acc_vline.set_xdata([w, w])
        # the zoom: images gained or lost, relative to now, for w − ZOOM .. w + ZOOM
        inside = (steps.edges > w - ZOOM) & (steps.edges < w + ZOOM)
        edges = np.concatenate([[w - ZOOM], steps.edges[inside], [w + ZOOM]]) - w
        k = np.searchsorted(steps.edges, w + edges[:-1], side="right") - 1
        levels = steps.accuracy[np.clip(k, 0, len(steps.accuracy) - 1)]
        gained = np.clip(np.round((levels - acc) * self.n_images), -ZOOM_IMAGES - 1, ZOOM_IMAGES + 1)
        self.zoom_steps.set_data(gained, edges)
        # the four images: logits after moving w (and b) from their trained values
        z = self.z0 + (w - self.wj) * self.x + (b - self.b0)
        a = sigmoid(z)
        for k, (ai, zi, i) in enumerate(zip(a, z, self.chosen)):
            truth = 9 if self.y[i] == 1 else 2
            says = 9 if zi > 0 else 2
            self.outputs[k].set_text(f"a = {ai:.3f}: says {says}")
            self.verdicts[k].set_text(f"true {truth}: " + ("right" if says == truth else "wrong"))
            self.verdicts[k].set_color(GREEN if says == truth else RED)
        r, c = self.row_col
        self.title.set_text(f"pixel (row {r}, col {c}), {pixel}:", f"w = {_num(w, 2)},", f"b = {_num(b, 2)}")
        return one_weight_status(pixel, w, b, profile, steps, self.n_images)


EXPLORERS = [OneWeightExplorer]
