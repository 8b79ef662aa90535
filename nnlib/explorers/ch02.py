"""Chapter 02 — one neuron draws one straight line.

A neuron with two inputs computes z = w1·x1 + w2·x2 + b and outputs 1 when
z > 0 (the binary step). The points where z = 0 form the *decision line*
w1·x1 + w2·x2 + b = 0; the weight vector w = (w1, w2) points towards the side
where the neuron says 1, and the bias b slides the line without turning it.

* :class:`NeuronLineExplorer` — set w1, w2 and b by hand over a logic gate.
* :class:`PerceptronTrainingExplorer` — replay the perceptron rule one sample
  at a time (``Perceptron.fit(...).history_``).

Both draw on :class:`_GatePlane`: the four points of the gate, each with its
z written beside it on the side away from the line, the shaded "output 1"
side, the line, the arrow w, and rings on the points the neuron gets wrong.
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from ..data import GATES, logic_gate
from ..perceptron import Perceptron
from ..plot import ACCENT, CLASS_COLORS, CLASS_MARKERS, NEUTRAL, line_points
from .base import Choice, Explorer, Slider, Status, Sweep, plural
from .fasttext import TextRow, add_text

GATE_NAMES = ["AND", "OR", "NAND", "NOR", "XOR"]
XLIM = YLIM = (-0.5, 1.5)
_BOX = np.array([[XLIM[0], YLIM[0]], [XLIM[1], YLIM[0]], [XLIM[1], YLIM[1]], [XLIM[0], YLIM[1]]])
GRID_COLOR = "#b0b0b0"           # the course style's grid colour, for the guide lines through 0 and 1


def gate_computed(outputs):
    """The name of the gate whose truth table is ``outputs`` (for the 4 inputs
    (0,0), (0,1), (1,0), (1,1)), 'always 0', 'always 1' or None."""
    outputs = [int(o) for o in outputs]
    if outputs == [0, 0, 0, 0]:
        return "always 0"
    if outputs == [1, 1, 1, 1]:
        return "always 1"
    for name, table in GATES.items():
        if table == outputs:
            return name
    return None


def num(v):
    """A weight or bias as the figures show it: 2 significant digits, a true minus sign."""
    text = f"{v:.2g}"
    return "0" if text == "-0" else text.replace("-", "−")


def positive_side(w, b, box=_BOX):
    """The corners of the part of the convex polygon ``box`` where w·x + b > 0 (an (n, 2)
    array, possibly empty): the box clipped by the line, one edge at a time."""
    out = []
    d = box @ np.asarray(w, dtype=float) + b
    for i in range(len(box)):
        p, q, dp, dq = box[i], box[(i + 1) % len(box)], d[i], d[(i + 1) % len(box)]
        if dp > 0:
            out.append(p)
        if (dp > 0) != (dq > 0) and dp != dq:
            out.append(p + dp / (dp - dq) * (q - p))
    return np.array(out).reshape(-1, 2)


def _z_text(z):
    return "z = 0" if z == 0 else f"z = {z:.3g}".replace("-", "−")


class _GatePlane:
    """The shared picture: four gate points, shaded 'output 1' side, the line, rings on mistakes.

    ``artists`` lists everything :meth:`draw` changes (the explorers redraw only
    those); the axes' spines are among them because the shading is drawn under them.
    """

    label_gap = 20        # pixels from a point's centre to its z label: clear of the ring on a mistake
    line_clearance = 4    # pixels a z label keeps from the decision line

    def __init__(self, ax):
        self.ax = ax
        self.shade = ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, fc=CLASS_COLORS[1], alpha=0.22, lw=0,
                                          zorder=0))
        # grid lines through 0 and 1 drawn as lines of their own, above the shading
        ax.grid(False)
        self.guides = [ax.axvline(v, color=GRID_COLOR, alpha=0.25, lw=0.8, zorder=0.5) for v in (0, 1)] + \
                      [ax.axhline(v, color=GRID_COLOR, alpha=0.25, lw=0.8, zorder=0.5) for v in (0, 1)]
        self.line, = ax.plot([], [], color="black", lw=2, zorder=2, label="decision line $z = 0$")
        self.X, _ = logic_gate("AND")
        self.points = [ax.scatter([], [], s=100, c=CLASS_COLORS[k], marker=CLASS_MARKERS[k], edgecolors="white",
                                  linewidths=0.8, zorder=4, label=f"target {k}") for k in (0, 1)]
        self.rings = ax.scatter([], [], s=380, facecolors="none", edgecolors=ACCENT, linewidths=2.6, zorder=3,
                                label="misclassified")
        self.z_text = [add_text(ax, x, y, "", fontsize=8, color="#333333", zorder=5) for x, y in self.X]
        self.arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=5,
                                 arrowprops=dict(arrowstyle="-|>", color=NEUTRAL, lw=1.5))
        self.arrow_label = add_text(ax, 0, 0, "", fontsize=10, color=NEUTRAL, ha="center", va="center", zorder=5)
        self.message = add_text(ax, 0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                                bbox=dict(fc="white", ec=ACCENT, alpha=0.9), zorder=6)
        ax.set_xlim(*XLIM)
        ax.set_ylim(*YLIM)
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.set_xlabel("input $x_1$")
        ax.set_ylabel("input $x_2$", labelpad=2)
        self.side_handle = Line2D([], [], ls="none", marker="s", color=CLASS_COLORS[1], alpha=0.3, ms=10,
                                  label="side where output is 1")
        self.artists = [self.shade, *self.guides, self.line, *self.points, self.rings, *self.z_text, self.arrow,
                        self.arrow_label, self.message, *ax.spines.values()]

    def legend_handles(self):
        return [self.line, *self.points, self.rings, self.side_handle]

    def draw(self, w, b, y):
        """Show the neuron (w, b) on the gate with targets y; return the outputs."""
        w = np.asarray(w, dtype=float)
        side = positive_side(w, b)
        self.shade.set_xy(side)
        self.shade.set_visible(len(side) >= 3)
        z = self.X @ w + b
        out = (z > 0).astype(int)
        for k in (0, 1):
            self.points[k].set_offsets(self.X[y == k] if np.any(y == k) else np.empty((0, 2)))
        wrong = out != y
        self.rings.set_offsets(self.X[wrong] if wrong.any() else np.empty((0, 2)))
        pts = line_points(w, b, XLIM, YLIM)
        if pts is None:
            self.line.set_data([], [])
            self.arrow.set_visible(False)
            self.arrow_label.set_text("")
            self.message.set_text("no line:\nw₁ = w₂ = 0")
        else:
            self.line.set_data(*pts)
            self.message.set_text("")
            self._place_arrow(w, b)
        self._place_z_labels(z, w, pts)
        return out

    def _place_arrow(self, w, b):
        """The arrow w starts on the line, near the centre of the box but clear of the four points;
        it and its label stay inside the box, or the arrow is not drawn."""
        norm = float(np.hypot(*w))
        unit, along = w / norm, np.array([-w[1], w[0]]) / norm
        c = np.array([0.5, 0.5])
        centre_foot = c - (c @ w + b) / norm ** 2 * w

        def placement(foot):
            spots = np.array([foot, foot + 0.3 * unit, foot + 0.39 * unit])     # foot, tip, the label "w"
            inside = bool(np.all((spots > XLIM[0] + 0.06) & (spots < XLIM[1] - 0.06)))
            clearance = np.min(np.hypot(*(self.X - (foot + 0.2 * unit)).T))
            return inside, clearance

        foot = max((centre_foot + s * along for s in (0.0, 0.35, -0.35, 0.6, -0.6)), key=placement)
        inside = placement(foot)[0]
        tip = foot + 0.3 * unit
        self.arrow.xy, self.arrow.xyann = tuple(tip), tuple(foot)
        self.arrow.set_visible(inside)
        self.arrow_label.set_position(tuple(tip + 0.09 * unit))      # just beyond the arrowhead
        self.arrow_label.set_text("$w$" if inside else "")

    # -- z labels ------------------------------------------------------------------
    def _place_z_labels(self, z, w, pts):
        """Put each z label where it is clear of the decision line (a hard rule), and if it can
        be, inside the box and clear of the other points, the arrow w and the labels placed so far.

        Geometry is in pixels (the axes keep their aspect ratio, so a direction in data
        coordinates is the same direction on screen). The first choice is below and to the
        right of the point; then directions nearest to "away from the line".
        """
        ax = self.ax
        ax.apply_aspect()
        renderer = ax.figure.canvas.get_renderer()
        to_px = ax.transData.transform
        P = to_px(self.X)
        box = ax.bbox
        inner = (box.x0 + 2, box.y0 + 2, box.x1 - 2, box.y1 - 2)
        if pts is not None:
            A, B = to_px(np.column_stack(pts))
            normal = np.array([-(B - A)[1], (B - A)[0]])
            normal /= np.hypot(*normal)
            if normal @ w < 0:              # point the normal to the "output 1" side, like w
                normal = -normal
        obstacles = []                      # boxes (x0, y0, x1, y1) to keep clear of
        if self.arrow.get_visible():
            ends = to_px(np.array([self.arrow.xyann, self.arrow.xy]))
            obstacles.append((*ends.min(axis=0) - 3, *ends.max(axis=0) + 3))
            lx, ly = to_px(self.arrow_label.get_position())
            obstacles.append((lx - 8, ly - 9, lx + 8, ly + 9))
        if self.message.get_text():
            obstacles.append(tuple(self.message.get_window_extent(renderer).extents))
        angles = np.radians(np.arange(0, 360, 22.5))
        for i, (t, zi) in enumerate(zip(self.z_text, z)):
            t.set_text(_z_text(zi))
            t.set_horizontalalignment("left")
            t.set_verticalalignment("bottom")
            ext = t.get_window_extent(renderer)
            size = np.array([ext.width, ext.height])
            side = np.sign(zi) if pts is not None else 0.0
            away = side * normal if side != 0 else (normal if pts is not None else np.array([1.0, -1.0]) / 2 ** 0.5)
            directions = [np.array([1.0, -1.0]) / 2 ** 0.5, away]
            directions += sorted((np.array([np.cos(a), np.sin(a)]) for a in angles), key=lambda u: -u @ away)
            best = None
            for rank, u in enumerate(directions):
                anchor = P[i] + self.label_gap * u
                corner = anchor - size * np.array([_share(u[0]), _share(u[1])])
                rect = (*corner, *(corner + size))
                penalty = rank * 0.01
                if pts is not None and not _clear_of_line(rect, A, normal, side, self.line_clearance):
                    penalty += 1000
                if not (rect[0] >= inner[0] and rect[1] >= inner[1] and rect[2] <= inner[2] and rect[3] <= inner[3]):
                    penalty += 100
                if any(_circle_hits(rect, P[j], 16) for j in range(len(P)) if j != i):
                    penalty += 10
                if any(_overlap(rect, o) for o in obstacles):
                    penalty += 10
                if best is None or penalty < best[0]:
                    best = (penalty, u, rect)
                if penalty < 1:
                    break
            _, u, rect = best
            t.set_horizontalalignment({0.0: "left", 0.5: "center", 1.0: "right"}[_share(u[0])])
            t.set_verticalalignment({0.0: "bottom", 0.5: "center", 1.0: "top"}[_share(u[1])])
            t.set_position(tuple(ax.transData.inverted().transform(P[i] + self.label_gap * u)))
            obstacles.append(tuple(np.add(rect, (-2, -2, 2, 2))))


def _share(c):
    """How much of a label lies behind its anchor along one axis when it moves in direction
    component ``c``: 0 (it extends forwards), 1 (backwards) or 0.5 (centred)."""
    return 0.0 if c > 0.38 else 1.0 if c < -0.38 else 0.5


def _clear_of_line(rect, A, normal, side, margin):
    """True when all of ``rect`` is at least ``margin`` pixels from the line through A with unit
    ``normal``, on the side ``side`` (+1 or −1; 0 = either side)."""
    x0, y0, x1, y1 = rect
    d = (np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]) - A) @ normal
    if side == 0:
        return bool(np.all(d >= margin) or np.all(d <= -margin))
    return bool(np.all(side * d >= margin))


def _circle_hits(rect, c, r):
    x0, y0, x1, y1 = rect
    nearest = np.clip(c, (x0, y0), (x1, y1))
    return bool(np.hypot(*(nearest - c)) < r)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ==========================================================================
# A neuron by hand
# ==========================================================================

def _signed(v):
    """``+ 2`` or ``− 0.5``: a term of a sum."""
    return f"− {-v:.2g}" if v < 0 else f"+ {v:.2g}"


def neuron_status(w1, w2, b, gate, out, y):
    """The neuron explorer's status: how many points are right, which gate it computes."""
    n_ok = int(np.sum(out == y))
    computed = gate_computed(out)
    if computed is None:
        what = "this neuron computes no named gate"
    elif computed.startswith("always"):
        what = f"this neuron {computed.replace('always', 'always outputs')}"
    else:
        what = f"this neuron computes {computed}"
    lines = [f"{n_ok} of 4 correct for {gate}: {what}."]
    if w1 == 0 and w2 == 0:
        lines.append(f"w₁ = w₂ = 0: there is no line. z = b = {b:.2g} everywhere, "
                     f"so every point gets output {1 if b > 0 else 0}.")
    else:
        lines.append(f"z = w₁·x₁ + w₂·x₂ + b = {num(w1)}·x₁ {_signed(w2)}·x₂ {_signed(b)}; the neuron "
                     "outputs 1 where z > 0, the shaded side, where the arrow w points.")
    return Status(lines, tone="good" if n_ok == 4 else "info")


