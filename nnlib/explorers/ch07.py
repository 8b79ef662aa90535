"""Explorer for chapter 07, backpropagation: step through a computational graph.

:class:`GraphExplorer` builds one of three small graphs with :class:`nnlib.autograd.Value`
and walks through it one node per step: first the forward pass (values, in
:func:`~nnlib.autograd.forward_order`), then the backward pass (gradients, in
:func:`~nnlib.autograd.backward_order`). The status text says what the step did, in words and
with numbers, and names the local rule it used (addition distributes, multiplication swaps,
ReLU routes, fan-out adds, ...).

The graphs are drawn here rather than with :func:`nnlib.autograd.draw_graph`: that function
gives every node its own column (nine for the chain), which at the 580 px of an explorer image
would shrink the text below 8 pt. Here each graph has a hand-made layout that folds the chain
into two rows, so every box keeps readable text. The numbers all come from the ``Value``
engine itself (``backward()`` is run once per graph), so the pictures cannot disagree with it.
"""

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..autograd import LEAF_COLOR, OP_COLOR, OUT_COLOR, Value, backward_order, forward_order
from ..plot import ACCENT, CLASS_COLORS, NEUTRAL
from .base import Choice, Explorer, Slider, Status, Sweep
from .fasttext import add_text

GREY = "#9a9a9a"
GRAD_COLOR = CLASS_COLORS[0]


def _num(x):
    """A number with 3 significant digits and a real minus sign."""
    return "0" if x == 0 else f"{x:.3g}".replace("-", "−")


def _factor(x):
    """A number as a factor in a product: negative numbers in brackets."""
    text = _num(x)
    return f"({text})" if text.startswith("−") else text


# --------------------------------------------------------------------------
# The three graphs
# --------------------------------------------------------------------------

class Graph:
    """One expression built from Values, with the formula of each node and where to draw it."""

    def __init__(self, title, output, formulas, places):
        self.title, self.output = title, output
        self.formulas = formulas          # label -> the node's formula in names, e.g. "a1 = p1 + b1"
        self.places = places              # label -> (column, row)
        output.backward()                 # every gradient, once: the explorer shows them a step at a time
        self.nodes = forward_order(output)
        self.forward = [n for n in self.nodes if n.inputs]
        self.backward = backward_order(output)
        self.users = {id(n): [] for n in self.nodes}
        for n in self.nodes:
            for k, inp in enumerate(n.inputs):
                self.users[id(inp)].append((n, k))
        self.total = len(self.forward) + len(self.backward)

    def node(self, label):
        return next(n for n in self.nodes if n.label == label)


def chain_graph(X=1.5, t=0.5, w=(0.8, -0.4, 1.2), b=(0.1, 0.2, -0.3)):
    """The three one-neuron layers of essay 002: a1 = X·w1 + b1, a2 = a1·w2 + b2, a3 = a2·w3 + b3,
    loss L = (a3 − t)². The essay gives no numbers; these are the course's (also in nnlib.autograd)."""
    Xv, tv = Value(X, label="X"), Value(t, label="t")
    ws = [Value(v, label=f"w{i}") for i, v in enumerate(w, 1)]
    bs = [Value(v, label=f"b{i}") for i, v in enumerate(b, 1)]
    a, formulas, prev = Xv, {}, "X"
    for i, (wi, bi) in enumerate(zip(ws, bs), 1):
        p = (a * wi).named(f"p{i}")
        a = (p + bi).named(f"a{i}")
        formulas[f"p{i}"] = f"p{i} = {prev}·w{i}"
        formulas[f"a{i}"] = f"a{i} = p{i} + b{i}"
        prev = f"a{i}"
    d = (a - tv).named("d")
    loss = (d ** 2).named("L")
    formulas.update(d="d = a3 − t", L="L = d²")
    places = {"w1": (1, 0), "b1": (2, 0), "w2": (3, 0), "b2": (4, 0),
              "X": (0, 1), "p1": (1, 1), "a1": (2, 1), "p2": (3, 1), "a2": (4, 1),
              "p3": (4, 2), "a3": (3, 2), "d": (2, 2), "L": (1, 2),
              "w3": (4, 3), "b3": (3, 3), "t": (2, 3)}
    return Graph("Three one-neuron layers, loss L = (a3 − t)²", loss, formulas, places)


