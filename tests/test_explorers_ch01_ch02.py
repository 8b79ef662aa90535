"""The explorers of chapters 01 and 02 and the small public helpers around them."""

import re
import warnings

import numpy as np
import pytest

from nnlib.explorers.base import BOOK_ENV
from nnlib.explorers.ch01 import (RandomNetworkExplorer, confidences, count_parameters, mnist_test_set,
                                  random_network, seven_steps_diagram)
from nnlib.explorers.ch02 import NeuronLineExplorer, PerceptronTrainingExplorer, gate_computed

EXPLORERS = [RandomNetworkExplorer, NeuronLineExplorer, PerceptronTrainingExplorer]


def _extremes(cls):
    """Every slider at its minimum, then every slider at its maximum (menus at first/last option)."""
    lows, highs = {}, {}
    for p in cls.params:
        if hasattr(p, "low"):
            lows[p.name], highs[p.name] = p.low, p.high
        else:
            lows[p.name], highs[p.name] = p.options[0], p.options[-1]
    return [lows, highs]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_builds_and_set_changes_the_picture(cls):
    e = cls()
    before = e.to_png()
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    first = cls.params[0]
    new = (first.high if first.value != first.high else first.low) if hasattr(first, "low") \
        else next(o for o in first.options if o != first.value)
    assert e.set(**{first.name: new}) is e
    assert e.to_png() != before


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_extreme_values_draw_without_warnings(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = cls()
        for values in _extremes(cls):
            e.set(**values)
            assert len(e.to_png()) > 1000


def test_neuron_line_without_a_line_says_so():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = NeuronLineExplorer(w1=0.0, w2=0.0, b=0.0, gate="OR")
        e.to_png()
    assert "no line" in e.plane.message.get_text()
    assert "output 0" in e.plane.message.get_text()
    assert "1 of 4 correct" in e.title.get_text()
    e.set(b=1.0)
    assert "output 1" in e.plane.message.get_text()
    e.set(w1=1.0)
    assert e.plane.message.get_text() == ""


def test_neuron_line_title_counts_and_names_the_gate():
    e = NeuronLineExplorer(w1=1.0, w2=1.0, b=-1.5, gate="AND")
    assert "4 of 4 correct" in e.title.get_text() and "computes AND" in e.title.get_text()
    e.set(b=-0.5)
    assert "2 of 4 correct" in e.title.get_text() and "computes OR" in e.title.get_text()
    assert len(e.plane.rings.get_offsets()) == 2            # (0,1) and (1,0) are ringed
    e.set(gate="XOR", w1=1.0, w2=1.0, b=-0.5)
    assert "3 of 4 correct" in e.title.get_text()


def test_gate_computed():
    assert gate_computed([0, 0, 0, 1]) == "AND"
    assert gate_computed(np.array([1, 1, 1, 0])) == "NAND"
    assert gate_computed([1, 1, 1, 1]) == "always 1"
    assert gate_computed([0, 0, 0, 0]) == "always 0"
    assert gate_computed([1, 0, 1, 0]) is None


def test_random_network_key_clears_a_full_bar():
    e = RandomNetworkExplorer(seed=99, index=9999, scale=10.0)     # one confidence is 1.00
    e.to_png()
    key = next(t for t in e.ax_bar.texts if t.get_text().startswith("orange"))
    tallest = max(e.values_text, key=lambda t: t.get_position()[1])
    renderer = e.fig.canvas.get_renderer()
    gap = key.get_window_extent(renderer).y0 - tallest.get_window_extent(renderer).y1     # pixels
    assert tallest.get_text() == "1.00" and gap > 10          # the first layout left 3 px: they touched
    assert e.ax_img.get_xlabel() == "true label: 6" and "#9999" in e.ax_img.get_title()


@pytest.mark.parametrize("w1,w2,b", [(1.0, 1.0, -1.5), (1.0, 1.0, -0.5), (-1.0, -1.0, 1.5), (2.0, 1.0, -2.0),
                                     (0.1, 0.1, 0.0), (3.0, 0.0, -1.5), (-2.0, 3.0, 0.5)])
def test_w_arrow_starts_on_the_line_and_keeps_clear_of_the_points(w1, w2, b):
    e = NeuronLineExplorer(w1=w1, w2=w2, b=b, gate="AND")
    tip, foot = np.array(e.plane.arrow.xy), np.array(e.plane.arrow.xyann)
    w = np.array([w1, w2])
    assert abs(foot @ w + b) < 1e-9                                   # the arrow starts on the line
    assert np.allclose((tip - foot) / np.linalg.norm(tip - foot), w / np.linalg.norm(w))   # and points along w
    if e.plane.arrow.get_visible():
        for spot in (tip, (foot + tip) / 2):       # the first layout put the tip right on (1, 1)
            assert np.min(np.linalg.norm(e.plane.X - spot, axis=1)) > 0.1


def test_training_explorer_replays_history():
    e = PerceptronTrainingExplorer(gate="AND", lr=1.0, step=4)
    assert "epoch 1, sample (1, 1)" in e.title.get_text() and "w += η·x" in e.title.get_text()
    e.set(step=60)
    assert "converged after 24 steps (6 epochs)" in e.title.get_text()
    e.set(gate="XOR", step=60)
    assert "never settles" in e.title.get_text()
    e.set(step=0)
    assert "start" in e.title.get_text()


@pytest.mark.parametrize("cls,bad,err", [
    (RandomNetworkExplorer, dict(seed=-1), ValueError),
    (RandomNetworkExplorer, dict(index=10_000), ValueError),
    (RandomNetworkExplorer, dict(scale="big"), TypeError),
    (RandomNetworkExplorer, dict(scale=float("nan")), ValueError),
    (NeuronLineExplorer, dict(w1=5.0), ValueError),
    (NeuronLineExplorer, dict(gate="XNAND"), ValueError),
    (NeuronLineExplorer, dict(b=None), TypeError),
    (NeuronLineExplorer, dict(colour="red"), TypeError),
    (PerceptronTrainingExplorer, dict(lr=0.3), ValueError),
    (PerceptronTrainingExplorer, dict(step=61), ValueError),
    (PerceptronTrainingExplorer, dict(step=True), TypeError),
])
def test_bad_values_raise_clear_errors(cls, bad, err):
    name = next(iter(bad))
    with pytest.raises(err, match=name):
        cls(**bad)
    e = cls()
    with pytest.raises(err, match=name):
        e.set(**bad)


@pytest.mark.parametrize("cls,frames", [(RandomNetworkExplorer, 12), (NeuronLineExplorer, 13),
                                        (PerceptronTrainingExplorer, 25)], ids=lambda x: getattr(x, "__name__", x))
def test_fallback_is_offline_animation(cls, frames):
    e = cls()
    before = dict(e.values)
    html = e.fallback()
    assert "http" not in html
    found = re.search(r"frames\s*=\s*new Array\((\d+)\)", html)
    assert found and int(found.group(1)) == frames
    assert e.values == before


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_show_widget_or_book_fallback(cls, monkeypatch):
    import ipywidgets
    from IPython.display import HTML
    monkeypatch.delenv(BOOK_ENV, raising=False)
    w = cls().show()
    assert isinstance(w, ipywidgets.Widget)
    before = w.image.value
    first = cls.params[0]
    new = first.high if hasattr(first, "low") else first.options[-1]
    w.controls[first.name].value = new
    assert w.image.value != before
    monkeypatch.setenv(BOOK_ENV, "1")
    monkeypatch.setattr(cls, "fallback", lambda self: "<div>animation</div>")   # the real one is tested above
    shown = cls().show()
    assert isinstance(shown, HTML) and "animation" in shown.data


# --- the chapter-01 helpers ---------------------------------------------------

def test_random_network_shapes_and_count():
    params = random_network(seed=3)
    assert [(W.shape, b.shape) for W, b in params] == [((784, 16), (16,)), ((16, 10), (10,))]
    assert count_parameters(params) == 12_730
    assert count_parameters(random_network(sizes=[3600, 16, 10])) == 57_786
    a, b = random_network(seed=1), random_network(seed=1)
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(a, b))
    assert np.std(random_network(seed=0, scale=0.5)[0][0]) == pytest.approx(0.5, rel=0.1)


