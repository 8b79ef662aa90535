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


IMAGE_GRID_LIMIT = 400
"""Most images :func:`image_grid` draws: more would be unreadably small (and slow)."""


def _images(images, name="images"):
    """A stack of images (n, 784), (n, h, w), or one image (784,) / (h, w), as an (n, h, w) float array."""
    arr = as_array(images, name)
    if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] != 784 and arr.shape != (28, 28)):
        if arr.size != 784 or arr.ndim == 2:
            raise ValueError(f"{name} must be a stack of images: shape (n, 784) for flattened 28×28 images, or "
                             f"(n, height, width); got shape {arr.shape}.")
    if arr.ndim == 1 or arr.shape == (28, 28):
        arr = arr.reshape(1, 28, 28)                  # one image
    elif arr.ndim == 2:
        arr = arr.reshape(len(arr), 28, 28)
    elif arr.ndim != 3:
        raise ValueError(f"{name} must be a stack of images: shape (n, 784) or (n, height, width); "
                         f"got {arr.ndim}-D with shape {arr.shape}.")
    if len(arr) > IMAGE_GRID_LIMIT:
        raise ValueError(f"{name} holds {len(arr):,} images; image_grid shows at most {IMAGE_GRID_LIMIT}. "
                         f"Pass a slice such as {name}[:20].")
    return arr