def neuron_graph(x=(1.0, -2.0), w=(0.5, -0.3), b=0.1, t=1.0):
    """One sigmoid neuron a = σ(w1·x1 + w2·x2 + b) with the loss L = (a − t)²."""
    x1, x2 = Value(x[0], label="x1"), Value(x[1], label="x2")
    w1, w2 = Value(w[0], label="w1"), Value(w[1], label="w2")
    bv, tv = Value(b, label="b"), Value(t, label="t")
    m1 = (x1 * w1).named("m1")
    m2 = (x2 * w2).named("m2")
    s = (m1 + m2).named("s")
    z = (s + bv).named("z")
    a = z.sigmoid().named("a")
    d = (a - tv).named("d")
    loss = (d ** 2).named("L")
    formulas = dict(m1="m1 = x1·w1", m2="m2 = x2·w2", s="s = m1 + m2", z="z = s + b", a="a = σ(z)",
                    d="d = a − t", L="L = d²")
    places = {"x1": (0, 0.1), "w1": (0, 1.0), "x2": (0, 1.95), "w2": (0, 2.85), "m1": (1, 0.55), "m2": (1, 2.4),
              "b": (2, 0.5), "s": (2, 1.5), "z": (3, 1.5), "a": (4, 1.5), "t": (3, 2.5), "d": (4, 2.5),
              "L": (3, 3.45)}
    return Graph("One sigmoid neuron, loss L = (σ(w1·x1 + w2·x2 + b) − t)²", loss, formulas, places)


def fanout_graph(a=2.0, b=3.0):
    """f = ReLU(a·b) + a: the value a is used twice, so its two gradients add."""
    av, bv = Value(a, label="a"), Value(b, label="b")
    m = (av * bv).named("m")
    r = m.relu().named("r")
    f = (r + av).named("f")
    formulas = dict(m="m = a·b", r="r = ReLU(m)", f="f = r + a")
    places = {"a": (0.5, 1.0), "b": (0.5, 2.4), "m": (1.5, 2.4), "r": (2.5, 2.4), "f": (3.5, 1.0)}
    return Graph("A value used twice: f = ReLU(a·b) + a", f, formulas, places)


GRAPHS = {"chain": chain_graph, "neuron": neuron_graph, "fan-out": fanout_graph}


# --------------------------------------------------------------------------
# What each step says
# --------------------------------------------------------------------------

def forward_text(g, n):
    """'a1 = p1 + b1 = 1.2 + 0.1 = 1.3': the node's formula in names, then in numbers."""
    ins = [_factor(i.data) for i in n.inputs]
    if n.op == "×":
        numbers = f"{ins[0]} · {ins[1]}"
    elif n.op == "+":
        numbers = f"{ins[0]} + {ins[1]}"
    elif n.op == "−":
        numbers = f"{ins[0]} − {ins[1]}"
    elif n.op == "^2":
        numbers = f"{ins[0]}²"
    elif n.op == "σ":
        numbers = f"σ({_num(n.inputs[0].data)})"
    elif n.op == "ReLU":
        numbers = f"max(0, {_num(n.inputs[0].data)})"
    else:                                                     # not used by the three graphs
        numbers = f"{n.op}({', '.join(ins)})"
    return f"{g.formulas[n.label]} = {numbers} = {_num(n.data)}"


RULES = {
    "+": "addition distributes: each input gets the sum's gradient unchanged (local derivative 1)",
    "×": "multiplication swaps: each factor's gradient is the product's gradient times the other factor",
    "−": "subtraction: the first input gets the gradient as it is, the second with its sign flipped (−1)",
    "^2": "power rule: d(u²)/du = 2u",
    "σ": "sigmoid: σ′(z) = σ(z)(1 − σ(z))",
    "ReLU": "ReLU routes: the gradient passes where the input is > 0 and is stopped (× 0) elsewhere",
}


def _local_text(user, k):
    """The local derivative d(user)/d(its k-th input), in names and numbers."""
    inp = user.inputs[k]
    if user.op == "×":
        other = user.inputs[1 - k]
        return other.label, _factor(other.data)
    if user.op == "+":
        return "1", "1"
    if user.op == "−":
        return ("1", "1") if k == 0 else ("(−1)", "(−1)")
    if user.op == "^2":
        return f"2·{inp.label}", f"2·{_factor(inp.data)}"
    if user.op == "σ":
        return f"σ({inp.label})(1 − σ({inp.label}))", f"{_num(user.data)}·(1 − {_num(user.data)})"
    if user.op == "ReLU":
        return ("1", "1") if inp.data > 0 else ("0", "0")
    return f"∂{user.label}/∂{inp.label}", _factor(user.local_grads[k])


