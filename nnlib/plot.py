"""The course's shared figures.

Every function takes an optional ``ax`` (a Matplotlib Axes) and returns the
Axes it drew on, as Matplotlib's own functions do; without ``ax`` it draws
on the current Axes of pyplot. Colours are chosen to stay distinguishable for
readers with colour-vision deficiency (Okabe–Ito palette), and every figure
labels its axes.
"""

from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.patches as mpatches
from matplotlib.axes import Axes
import numpy as np

from .validate import _describe, as_array, as_label, as_labels, as_matrix, as_number, as_positive_int

# Okabe–Ito: safe for the common kinds of colour blindness.
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
ACCENT = "#D55E00"   # mistakes, the current step, warnings
NEUTRAL = "#555555"

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


@contextmanager
def course_style():
    """Temporarily apply the course's Matplotlib style."""
    with mpl.rc_context(STYLE):
        yield


def use_course_style():
    """Apply the course's Matplotlib style for the rest of the session."""
    mpl.rcParams.update(STYLE)


def _ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        ax = plt.gca()
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a Matplotlib Axes (for example from plt.subplots()), got {_describe(ax)}.")
    return ax


def _class_labels(y, name, n_samples):
    """Labels 0, 1, 2, ... (or True/False), one per sample: they pick colours and legend names."""
    y = as_labels(y, name, n_samples=n_samples)
    if y.min() < 0:
        raise ValueError(f"{name} must hold class labels 0, 1, 2, ...; got a negative label {y.min()}.")
    return y


