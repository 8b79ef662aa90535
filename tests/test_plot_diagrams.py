"""nnlib.plot.network_diagram: the neuron and network figures of chapters 02–08."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches as mpatches
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.plot import network_diagram


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, mpatches.Circle)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_network_draws_one_circle_per_node_and_captions_the_sizes(ax):
    assert network_diagram((2, 3, 1), ax=ax) is ax
    assert len(_circles(ax)) == 6
    assert {"input\n2", "hidden\n3", "output\n1"} <= set(_texts(ax))
    assert len(ax.lines) == 2 * 3 + 3 * 1           # one line per connection


def test_big_layers_are_drawn_with_an_ellipsis_and_their_true_size(ax):
    network_diagram((784, 16, 10), ax=ax, activation="relu")
    assert len(_circles(ax)) == 6 + 6 + 6
    assert _texts(ax).count("⋮") == 3
    assert "input\n784" in _texts(ax)


def test_weights_and_biases_are_written_and_coloured_by_sign(ax):
    W1, b1 = np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5])
    W2, b2 = np.array([[1.0], [1.0]]), np.array([-1.5])
    network_diagram((2, 2, 1), ax=ax, weights=[W1, W2], biases=[b1, b2], activation="step")
    texts = _texts(ax)
    assert texts.count("-1") == 2 and texts.count("1") == 4
    assert {"b=-0.5", "b=1.5", "b=-1.5"} <= set(texts)
    colours = {matplotlib.colors.to_hex(l.get_color()) for l in ax.lines[:6]}
    assert len(colours) == 2                        # positive and negative weights differ


def test_one_neuron_shows_inputs_weights_sum_and_activation(ax):
    network_diagram((3, 1), neuron=True, activation="sigmoid", ax=ax)
    texts = _texts(ax)
    assert {"x₁", "x₂", "x₃", "w₁", "w₂", "w₃", "Σ", "+ b", "sigmoid", "ŷ"} <= set(texts)


def test_one_neuron_with_values(ax):
    network_diagram((2, 1), neuron=True, weights=[[[2.0], [-1.5]]], biases=[[0.5]], ax=ax)
    assert {"2", "-1.5", "b = 0.5", "φ"} <= set(_texts(ax))