def _times(k):
    return {2: "twice", 3: "three times"}.get(k, f"{k} times")


def backward_text(g, n):
    """The gradient of ``n``: the sum over its uses of (gradient of the user) × (local derivative)."""
    out = g.output.label
    d = lambda v: f"∂{out}/∂{v.label}"                        # noqa: E731
    if n is g.output:
        return [f"{d(n)} = 1: the backward pass starts at the output, whose gradient with respect to itself is 1."]
    uses = g.users[id(n)]
    names = [f"{d(u)} · {_local_text(u, k)[0]}" for u, k in uses]
    values = [f"{_factor(u.grad)} · {_local_text(u, k)[1]}" for u, k in uses]
    lines = [f"{d(n)} = {' + '.join(names)} = {' + '.join(values)} = {_num(n.grad)}"]
    rules = list(dict.fromkeys(RULES.get(u.op, "") for u, _ in uses))
    if len(uses) > 1:
        terms = " + ".join(_factor(u.grad * u.local_grads[k]) for u, k in uses)
        lines.append(f"Fan-out adds: {n.label} is used {_times(len(uses))}, so the gradients from its uses add up: "
                     f"{terms} = {_num(n.grad)}.")
    lines += [f"Rule: {r}." for r in rules if r]
    return lines


# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------

BOX_W, BOX_H = 0.86, 0.68        # in columns and rows
LIMITS = ((-0.5, 4.5), (3.95, -0.45))


