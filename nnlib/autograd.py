"""Automatic differentiation on single numbers, and pictures of the graph (chapter 07).

Every :class:`Value` remembers which values it was computed from (its
*inputs*) and the local derivative of the operation with respect to each of
them. Together they form a **computational graph**. The forward pass is just
ordinary arithmetic: each value is computed as soon as its inputs are known.
The backward pass, :meth:`Value.backward`, applies the chain rule from the
output back to the inputs:

    grad(input) += local derivative × grad(output)

visiting the nodes in reverse topological order, so a node's gradient is
complete before it is passed on. When a value is used twice, both uses add to
its gradient; that is the multivariable chain rule.

The three one-neuron layers of chapter 07, with the loss (a3 − t)²::

    X, t = Value(1.5, label="X"), Value(0.5, label="t")
    w1, b1, w2, b2, w3, b3 = (Value(v, label=n) for v, n in
                              zip([0.8, 0.1, -0.4, 0.2, 1.2, -0.3], ["w1", "b1", "w2", "b2", "w3", "b3"]))
    a1 = (X * w1 + b1).named("a1")
    a2 = (a1 * w2 + b2).named("a2")
    a3 = (a2 * w3 + b3).named("a3")
    loss = ((a3 - t) ** 2).named("loss")
    loss.backward()                  # now w1.grad is dloss/dw1, and so on
    draw_graph(loss)                 # the graph, with every value and gradient

:func:`draw_graph` lays the graph out in Python (column by distance from the
output) and draws it with Matplotlib, so it needs no Graphviz and renders in
JupyterLab and in the static book alike. With ``show_values``, ``show_grads``
and ``highlight`` it can also draw a pass half done, node by node, in the
orders given by :func:`forward_order` and :func:`backward_order`.
"""

import math
import numbers

import numpy as np

from .plot import ACCENT, CLASS_COLORS, NEUTRAL


class Value:
    """One number in a computation, and the gradient of the final output with respect to it.

    ``Value(3.0, label="w")`` makes a leaf (an input or a parameter). Arithmetic
    (``+ - * / **``, also with plain numbers) and the methods :meth:`exp`,
    :meth:`log`, :meth:`tanh`, :meth:`sigmoid` and :meth:`relu` make new
    values that remember their inputs. ``data`` is the number, ``grad`` the
    derivative d(output)/d(this value) after ``output.backward()``.
    """

    def __init__(self, data, *, label=""):
        self.data = _number(data, "data")
        self.grad = 0.0
        self.label = _label(label)
        self.op = ""                 # the operation that made this value; "" for a leaf
        self.inputs = ()             # the values it was computed from
        self.local_grads = ()        # d(this value)/d(input), one per input
        self._grad_known = False     # set by backward(); lets draw_graph show "?" before that

    @classmethod
    def _from(cls, data, op, inputs, local_grads):
        out = cls(data)
        out.op, out.inputs, out.local_grads = op, inputs, tuple(float(g) for g in local_grads)
        return out

    def named(self, label):
        """Give this value a name for pictures (``a1 = (X * w1 + b1).named("a1")``); returns it."""
        self.label = _label(label)
        return self

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other):
        other = _value(other, "+")
        return Value._from(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other):
        other = _value(other, "-")
        return Value._from(self.data - other.data, "−", (self, other), (1.0, -1.0))

    def __mul__(self, other):
        other = _value(other, "*")
        return Value._from(self.data * other.data, "×", (self, other), (other.data, self.data))

    def __truediv__(self, other):
        other = _value(other, "/")
        if other.data == 0:
            raise ValueError(f"division by zero: the divisor {other!r} is 0.")
        b = other.data
        return Value._from(self.data / b, "÷", (self, other), (1.0 / b, -self.data / (b * b)))

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError("the exponent of ** must be a plain number such as 2, not a Value "
                            "(for a learnable exponent use (x.log() * k).exp()).")
        k = _number(k, "the exponent")
        a = self.data
        if a == 0 and k < 0:
            raise ValueError(f"0 ** {k:g} is undefined (division by zero).")
        if a < 0 and k != int(k):
            raise ValueError(f"{a:g} ** {k:g} is not a real number: a negative base needs a whole exponent.")
        try:
            data, local = a ** k, k * a ** (k - 1) if k != 0 else 0.0
        except OverflowError:
            raise ValueError(f"{a:g} ** {k:g} is too large for a float.") from None
        return Value._from(_finite(data, f"{a:g} ** {k:g}"), f"^{k:g}", (self,), (local,))

    def __neg__(self):
        return Value._from(-self.data, "neg", (self,), (-1.0,))

    def __radd__(self, other):
        return _value(other, "+") + self

    def __rsub__(self, other):
        return _value(other, "-") - self

    def __rmul__(self, other):
        return _value(other, "*") * self

    def __rtruediv__(self, other):
        return _value(other, "/") / self

    # ---------------------------------------------------------------- functions
    def exp(self):
        """e^x, whose derivative is e^x itself."""
        if self.data > 709.0:
            raise ValueError(f"exp({self.data:g}) is too large for a float (the limit is about exp(709)).")
        e = math.exp(self.data)
        return Value._from(e, "exp", (self,), (e,))

    def log(self):
        """ln x (x > 0), with derivative 1/x."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:g}.")
        return Value._from(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def tanh(self):
        """tanh x, with derivative 1 − tanh² x."""
        t = math.tanh(self.data)
        return Value._from(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^(−x)), with derivative σ(1 − σ); stable for any x."""
        e = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        return Value._from(s, "σ", (self,), (s * (1.0 - s),))

    def relu(self):
        """max(0, x), with derivative 1 for x > 0 and 0 otherwise."""
        return Value._from(max(self.data, 0.0), "ReLU", (self,), (1.0 if self.data > 0 else 0.0,))

    # ---------------------------------------------------------------- the backward pass
    def backward(self):
        """Fill ``grad`` of every value this one depends on: d(self)/d(value).

        Every gradient in the graph is first set to 0, then self.grad = 1 and
        the chain rule runs from the output to the inputs. So calling
        ``backward()`` twice gives the same gradients (they do not pile up
        across calls, unlike PyTorch); to combine two losses, add them first.
        """
        order = forward_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for inp, local in zip(node.inputs, node.local_grads):
                inp.grad += local * node.grad
            node._grad_known = True

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


