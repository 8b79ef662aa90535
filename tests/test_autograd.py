"""nnlib.autograd: every operation's derivative, the backward pass, agreement with the matrix layers,
the graph layout and drawing, bad input."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.autograd import Value, backward_order, draw_graph, forward_order, graph_layout  # noqa: E402
from nnlib.gradcheck import numerical_gradient  # noqa: E402
from nnlib.layers import Linear, Sequential, Tanh  # noqa: E402
from nnlib.losses import mse  # noqa: E402
from nnlib.plot import ACCENT  # noqa: E402
from test_bad_inputs import assert_raised_by_nnlib  # noqa: E402


def numeric(f, xs, h=1e-6):
    """Central differences of f(*numbers) with respect to each argument."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(*up) - f(*down)) / (2 * h))
    return out


def grads_of(build, xs):
    vals = [Value(x) for x in xs]
    out = build(*vals)
    out.backward()
    return out.data, [v.grad for v in vals]


# ------------------------------------------------------------------------------ each operation

OPS = {
    "add": (lambda a, b: a + b, (1.3, -0.4)),
    "sub": (lambda a, b: a - b, (1.3, -0.4)),
    "mul": (lambda a, b: a * b, (1.3, -0.4)),
    "div": (lambda a, b: a / b, (1.3, -0.4)),
    "pow": (lambda a, b: a ** 3 + b ** 2, (1.3, -0.4)),
    "pow_fraction": (lambda a, b: a ** 0.5 * b, (1.3, -0.4)),
    "pow_negative": (lambda a, b: a ** -2 + b, (1.3, -0.4)),
    "neg": (lambda a, b: -a * b, (1.3, -0.4)),
    "with_numbers": (lambda a, b: 2 * a - 1 + 3 / b - a / 4 + (1 - b) + (2 + a), (1.3, -0.4)),
    "exp": (lambda a, b: (a * b).exp(), (1.3, -0.4)),
    "log": (lambda a, b: (a * a + b).log(), (1.3, -0.4)),
    "tanh": (lambda a, b: (a * b).tanh(), (1.3, -0.4)),
    "sigmoid": (lambda a, b: (a + b).sigmoid() * (a - 3 * b).sigmoid(), (1.3, -0.4)),
    "relu_on": (lambda a, b: (a + b).relu(), (1.3, -0.4)),
    "relu_off": (lambda a, b: (a * b).relu() + b, (1.3, -0.4)),
}
MATH = {                                   # the same functions written with plain floats and math
    "exp": lambda a, b: math.exp(a * b), "log": lambda a, b: math.log(a * a + b), "tanh": lambda a, b: math.tanh(a * b),
    "sigmoid": lambda a, b: 1 / (1 + math.exp(-(a + b))) / (1 + math.exp(-(a - 3 * b))),
    "relu_on": lambda a, b: max(a + b, 0.0), "relu_off": lambda a, b: max(a * b, 0.0) + b,
}


@pytest.mark.parametrize("name", OPS)
def test_each_operation_has_the_right_value_and_local_derivative(name):
    build, xs = OPS[name]
    plain = MATH.get(name, build)          # arithmetic works on floats too
    value, grads = grads_of(build, xs)
    assert np.isclose(value, plain(*xs), rtol=1e-12)
    assert np.allclose(grads, numeric(plain, xs), rtol=1e-6, atol=1e-9)


def test_sigmoid_is_stable_for_huge_inputs():
    for x, s, ds in ((1e4, 1.0, 0.0), (-1e4, 0.0, 0.0), (0.0, 0.5, 0.25)):
        v = Value(x)
        out = v.sigmoid()
        out.backward()
        assert out.data == s and v.grad == ds


# ------------------------------------------------------------------------------ the backward pass

def chain(X=1.5, t=0.5, w=(0.8, -0.4, 1.2), b=(0.1, 0.2, -0.3)):
    """The three one-neuron layers of chapter 07: a1 = X·w1 + b1, ..., loss (a3 − t)²."""
    Xv, tv = Value(X, label="X"), Value(t, label="t")
    ws = [Value(v, label=f"w{i + 1}") for i, v in enumerate(w)]
    bs = [Value(v, label=f"b{i + 1}") for i, v in enumerate(b)]
    a = Xv
    for i in range(3):
        a = (a * ws[i] + bs[i]).named(f"a{i + 1}")
    loss = ((a - tv) ** 2).named("loss")
    return loss, ws, bs


