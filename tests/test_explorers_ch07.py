"""Chapter 07's explorer: stepping through a computational graph, forward then backward."""

import numpy as np
import pytest

from nnlib.autograd import Value, forward_order
from nnlib.explorers.ch07 import GRAPHS, GraphExplorer, chain_graph


@pytest.fixture(scope="module")
def explorer():
    return GraphExplorer()


def shown(e, expression):
    """What the image shows for each node: label -> (value text, grad text)."""
    texts = e._artists_of[expression][2]
    g = e.graphs[expression]
    return {n.label: (texts[id(n)][0].get_text(), texts[id(n)][1].get_text()) for n in g.nodes}


def test_the_chain_is_the_chapters_and_its_gradients_are_the_engines():
    g = chain_graph()
    X, t, (w1, w2, w3), (b1, b2, b3) = 1.5, 0.5, (0.8, -0.4, 1.2), (0.1, 0.2, -0.3)
    a1 = X * w1 + b1
    a2 = a1 * w2 + b2
    a3 = a2 * w3 + b3
    assert g.output.data == pytest.approx((a3 - t) ** 2)
    d3 = 2 * (a3 - t)
    expected = {"w3": d3 * a2, "b3": d3, "w2": d3 * w3 * a1, "b2": d3 * w3, "w1": d3 * w3 * w2 * X,
                "b1": d3 * w3 * w2}
    for name, grad in expected.items():
        assert g.node(name).grad == pytest.approx(grad, rel=1e-12)


@pytest.mark.parametrize("expression", list(GRAPHS))
def test_gradients_match_numerical_slopes(expression):
    g = GRAPHS[expression]()
    leaves = [n for n in g.nodes if not n.inputs]
    order = forward_order(g.output)

    def output_with(leaf, value):
        """Recompute the whole graph with one leaf changed (the ops and their order are the graph's)."""
        data = {id(n): n.data for n in leaves}
        data[id(leaf)] = value
        for n in order:
            if n.inputs:
                ins = [data[id(i)] for i in n.inputs]
                data[id(n)] = {"×": lambda a, b: a * b, "+": lambda a, b: a + b, "−": lambda a, b: a - b,
                               "^2": lambda a: a * a, "σ": lambda a: 1 / (1 + np.exp(-a)),
                               "ReLU": lambda a: max(a, 0.0)}[n.op](*ins)
        return data[id(g.output)]

    h = 1e-6
    for leaf in leaves:
        slope = (output_with(leaf, leaf.data + h) - output_with(leaf, leaf.data - h)) / (2 * h)
        assert leaf.grad == pytest.approx(slope, rel=1e-6, abs=1e-8), leaf.label


def test_forward_steps_fill_values_in_forward_order_and_no_gradients(explorer):
    g = explorer.graphs["chain"]
    leaves = {n.label for n in g.nodes if not n.inputs}
    for step in range(len(g.forward) + 1):
        explorer.set(expression="chain", step=step)
        texts = shown(explorer, "chain")
        known = {label for label, (v, _) in texts.items() if v != "value ?"}
        assert known == leaves | {n.label for n in g.forward[:step]}
        assert all(gr == "grad ?" for _, gr in texts.values())
        if step:
            assert explorer.highlight.get_visible()
            assert g.formulas[g.forward[step - 1].label] in str(explorer.status)
        else:
            assert not explorer.highlight.get_visible()
    assert "p1 = X·w1 = 1.5 · 0.8 = 1.2" in str(explorer.set(step=1).status)
    assert "a2 = p2 + b2 = (−0.52) + 0.2 = −0.32" in str(explorer.set(step=4).status)


