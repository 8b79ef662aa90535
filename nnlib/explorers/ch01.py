"""Chapter 01 — a neural network is one function: 784 pixels in, 10 confidences out.

Before any training, a network's weights and biases are random numbers, so
the function it computes is random too. :class:`RandomNetworkExplorer` shows
the confidences of such an untrained 784-16-10 network for a real MNIST test
digit; the network itself (:func:`~nnlib.network.random_network`,
:func:`~nnlib.network.confidences`) lives in :mod:`nnlib.network`.
"""

import threading
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from ..data import load_mnist
from ..network import confidences, count_parameters, random_network
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL
from .base import Explorer, Slider, Status, Sweep

__all__ = ["RandomNetworkExplorer", "SEVEN_STEPS", "seven_steps_diagram", "CachedText", "TextRow", "add_text",
           "confidences", "count_parameters", "random_network"]     # the last three: see nnlib.network


# ---------------------------------------------------------------------------
# Text that draws fast: Matplotlib renders text glyph by glyph, about 1-2 ms per
# label, so an explorer with 20 moving labels spent most of its time on them.
# ---------------------------------------------------------------------------

_TEXT_LOCK = threading.Lock()
_TEXT_BITMAPS = OrderedDict()     # key → (dx, dy, RGBA pixels, bottom row first)
_SCRATCH = {}                     # (width, height, dpi) → an off-screen renderer
MAX_TEXT_BITMAPS = 4000