def test_chain_rule_by_hand_for_the_three_neuron_chain():
    loss, ws, bs = chain()
    loss.backward()
    X, t, (w1, w2, w3), (b1, b2, b3) = 1.5, 0.5, (0.8, -0.4, 1.2), (0.1, 0.2, -0.3)
    a1 = X * w1 + b1
    a2 = a1 * w2 + b2
    a3 = a2 * w3 + b3
    dl_da3 = 2 * (a3 - t)                             # the essay's partial derivatives, written out
    assert np.isclose(ws[2].grad, dl_da3 * a2) and np.isclose(bs[2].grad, dl_da3)
    assert np.isclose(ws[1].grad, dl_da3 * w3 * a1) and np.isclose(bs[1].grad, dl_da3 * w3)
    assert np.isclose(ws[0].grad, dl_da3 * w3 * w2 * X) and np.isclose(bs[0].grad, dl_da3 * w3 * w2)


def test_chain_gradients_match_numerical_ones():
    def f(p):
        return chain(w=p[:3], b=p[3:])[0].data

    p = np.array([0.8, -0.4, 1.2, 0.1, 0.2, -0.3])
    loss, ws, bs = chain(w=p[:3], b=p[3:])
    loss.backward()
    assert np.allclose([v.grad for v in ws + bs], numerical_gradient(f, p), rtol=1e-7, atol=1e-10)


def test_a_value_used_twice_accumulates_its_gradient():
    x = Value(3.0)
    sq = x * x
    sq.backward()
    assert x.grad == 6.0                                  # both uses: x·1 + 1·x
    y = Value(2.0)
    f = x * y + x                                          # df/dx = y + 1
    f.backward()
    assert x.grad == 3.0 and y.grad == 3.0
    a = Value(1.5)
    g = (a + a).tanh() * a                                 # used three times, at different depths
    g.backward()
    assert np.isclose(a.grad, numeric(lambda v: math.tanh(2 * v) * v, [1.5])[0], rtol=1e-7)


def test_backward_twice_gives_the_same_gradients():
    loss, ws, bs = chain()
    loss.backward()
    first = [v.grad for v in ws + bs]
    loss.backward()
    assert [v.grad for v in ws + bs] == first


def test_orders_are_topological_and_complete():
    loss, ws, bs = chain()
    fwd = forward_order(loss)
    assert len(fwd) == len({id(n) for n in fwd}) == 16
    where = {id(n): i for i, n in enumerate(fwd)}
    assert all(where[id(inp)] < where[id(n)] for n in fwd for inp in n.inputs)
    assert fwd[-1] is loss and backward_order(loss) == fwd[::-1]
    assert all(id(v) in where for v in ws + bs)


def test_a_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert np.isclose(x.grad, 1.0001 ** 5000)


def test_autograd_agrees_with_the_matrix_layers():
    """A 3-4-2 tanh network with MSE: scalar Values and Linear/Tanh layers give the same gradients."""
    rng = np.random.default_rng(0)
    model = Sequential([Linear(3, 4, rng=1), Tanh(), Linear(4, 2, rng=2)])
    model.layers[0].b[...] = rng.normal(size=4)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    loss, dA = mse(model.forward(X), Y)
    model.backward(dA)

    W1 = [[Value(w) for w in row] for row in model.layers[0].W]
    b1 = [Value(b) for b in model.layers[0].b]
    W2 = [[Value(w) for w in row] for row in model.layers[2].W]
    b2 = [Value(b) for b in model.layers[2].b]
    total = Value(0.0)
    for x, y in zip(X, Y):
        h = [sum((x[i] * W1[i][j] for i in range(3)), b1[j]).tanh() for j in range(4)]
        out = [sum((h[j] * W2[j][k] for j in range(4)), b2[k]) for k in range(2)]
        total = total + sum((o - t) ** 2 for o, t in zip(out, y))
    scalar_loss = total / Y.size
    scalar_loss.backward()
    assert np.isclose(scalar_loss.data, loss, rtol=1e-12)
    assert np.allclose([[w.grad for w in row] for row in W1], model.layers[0].dW, rtol=1e-10, atol=1e-14)
    assert np.allclose([b.grad for b in b1], model.layers[0].db, rtol=1e-10, atol=1e-14)
    assert np.allclose([[w.grad for w in row] for row in W2], model.layers[2].dW, rtol=1e-10, atol=1e-14)
    assert np.allclose([b.grad for b in b2], model.layers[2].db, rtol=1e-10, atol=1e-14)