def scatter_classes(X, y, *, ax=None, labels=None, size=60, edge="white"):
    """Plot 2-D points coloured and shaped by class; returns ax.

    ``y`` holds class labels 0, 1, 2, ... (or True/False); ``labels``, when
    given, is a list with one legend name per class, ``labels[k]`` for class k.
    """
    X = as_matrix(X, "X", n_features=2)
    y = _class_labels(y, "y", len(X))
    if labels is not None:
        if not isinstance(labels, (list, tuple)):
            raise TypeError(f"labels must be a list of class names such as ['class 0', 'class 1'], "
                            f"got a {type(labels).__name__}.")
        if len(labels) <= y.max():
            raise ValueError(f"labels must name every class in y (0 to {y.max()}), so it needs "
                             f"{y.max() + 1} names; got {len(labels)}: {list(labels)}.")
    ax = _ax(ax)
    for k in np.unique(y):
        pts = X[y == k]
        name = labels[k] if labels is not None else f"class {k}"
        ax.scatter(pts[:, 0], pts[:, 1], s=size, c=CLASS_COLORS[k % 8], marker=CLASS_MARKERS[k % 8],
                   edgecolors=edge, linewidths=0.8, label=name, zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def line_points(w, b, xlim, ylim):
    """Two points of the line w1·x1 + w2·x2 + b = 0 inside the box, or None.

    Used for every decision line of a single neuron (chapters 02–04).
    """
    w = as_array(w, "w", ndim=1, shape=(2,))
    b = as_number(b, "b")
    (x0, x1), (y0, y1) = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    if abs(w[1]) > 1e-12:          # solve for x2 at the left and right edges
        xs = np.array([x0, x1])
        return xs, -(w[0] * xs + b) / w[1]
    if abs(w[0]) > 1e-12:          # vertical line x1 = −b / w1
        x = -b / w[0]
        return np.array([x, x]), np.array([y0, y1])
    return None                    # w = 0: no line (everything on one side)


def _limits(lim, name):
    """An axis range (low, high) with low < high."""
    low, high = as_array(lim, name, ndim=1, shape=(2,))
    if not low < high:
        raise ValueError(f"{name} must be a range (low, high) with low < high, got ({low:g}, {high:g}).")
    return low, high


def decision_line(w, b, *, ax=None, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), shade=True, **kwargs):
    """Draw the line w·x + b = 0, shading the side where the neuron outputs 1."""
    w = as_array(w, "w", ndim=1, shape=(2,))
    b = as_number(b, "b")
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    ax = _ax(ax)
    pts = line_points(w, b, xlim, ylim)
    if shade:
        gx, gy = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
        ones = (w[0] * gx + w[1] * gy + b) > 0
        ax.contourf(gx, gy, ones.astype(float), levels=[-0.5, 0.5, 1.5],
                    colors=[CLASS_COLORS[0], CLASS_COLORS[1]], alpha=0.12, zorder=0)
    if pts is not None:
        ax.plot(*pts, color=kwargs.pop("color", NEUTRAL), lw=kwargs.pop("lw", 2), zorder=2, **kwargs)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def decision_regions(predict, X, y, *, ax=None, resolution=200, pad=0.5, labels=None):
    """Shade the plane by a classifier's prediction and plot the data on top.

    ``predict`` maps an (n, 2) array to n integer labels.
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function such as model.predict, mapping an (n, 2) array to n "
                        f"labels; got {_describe(predict)}.")
    X = as_matrix(X, "X", n_features=2)
    y = _class_labels(y, "y", len(X))
    resolution = as_positive_int(resolution, "resolution")
    pad = as_number(pad, "pad", low=0)
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = _class_labels(predict(np.column_stack([gx.ravel(), gy.ravel()])), "predict(X)", gx.size)
    Z = Z.reshape(gx.shape)
    k = int(max(Z.max(), y.max())) + 1
    ax = _ax(ax)
    cmap = mpl.colors.ListedColormap(CLASS_COLORS[:k])
    ax.contourf(gx, gy, Z, levels=np.arange(k + 1) - 0.5, cmap=cmap, alpha=0.15, zorder=0)
    scatter_classes(X, y, ax=ax, labels=labels)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def show_digit(x, *, ax=None, title=None):
    """Show one MNIST image (784 values or 28×28) in grey, ink dark."""
    x = as_array(x, "x")
    if x.size != 784:
        raise ValueError(f"x must hold one 28×28 image (784 values), got {x.size} values with shape {x.shape}.")
    ax = _ax(ax)
    ax.imshow(x.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():      # a picture needs no axis lines
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title)
    return ax


def confidence_bars(p, *, ax=None, true_label=None, ylabel="confidence"):
    """Bar chart of 10 confidences, one per digit; the true digit outlined."""
    p = as_array(p, "p", ndim=1)
    if true_label is not None:
        true_label = as_label(true_label, "true_label", allowed=range(len(p)))
    ax = _ax(ax)
    colors = [NEUTRAL] * len(p)
    colors[int(np.argmax(p))] = ACCENT
    bars = ax.bar(np.arange(len(p)), p, color=colors)
    if true_label is not None:
        bars[true_label].set_edgecolor("black")
        bars[true_label].set_linewidth(2)
    ax.set_xticks(np.arange(len(p)))
    ax.set_xlabel("digit")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    return ax


def loss_curve(losses, *, ax=None, label=None, xlabel="step", ylabel="loss", log=False):
    """Plot a sequence of losses against the step; returns ax."""
    losses = as_array(losses, "losses", ndim=1, finite=False)
    ax = _ax(ax)
    ax.plot(np.arange(len(losses)), losses, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    return ax


# --------------------------------------------------------------------------
# Diagrams (chapter 01)
# --------------------------------------------------------------------------

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
    """Draw the seven steps of learning as a loop: 1 → 2 → 3 → 4 → 5 → (6) back to 2 → 7; returns ax.

    The steps are Howard & Gugger's presentation of Arthur Samuel's 1962 description of
    machine learning (chapter 01)."""
    ax = _ax(ax)
    ax.set_xlim(0, 10.5)
    ax.set_ylim(0.2, 3.8)
    ax.axis("off")
    xs = [1.05, 3.15, 5.25, 7.35, 9.45]
    pos = {i: (x, 3.0) for i, x in enumerate(xs)}
    pos.update({5: (5.25, 1.0), 6: (9.45, 1.0)})
    colors = {0: CLASS_COLORS[4], 5: "#eeeeee", 6: CLASS_COLORS[2]}
    for i, (head, body) in enumerate(SEVEN_STEPS):
        x, y = pos[i]
        box = mpatches.FancyBboxPatch((x - 0.9, y - 0.6), 1.8, 1.2, boxstyle="round,pad=0.05",
                             fc=colors.get(i, "#fbe3c6"), ec=NEUTRAL, lw=1.2)
        ax.add_patch(box)
        ax.text(x, y + 0.32, head, ha="center", va="center", fontsize=9.5, weight="bold")
        ax.text(x, y - 0.15, body, ha="center", va="center", fontsize=8)

    def arrow(a, b, **kw):
        ax.add_patch(mpatches.FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=14, color=NEUTRAL, lw=1.5, **kw))

    for i in range(4):
        arrow((pos[i][0] + 0.92, 3.0), (pos[i + 1][0] - 0.92, 3.0))
    arrow((9.1, 2.35), (6.2, 1.2), connectionstyle="arc3,rad=-0.15")            # step → repeat
    arrow((4.3, 1.0), (3.15, 2.35), connectionstyle="arc3,rad=-0.3")            # repeat → predict
    ax.annotate("", xy=(8.5, 1.0), xytext=(6.2, 1.0),
                arrowprops=dict(arrowstyle="-|>", color=CLASS_COLORS[2], lw=1.5, ls="--"))
    ax.text(7.35, 0.62, "when it is time to stop", ha="center", fontsize=8, color=CLASS_COLORS[2])
    return ax