class CachedText(Text):
    """A Text that keeps its rendered pixels and stamps them on the next draw.

    The anchor is rounded to a whole pixel, so the pixels of a text depend only
    on what it says and how it looks (font, colour, alignment, box), never on
    where it is: the same label drawn anywhere else is a copy, not a new render.
    The picture is the ordinary Agg text, moved by at most half a pixel. Texts
    that are clipped, rotated about a point or have path effects draw as usual.
    """

    def _look(self, renderer):
        patch = self.get_bbox_patch()
        if patch is not None:
            style = patch.get_boxstyle()
            box = (tuple(patch.get_facecolor()), tuple(patch.get_edgecolor()), patch.get_linewidth(),
                   patch.get_linestyle(), type(style).__name__, tuple(sorted(vars(style).items())),
                   patch.get_mutation_scale(), patch.get_mutation_aspect())
        else:
            box = None
        return (self.get_text(), tuple(self.get_fontproperties().__dict__.items()),
                to_rgba(self.get_color(), self.get_alpha()), self.get_horizontalalignment(),
                self.get_verticalalignment(), self._multialignment, self.get_rotation(), self.get_rotation_mode(),
                self._linespacing, self.get_usetex(), self.get_parse_math(), self._antialiased, box, renderer.dpi)

    def draw(self, renderer):
        if (not isinstance(renderer, RendererAgg) or not self.get_visible() or not self.get_text()
                or self.get_clip_on() or self.get_path_effects()):
            return super().draw(renderer)
        self._renderer = renderer
        x, y = self.get_transform().transform((float(self.convert_xunits(self._x)),
                                               float(self.convert_yunits(self._y))))
        if not (np.isfinite(x) and np.isfinite(y)):
            return
        x, y = round(x), round(y)
        key = self._look(renderer)
        with _TEXT_LOCK:
            stamp = _TEXT_BITMAPS.get(key)
            if stamp is not None:
                _TEXT_BITMAPS.move_to_end(key)
            else:
                stamp = self._render(renderer, x, y, key)
        if stamp is not None:
            dx, dy, pixels = stamp
            gc = renderer.new_gc()
            renderer.draw_image(gc, x + dx, y + dy, pixels)
            gc.restore()

    def warm(self, strings):
        """Render ``strings`` in this text's look now, so that showing them later is a copy."""
        renderer = self.get_figure(root=True).canvas.get_renderer()
        keep = self.get_text()
        try:
            for s in strings:
                self.set_text(s)
                key = self._look(renderer)
                with _TEXT_LOCK:
                    if key not in _TEXT_BITMAPS:
                        self._render(renderer, int(renderer.width) // 2, int(renderer.height) // 2, key)
        finally:
            self.set_text(keep)

    def _render(self, renderer, x, y, key):
        """Draw the text with its anchor at pixel (x, y) on a clear off-screen canvas
        of the same size and keep the pixels it covered (caller holds the lock)."""
        w, h = int(renderer.width), int(renderer.height)
        scratch = _SCRATCH.get((w, h, renderer.dpi))
        if scratch is None:
            _SCRATCH.clear()
            scratch = _SCRATCH[w, h, renderer.dpi] = RendererAgg(w, h, renderer.dpi)
        scratch.clear()
        old = self._x, self._y
        self._x, self._y = self.get_transform().inverted().transform((x, y))
        try:
            Text.draw(self, scratch)
        finally:
            self._x, self._y = old
            self._renderer = renderer
        alpha = np.asarray(scratch.buffer_rgba())[..., 3]
        rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if not len(rows):
            return None
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        pixels = np.asarray(scratch.buffer_rgba())[r0:r1, c0:c1][::-1].copy()    # draw_image: bottom row first
        stamp = (int(c0) - x, int(h - r1) - y, pixels)
        if r0 > 0 and c0 > 0 and r1 < h and c1 < w:          # cut by the edge: fine here, not elsewhere
            _TEXT_BITMAPS[key] = stamp
            while len(_TEXT_BITMAPS) > MAX_TEXT_BITMAPS:
                _TEXT_BITMAPS.popitem(last=False)
        return stamp


def add_text(parent, x, y, s, **kwargs):
    """``parent.text(x, y, s, ...)`` for an Axes or a Figure, as a :class:`CachedText`."""
    text = CachedText(x, y, s, clip_on=False, **kwargs)
    parent.add_artist(text)
    return text


class TextRow:
    """One line of text made of pieces laid end to end, each a :class:`CachedText`,
    so that when one value changes only its piece is rendered anew.

    ``row = TextRow(fig, 0.02, 0.97, 3, va="top", fontsize=10)`` then
    ``row.set_text("w₁ = 1,", "w₂ = 2,", "b = 0")``; ``row.pieces`` are the artists.
    """

    def __init__(self, parent, x, y, n, *, gap=0.5, **kwargs):
        self.pieces = [add_text(parent, x, y, "", ha="left", **kwargs) for _ in range(n)]
        self.anchor = (x, y)
        self.gap = gap              # between two pieces, in ems of the font

    def set_text(self, *parts):
        if len(parts) > len(self.pieces):
            raise ValueError(f"this row holds {len(self.pieces)} pieces, got {len(parts)}.")
        first = self.pieces[0]
        renderer = first.get_figure(root=True).canvas.get_renderer()
        transform = first.get_transform()
        x, y = transform.transform(self.anchor)
        gap = self.gap * first.get_fontsize() * renderer.dpi / 72
        for piece, part in zip(self.pieces, list(parts) + [""] * (len(self.pieces) - len(parts))):
            piece.set_text(part)
            piece.set_position(transform.inverted().transform((x, y)))
            if part:
                x += piece.get_window_extent(renderer).width + gap

    def get_text(self):
        return " ".join(p.get_text() for p in self.pieces if p.get_text())


def random_network_status(seed, scale, p, truth, n_params):
    """The explorer's status text: the answer, the truth, and how to read the bars."""
    guess = int(np.argmax(p))
    verdict = "right, by luck" if guess == truth else "wrong"
    return Status([
        f"The network says {guess} with confidence {p[guess]:.2f}; the true digit is {truth}: {verdict}.",
        f"Its {n_params:,} weights and biases are random numbers (seed {seed}, standard deviation "
        f"{scale:.3g}): untrained, it is guessing.",
        "Orange bar: the network's answer. Outlined bar, bold digit: the true digit. "
        "Dotted line: 0.1, what a network with no opinion gives every digit.",
    ])


class RandomNetworkExplorer(Explorer):
    """Pick the random weights (by their seed) and a test digit; see the confidences.

    Left: the digit. Right: the untrained 784-16-10 network's 10 confidences,
    the largest (its answer) in the accent colour, the true digit outlined.

    ``RandomNetworkExplorer(seed=0, index=0).show()``
    """

    params = [
        Slider("seed", 0, 99, 0, integer=True, label="random seed of the weights"),
        Slider("index", 0, 9999, 0, integer=True, label="test digit number"),
        Slider("scale", 0.01, 10.0, 1.0, log=True, label="weight scale"),
    ]
    figsize = (5.8, 2.9)
    moving = ("title_pieces", "image", "digit_title", "digit_label", "bars", "values_text", "truth_mark",
              "digit_names", "bar_spines")
    background = ()
    sweeps = [Sweep("seed", list(range(12)),
                    "Twelve untrained networks (seeds {first} to {last}) look at test digit #{index}, "
                    "weight scale {scale:.3g}")]
    max_networks = 32              # networks kept per explorer: dragging back to a seed is instant

    def __init__(self, **values):
        self._networks = {}
        super().__init__(**values)

    def network(self, seed, scale):
        """The random network for (seed, scale), built once and kept."""
        key = (seed, scale)
        if key not in self._networks:
            if len(self._networks) >= self.max_networks:
                self._networks.pop(next(iter(self._networks)))
            self._networks[key] = random_network(seed=seed, scale=scale)
        return self._networks[key]

    def setup(self, fig):
        _, _, self.X, self.y = load_mnist()          # read-only arrays, shared by the whole session
        self.ax_img = ax = fig.add_axes([0.015, 0.13, 0.25, 0.64])
        self.image = ax.imshow(self.X[0].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_axis_off()
        self.digit_title = add_text(ax, 0.5, 1.04, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=10)
        self.digit_label = add_text(ax, 0.5, -0.04, "", transform=ax.transAxes, ha="center", va="top", fontsize=10)

        self.ax_bar = ab = fig.add_axes([0.40, 0.19, 0.585, 0.63])
        ab.set_axisbelow(True)                       # the grid under the bars, in every kind of redraw
        ab.grid(axis="x", visible=False)
        ab.axhline(0.1, color=NEUTRAL, lw=1, ls=":", zorder=0.8)
        self.bars = list(ab.bar(np.arange(10), np.zeros(10), color=NEUTRAL, width=0.7, zorder=1))
        ab.set_xlim(-0.6, 9.6)
        ab.set_ylim(0, 1.22)                         # room above a bar of height 1 for its value and "truth"
        ab.set_yticks(np.linspace(0, 1, 6))
        ab.set_xticks([])
        ab.set_ylabel("confidence")
        ab.set_xlabel("digit", labelpad=17)
        self.bar_spines = list(ab.spines.values())   # redrawn over the bars that touch them
        # each value sits just above its bar (2.5 points), on a white patch, so the dotted
        # line never runs through a digit; "truth" sits above the true digit's value
        above = ab.transData + ScaledTranslation(0, 2.5 / 72, fig.dpi_scale_trans)
        self.values_text = [add_text(ab, k, 0, "", transform=above, ha="center", va="bottom", fontsize=8, zorder=3,
                                     bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85))
                            for k in range(10)]
        higher = ab.transData + ScaledTranslation(0, 14 / 72, fig.dpi_scale_trans)
        self.truth_mark = add_text(ab, 0, 0, "truth", transform=higher, ha="center", va="bottom", fontsize=8,
                                   weight="bold")
        self.values_text[0].warm([f"{v / 100:.2f}" for v in range(101)])      # all the values a bar can show
        self.digit_names = [add_text(ab, k, -0.03, str(k), transform=ab.get_xaxis_transform(), ha="center",
                                     va="top", fontsize=10) for k in range(10)]
        self.title = TextRow(fig, 0.02, 0.975, 2, va="top", fontsize=10)
        self.title_pieces = self.title.pieces

    def draw(self, seed, index, scale):
        params = self.network(seed, scale)
        p = confidences(self.X[index:index + 1], params)[0]
        guess, truth = int(np.argmax(p)), int(self.y[index])
        self.image.set_data(self.X[index].reshape(28, 28))
        self.digit_title.set_text(f"test digit #{index}")
        self.digit_label.set_text(f"true label: {truth}")
        for k, (bar, text, name) in enumerate(zip(self.bars, self.values_text, self.digit_names)):
            bar.set_height(p[k])
            bar.set_facecolor(ACCENT if k == guess else NEUTRAL)
            bar.set_edgecolor("black" if k == truth else "none")
            bar.set_linewidth(2.5 if k == truth else 0)
            text.set_position((k, p[k]))
            text.set_text(f"{p[k]:.2f}")
            name.set_fontweight("bold" if k == truth else "normal")
        self.truth_mark.set_position((truth, p[truth]))
        self.title.set_text(f"random seed {seed},", f"weight scale {scale:.3g}")
        return random_network_status(seed, scale, p, truth, count_parameters(params))


# ---------------------------------------------------------------------------
# Figures of chapter 01 that are diagrams rather than data
# ---------------------------------------------------------------------------

SEVEN_STEPS = [
    ("1  initialise", "random weights\nand biases"),
    ("2  predict", "run the network\non the images"),
    ("3  loss", "one number: how\nwrong were we?"),
    ("4  gradient", "how does each\nweight move the loss?"),
    ("5  step", "nudge every weight\nto lower the loss"),
    ("6  repeat", "back to step 2"),
    ("7  stop", "good enough, or\nout of time"),
]


def seven_steps_diagram(ax=None):
    """Draw the seven steps of learning as a loop: 1 → 2 → 3 → 4 → 5 → (6) back to 2 → 7."""
    if ax is None:
        import matplotlib.pyplot as plt
        ax = plt.gca()
    ax.set_xlim(0, 10.5)
    ax.set_ylim(0.2, 3.8)
    ax.axis("off")
    xs = [1.05, 3.15, 5.25, 7.35, 9.45]
    pos = {i: (x, 3.0) for i, x in enumerate(xs)}
    pos.update({5: (5.25, 1.0), 6: (9.45, 1.0)})
    colors = {0: CLASS_COLORS[4], 5: "#eeeeee", 6: CLASS_COLORS[2]}
    for i, (head, body) in enumerate(SEVEN_STEPS):
        x, y = pos[i]
        box = FancyBboxPatch((x - 0.9, y - 0.6), 1.8, 1.2, boxstyle="round,pad=0.05",
                             fc=colors.get(i, "#fbe3c6"), ec=NEUTRAL, lw=1.2)
        ax.add_patch(box)
        ax.text(x, y + 0.32, head, ha="center", va="center", fontsize=9.5, weight="bold")
        ax.text(x, y - 0.15, body, ha="center", va="center", fontsize=8)

    def arrow(a, b, **kw):
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=14, color=NEUTRAL, lw=1.5, **kw))

    for i in range(4):
        arrow((pos[i][0] + 0.92, 3.0), (pos[i + 1][0] - 0.92, 3.0))
    arrow((9.1, 2.35), (6.2, 1.2), connectionstyle="arc3,rad=-0.15")            # step → repeat
    arrow((4.3, 1.0), (3.15, 2.35), connectionstyle="arc3,rad=-0.3")            # repeat → predict
    ax.annotate("", xy=(8.5, 1.0), xytext=(6.2, 1.0),
                arrowprops=dict(arrowstyle="-|>", color=CLASS_COLORS[2], lw=1.5, ls="--"))
    ax.text(7.35, 0.62, "when it is time to stop", ha="center", fontsize=8, color=CLASS_COLORS[2])
    return ax
