"""Chapter 01 — a neural network is one function: 784 pixels in, 10 confidences out.

Before any training, a network's weights and biases are random numbers, so
the function it computes is random too. This module holds that untrained
network (a 784-16-10 network with a sigmoid hidden layer and a softmax
output) and an explorer that shows its confidences for a real MNIST digit:

    H = σ(X W1 + b1)          X (n, 784), W1 (784, 16), b1 (16,)
    P = softmax(H W2 + b2)    W2 (16, 10), b2 (10,)  →  P (n, 10), rows sum to 1

Every weight and bias is drawn from a normal distribution with mean 0 and
standard deviation ``scale``. Chapter 08 trains a network of this kind; here
it only shows that, untrained, it is guessing.
"""

from functools import lru_cache

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..activations import sigmoid, softmax
from ..data import load_mnist
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL, confidence_bars, show_digit
from ..validate import as_matrix, as_number, as_positive_int
from .base import Explorer, Slider

LAYER_SIZES = (784, 16, 10)


def random_network(*, seed=0, scale=1.0, sizes=LAYER_SIZES):
    """Random parameters ``[(W1, b1), (W2, b2), ...]`` for the given layer sizes.

    W of layer l has shape (sizes[l], sizes[l+1]) and b has shape
    (sizes[l+1],); every entry is ``scale`` times a standard normal number,
    drawn from ``np.random.default_rng(seed)``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a whole number >= 0, got {seed!r}.")
    if seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed}.")
    scale = as_number(scale, "scale", low=0, low_inclusive=False)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise TypeError(f"sizes must be a list of at least two layer sizes such as (784, 16, 10), got {sizes!r}.")
    sizes = [as_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    rng = np.random.default_rng(int(seed))
    return [(scale * rng.standard_normal((n_in, n_out)), scale * rng.standard_normal(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_parameters(params):
    """How many numbers a network has: every entry of every W and b."""
    return int(sum(W.size + b.size for W, b in params))


def confidences(X, params):
    """The network's 10 confidences for each row of X, shape (n, 10).

    Hidden layers use the sigmoid, the last layer softmax, so every row is
    positive and sums to 1.
    """
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError("params must be the list [(W1, b1), (W2, b2), ...] returned by random_network().")
    A = as_matrix(X, "X", n_features=params[0][0].shape[0])
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)


@lru_cache(maxsize=1)
def mnist_test_set():
    """The 10,000 MNIST test images and labels, loaded once per session."""
    _, _, X_test, y_test = load_mnist()
    return X_test, y_test


@lru_cache(maxsize=64)
def _cached_network(seed, scale):
    return random_network(seed=seed, scale=scale)


class RandomNetworkExplorer(Explorer):
    """Pick the random weights (by their seed) and a test digit; see the confidences.

    Left: the digit. Right: the untrained 784-16-10 network's 10 confidences,
    the largest (its answer) in the accent colour, the true digit outlined.
    """

    params = [
        Slider("seed", 0, 99, 0, integer=True, label="random seed of the weights"),
        Slider("index", 0, 9999, 0, integer=True, label="test digit number"),
        Slider("scale", 0.01, 10.0, 1.0, log=True, label="weight scale"),
    ]
    figsize = (8.4, 3.6)

    def setup(self, fig):
        X, _ = mnist_test_set()
        self.ax_img, self.ax_bar = fig.subplots(1, 2, width_ratios=[1, 2.2])
        show_digit(X[0], ax=self.ax_img)
        self.image = self.ax_img.images[0]
        confidence_bars(np.full(10, 0.1), ax=self.ax_bar, true_label=None)
        self.bars = self.ax_bar.patches
        for side in self.ax_img.spines.values():
            side.set_visible(False)
        self.ax_bar.axhline(0.1, color=NEUTRAL, lw=1, ls=":", zorder=0)
        self.ax_bar.set_ylim(0, 1.32)          # headroom for the key above a bar of height 1
        self.ax_bar.set_yticks(np.linspace(0, 1, 6))
        self.ax_bar.text(-0.5, 1.31, "orange: the network's answer    outlined, bold: the true digit\n"
                         "dotted line: 0.1, what a network with no opinion gives every digit",
                         ha="left", va="top", fontsize=8, color=NEUTRAL)
        self.truth_mark = self.ax_bar.text(0, 0, "truth", ha="center", va="bottom", fontsize=8, weight="bold")
        self.values_text = [self.ax_bar.text(k, 0, "", ha="center", va="bottom", fontsize=8) for k in range(10)]
        self.title = fig.suptitle("")

    def draw(self, seed, index, scale):
        X, y = mnist_test_set()
        p = confidences(X[index:index + 1], _cached_network(seed, scale))[0]
        guess, truth = int(np.argmax(p)), int(y[index])
        self.image.set_data(X[index].reshape(28, 28))
        self.ax_img.set_title(f"test digit #{index}", fontsize=10)
        self.ax_img.set_xlabel(f"true label: {truth}")
        for k, (bar, text) in enumerate(zip(self.bars, self.values_text)):
            bar.set_height(p[k])
            bar.set_facecolor(ACCENT if k == guess else NEUTRAL)
            bar.set_edgecolor("black" if k == truth else "none")
            bar.set_linewidth(2.5 if k == truth else 0)
            text.set_position((k, p[k] + 0.01))
            text.set_text(f"{p[k]:.2f}")
        self.truth_mark.set_position((truth, p[truth] + 0.075))
        for k, label in enumerate(self.ax_bar.get_xticklabels()):
            label.set_fontweight("bold" if k == truth else "normal")
        verdict = "right (by luck)" if guess == truth else "wrong"
        self.title.set_text(f"seed {seed}, scale {scale:.3g}: network says {guess} "
                            f"(confidence {p[guess]:.2f}) — truth {truth} → {verdict}")

    def fallback(self):
        return self.animation("seed", list(range(12)), index=self.values["index"], scale=self.values["scale"])


def explore_random_network(**values):
    """Show the random-network explorer (widget in JupyterLab, animation in the book)."""
    return RandomNetworkExplorer(**values).show()


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