# ------------------------------------------------------------------------------ layout and drawing

def mlp_graph(n_hidden=3, seed=1):
    """A 2-n-1 network with a sigmoid output and squared error: about 40 nodes for n = 3."""
    rng = np.random.default_rng(seed)
    xs = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    hs = []
    for j in range(n_hidden):
        s = Value(float(rng.uniform(-1, 1)), label=f"b{j + 1}")
        for i, x in enumerate(xs):
            s = s + x * Value(float(rng.uniform(-1, 1)), label=f"w{i + 1}{j + 1}")
        hs.append(s.relu().named(f"h{j + 1}"))
    o = Value(0.1, label="c")
    for j, h in enumerate(hs):
        o = o + h * Value(float(rng.uniform(-1, 1)), label=f"v{j + 1}")
    return ((o.sigmoid() - Value(1.0, label="t")) ** 2).named("loss")


@pytest.mark.parametrize("make", [lambda: chain()[0], mlp_graph, lambda: (Value(2.0) * Value(2.0)) ** 2,
                                  lambda: Value(3.0)], ids=["chain", "mlp-40", "twice", "single"])
def test_layout_arrows_point_right_and_nothing_overlaps(make):
    root = make()
    pos, routes, n_cols = graph_layout(root)
    nodes = forward_order(root)
    assert set(pos) == {id(n) for n in nodes} and pos[id(root)][0] == n_cols - 1
    for inp, user, via in routes:                          # every arrow points right ...
        assert pos[id(inp)][0] < pos[id(user)][0]
        assert len(via) == pos[id(user)][0] - pos[id(inp)][0] - 1
    for c in range(n_cols):                                # ... and no two things in a column collide
        boxes = sorted(y for col, y in pos.values() if col == c)
        assert all(b - a >= 1 - 1e-9 for a, b in zip(boxes, boxes[1:]))
        slots = [v for inp, user, via in routes for k, v in enumerate(via) if pos[id(inp)][0] + 1 + k == c]
        assert all(abs(s - b) >= 0.55 - 1e-9 for s in slots for b in boxes)   # a passing arrow misses every box
    assert sum(len(via) for *_, via in routes) == sum(pos[id(u)][0] - pos[id(i)][0] - 1 for i, u, _ in routes)


def test_the_chain_keeps_its_main_path_straight():
    loss, ws, bs = chain()
    pos, _, _ = graph_layout(loss)
    main = [n for n in forward_order(loss) if n.inputs]    # the operations
    heights = [pos[id(n)][1] for n in main if n.op in "+×"]
    assert len(heights) == 6
    assert max(heights) - min(heights) < 0.1               # a1, a2, a3 and the products sit on one line
    leaves = [pos[id(n)][1] for n in forward_order(loss) if not n.inputs]
    assert max(leaves) - min(leaves) > 0.9                 # while the leaves take a second row


def test_draw_graph_shows_values_grads_and_question_marks():
    loss, ws, bs = chain()
    fwd = forward_order(loss)
    ax = draw_graph(loss)
    texts = [t.get_text() for t in ax.texts]
    assert "loss = ^2" in texts and "a1 = +" in texts and "w1" in texts
    assert sum(t.startswith("value ") for t in texts) == 16
    assert sum(t == "grad ?" for t in texts) == 16         # no backward yet: gradients unknown
    plt.close("all")
    loss.backward()
    half = fwd[:8]
    ax = draw_graph(loss, show_values=half, show_grads=[loss], highlight=fwd[7])
    texts = [t.get_text() for t in ax.texts]
    assert sum(t == "value ?" for t in texts) == 8 and sum(t == "grad ?" for t in texts) == 15
    assert "grad 1" in texts
    outlined = [p for p in ax.patches if matplotlib.colors.same_color(p.get_edgecolor(), ACCENT)]
    assert len(outlined) == 1
    plt.close("all")


