"""Chapter 04: sums of sigmoids, two-layer classifiers, the hidden-size study (nnlib.approx) and the
chapter's explorers (the generic explorer tests are in test_explorer_base.py)."""

import warnings

import numpy as np
import pytest

from nnlib import approx
from nnlib.activations import sigmoid
from nnlib.data import moons
from nnlib.explorers.ch04 import HiddenSizeExplorer, SigmoidSumExplorer, SteepnessExplorer
from nnlib.layers import ReLU, Sigmoid, Tanh

SMALL = dict(sizes=(1, 8), n_seeds=2, n_train=40, epochs=60, grid=20)


# -- one sigmoid, steep sigmoids, bumps --------------------------------------------------------------

def test_steep_sigmoid_is_a_shifted_scaled_sigmoid_and_never_overflows():
    x = np.linspace(-3, 3, 61)
    assert np.allclose(approx.steep_sigmoid(x, 4.0, 0.5), sigmoid(4.0 * (x - 0.5)))
    assert approx.steep_sigmoid(np.array([0.5]), 123.0, 0.5)[0] == 0.5           # the middle sits at c
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = approx.steep_sigmoid(np.array([-5.0, 5.0]), 1e4, 0.0)
    assert out[0] < 1e-300 and out[1] == 1.0


def test_gap_to_step_is_the_largest_gap_outside_the_band():
    z = np.linspace(-5, 5, 100001)
    outside = np.abs(z) >= 0.1
    for k in (0.5, 3.0, 46.0, 200.0):
        brute = np.max(np.abs(sigmoid(k * z[outside]) - (z[outside] > 0)))
        assert np.isclose(approx.gap_to_step(k, 0.1), brute, rtol=1e-3)
    k_star = np.log(99) / 0.1                                  # the answer of exercise 2
    assert np.isclose(approx.gap_to_step(k_star, 0.1), 0.01)
    assert approx.gap_to_step(np.array([1.0, 10.0, 100.0]), 0.1).shape == (3,)


def test_bump_is_height_inside_and_zero_outside():
    x = np.array([-1.0, 0.25, 0.5, 0.75, 2.0])
    b = approx.bump(x, 0.2, 0.8, height=-1.5, k=200)
    assert np.allclose(b[1:4], -1.5, atol=1e-4) and np.allclose(b[[0, 4]], 0, atol=1e-12)
    soft = approx.bump(x, 0.2, 0.8, height=1.0, k=2)
    assert soft[2] < 0.3                                       # a soft bump does not reach its height


def test_bumps_by_hand_form_a_staircase_that_improves_with_more_bumps():
    x = np.linspace(0, 1, 500)
    parts = approx.bump_components(x, 6)
    assert parts.shape == (500, 6)
    assert np.allclose(parts.sum(axis=1), approx.bump_approximation(x, 6))
    errors = [approx.rms_error(lambda t, n=n: approx.bump_approximation(t, n)) for n in (2, 6, 20, 60)]
    assert errors == sorted(errors, reverse=True) and errors[-1] < 0.01
    # the ends of the interval are not cut to half height
    assert abs(approx.bump_approximation(np.array([0.0]), 50)[0] - approx.target_curve(0.0)) < 0.05


# -- the fitted sum of sigmoids ------------------------------------------------------------------------

def test_sigmoid_sum_is_a_one_hidden_layer_network_in_the_course_notation():
    model = approx.SigmoidSum(5)
    assert model.W1.shape == (1, 5) and model.b1.shape == (5,)
    assert np.allclose(-model.b1 / model.W1[0], model.centers)
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict(np.array([0.5]))
    x = np.linspace(0, 1, 200)
    model.fit(x, approx.target_curve(x))
    assert model.W2.shape == (5, 1) and model.b2.shape == (1,)
    assert np.allclose(model.components(x).sum(axis=1) + model.b2[0], model.predict(x))
    assert np.allclose(model.hidden(x) @ model.W2[:, 0] + model.b2[0], model.predict(x))


def test_least_squares_recovers_output_weights_that_are_really_there():
    model = approx.SigmoidSum(6)
    x = np.linspace(0, 1, 300)
    W2_true, b2_true = np.array([0.5, -1.0, 2.0, 0.0, 0.3, -0.7]), 0.25
    model.fit(x, model.hidden(x) @ W2_true + b2_true)
    assert np.allclose(model.W2[:, 0], W2_true, atol=1e-6) and np.isclose(model.b2[0], b2_true, atol=1e-6)