class GraphExplorer(Explorer):
    """Step through the forward and the backward pass of a small computational graph (chapter 07).

    ``GraphExplorer(expression="chain", step=10).show()``. Steps 1..F compute the values of
    the operations in forward order; steps F+1..F+B fill in the gradients in backward order.
    """

    params = [
        Choice("expression", list(GRAPHS), "chain", label="expression"),
        Slider("step", 0, max(make().total for make in GRAPHS.values()), 0, integer=True, label="step"),
    ]
    figsize = (5.8, 3.75)
    background = ("expression",)
    slow = ("boxes",)
    moving = ("texts", "highlight", "title", "phase")
    sweeps = [Sweep("step", list(range(chain_graph().total + 1)),
                    "The three-neuron chain, step {first} to {last}: the forward pass, then the backward pass",
                    fixed={"expression": "chain"})]

    def setup(self, fig):
        self.ax = ax = fig.add_axes([0.0, 0.06, 1.0, 0.84])
        ax.set_xlim(*LIMITS[0])
        ax.set_ylim(*LIMITS[1])
        ax.axis("off")
        self.graphs = {name: make() for name, make in GRAPHS.items()}
        self.boxes, self.texts, self._artists_of = [], [], {}
        for name, g in self.graphs.items():
            self._artists_of[name] = self._build(ax, g)
        self.highlight = FancyBboxPatch((0, 0), BOX_W, BOX_H, boxstyle="round,pad=0,rounding_size=0.08",
                                        facecolor="none", edgecolor=ACCENT, lw=2.6, zorder=4)
        ax.add_patch(self.highlight)
        self.title = add_text(fig, 0.02, 0.975, "", ha="left", va="top", fontsize=9.5)
        self.phase = add_text(fig, 0.02, 0.915, "", ha="left", va="top", fontsize=8.5, color=NEUTRAL)
        fig.text(0.98, 0.015, "value ? = not computed yet · grad ? = not reached yet", ha="right", va="bottom",
                 fontsize=8, color=NEUTRAL)

    def _build(self, ax, g):
        """Boxes, arrows and names of one graph (slow artists), and its value and grad texts (moving)."""
        patches, texts = {}, {}
        slow, moving = [], []
        for n in g.nodes:
            c, r = g.places[n.label]
            face = OUT_COLOR if n is g.output else (OP_COLOR if n.inputs else LEAF_COLOR)
            box = FancyBboxPatch((c - BOX_W / 2, r - BOX_H / 2), BOX_W, BOX_H,
                                 boxstyle="round,pad=0,rounding_size=0.08", facecolor=face, edgecolor=NEUTRAL,
                                 lw=0.8, zorder=2)
            ax.add_patch(box)
            patches[id(n)] = box
            name = ax.text(c, r - 0.22, g.formulas.get(n.label, n.label), ha="center", va="center",
                           fontsize=8.5, fontweight="bold", color="#222222", zorder=3)
            value = add_text(ax, c, r + 0.01, "", ha="center", va="center", fontsize=8.5, zorder=5)
            grad = add_text(ax, c, r + 0.22, "", ha="center", va="center", fontsize=8.5, zorder=5)
            texts[id(n)] = (value, grad)
            slow += [box, name]
            moving += [value, grad]
        for n in g.nodes:
            for inp in dict.fromkeys(n.inputs):
                arrow = FancyArrowPatch(g.places[inp.label], g.places[n.label], patchA=patches[id(inp)],
                                        patchB=patches[id(n)], arrowstyle="-|>", mutation_scale=9, lw=0.9,
                                        color="#8a8a8a", shrinkA=1, shrinkB=1, zorder=1)
                ax.add_patch(arrow)
                slow.append(arrow)
        self.boxes += slow
        self.texts += moving
        return slow, moving, texts

    def state(self, expression, step):
        """What step ``step`` shows: ``(graph, step, values known, grads known, current node, phase)``;
        the step is clamped to the expression's last one."""
        g = self.graphs[expression]
        step = min(step, g.total)
        F = len(g.forward)
        leaves = [n for n in g.nodes if not n.inputs]
        if step <= F:
            known = leaves + g.forward[:step]
            return g, step, known, [], (g.forward[step - 1] if step else None), "forward"
        done = g.backward[:step - F]
        return g, step, g.nodes, done, done[-1], "backward"

    def draw(self, expression, step):
        g, shown, known, reached, current, phase = self.state(expression, step)
        for name, (slow, moving, _) in self._artists_of.items():
            for a in slow + moving:
                a.set_visible(name == expression)
        values, grads = {id(n) for n in known}, {id(n) for n in reached}
        for n in g.nodes:
            value, grad = self._artists_of[expression][2][id(n)]
            v, gr = id(n) in values, id(n) in grads
            value.set_text(f"value {_num(n.data)}" if v else "value ?")
            value.set_color("#222222" if v else GREY)
            grad.set_text(f"grad {_num(n.grad)}" if gr else "grad ?")
            grad.set_color(GRAD_COLOR if gr else GREY)
        F, B = len(g.forward), len(g.backward)
        self.title.set_text(g.title)
        if current is None:
            self.highlight.set_visible(False)
            self.phase.set_text(f"Start: inputs and parameters known · {F} forward steps, then {B} backward")
            lines = [f"Step 0: only the inputs and parameters (blue) are known: "
                     + ", ".join(f"{n.label} = {_num(n.data)}" for n in g.nodes if not n.inputs) + ".",
                     f"Move the step slider: steps 1–{F} compute the values in forward order, "
                     f"steps {F + 1}–{F + B} the gradients in backward order."]
        else:
            c, r = g.places[current.label]
            self.highlight.set_visible(True)
            self.highlight.set_bounds(c - BOX_W / 2, r - BOX_H / 2, BOX_W, BOX_H)
            if phase == "forward":
                self.phase.set_text(f"Forward pass: step {shown} of {F} · computing {current.label}")
                lines = [f"Forward step {shown} of {F}: {forward_text(g, current)}."]
                if shown == F:
                    lines.append(f"The forward pass is done: {g.output.label} = {_num(g.output.data)}. "
                                 "Next, the gradients, from the output back to the inputs.")
            else:
                k = shown - F
                self.phase.set_text(f"Backward pass: step {k} of {B} · gradient of {current.label}")
                lines = [f"Backward step {k} of {B} (step {shown}): {backward_text(g, current)[0]}"]
                lines += backward_text(g, current)[1:]
                if k == B:
                    lines.append("The backward pass is done: every gradient is what Value.backward() computes.")
        if step > g.total:
            lines.append(f"(This expression has only {g.total} steps; step {step} shows the last one.)")
        return Status(lines)


EXPLORERS = [GraphExplorer]