def test_draw_graph_on_a_given_axes_and_to_png(tmp_path):
    fig, ax = plt.subplots()
    assert draw_graph(chain()[0], ax=ax, title="chain") is ax and ax.get_title() == "chain"
    plt.close(fig)
    root = mlp_graph()
    assert len(forward_order(root)) == 40
    ax = draw_graph(root)
    width, height = ax.figure.get_size_inches()
    assert width <= 14 and height <= 9                     # 40 nodes fit a page-sized figure
    plt.close("all")
    long_chain = chain()[0]
    wide = draw_graph(long_chain, orient="horizontal").figure.get_size_inches()
    tall = draw_graph(long_chain).figure.get_size_inches()  # auto: a long chain is drawn top to bottom
    assert tall[0] < 0.5 * wide[0] and tall[1] > tall[0]
    assert min(t.get_fontsize() for t in plt.gca().texts) >= 9
    with pytest.raises(ValueError, match="orient"):
        draw_graph(long_chain, orient="diagonal")
    fonts = {t.get_fontsize() for t in ax.texts}
    assert min(fonts) >= 6.0
    ax.figure.savefig(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").stat().st_size > 10_000
    plt.close("all")


def test_text_fits_inside_the_boxes():
    root = mlp_graph()
    root.backward()
    ax = draw_graph(root)
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in ax.patches if hasattr(p, "get_boxstyle")]
    for t in ax.texts:
        bb = t.get_window_extent(renderer)
        assert any(b.x0 <= bb.x0 and bb.x1 <= b.x1 and b.y0 <= bb.y0 and bb.y1 <= b.y1 for b in boxes), t.get_text()
    plt.close("all")


# ------------------------------------------------------------------------------ bad input

OTHER = Value(1.0)
BAD = [
    ("text", lambda: Value("2"), TypeError, "real number"),
    ("bool", lambda: Value(True), TypeError, "real number"),
    ("array", lambda: Value(np.ones(3)), TypeError, "nnlib.layers"),
    ("nan", lambda: Value(float("nan")), ValueError, "finite"),
    ("label", lambda: Value(1.0, label=3), TypeError, "label"),
    ("named", lambda: Value(1.0).named(None), TypeError, "label"),
    ("add text", lambda: Value(1.0) + "a", TypeError, "with + only with another Value or a number"),
    ("radd text", lambda: "a" + Value(1.0), TypeError, "with + only"),
    ("sub list", lambda: Value(1.0) - [1], TypeError, "with -"),
    ("rsub", lambda: None - Value(1.0), TypeError, "with -"),
    ("mul None", lambda: Value(1.0) * None, TypeError, "with *"),
    ("rmul", lambda: [2] * Value(1.0), TypeError, "with *"),
    ("div text", lambda: Value(1.0) / "2", TypeError, "with /"),
    ("rdiv", lambda: "2" / Value(1.0), TypeError, "with /"),
    ("div zero", lambda: Value(1.0) / 0, ValueError, "division by zero"),
    ("rdiv zero", lambda: 1 / Value(0.0), ValueError, "division by zero"),
    ("pow value", lambda: Value(2.0) ** Value(2.0), TypeError, "plain number"),
    ("pow text", lambda: Value(2.0) ** "2", TypeError, "exponent"),
    ("pow zero negative", lambda: Value(0.0) ** -1, ValueError, "undefined"),
    ("pow negative fraction", lambda: Value(-2.0) ** 0.5, ValueError, "not a real number"),
    ("pow overflow", lambda: Value(1e200) ** 2, ValueError, "too large"),
    ("log zero", lambda: Value(0.0).log(), ValueError, "positive"),
    ("exp overflow", lambda: Value(1000.0).exp(), ValueError, "too large"),
    ("order of a number", lambda: forward_order(3.0), TypeError, "Value"),
    ("backward order", lambda: backward_order("x"), TypeError, "Value"),
    ("layout", lambda: graph_layout(None), TypeError, "Value"),
    ("draw number", lambda: draw_graph(2.0), TypeError, "Value"),
    ("draw show_values", lambda: draw_graph(Value(1.0) + 1, show_values=[1.0]), TypeError, "show_values"),
    ("draw show_grads other graph", lambda: draw_graph(Value(1.0) + 1, show_grads=[OTHER]), ValueError,
     "not part of this graph"),
    ("draw show_values number", lambda: draw_graph(Value(1.0), show_values=3), TypeError, "collection"),
    ("draw highlight other", lambda: draw_graph(Value(1.0), highlight=OTHER), ValueError, "not part"),
    ("draw highlight type", lambda: draw_graph(Value(1.0), highlight="x"), TypeError, "highlight"),
    ("draw ax", lambda: draw_graph(Value(1.0), ax="ax"), TypeError, "Axes"),
    ("draw title", lambda: draw_graph(Value(1.0), title=3), TypeError, "title"),
]


@pytest.mark.parametrize("call, err, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gets_a_clear_message(call, err, words):
    with pytest.raises(err) as info:
        call()
    plt.close("all")
    assert words in str(info.value), str(info.value)
    assert_raised_by_nnlib(info.value)
