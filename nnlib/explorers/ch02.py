"""Chapter 02 — one neuron draws one straight line.

A neuron with two inputs computes z = w1·x1 + w2·x2 + b and outputs 1 when
z > 0 (the binary step). The points where z = 0 form the *decision line*
w1·x1 + w2·x2 + b = 0; the weight vector w = (w1, w2) points towards the side
where the neuron says 1, and the bias b slides the line without turning it.

* :class:`NeuronLineExplorer` — set w1, w2 and b by hand over a logic gate.
* :class:`PerceptronTrainingExplorer` — replay the perceptron rule one sample
  at a time (``Perceptron.fit(...).history_``).
"""

import numpy as np
from matplotlib.colors import ListedColormap

from ..data import GATES, logic_gate
from ..perceptron import Perceptron
from ..plot import ACCENT, CLASS_COLORS, CLASS_MARKERS, NEUTRAL, line_points
from .base import Choice, Explorer, Slider

GATE_NAMES = ["AND", "OR", "NAND", "NOR", "XOR"]
XLIM = YLIM = (-0.5, 1.5)
_GRID = np.linspace(XLIM[0], XLIM[1], 161)


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


class _GatePlane:
    """The shared picture: four gate points, shaded 'output 1' side, the line, rings on mistakes."""

    def __init__(self, ax, *, legend="right"):
        self.ax = ax
        cmap = ListedColormap(["white", CLASS_COLORS[1]])
        self.shade = ax.imshow(np.zeros((2, 2)), extent=(*XLIM, *YLIM), origin="lower", cmap=cmap,
                               vmin=0, vmax=1, alpha=0.22, zorder=0, interpolation="nearest", aspect="auto")
        self.line, = ax.plot([], [], color="black", lw=2, zorder=2, label="decision line $z = 0$")
        X, _ = logic_gate("AND")
        self.X = X
        self.points = [ax.scatter([], [], s=110, c=CLASS_COLORS[k], marker=CLASS_MARKERS[k], edgecolors="white",
                                  linewidths=0.8, zorder=4, label=f"target {k}") for k in (0, 1)]
        self.rings = ax.scatter([], [], s=420, facecolors="none", edgecolors=ACCENT, linewidths=2.8, zorder=3,
                                label="misclassified")
        self.z_text = [ax.text(x + 0.07, y - 0.12, "", fontsize=8, color=NEUTRAL, zorder=5) for x, y in X]
        self.arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=5,
                                 arrowprops=dict(arrowstyle="-|>", color=NEUTRAL, lw=1.5))
        self.arrow_label = ax.text(0, 0, "", fontsize=10, color=NEUTRAL, ha="center", va="center", zorder=5)
        self.message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                               bbox=dict(fc="white", ec=ACCENT, alpha=0.9), zorder=6)
        ax.set_xlim(*XLIM)
        ax.set_ylim(*YLIM)
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.set_xlabel("input $x_1$")
        ax.set_ylabel("input $x_2$")
        ax.plot([], [], "s", color=CLASS_COLORS[1], alpha=0.3, ms=10, label="side where output is 1")
        if legend == "right":
            ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0, markerscale=0.6)
        else:
            ax.figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=5, fontsize=8,
                             markerscale=0.6)

    def draw(self, w, b, y):
        """Show the neuron (w, b) on the gate with targets y; return the outputs."""
        w = np.asarray(w, dtype=float)
        gx, gy = np.meshgrid(_GRID, _GRID)
        self.shade.set_data((w[0] * gx + w[1] * gy + b > 0).astype(float))
        z = self.X @ w + b
        out = (z > 0).astype(int)
        for k in (0, 1):
            self.points[k].set_offsets(self.X[y == k] if np.any(y == k) else np.empty((0, 2)))
        wrong = out != y
        self.rings.set_offsets(self.X[wrong] if wrong.any() else np.empty((0, 2)))
        for t, zi in zip(self.z_text, z):
            t.set_text(f"z = {zi:.3g}" if zi != 0 else "z = 0")
        pts = line_points(w, b, XLIM, YLIM)
        norm = float(np.hypot(*w))
        if pts is None:
            self.line.set_data([], [])
            self.arrow.set_visible(False)
            self.arrow_label.set_text("")
            side = "1" if b > 0 else "0"
            self.message.set_text(f"$w_1 = w_2 = 0$: there is no line.\nz = b = {b:.2g} everywhere, "
                                  f"so every point\ngets output {side}.")
        else:
            self.line.set_data(*pts)
            self.message.set_text("")
            # the arrow w starts on the line, near the centre of the box but clear of the four points
            unit, along = w / norm, np.array([-w[1], w[0]]) / norm
            c = np.array([0.5, 0.5])
            centre_foot = c - (c @ w + b) / norm ** 2 * w

            def placement(foot):
                inside = bool(np.all((foot > XLIM[0] + 0.05) & (foot < XLIM[1] - 0.05)))
                clearance = np.min(np.hypot(*(self.X - (foot + 0.2 * unit)).T))
                return inside, clearance

            foot = max((centre_foot + s * along for s in (0.0, 0.35, -0.35)), key=placement)
            inside = placement(foot)[0]
            tip = foot + 0.3 * unit
            self.arrow.xy, self.arrow.xyann = tuple(tip), tuple(foot)
            self.arrow.set_visible(inside)
            self.arrow_label.set_position(tuple(tip + 0.09 * unit))      # just beyond the arrowhead
            self.arrow_label.set_text("$w$" if inside else "")
        return out


