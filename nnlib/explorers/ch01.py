"""Chapter 01 — a neural network is one function: 784 pixels in, 10 confidences out.

Before any training, a network's weights and biases are random numbers, so
the function it computes is random too. :class:`RandomNetworkExplorer` shows
the confidences of such an untrained 784-16-10 network for a real MNIST test
digit; the network itself (:func:`~nnlib.network.random_network`,
:func:`~nnlib.network.confidences`) lives in :mod:`nnlib.network`.
"""

import numpy as np
from matplotlib.transforms import ScaledTranslation

from ..data import load_mnist
from ..network import confidences, count_parameters, random_network
from ..plot import ACCENT, NEUTRAL
from .base import Explorer, Slider, Status, Sweep
from .fasttext import TextRow, add_text


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


EXPLORERS = [RandomNetworkExplorer]