class NeuronLineExplorer(Explorer):
    """Move w1, w2 and b by hand and watch the neuron's line over a logic gate.

    ``NeuronLineExplorer(w1=1.0, w2=1.0, b=-1.5, gate="AND").show()``
    """

    params = [
        Slider("w1", -3.0, 3.0, 1.0, step=0.1, label="weight w₁"),
        Slider("w2", -3.0, 3.0, 1.0, step=0.1, label="weight w₂"),
        Slider("b", -3.0, 3.0, -1.5, step=0.1, label="bias b"),
        Choice("gate", GATE_NAMES, "AND", label="gate"),
    ]
    figsize = (5.8, 3.9)
    moving = ("title_pieces", "plane_artists")
    background = ()
    sweeps = [Sweep("b", [float(v) for v in np.round(np.linspace(-2.5, 0.5, 13), 2)],
                    "The bias b from {first} to {last} slides the line; w₁ = w₂ = 1, gate {gate}",
                    fixed={"w1": 1.0, "w2": 1.0})]

    def setup(self, fig):
        ax = fig.add_axes([0.11, 0.12, 0.52, 0.77])
        self.plane = _GatePlane(ax)
        self.plane_artists = self.plane.artists
        fig.legend(handles=self.plane.legend_handles(), loc="upper left", bbox_to_anchor=(0.665, 0.89),
                   fontsize=8, borderaxespad=0, markerscale=0.7, handlelength=1.6)
        fig.text(0.675, 0.52, "z = w₁·x₁ + w₂·x₂ + b\noutput 1 where z > 0", ha="left", va="top",
                 fontsize=9, color=NEUTRAL, linespacing=1.5)
        self.title = TextRow(fig, 0.02, 0.975, 4, va="top", fontsize=10)
        self.title_pieces = self.title.pieces

    def draw(self, w1, w2, b, gate):
        _, y = logic_gate(gate)
        out = self.plane.draw([w1, w2], b, y)
        n_ok = int(np.sum(out == y))
        self.title.set_text(f"w₁ = {num(w1)},", f"w₂ = {num(w2)},", f"b = {num(b)}:",
                            f"{n_ok} of 4 correct for {gate}")
        return neuron_status(w1, w2, b, gate, out, y)