class NeuronLineExplorer(Explorer):
    """Move w1, w2 and b by hand and watch the neuron's line over a logic gate."""

    params = [
        Slider("w1", -3.0, 3.0, 1.0, step=0.1, label="weight $w_1$"),
        Slider("w2", -3.0, 3.0, 1.0, step=0.1, label="weight $w_2$"),
        Slider("b", -3.0, 3.0, -1.5, step=0.1, label="bias $b$"),
        Choice("gate", GATE_NAMES, "AND", label="gate"),
    ]
    figsize = (6.8, 4.4)

    def setup(self, fig):
        self.plane = _GatePlane(fig.subplots())
        self.title = self.plane.ax.set_title("")

    def draw(self, w1, w2, b, gate):
        _, y = logic_gate(gate)
        out = self.plane.draw([w1, w2], b, y)
        n_ok = int(np.sum(out == y))
        computed = gate_computed(out)
        if computed is None:
            what = "this neuron computes no named gate"
        elif computed.startswith("always"):
            what = f"this neuron {computed.replace('always', 'always outputs')}"
        else:
            what = f"this neuron computes {computed}"
        self.title.set_text(f"$w_1$ = {w1:.2g}, $w_2$ = {w2:.2g}, $b$ = {b:.2g}:  {n_ok} of 4 correct for {gate}\n"
                            f"({what})")

    def fallback(self):
        bs = np.round(np.linspace(-2.5, 0.5, 13), 2)
        return self.animation("b", list(bs), w1=1.0, w2=1.0, gate=self.values["gate"])