def image_grid(images, *, titles=None, ncols=10, cmap=None, symmetric=False, vmax=None, fig=None, axes=None):
    """Show several images side by side in rows of ``ncols``; returns the Figure.

    ``images`` has shape (n, 784) (flattened 28×28 MNIST digits, one per row,
    batch-first as everywhere), (n, height, width), or is a single image.

    * Pixel images (``symmetric=False``): grey, ink dark (``cmap="gray_r"``),
      on the scale 0 to 1 when every value lies there, else from the smallest
      to the largest value.
    * Weights (``symmetric=True``): a diverging colour map centred on 0, the
      same for every image — blue where a weight is positive, red where it is
      negative, white at 0, as the edges of :func:`network_diagram`. The scale
      runs from −vmax to vmax, with ``vmax`` the largest |value| unless given.
      A column of W (n_in = 784, n_out) is one neuron's weights: pass ``W.T``.
      Chapters 03 and 08 show a perceptron's and a network's weights this way.
    * ``titles``: one short text per image, written above it.
    * ``fig``: a Figure (or SubFigure) to draw in; ``axes``: Axes to draw on, at
      least one per image. Without either, a new figure is made, sized to fit.
    """
    arr = _images(images)
    n = len(arr)
    ncols = as_positive_int(ncols, "ncols")
    if titles is not None:
        if isinstance(titles, (str, bytes)) or not isinstance(titles, (list, tuple)):
            raise TypeError(f"titles must be a list with one text per image, such as ['0', '1'], "
                            f"got {_describe(titles)}.")
        if len(titles) != n:
            raise ValueError(f"titles must give one text per image: {n} image(s), {len(titles)} title(s).")
    if symmetric:
        top = float(np.max(np.abs(arr))) if vmax is None else as_number(vmax, "vmax", low=0, low_inclusive=False)
        lo, hi, cmap = -(top or 1.0), (top or 1.0), cmap or "RdBu"
    else:
        if vmax is not None:
            raise ValueError("vmax sets the scale of symmetric=True (weight) images; leave it out for pixels.")
        lo, hi = (0.0, 1.0) if arr.min() >= 0 and arr.max() <= 1 else (float(arr.min()), float(arr.max()))
        hi = hi if hi > lo else lo + 1.0
        cmap = cmap or "gray_r"
    if not isinstance(cmap, (str, mpl.colors.Colormap)):
        raise TypeError(f"cmap must be a colour-map name such as 'gray_r', got {_describe(cmap)}.")
    if isinstance(cmap, str) and cmap not in mpl.colormaps:
        raise ValueError(f"cmap must be a Matplotlib colour-map name such as 'gray_r' or 'RdBu', got {cmap!r}.")
    if fig is not None and axes is not None:
        raise ValueError("give fig or axes, not both: axes already belong to a figure.")
    if axes is not None:
        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if not all(isinstance(a, Axes) for a in flat):
            raise TypeError(f"axes must be Matplotlib Axes (for example from plt.subplots(2, 5)), "
                            f"got {_describe(axes)}.")
        if len(flat) < n:
            raise ValueError(f"axes must hold at least one Axes per image: {n} image(s), {len(flat)} Axes.")
        fig = flat[0].figure
    else:
        ncols = min(ncols, n)
        nrows = -(-n // ncols)
        gaps = None
        if fig is None:
            import matplotlib.pyplot as plt
            cell, head = 1.0, 0.25 * (titles is not None)         # inches per image, per title
            fig = plt.figure(figsize=(cell * ncols * 1.08, (cell + head) * nrows + 0.08))
            gaps = dict(left=0.01, right=0.99, bottom=0.04 / nrows, top=1 - (head + 0.04) / ((cell + head) * nrows),
                        wspace=0.08, hspace=0.08 + head / cell)
        elif not isinstance(fig, (mpl.figure.Figure, mpl.figure.SubFigure)):
            raise TypeError(f"fig must be a Matplotlib Figure (for example plt.figure()), got {_describe(fig)}.")
        flat = list(np.ravel(fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=gaps)))
    for k, ax in enumerate(flat):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if k >= n:
            ax.set_visible(False)
            continue
        ax.imshow(arr[k], cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        for spine in ax.spines.values():
            spine.set_visible(symmetric)              # a thin frame shows where a weight image ends
            spine.set_color("#bbbbbb")
        if titles is not None:
            ax.set_title(str(titles[k]), fontsize=9, pad=2)
    return fig


def confusion_matrix(y_true, y_pred, *, ax=None, normalize=None, labels=None):
    """Draw the confusion matrix of a classifier: rows the true class, columns the prediction; returns ax.

    Each cell shows how many samples of the row's class were predicted as
    the column's class (:func:`nnlib.mnist.confusion_counts`), or, with
    ``normalize="true"``, which percentage of the row's samples (each row
    then sums to 100 %). The diagonal, the correct answers, is grey; the
    mistakes are shaded orange on their own scale, so the few confusions
    that matter stand out instead of vanishing next to the large diagonal
    (chapter 08). ``labels`` names the classes (default 0, 1, 2, ...).
    """
    from .mnist import confusion_counts
    if normalize not in (None, "true"):
        raise ValueError(f"normalize must be None (counts) or 'true' (percentages of each true class), "
                         f"got {normalize!r}.")
    C = confusion_counts(y_true, y_pred)
    k = len(C)
    if labels is None:
        labels = [str(i) for i in range(k)]
    elif isinstance(labels, (str, bytes)) or not isinstance(labels, (list, tuple)) or len(labels) != k:
        raise ValueError(f"labels must be a list of {k} class names, got {_describe(labels)}.")
    ax = _ax(ax)
    if normalize == "true":
        totals = C.sum(axis=1, keepdims=True)
        values = 100.0 * C / np.maximum(totals, 1)
    else:
        values = C.astype(float)
    off = values.copy()
    np.fill_diagonal(off, 0)
    top = off.max() if off.max() > 0 else 1.0
    import matplotlib.pyplot as plt
    rgba = plt.get_cmap("Oranges")(0.85 * off / top)
    rgba[np.arange(k), np.arange(k)] = mpl.colors.to_rgba("#d9d9d9")
    rgba[(off == 0) & ~np.eye(k, dtype=bool)] = (1, 1, 1, 1)
    ax.imshow(rgba, interpolation="nearest")
    fontsize = 9 if k <= 10 else 7
    for i in range(k):
        for j in range(k):
            v = values[i, j]
            if v == 0 and i != j:
                continue
            text = f"{v:.1f}" if normalize == "true" else f"{int(v)}"
            dark = i != j and off[i, j] / top > 0.55
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color="white" if dark else "black")
    ax.set_xticks(np.arange(k), labels)
    ax.set_yticks(np.arange(k), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
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


# --------------------------------------------------------------------------
# Neuron and network diagrams (chapters 02–08)
# --------------------------------------------------------------------------

_GLYPHS = {
    # activation name → its curve on z in [-1, 1], drawn small inside a neuron
    "step": lambda z: (z > 0).astype(float),
    "sigmoid": lambda z: 1 / (1 + np.exp(-6 * z)),
    "tanh": lambda z: 0.5 + 0.5 * np.tanh(3 * z),
    "relu": lambda z: np.maximum(z, 0),
    "linear": lambda z: (z + 1) / 2,
    "softmax": None,                      # written as text: it couples the outputs
}
_MAX_SHOWN = 7                            # a bigger layer is drawn as 4 + "⋮" + 2 nodes


def _glyph(ax, x, y, name, size, color="black", lw=1.6, zorder=4):
    """Draw activation ``name``'s curve in a box of half-width ``size`` centred on (x, y)."""
    f = _GLYPHS[name]
    if f is None:
        ax.text(x, y, name, ha="center", va="center", fontsize=8, zorder=zorder)
        return
    z = np.linspace(-1, 1, 41)
    ax.plot(x + size * z, y + size * (1.6 * f(z) - 0.8), color=color, lw=lw, zorder=zorder,
            solid_capstyle="round")


def _activations(activation, n_layers):
    """One activation name (or None) per layer after the input layer."""
    if activation is None or isinstance(activation, str):
        names = [activation] * (n_layers - 1)
    elif isinstance(activation, (list, tuple)):
        names = list(activation)
        if len(names) != n_layers - 1:
            raise ValueError(f"activation must give one name per layer after the input ({n_layers - 1}), "
                             f"got {len(names)}.")
    else:
        raise TypeError(f"activation must be a name such as 'sigmoid' or a list of names, got {_describe(activation)}.")
    for name in names:
        if name is not None and name not in _GLYPHS:
            raise ValueError(f"activation must be one of {sorted(_GLYPHS)} (or None), got {name!r}.")
    return names


def _shown(n):
    """Indices of the nodes drawn for a layer of n nodes (None marks the "⋮")."""
    return list(range(n)) if n <= _MAX_SHOWN else [0, 1, 2, 3, None, n - 2, n - 1]


def _values_per_layer(values, sizes, name, shape_of):
    if values is None:
        return None
    if not isinstance(values, (list, tuple)) or len(values) != len(sizes) - 1:
        raise ValueError(f"{name} must be a list with one array per layer after the input "
                         f"({len(sizes) - 1}), got {_describe(values)}.")
    return [as_array(v, f"{name}[{i}]", shape=shape_of(i)) for i, v in enumerate(values)]


def network_diagram(sizes, *, ax=None, weights=None, biases=None, labels=None, activation=None, neuron=False,
                    title=None, highlight=None, layer_names=None):
    """Draw a neuron or a layered network, inputs on the left; returns ax.

    ``sizes`` lists the number of nodes per layer, input first: ``(2, 1)`` is one
    neuron on two inputs, ``(784, 16, 16, 16, 10)`` the thesis network of chapter 08
    (layers of more than 7 nodes are drawn as a few nodes and "⋮", with the true
    size written below). Batch-first notation as everywhere in the course: layer
    ℓ computes Z = A W + b with W of shape (n_in, n_out), then A = φ(Z).

    * ``neuron=True`` (sizes ``(n, 1)``) draws the inside of one neuron:
      inputs x₁…xₙ → weights w₁…wₙ → Σ + b → activation → output (chapters 02–04).
    * ``weights`` — one W per layer, shape (n_in, n_out): the values are written
      on the edges (when they fit), edge colour shows the sign and width the size.
    * ``biases`` — one b per layer, shape (n_out,): written under each node.
    * ``labels`` — one list of node names per layer, e.g. ``[["x₁", "x₂"], ["y"]]``.
    * ``activation`` — "step", "sigmoid", "tanh", "relu", "linear", "softmax" or
      None: one name for every layer, or one per layer after the input; drawn as
      a small curve inside each node.
    * ``highlight`` — ``(layer, node)`` to draw in the accent colour.
    * ``layer_names`` — a caption per layer (default: input, hidden, output).
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer sizes such as (2, 3, 1), got {_describe(sizes)}.")
    sizes = [as_positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layers (inputs and outputs), got {sizes}.")
    acts = _activations(activation, len(sizes))
    Ws = _values_per_layer(weights, sizes, "weights", lambda i: (sizes[i], sizes[i + 1]))
    bs = _values_per_layer(biases, sizes, "biases", lambda i: (sizes[i + 1],))
    if labels is not None:
        if not isinstance(labels, (list, tuple)) or len(labels) != len(sizes) or any(
                not isinstance(names, (list, tuple)) or len(names) != n for names, n in zip(labels, sizes)):
            raise ValueError(f"labels must hold one list of names per layer, as long as the layer ({sizes}), "
                             f"got {_describe(labels)}.")
    if layer_names is not None and (not isinstance(layer_names, (list, tuple)) or len(layer_names) != len(sizes)):
        raise ValueError(f"layer_names must give one caption per layer ({len(sizes)}), got {_describe(layer_names)}.")
    if highlight is not None:
        if (not isinstance(highlight, (list, tuple)) or len(highlight) != 2
                or not all(isinstance(v, (int, np.integer)) for v in highlight)
                or not (0 <= highlight[0] < len(sizes) and 0 <= highlight[1] < sizes[highlight[0]])):
            raise ValueError(f"highlight must be (layer, node) of a node in the diagram {sizes}, got {highlight!r}.")
        highlight = tuple(int(v) for v in highlight)
    ax = _ax(ax)
    if neuron:
        if len(sizes) != 2 or sizes[1] != 1:
            raise ValueError(f"neuron=True draws one neuron: sizes must be (n_inputs, 1), got {tuple(sizes)}.")
        _draw_neuron(ax, sizes[0], Ws, bs, labels, acts[0], highlight)
    else:
        _draw_network(ax, sizes, Ws, bs, labels, acts, highlight, layer_names)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def _fmt_value(v):
    return f"{v:.2g}" if abs(v) < 10 else f"{v:.0f}"


def _edge_style(w, w_max):
    if w is None:
        return dict(color="#999999", lw=1.0)
    color = CLASS_COLORS[0] if w >= 0 else ACCENT
    return dict(color=color, lw=0.6 + 2.4 * abs(w) / w_max if w_max > 0 else 0.6)


def _node(ax, x, y, r, *, fc="white", ec="black", lw=1.4, zorder=3):
    ax.add_patch(mpatches.Circle((x, y), r, fc=fc, ec=ec, lw=lw, zorder=zorder))


def _draw_neuron(ax, n, Ws, bs, labels, act, highlight):
    names = labels[0] if labels else [f"x{_sub(i + 1)}" for i in range(n)]
    out_name = labels[1][0] if labels else "ŷ"
    shown = _shown(n)
    ys = np.linspace(len(shown) - 1, 0, len(shown)) * 1.0 - (len(shown) - 1) / 2
    sx, ax_x, ox = 3.0, 4.6, 6.1         # Σ, activation, output columns
    w = Ws[0][:, 0] if Ws else None
    w_max = float(np.max(np.abs(w))) if w is not None else 0.0
    for k, (i, y) in enumerate(zip(shown, ys)):
        if i is None:
            ax.text(0, y, "⋮", ha="center", va="center", fontsize=14)
            continue
        _node(ax, 0, y, 0.32, fc="#f2f2f2")
        ax.text(0, y, names[i], ha="center", va="center", fontsize=10 if len(names[i]) <= 2 else 7.5, zorder=5)
        ax.annotate("", xy=(sx - 0.45, 0), xytext=(0.34, y), zorder=2,
                    arrowprops=dict(arrowstyle="-|>", shrinkA=0, shrinkB=0, mutation_scale=10,
                                    **_edge_style(None if w is None else w[i], w_max)))
        t = 0.42                           # the weight's label, near the input end of the edge
        lx, ly = 0.34 + t * (sx - 0.8), y + t * (0 - y)
        wl = f"w{_sub(i + 1)}" if w is None else f"{_fmt_value(w[i])}"
        ax.text(lx, ly + 0.16, wl, ha="center", va="bottom", fontsize=9,
                color=NEUTRAL if w is None else _edge_style(w[i], w_max)["color"],
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85), zorder=5)
    hl = highlight == (1, 0)
    _node(ax, sx, 0, 0.45, fc="#fbe3c6" if hl else "white", ec=ACCENT if hl else "black")
    ax.text(sx, 0.02, "Σ", ha="center", va="center", fontsize=15, zorder=5)
    b = "b" if not bs else f"b = {_fmt_value(bs[0][0])}"
    ax.text(sx, -0.62, f"+ {b}" if not bs else b, ha="center", va="top", fontsize=9, color=NEUTRAL)
    ax.text(sx, 0.62, "z", ha="center", va="bottom", fontsize=10, style="italic", color=NEUTRAL)
    ax.annotate("", xy=(ax_x - 0.42, 0), xytext=(sx + 0.45, 0),
                arrowprops=dict(arrowstyle="-|>", mutation_scale=10, color="black", lw=1.2))
    ax.add_patch(mpatches.FancyBboxPatch((ax_x - 0.4, -0.4), 0.8, 0.8, boxstyle="round,pad=0.02",
                                         fc="white", ec="black", lw=1.4, zorder=3))
    if act is not None:
        _glyph(ax, ax_x, 0, act, 0.28)
        ax.text(ax_x, -0.55, act, ha="center", va="top", fontsize=9, color=NEUTRAL)
    else:
        ax.text(ax_x, 0, "φ", ha="center", va="center", fontsize=14, zorder=5)
    ax.annotate("", xy=(ox - 0.3, 0), xytext=(ax_x + 0.42, 0),
                arrowprops=dict(arrowstyle="-|>", mutation_scale=10, color="black", lw=1.2))
    ax.text(ox, 0, out_name, ha="left", va="center", fontsize=12)
    top = max(ys[0], 0.8) + 0.5
    ax.set_xlim(-0.6, ox + 0.8)
    ax.set_ylim(min(ys[-1], -0.9) - 0.5, top)


def _sub(k):
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _draw_network(ax, sizes, Ws, bs, labels, acts, highlight, layer_names):
    L = len(sizes)
    gap = 2.4
    cols = [_shown(n) for n in sizes]
    tallest = max(len(c) for c in cols)
    pos = []
    for c in cols:
        ys = (np.arange(len(c))[::-1] - (len(c) - 1) / 2) * 1.0
        pos.append(ys)
    r = 0.3
    few_edges = Ws is not None and sum(len(a) * len(b) for a, b in zip(cols, cols[1:])) <= 12
    w_max = max(float(np.max(np.abs(W))) for W in Ws) if Ws else 0.0
    for l in range(L - 1):
        for i, yi in zip(cols[l], pos[l]):
            for j, yj in zip(cols[l + 1], pos[l + 1]):
                if i is None or j is None:
                    continue
                w = None if Ws is None else float(Ws[l][i, j])
                x0, x1 = l * gap + r, (l + 1) * gap - r
                ax.plot([x0, x1], [yi, yj], zorder=1, solid_capstyle="round", **_edge_style(w, w_max))
                if few_edges:
                    t = 0.5 if yj == yi else 0.25   # crossing edges meet mid-way: label them near the source
                    ax.text(x0 + t * (x1 - x0), yi + t * (yj - yi), _fmt_value(w), ha="center", va="center",
                            fontsize=8.5, color=_edge_style(w, w_max)["color"], zorder=5,
                            bbox=dict(boxstyle="round,pad=0.08", fc="white", ec="none", alpha=0.9))
    default_names = ["input"] + ["hidden"] * (L - 2) + ["output"]
    for l in range(L):
        x = l * gap
        for i, y in zip(cols[l], pos[l]):
            if i is None:
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=14)
                continue
            hl = highlight == (l, i)
            _node(ax, x, y, r, fc="#fbe3c6" if hl else ("#f2f2f2" if l == 0 else "white"),
                  ec=ACCENT if hl else "black")
            if labels is not None:
                ax.text(x, y, labels[l][i], ha="center", va="center", fontsize=9 if len(labels[l][i]) <= 2 else 7,
                        zorder=5)
            elif l > 0 and acts[l - 1] is not None:
                _glyph(ax, x, y, acts[l - 1], 0.17, lw=1.3)
            if bs is not None and l > 0:
                ax.text(x + r + 0.05, y - r, f"b={_fmt_value(float(bs[l - 1][i]))}", ha="left", va="top",
                        fontsize=8, color=NEUTRAL, zorder=5)
        caption = (layer_names[l] if layer_names is not None else default_names[l])
        bottom = -(tallest - 1) / 2 - 0.6
        ax.text(x, bottom, f"{caption}\n{sizes[l]}", ha="center", va="top", fontsize=9, color=NEUTRAL)
    ax.set_xlim(-0.7, (L - 1) * gap + 0.9)
    ax.set_ylim(-(tallest - 1) / 2 - 1.5, (tallest - 1) / 2 + 0.6)