# ==========================================================================
# The perceptron rule, step by step
# ==========================================================================

MAX_EPOCHS = 15


def perceptron_run(gate, lr):
    """The perceptron rule on ``gate`` with learning rate ``lr``: at most 15 epochs, samples in order."""
    X, y = logic_gate(gate)
    return Perceptron(2).fit(X, y, epochs=MAX_EPOCHS, lr=lr)


def training_status(p, s, step, X, y, errors_so_far, epoch):
    """The training explorer's status: what step ``s`` did, where training ended, mistakes so far."""
    h = p.history_[s]
    last = len(p.history_) - 1
    if h["index"] is None:
        lines = ["Start: w = 0, b = 0 (every output is 0)."]
    else:
        x = X[h["index"]]
        said = int(y[h["index"]]) - h["error"]
        sample = f"Epoch {h['epoch']}, sample ({x[0]:.0f}, {x[1]:.0f}): target {y[h['index']]}, said {said}"
        lines = [sample + (" → right, no change." if h["error"] == 0 else
                           " → w += η·x, b += η." if h["error"] > 0 else " → w −= η·x, b −= η.")]
    tone = "info"
    if s == last:
        if p.converged_:
            lines.append(f"Converged after {last} steps ({len(p.errors_)} epochs): "
                         "a whole epoch without a mistake.")
            tone = "good"
        else:
            lines.append(f"Still wrong after {MAX_EPOCHS} epochs — it never settles.")
            tone = "bad"
        if step > last:
            lines.append(f"(Training stopped at step {last}; the picture stays there.)")
    lines.append(f"Epoch {epoch}: {plural(errors_so_far, 'mistake')} so far." if epoch else "No epoch yet.")
    return Status(lines, tone=tone)