class PerceptronTrainingExplorer(Explorer):
    """Replay the perceptron rule on a gate, one visited sample per step."""

    MAX_EPOCHS = 15
    params = [
        Choice("gate", GATE_NAMES, "AND", label="gate"),
        Choice("lr", [0.25, 0.5, 1.0, 2.0], 1.0, label="learning rate η"),
        Slider("step", 0, 4 * 15, 0, integer=True, label="step (samples seen)"),
    ]
    figsize = (9.2, 4.8)

    def setup(self, fig):
        ax_plane, self.ax_err = fig.subplots(1, 2, width_ratios=[1.55, 1])
        self.plane = _GatePlane(ax_plane, legend="below")
        self.current = ax_plane.scatter([], [], s=700, facecolors="none", edgecolors="black", linewidths=1.5,
                                        linestyle="--", zorder=3, label="sample just used")
        fig.legends.clear()
        fig.legend(*ax_plane.get_legend_handles_labels(), loc="outside lower center", ncol=6, fontsize=8,
                   markerscale=0.6)
        self.title = ax_plane.set_title("", fontsize=10)
        self.ax_err.set_xlabel("epoch")
        self.ax_err.set_ylabel("mistakes in the epoch")
        self.ax_err.set_ylim(0, 4.6)
        self.ax_err.set_yticks(range(5))
        self.ax_err.set_title("mistakes per epoch", fontsize=10)
        self.bars = self.ax_err.bar(np.arange(1, self.MAX_EPOCHS + 1), np.zeros(self.MAX_EPOCHS), color=NEUTRAL)
        self.ax_err.set_xlim(0.4, self.MAX_EPOCHS + 0.6)
        self.epoch_band = self.ax_err.axvspan(0.5, 1.5, color=ACCENT, alpha=0.12, zorder=0, lw=0)
        self.ax_err.set_xticks(range(1, self.MAX_EPOCHS + 1, 2))
        self.err_note = self.ax_err.text(0.98, 0.97, "", transform=self.ax_err.transAxes, ha="right", va="top",
                                         fontsize=8)
        self._fits = {}

    def _fit(self, gate, lr):
        key = (gate, lr)
        if key not in self._fits:
            X, y = logic_gate(gate)
            self._fits[key] = Perceptron(2).fit(X, y, epochs=self.MAX_EPOCHS, lr=lr)
        return self._fits[key]

    def draw(self, gate, lr, step):
        X, y = logic_gate(gate)
        p = self._fit(gate, lr)
        last = len(p.history_) - 1
        s = min(step, last)
        h = p.history_[s]
        self.plane.draw(h["w"], h["b"], y)
        w1, w2 = h["w"]
        head = f"step {s}: $w$ = ({w1:.2g}, {w2:.2g}), $b$ = {h['b']:.2g}"
        if h["index"] is None:
            self.current.set_offsets(np.empty((0, 2)))
            what = "start: w = 0, b = 0 (every output is 0)"
        else:
            x = X[h["index"]]
            self.current.set_offsets(x[None, :])
            said = int(y[h["index"]]) - h["error"]
            sample = f"epoch {h['epoch']}, sample ({x[0]:.0f}, {x[1]:.0f}): target {y[h['index']]}, said {said}"
            if h["error"] == 0:
                what = sample + " → right, no change"
            elif h["error"] > 0:
                what = sample + " → w += η·x, b += η"
            else:
                what = sample + " → w −= η·x, b −= η"
        if s == last:
            what = (f"converged after {last} steps ({len(p.errors_)} epochs)" if p.converged_
                    else f"still wrong after {self.MAX_EPOCHS} epochs — it never settles")
        self.title.set_text(f"{gate}, η = {lr:.2g} — {head}\n{what}")
        epoch = h["epoch"]
        errors = list(p.errors_)
        if h["index"] is not None and epoch <= len(errors):
            # only the mistakes made so far in the current epoch
            done = [e for e in p.history_[1:s + 1] if e["epoch"] == epoch]
            errors[epoch - 1] = sum(e["error"] != 0 for e in done)
        for k, bar in enumerate(self.bars, start=1):
            if k < epoch or (k == epoch and h["index"] is not None):
                bar.set_height(errors[k - 1])
                bar.set_color(ACCENT if k == epoch else NEUTRAL)
            else:
                bar.set_height(0)
        self.epoch_band.set_visible(epoch > 0)
        self.epoch_band.set_x(epoch - 0.5)
        self.err_note.set_text(f"epoch {epoch}: {errors[epoch - 1] if epoch else 0} mistake(s) so far"
                               if epoch else "no epoch yet")

    def fallback(self):
        p = self._fit("AND", 1.0)
        return self.animation("step", list(range(len(p.history_))), gate="AND", lr=1.0)