def test_confidences_are_probabilities():
    X, _ = mnist_test_set()
    P = confidences(X[:50], random_network(seed=2, scale=10.0))
    assert P.shape == (50, 10) and np.all(P >= 0) and np.allclose(P.sum(axis=1), 1)
    assert np.all(np.isfinite(P))


@pytest.mark.parametrize("kwargs,err,match", [
    (dict(seed=-1), ValueError, "seed"),
    (dict(seed=1.5), TypeError, "seed"),
    (dict(seed=True), TypeError, "seed"),
    (dict(scale=0), ValueError, "scale"),
    (dict(scale="1"), TypeError, "scale"),
    (dict(sizes=[784]), TypeError, "sizes"),
    (dict(sizes="784-16-10"), TypeError, "sizes"),
    (dict(sizes=[784, 0, 10]), ValueError, "sizes"),
    (dict(sizes=[784, 2.5, 10]), TypeError, "sizes"),
])
def test_random_network_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        random_network(**kwargs)


def test_confidences_bad_input():
    params = random_network()
    with pytest.raises(TypeError, match="params"):
        confidences(np.zeros((1, 784)), None)
    with pytest.raises(ValueError, match="784"):
        confidences(np.zeros((2, 100)), params)
    with pytest.raises(ValueError, match="2-D"):
        confidences(np.zeros(784), params)
    with pytest.raises(TypeError, match="X"):
        confidences("pixels", params)


def test_seven_steps_diagram_draws_all_steps():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    assert seven_steps_diagram(ax) is ax
    texts = " ".join(t.get_text() for t in ax.texts)
    for word in ["initialise", "predict", "loss", "gradient", "step", "repeat", "stop"]:
        assert word in texts
    plt.close(fig)