def test_backward_steps_fill_gradients_in_backward_order_with_the_engines_numbers(explorer):
    g = explorer.graphs["chain"]
    F = len(g.forward)
    engine = chain_graph()                       # a fresh graph: the same numbers from Value.backward()
    for k in range(1, len(g.backward) + 1):
        explorer.set(expression="chain", step=F + k)
        texts = shown(explorer, "chain")
        reached = [n.label for n in g.backward[:k]]
        assert {label for label, (_, gr) in texts.items() if gr != "grad ?"} == set(reached)
        assert all(v != "value ?" for v, _ in texts.values())
        for label in reached:
            want = engine.node(label).grad
            assert texts[label][1] == "grad " + ("0" if want == 0 else f"{want:.3g}".replace("-", "−"))
    assert reached[0] == "L" and set(reached) == {n.label for n in g.nodes}


def test_the_backward_status_names_the_rule_and_the_numbers(explorer):
    g = explorer.graphs["chain"]
    F = len(g.forward)
    k = next(i for i, n in enumerate(g.backward, 1) if n.label == "w2")
    text = str(explorer.set(expression="chain", step=F + k).status)
    a1, dp2 = g.node("a1"), g.node("p2").grad
    assert f"∂L/∂w2 = ∂L/∂p2 · a1 = ({dp2:.3g}) · {a1.data:.3g}".replace("-", "−") in text
    assert "multiplication swaps" in text
    k = next(i for i, n in enumerate(g.backward, 1) if n.label == "b3")
    assert "addition distributes" in str(explorer.set(step=F + k).status)
    assert "∂L/∂L = 1" in str(explorer.set(step=F + 1).status)


def test_fan_out_says_the_gradients_add(explorer):
    g = explorer.graphs["fan-out"]
    a = g.node("a")
    k = next(i for i, n in enumerate(g.backward, 1) if n is a)
    text = str(explorer.set(expression="fan-out", step=len(g.forward) + k).status)
    assert a.grad == pytest.approx(g.node("b").data + 1)          # f = ReLU(a·b) + a with a·b > 0
    assert "Fan-out adds" in text and "used twice" in text and "3 + 1 = 4" in text
    k = next(i for i, n in enumerate(g.backward, 1) if n.label == "m")
    assert "ReLU routes" in str(explorer.set(step=len(g.forward) + k).status)


def test_neuron_uses_the_sigmoid_rule(explorer):
    g = explorer.graphs["neuron"]
    k = next(i for i, n in enumerate(g.backward, 1) if n.label == "z")
    text = str(explorer.set(expression="neuron", step=len(g.forward) + k).status)
    s = g.node("a").data
    assert "σ′(z) = σ(z)(1 − σ(z))" in text
    assert g.node("z").grad == pytest.approx(g.node("a").grad * s * (1 - s))


def test_steps_past_the_end_are_clamped_and_said(explorer):
    g = explorer.graphs["fan-out"]
    explorer.set(expression="fan-out", step=g.total)
    last = shown(explorer, "fan-out")
    explorer.set(step=GraphExplorer.params[1].high)
    assert shown(explorer, "fan-out") == last
    assert f"only {g.total} steps" in str(explorer.status)


def test_slider_reaches_the_largest_expression():
    assert GraphExplorer.params[1].high == max(make().total for make in GRAPHS.values())
    sweep, = GraphExplorer.sweeps
    assert sweep.values == list(range(chain_graph().total + 1)) and sweep.fixed == {"expression": "chain"}


def test_bad_values_are_rejected(explorer):
    with pytest.raises(ValueError, match="expression must be one of"):
        explorer.set(expression="spiral")
    with pytest.raises(ValueError, match="whole number"):
        explorer.set(step=2.5)
    with pytest.raises(ValueError, match="step must be"):
        explorer.set(step=-1)
    with pytest.raises(TypeError, match="step"):
        explorer.set(step="3")
    with pytest.raises(TypeError, match="no parameter"):
        GraphExplorer(steps=3)


def test_only_the_chosen_graph_is_visible(explorer):
    explorer.set(expression="neuron", step=0)
    for name, (slow, moving, _) in explorer._artists_of.items():
        assert all(a.get_visible() == (name == "neuron") for a in slow + moving)