def _number(x, name):
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        extra = " (a Value holds one number; for arrays use nnlib.layers)" if isinstance(x, np.ndarray) else ""
        raise TypeError(f"{name} must be a real number such as 2.0, got {type(x).__name__}{extra}.")
    return _finite(float(x), name)


def _finite(x, name):
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}.")
    return x


def _label(label):
    if not isinstance(label, str):
        raise TypeError(f"label must be a string such as 'w1', got {type(label).__name__}.")
    return label


def _value(x, op):
    if isinstance(x, Value):
        return x
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"a Value can be combined with {op} only with another Value or a number, "
                        f"got {type(x).__name__}.")
    return Value(x)


# --------------------------------------------------------------------------
# Orders of the two passes
# --------------------------------------------------------------------------

def _check_root(value, name="value"):
    if not isinstance(value, Value):
        raise TypeError(f"{name} must be a Value (the output of a computation), got {type(value).__name__}.")


def forward_order(value):
    """Every node ``value`` depends on, each after all of its inputs (a topological order).

    This is the order of the forward pass: leaves come before the operations
    that use them, and ``value`` itself is last. Each node appears once.
    """
    _check_root(value)
    order, seen, stack = [], set(), [(value, False)]
    while stack:                                   # depth-first, without recursion (graphs can be deep)
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((inp, False) for inp in reversed(node.inputs) if id(inp) not in seen)
    return order


def backward_order(value):
    """The order of the backward pass: ``value`` first, then every node after all its users."""
    return forward_order(value)[::-1]


# --------------------------------------------------------------------------
# Drawing the graph
# --------------------------------------------------------------------------

LEAF_COLOR = "#D6EAF8"       # light blue: inputs and parameters
OP_COLOR = "#F2F2F2"         # light grey: operations
OUT_COLOR = "#FCE5CD"        # light orange: the output