def test_the_error_falls_with_more_sigmoids_and_is_cached():
    ns = np.arange(1, 31)
    fitted, by_hand = approx.approximation_errors(ns)
    assert np.all(np.diff(fitted[3:]) < 0) and fitted[-1] < fitted[6] / 9
    assert np.isnan(by_hand[0]) and np.all(fitted[1:] < by_hand[1:])
    assert approx.fit_target(7) is approx.fit_target(7)
    again, _ = approx.approximation_errors(ns)
    assert np.array_equal(fitted, again)


# -- two-layer classifiers -----------------------------------------------------------------------------

@pytest.mark.parametrize("activation,layer", [("sigmoid", Sigmoid), ("relu", ReLU), ("tanh", Tanh)])
def test_two_layer_network_shapes_and_dtype(activation, layer):
    net = approx.two_layer_network(5, activation=activation, rng=3)
    assert [type(l) for l in net.layers][1] is layer
    assert net.layers[0].W.shape == (2, 5) and net.layers[2].W.shape == (5, 1)
    assert net.layers[0].W.dtype == np.float32
    assert np.array_equal(net.layers[0].W, approx.two_layer_network(5, activation=activation, rng=3).layers[0].W)


def test_a_hidden_layer_separates_the_moons_where_one_line_cannot():
    X, y = moons(200, noise=0.1, rng=0)
    net = approx.fit_classifier(X, y, 8, activation="sigmoid", lr=1.0, epochs=300, seed=0)
    assert approx.error_rate(net, X, y) < 0.02
    p = approx.probability(net, X)
    assert p.shape == (200,) and np.all((p > 0) & (p < 1))


def test_hidden_size_study_is_cached_read_only_and_shaped():
    study = approx.hidden_size_study(**SMALL)
    assert approx.hidden_size_study(**SMALL) is study
    assert study.train_error.shape == study.test_error.shape == (2, 2)
    assert study.maps.shape == (2, 2, 20, 20) and study.X_train.shape == (40, 2) and study.X_test.shape == (1000, 2)
    with pytest.raises(ValueError):
        study.train_error[0, 0] = 1.0
    assert study.best_size() in study.sizes
    assert np.all((study.maps >= 0) & (study.maps <= 1))
    assert study.train_error[:, 1].mean() < study.train_error[:, 0].mean()      # 8 neurons fit better than 1


def test_the_chapters_study_shows_under_and_overfitting():
    """The numbers chapter 04 quotes (the explorer and the chapter use this same cached study)."""
    study = approx.hidden_size_study()
    tr, te = study.train_error.mean(axis=0), study.test_error.mean(axis=0)
    assert study.best_size() == 8
    assert tr[0] > 0.3 and tr[-1] < 0.05                       # underfitting at 1, training error → small
    assert te[-1] > te[study.sizes.index(8)] + 0.02             # the test error rises again: overfitting


# -- explorers: what the status says --------------------------------------------------------------------

def test_steepness_status_turns_good_below_one_percent():
    assert SteepnessExplorer(k=5).status.tone == "info"
    ex = SteepnessExplorer(k=50)
    assert ex.status.tone == "good" and "closer than 0.01" in str(ex.status)
    assert "k/4 = 12.5" in str(ex.status)


def test_sigmoid_sum_explorer_compares_hand_and_fitted():
    ex = SigmoidSumExplorer(n=7)
    assert "7 sigmoids" in str(ex.status)
    assert sum(len(line.get_xdata()) > 0 for line in ex.parts_lines) == 7
    ex.set(parts="sum only")
    assert all(len(line.get_xdata()) == 0 for line in ex.parts_lines)
    ex.set(method="bumps by hand", n=1)
    assert ex.status.tone == "bad" and "two sigmoids" in str(ex.status)
    ex.set(n=8)
    assert "4 bumps by hand, 8 sigmoids" in str(ex.status)


def test_hidden_size_explorer_names_under_and_overfitting():
    ex = HiddenSizeExplorer(hidden=8)
    assert ex.status.tone == "good"
    assert "underfitting" in str(ex.set(hidden=1).status)
    assert "overfitting" in str(ex.set(hidden=128).status)
    assert "seed 3" in str(ex.set(seed=3).status)