class PerceptronTrainingExplorer(Explorer):
    """Replay the perceptron rule on a gate, one visited sample per step.

    ``PerceptronTrainingExplorer(gate="AND", lr=1.0, step=0).show()``
    """

    MAX_EPOCHS = MAX_EPOCHS
    params = [
        Choice("gate", GATE_NAMES, "AND", label="gate"),
        Choice("lr", [0.25, 0.5, 1.0, 2.0], 1.0, label="learning rate η"),
        Slider("step", 0, 4 * MAX_EPOCHS, 0, integer=True, label="step (samples seen)"),
    ]
    figsize = (5.8, 3.9)
    moving = ("title_pieces", "plane_artists", "current", "bars", "epoch_band", "err_spines")
    background = ()
    sweeps = [Sweep("step", lambda v: list(range(len(perceptron_run(v["gate"], v["lr"]).history_))),
                    "The perceptron rule on {gate} with η = {lr:g}, one sample per step, from step {first} "
                    "to step {last}")]

    def setup(self, fig):
        self._fits = {}
        ax_plane = fig.add_axes([0.095, 0.24, 0.47, 0.675])
        self.plane = _GatePlane(ax_plane)
        self.current = ax_plane.scatter([], [], s=640, facecolors="none", edgecolors="black", linewidths=1.5,
                                        linestyle="--", zorder=3, label="sample just used")
        self.plane_artists = self.plane.artists
        fig.legend(handles=self.plane.legend_handles() + [self.current], loc="lower center",
                   bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, markerscale=0.6, handlelength=1.6,
                   columnspacing=1.4, borderaxespad=0.3)
        self.title = TextRow(fig, 0.02, 0.975, 4, va="top", fontsize=10)
        self.title_pieces = self.title.pieces
        ae = self.ax_err = fig.add_axes([0.68, 0.24, 0.30, 0.625])
        ae.set_axisbelow(True)                       # the grid under the bars, in every kind of redraw
        ae.grid(axis="x", visible=False)
        ae.set_xlabel("epoch", labelpad=2)
        ae.set_ylabel("mistakes", labelpad=2)
        ae.set_ylim(0, 4.4)
        ae.set_yticks(range(5))
        ae.set_title("mistakes per epoch", fontsize=10)
        self.bars = list(ae.bar(np.arange(1, MAX_EPOCHS + 1), np.zeros(MAX_EPOCHS), color=NEUTRAL, zorder=1))
        ae.set_xlim(0.4, MAX_EPOCHS + 0.6)
        self.epoch_band = ae.axvspan(0.5, 1.5, color=ACCENT, alpha=0.12, zorder=0.6, lw=0)
        ae.set_xticks(range(1, MAX_EPOCHS + 1, 2))
        self.err_spines = list(ae.spines.values())

    def run(self, gate, lr):
        """The replayed training for (gate, lr), computed once."""
        if (gate, lr) not in self._fits:
            self._fits[gate, lr] = perceptron_run(gate, lr)
        return self._fits[gate, lr]

    def draw(self, gate, lr, step):
        X, y = logic_gate(gate)
        p = self.run(gate, lr)
        last = len(p.history_) - 1
        s = min(step, last)
        h = p.history_[s]
        self.plane.draw(h["w"], h["b"], y)
        if h["index"] is None:
            self.current.set_offsets(np.empty((0, 2)))
        else:
            self.current.set_offsets(X[h["index"]][None, :])
        w1, w2 = h["w"]
        self.title.set_text(f"{gate}, η = {lr:g}:", f"step {s},", f"w = ({num(w1)}, {num(w2)}),", f"b = {num(h['b'])}")
        epoch = h["epoch"]
        errors = list(p.errors_)
        if h["index"] is not None and epoch <= len(errors):
            # only the mistakes made so far in the current epoch
            done = [e for e in p.history_[1:s + 1] if e["epoch"] == epoch]
            errors[epoch - 1] = sum(e["error"] != 0 for e in done)
        for k, bar in enumerate(self.bars, start=1):
            if k < epoch or (k == epoch and h["index"] is not None):
                bar.set_height(errors[k - 1])
                bar.set_facecolor(ACCENT if k == epoch else NEUTRAL)
            else:
                bar.set_height(0)
            bar.set_visible(bar.get_height() > 0)      # an empty bar draws nothing: skip it
        self.epoch_band.set_visible(epoch > 0)
        self.epoch_band.set_x(epoch - 0.5)
        return training_status(p, s, step, X, y, errors[epoch - 1] if epoch else 0, epoch)


EXPLORERS = [NeuronLineExplorer, PerceptronTrainingExplorer]