def graph_layout(value):
    """Where to draw each node and arrow: ``(positions, routes, n_columns)``.

    Column = distance from the output along the longest path, so the output is
    in the last column on the right and every arrow points right. An arrow
    that skips columns is routed through a reserved slot in each column it
    crosses (Sugiyama's "dummy nodes"), so it never cuts through a box.
    Within a column, nodes are ordered by a few sweeps of the barycenter
    heuristic (each moves towards the mean height of its neighbours, which
    untangles crossings), then given heights as close as possible to their
    neighbours' while keeping their order and a minimum gap.

    ``positions`` maps ``id(node)`` to (column, height); ``routes`` lists
    ``(input, user, heights)`` per arrow, the heights of the slots it passes.
    """
    nodes = forward_order(value)
    depth = {id(value): 0}
    for n in reversed(nodes):                      # users before inputs
        for inp in n.inputs:
            depth[id(inp)] = max(depth.get(id(inp), 0), depth[id(n)] + 1)
    n_cols = max(depth.values()) + 1
    col = {k: n_cols - 1 - d for k, d in depth.items()}

    columns = [[] for _ in range(n_cols)]          # items: id(node) for nodes, ("via", k, c) for slots
    for n in nodes:
        columns[col[id(n)]].append(id(n))
    left, right = {}, {}                           # neighbours in the adjacent columns
    edges, chains = [], []
    for n in nodes:
        for inp in dict.fromkeys(n.inputs):        # x * x: one route, drawn as two arcs
            k = len(chains)
            chain = [id(inp)] + [("via", k, c) for c in range(col[id(inp)] + 1, col[id(n)])] + [id(n)]
            for c, item in zip(range(col[id(inp)] + 1, col[id(n)]), chain[1:-1]):
                columns[c].append(item)
            for a, b in zip(chain, chain[1:]):
                right.setdefault(a, []).append(b)
                left.setdefault(b, []).append(a)
            chains.append(chain)
            edges.append((inp, n))

    y = {}
    for column in columns:
        y.update(_place(column, {item: i for i, item in enumerate(column)}))

    leaves = {id(n) for n in nodes if not n.inputs}
    light = {item: 0.05 for item in leaves}        # leaves give way to the main path

    def toward(neighbours):
        """Weighted mean height of an item's neighbours on one side. A leaf pulls its
        user only a little, so the main path stays straight and the leaves gather round it."""
        def key(item):
            pairs = [(y[m], 0.01 if m in leaves else 1.0) for m in neighbours.get(item, ())]
            total = sum(w for _, w in pairs)
            return sum(v * w for v, w in pairs) / total if pairs else y[item]
        return key

    for sweep in range(8):                         # right-to-left, then left-to-right, alternately
        order = range(n_cols - 2, -1, -1) if sweep % 2 == 0 else range(1, n_cols)
        side = right if sweep % 2 == 0 else left
        for c in order:
            columns[c].sort(key=toward(side))
            y.update(_place(columns[c], {item: toward(side)(item) for item in columns[c]}, light))
    for _ in range(4):                             # final heights: pulled by both sides
        for c in range(n_cols):
            both = {item: (toward(left)(item) + toward(right)(item)) / 2 if item in left and item in right
                    else toward(left if item in left else right)(item) for item in columns[c]}
            y.update(_place(columns[c], both, light))

    positions = {id(n): (col[id(n)], y[id(n)]) for n in nodes}
    routes = [(inp, n, [y[item] for item in chain[1:-1]]) for (inp, n), chain in zip(edges, chains)]
    return positions, routes, n_cols


