"""Chapter 03's library: cycles and update counts of the perceptron, one-vs-rest perceptrons,
perceptrons in layers, feature maps, margins and the convergence bound, the explorer's cached runs
and status, and the shared image grid."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.data import blobs, logic_gate  # noqa: E402
from nnlib.explorers.ch03 import SeparabilityExplorer, separability_status  # noqa: E402
from nnlib.features import product_features, quadratic_features  # noqa: E402
from nnlib.perceptron import OneVsRestPerceptron, Perceptron, step_layers  # noqa: E402
from nnlib.plot import image_grid  # noqa: E402
from nnlib.separability import (SEPARATOR, augment, convergence_bound, epoch_run, margin, margin_data,  # noqa: E402
                                max_margin, radius, toy_set)

# -- the perceptron: updates and cycles ------------------------------------------------------------------


def test_updates_count_the_mistakes_of_every_epoch():
    for gate, updates in [("AND", 10), ("OR", 4), ("NAND", 11)]:
        p = Perceptron(2).fit(*logic_gate(gate), epochs=100)
        assert p.updates_ == updates == sum(p.errors_) == sum(h["error"] != 0 for h in p.history_)
        assert p.cycle_ is None


def test_xor_cycle_is_found_and_really_repeats():
    p = Perceptron(2).fit(*logic_gate("XOR"), epochs=30)
    assert p.cycle_ == (3, 1) and not p.converged_ and len(p.errors_) == 30
    start, period = p.cycle_
    ends = [h for h in p.history_ if h["index"] == 3]
    for e in range(start, 30 - period):
        later = ends[e - 1 + period]
        assert np.array_equal(ends[e - 1]["w"], later["w"]) and ends[e - 1]["b"] == later["b"]
    # a shuffled order is never reported as a cycle, and a converged run has none
    assert Perceptron(2).fit(*logic_gate("XOR"), epochs=30, shuffle=True, rng=1).cycle_ is None


def test_a_longer_cycle_is_reported_with_its_period():
    # (0, 0) appears twice, with targets 1 and 0: no line can be right on both
    X = np.array([[0.0, 2.0], [0.0, 0.0], [2.0, 1.0], [0.0, 0.0], [1.0, 2.0]])
    p = Perceptron(2).fit(X, [0, 1, 0, 0, 1], epochs=60)
    assert p.cycle_ == (4, 4)
    start, period = p.cycle_
    assert p.errors_[start - 1:start - 1 + period] == p.errors_[start - 1 + period:start - 1 + 2 * period]
    assert p.errors_[start - 2:start - 2 + period] != p.errors_[start - 2 + period:start - 2 + 2 * period]


# -- one-vs-rest and layers ----------------------------------------------------------------------------------


def test_one_vs_rest_with_batch_size_1_is_k_classic_perceptrons():
    X, y = blobs(60, centers=[(-2, 0), (2, 0), (0, 3)], std=0.8, rng=4)
    ovr = OneVsRestPerceptron(2, 3).fit(X, y, epochs=3, shuffle=False)
    for k in range(3):
        p = Perceptron(2).fit(X, (y == k).astype(int), epochs=3)
        if not p.converged_ or len(p.errors_) == 3:
            assert np.allclose(ovr.W[:, k], p.w) and np.isclose(ovr.b[k], p.b)
    assert ovr.decision_function(X).shape == (60, 3)
    assert np.array_equal(ovr.predict(X), np.argmax(X @ ovr.W + ovr.b, axis=1))


def test_one_vs_rest_separates_three_blobs_and_stops():
    X, y = blobs(90, centers=[(-3, 0), (3, 0), (0, 4)], std=0.3, rng=0)
    ovr = OneVsRestPerceptron(2, 3).fit(X, y, epochs=50)
    assert ovr.score(X, y) == 1.0 and ovr.errors_[-1] == 0 and len(ovr.errors_) < 50


def test_one_vs_rest_keeps_float32():
    X = np.random.default_rng(0).random((20, 5)).astype(np.float32)
    ovr = OneVsRestPerceptron(5, 2, dtype=np.float32).fit(X, np.arange(20) % 2, batch_size=5)
    assert ovr.W.dtype == np.float32 and ovr.decision_function(X).dtype == np.float32


def test_step_layers_compute_xor_and_each_layer():
    X, y = logic_gate("XOR")
    A1, A2 = step_layers(X, [[[1, -1], [1, -1]], [[1], [1]]], [[-0.5, 1.5], [-1.5]])
    assert A1.tolist() == [[0, 1], [1, 1], [1, 1], [1, 0]] and A2[:, 0].tolist() == y.tolist()


# -- feature maps -----------------------------------------------------------------------------------------------


def test_feature_maps():
    X, y = logic_gate("XOR")
    assert product_features(X)[:, 2].tolist() == [0, 0, 0, 1]
    Q = quadratic_features(np.array([[2.0, 3.0]]))
    assert Q.tolist() == [[2, 3, 4, 6, 9]]
    assert max_margin(product_features(X), y).gamma > 0 and max_margin(X, y).gamma <= 0


# -- margins, the bound ----------------------------------------------------------------------------------------


def test_margin_and_radius_by_hand():
    X, y = logic_gate("AND")
    assert np.isclose(radius(X), np.sqrt(3))
    assert np.isclose(margin(X, y, [1, 1], -1.5), 0.5 / np.sqrt(4.25))
    assert np.isclose(margin(X, y, [10, 10], -15), margin(X, y, [1, 1], -1.5))      # scale-free
    assert margin(X, y, [1, 1], -0.5) < 0                                          # OR's line gets AND wrong
    assert augment(X).shape == (4, 3) and np.all(augment(X)[:, 2] == 1)


def test_max_margin_is_optimal():
    """No direction among many random ones beats the margin max_margin finds, and it is exact for AND."""
    X, y = logic_gate("AND")
    assert np.isclose(max_margin(X, y).gamma, 1 / np.sqrt(17))
    Xm, ym = margin_data(60, gap=0.1, rng=5)
    best = max_margin(Xm, ym)
    assert np.isclose(np.hypot(np.linalg.norm(best.w), best.b), 1)
    assert np.isclose(margin(Xm, ym, best.w, best.b), best.gamma)
    D = np.random.default_rng(0).normal(size=(20000, 3))
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    signed = (2 * ym - 1)[:, None] * augment(Xm)
    assert np.max(np.min(signed @ D.T, axis=0)) <= best.gamma + 1e-12
    assert best.gamma >= margin(Xm, ym, *SEPARATOR) - 1e-12


@pytest.mark.parametrize("gap", [0.3, 0.1, 0.03])
def test_the_bound_holds_and_the_gap_is_exact(gap):
    X, y = margin_data(150, gap=gap, rng=11)
    u, c = SEPARATOR
    assert np.isclose(np.min(np.abs(X @ u + c)), gap)
    p = Perceptron(2).fit(X, y, epochs=5000)
    assert p.converged_ and p.updates_ <= convergence_bound(X, y)
    p_shuffled = Perceptron(2).fit(X, y, epochs=5000, shuffle=True, rng=2)
    assert p_shuffled.converged_ and p_shuffled.updates_ <= convergence_bound(X, y)


def test_not_separable_data_have_no_positive_margin():
    for X, y in [logic_gate("XOR"), logic_gate("XNOR"), toy_set("circles"), toy_set("moons")]:
        assert max_margin(X, y).gamma <= 0


# -- the explorer's runs and status ------------------------------------------------------------------------------


def test_epoch_run_is_cached_and_matches_the_perceptron():
    run = epoch_run("and", 0.1)
    assert run is epoch_run("AND", 0.1)
    X, y = toy_set("AND", noise=0.1)
    p = Perceptron(2).fit(X, y, epochs=20)
    assert run.errors == tuple(p.errors_) and run.converged == len(p.errors_) == 9
    assert np.allclose(run.W[-1], p.w) and run.wrong[-1] == 0 and run.W.shape == (21, 2)
    with pytest.raises(ValueError):
        run.W[0, 0] = 1.0                               # the cached arrays are read-only


def test_status_tells_the_three_endings():
    assert "Converged" in str(separability_status(epoch_run("OR"), 4, "OR"))
    assert "Training goes on" in str(separability_status(epoch_run("OR"), 2, "OR"))
    assert "Cycling" in str(separability_status(epoch_run("XOR"), 5, "XOR"))
    assert "never stop" in str(separability_status(epoch_run("XOR"), 20, "XOR"))
    assert "so more epochs would get there" in str(separability_status(epoch_run("AND", 0.2), 20, "AND"))
    assert "so it never will" in str(separability_status(epoch_run("circles", 0.1), 20, "circles"))


def test_explorer_draws_the_line_of_the_chosen_epoch():
    e = SeparabilityExplorer(dataset="OR", noise=0.0, epoch=4)
    assert e.status.tone == "good" and not e.rings.get_offsets().size
    e.set(dataset="XOR", epoch=6)
    assert e.status.tone == "bad" and len(e.rings.get_offsets()) == epoch_run("XOR").wrong[6]


# -- image_grid ----------------------------------------------------------------------------------------------------


def test_image_grid_shapes_and_scales():
    fig = image_grid(np.random.default_rng(0).random((7, 784)), ncols=5, titles=list("abcdefg"))
    axes = fig.axes
    assert len(axes) == 10 and sum(a.get_visible() for a in axes) == 7
    assert axes[0].get_title() == "a" and axes[0].images[0].get_array().shape == (28, 28)
    assert axes[0].images[0].get_clim() == (0.0, 1.0)
    plt.close(fig)
    W = np.array([[-2.0, 1.0] * 392, [0.5] * 784])
    fig = image_grid(W, symmetric=True)
    lo, hi = fig.axes[0].images[0].get_clim()
    assert lo == -hi == -2.0 and fig.axes[1].images[0].get_clim() == (-2.0, 2.0)
    plt.close(fig)
    fig, axes = plt.subplots(2, 2)
    assert image_grid(np.zeros((3, 5, 6)), axes=axes) is fig
    assert axes[0, 0].images[0].get_array().shape == (5, 6) and not axes[1, 1].get_visible()
    plt.close(fig)
    fig = image_grid(np.ones(784))                                 # one image
    assert len(fig.axes) == 1
    plt.close(fig)