def _place(items, wanted, weight={}):
    """Heights for ``items`` (top to bottom in this order) as close as possible to ``wanted``.

    Consecutive items keep a gap of 1 between two boxes, less next to a
    pass-through slot. Weighted least squares under the order constraint
    (a light ``weight`` makes way for the others): subtract the cumulative gaps
    and the problem becomes isotonic regression, solved by pooling adjacent
    violators.
    """
    offsets, total = [], 0.0
    for i, item in enumerate(items):
        if i:
            vias = isinstance(item, tuple) + isinstance(items[i - 1], tuple)
            total += (1.0, 0.55, 0.3)[vias]
        offsets.append(total)
    blocks = []                                    # [mean, weight, count] of pooled targets
    for item, off in zip(items, offsets):
        blocks.append([wanted[item] - off, weight.get(item, 1.0), 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m2, w2, n2), (m1, w1, n1) = blocks.pop(), blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    z = [m for m, _, n in blocks for _ in range(n)]
    return {item: zi + off for item, zi, off in zip(items, z, offsets)}


def _fmt(x):
    return "0" if x == 0 else f"{x:.3g}".replace("-", "−")


def _node_set(nodes, graph_ids, name):
    if nodes is None:
        return None
    if isinstance(nodes, Value):
        nodes = [nodes]
    try:
        nodes = list(nodes)
    except TypeError:
        raise TypeError(f"{name} must be None or a collection of Value nodes, got {type(nodes).__name__}.") from None
    out = set()
    for n in nodes:
        if not isinstance(n, Value):
            raise TypeError(f"{name} must hold Value nodes, got a {type(n).__name__}.")
        if id(n) not in graph_ids:
            raise ValueError(f"{name} holds {n!r}, which is not part of this graph.")
        out.add(id(n))
    return out


def draw_graph(value, *, ax=None, show_values=None, show_grads=None, highlight=None, title=None, orient="auto"):
    """Draw the computational graph that produced ``value``; returns the Axes.

    Each box is one node: its name and operation on top, then its value and
    its gradient. Inputs and parameters are blue, operations grey, the
    output orange; arrows run from inputs to the operations that use them.

    ``show_values`` / ``show_grads``: None shows every value (and every
    gradient once ``backward()`` has run); a collection of nodes shows only
    those, and "?" elsewhere — the state of a pass half done (chapter 07's
    explorer steps through :func:`forward_order`, then :func:`backward_order`).
    ``highlight`` is one node to outline, such as the one just computed.
    ``ax`` is a Matplotlib Axes to draw on (a new figure, sized to the graph,
    when None). ``orient`` is "horizontal" (inputs on the left, the output on
    the right), "vertical" (inputs at the top) or "auto": vertical when that
    makes a new figure clearly narrower (a long chain), so that a page shows
    it without shrinking its text.
    """
    _check_root(value)
    nodes = forward_order(value)
    ids = {id(n) for n in nodes}
    values_known = _node_set(show_values, ids, "show_values")
    grads_known = _node_set(show_grads, ids, "show_grads")
    if highlight is not None:
        if not isinstance(highlight, Value):
            raise TypeError(f"highlight must be None or one Value node, got {type(highlight).__name__}.")
        if id(highlight) not in ids:
            raise ValueError(f"highlight is {highlight!r}, which is not part of this graph.")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}.")
    if orient not in ("auto", "horizontal", "vertical"):
        raise ValueError(f"orient must be 'auto', 'horizontal' or 'vertical', got {orient!r}.")

    pos, routes, n_cols = graph_layout(value)
    ys = [yy for _, yy in pos.values()] + [yy for *_, via in routes for yy in via]
    top, bottom = min(ys), max(ys)
    # "auto": vertical when that makes a new figure clearly narrower (a long chain), so that
    # a page can show it without shrinking its text
    narrow = (bottom - top + 1) * 1.5 < 0.8 * n_cols * min(1.8, max(1.05, 11.5 / n_cols))
    vertical = orient == "vertical" or (orient == "auto" and ax is None and narrow)
    # Along the depth (a) and across it (c), in inches. Boxes are wider than tall either way.
    if vertical:
        step_a, step_c = 0.95, 1.5
        box_w, box_h = 0.8 * step_c, 0.64 * 0.78
        ext_a, ext_c = box_h, box_w
    else:
        step_a = min(1.8, max(1.05, 11.5 / n_cols))     # about 11 columns fit in 12 in
        step_c = 0.78
        box_w, box_h = 0.8 * step_a, 0.64 * step_c
        ext_a, ext_c = box_w, box_h

    def to_xy(a, c):                               # depth runs right, or down
        return (-c, -a) if vertical else (a, c)

    span_a, span_c = n_cols * step_a, (bottom - top + 1) * step_c
    if ax is None:
        import matplotlib.pyplot as plt
        head = 0.4 if title else 0.05
        w, h = (span_c, span_a) if vertical else (span_a, span_c)
        _, ax = plt.subplots(figsize=(w + 0.1, h + head))
        ax.set_position([0, 0, 1, h / (h + head)])
    from matplotlib.axes import Axes
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a Matplotlib Axes or None, got {type(ax).__name__}.")

    def ac(n):
        col, row = pos[id(n)]
        return col * step_a, -row * step_c

    lines = {id(n): _lines(n, values_known, grads_known) for n in nodes}
    longest = max(len(text) for ls in lines.values() for text, _ in ls)
    font = max(6.0, min(9.5, box_w * 72 / (0.6 * longest)))

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path
    ends = _spread(routes, pos, box_h)
    across = ext_c / box_h                         # the spread is in box heights across the depth
    gap = step_a - ext_a
    for k, (inp, user, via) in enumerate(routes):
        (a0, c0), (a1, c1) = ac(inp), ac(user)
        pts = [(a0 + ext_a / 2, c0 + ends[k][0] * across)]
        for col, cv in zip(range(pos[id(inp)][0] + 1, pos[id(user)][0]), via):
            pts += [(col * step_a - ext_a / 2, -cv * step_c), (col * step_a + ext_a / 2, -cv * step_c)]
        pts.append((a1 - ext_a / 2, c1 + ends[k][1] * across))
        for twin in ((0.0,) if user.inputs.count(inp) == 1 else (-0.12, 0.12)):
            verts, codes = [pts[0]], [Path.MOVETO]
            for i in range(0, len(pts) - 1, 2):    # an S-curve across each gap, straight through each slot
                (xa, ya), (xb, yb) = pts[i], pts[i + 1]
                yb += twin * ext_c
                verts += [(xa + gap / 2, ya), (xb - gap / 2, yb), (xb, yb)]
                codes += [Path.CURVE4] * 3
                if i + 2 < len(pts):
                    verts.append((pts[i + 2][0], pts[i + 2][1]))
                    codes.append(Path.LINETO)
            ax.add_patch(FancyArrowPatch(path=Path([to_xy(*v) for v in verts], codes), arrowstyle="-|>",
                                         mutation_scale=8, lw=0.9, color="#8a8a8a", zorder=1,
                                         shrinkA=0, shrinkB=0))
    for n in nodes:
        x, y = to_xy(*ac(n))
        face = OUT_COLOR if n is value else (LEAF_COLOR if not n.inputs else OP_COLOR)
        hl = n is highlight
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0,rounding_size=0.06", facecolor=face,
                                    edgecolor=ACCENT if hl else NEUTRAL, lw=2.6 if hl else 0.8, zorder=2))
        for (text, color), dy, weight in zip(lines[id(n)], (0.28, 0, -0.28), ("bold", "normal", "normal")):
            ax.text(x, y + dy * box_h, text, ha="center", va="center", fontsize=font, fontweight=weight,
                    color=color, zorder=3)

    (xa, ya), (xb, yb) = to_xy(-step_a / 2, -(bottom + 0.5) * step_c), to_xy(span_a - step_a / 2, -(top - 0.5) * step_c)
    ax.set_xlim(min(xa, xb), max(xa, xb))
    ax.set_ylim(min(ya, yb), max(ya, yb))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _lines(n, values_known, grads_known):
    """The three lines of a node's box, each with its colour."""
    show_v = values_known is None or id(n) in values_known
    show_g = n._grad_known if grads_known is None else id(n) in grads_known
    return [(_title_line(n), "#222222"),
            (f"value {_fmt(n.data)}" if show_v else "value ?", "#222222" if show_v else "#9a9a9a"),
            (f"grad {_fmt(n.grad)}" if show_g else "grad ?", CLASS_COLORS[0] if show_g else "#9a9a9a")]


def _spread(routes, pos, box_h):
    """Vertical offsets of each arrow's start and end, so arrows meeting one box do not pile up."""
    out_of, into = {}, {}
    for k, (inp, user, via) in enumerate(routes):
        first = via[0] if via else pos[id(user)][1]
        last = via[-1] if via else pos[id(inp)][1]
        out_of.setdefault(id(inp), []).append((first, k))
        into.setdefault(id(user), []).append((last, k))
    ends = [[0.0, 0.0] for _ in routes]
    for side, groups in ((0, out_of), (1, into)):
        for group in groups.values():
            group.sort()
            m = len(group)
            for i, (_, k) in enumerate(group):
                ends[k][side] = 0.0 if m == 1 else (0.3 - 0.6 * i / (m - 1)) * box_h
    return ends


def _title_line(n):
    if not n.inputs:
        return n.label or "const"
    return f"{n.label} = {n.op}" if n.label else n.op
