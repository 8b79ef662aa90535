"""Chapter 05: the new losses, the 2-vs-9 model's profiles along one weight, and the explorer."""

import warnings

import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.explorers.ch05 import OneWeightExplorer, trained_weight
from nnlib.gradcheck import numerical_gradient
from nnlib.losses import binary_cross_entropy, cross_entropy, mae, mse, sigmoid_mse, squared_errors
from nnlib.profiles import (PIXELS, WEIGHT_RANGE, Staircase, accuracy_steps, pixel_index, shifted_logits,
                            telling_images, two_vs_nine_model, two_vs_nine_profile, two_vs_nine_subset,
                            weight_profile)


# -- losses ------------------------------------------------------------------------------------------


def test_squared_errors_add_up_to_the_squared_error_and_average_to_mse():
    a = np.array([0.1, 0.2, 0.3, 0.05, 0.05, 0.1, 0.05, 0.05, 0.05, 0.05])
    t = np.eye(10)[1]
    se = squared_errors(a, t)
    assert se.shape == a.shape and np.isclose(se[1], 0.64) and np.isclose(se.sum(), 0.765)
    assert np.isclose(se.mean(), mse(a, t)[0])


def test_mae_value_and_gradient():
    rng = np.random.default_rng(0)
    A, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    loss, dA = mae(A, Y)
    assert np.isclose(loss, np.mean(np.abs(A - Y)))
    assert np.allclose(dA, numerical_gradient(lambda a: mae(a, Y)[0], A), atol=1e-7)
    assert np.allclose(np.abs(dA), 1 / A.size)          # the same push for every error, big or small


def test_cross_entropy_is_the_mean_surprise_and_its_gradient():
    P = np.array([[0.4, 0.3, 0.3], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3]])
    y = np.array([0, 1, 2])
    loss, dP = cross_entropy(P, y)
    assert np.isclose(loss, -np.mean(np.log([0.4, 0.7, 0.3])))
    assert np.allclose(dP, numerical_gradient(lambda p: cross_entropy(p, y)[0], P), atol=1e-6)
    assert np.count_nonzero(dP) == 3                     # only the true classes


def test_cross_entropy_of_a_zero_probability_is_infinite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dP = cross_entropy([[1.0, 0.0]], [1])
    assert loss == np.inf and dP[0, 0] == 0


def test_sigmoid_mse_value_gradient_and_dtype():
    rng = np.random.default_rng(1)
    Z, Y = rng.normal(size=(5, 2)) * 3, rng.random((5, 2))
    loss, dZ = sigmoid_mse(Z, Y)
    assert np.isclose(loss, np.mean((sigmoid(Z) - Y) ** 2))
    assert np.allclose(dZ, numerical_gradient(lambda z: sigmoid_mse(z, Y)[0], Z), atol=1e-8)
    loss32, dZ32 = sigmoid_mse(Z.astype(np.float32), Y)
    assert dZ32.dtype == np.float32 and np.isclose(loss32, loss, rtol=1e-5)


def test_sigmoid_mse_vanishes_where_cross_entropy_does_not():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, d_se = sigmoid_mse([-800.0, -8.0], [1.0, 1.0])
        _, d_ce = binary_cross_entropy([-800.0, -8.0], [1.0, 1.0])
    assert d_se[0] == 0 and np.isclose(d_ce[0], -0.5)              # saturated: no push at all under MSE
    assert 1400 < d_ce[1] / d_se[1] < 1600                         # at z = -8: ~1500 times weaker


# -- profiles on small data, against brute force -------------------------------------------------------


@pytest.fixture
def small():
    rng = np.random.default_rng(3)
    X = rng.random((60, 4)) * (rng.random((60, 4)) < 0.6)      # some zeros, as in images
    y = rng.integers(0, 2, size=60)
    W = rng.normal(size=(4, 1))
    b = np.array([0.2])
    return X, y, W, b


def _brute(X, y, W, b, j, v):
    W2 = W.copy()
    W2[j, 0] = v
    Z = X @ W2[:, 0] + b[0]
    return (mse(sigmoid(Z), y.astype(float))[0], binary_cross_entropy(Z, y)[0], np.mean((Z > 0) == (y == 1)))


def test_shifted_logits_are_the_logits_of_the_moved_model(small):
    X, y, W, b = small
    z = X @ W[:, 0] + b[0]
    deltas = np.array([-1.0, 0.0, 2.5])
    Z = shifted_logits(z, X[:, 2], deltas)
    for d, row in zip(deltas, Z):
        W2 = W.copy()
        W2[2, 0] += d
        assert np.allclose(row, X @ W2[:, 0] + b[0])


def test_weight_profile_matches_brute_force_and_its_slope_is_the_derivative(small):
    X, y, W, b = small
    weights = np.linspace(-3, 3, 13)
    prof = weight_profile(X, y, W, b, 1, weights)
    for k, v in enumerate(weights):
        m, ce, acc = _brute(X, y, W, b, 1, v)
        assert np.isclose(prof.mse[k], m) and np.isclose(prof.cross_entropy[k], ce) and prof.accuracy[k] == acc
    h = 1e-5
    up = weight_profile(X, y, W, b, 1, weights + h).mse
    down = weight_profile(X, y, W, b, 1, weights - h).mse
    assert np.allclose(prof.mse_slope, (up - down) / (2 * h), atol=1e-7)


def test_accuracy_steps_are_exact(small):
    X, y, W, b = small
    steps = accuracy_steps(X, y, W, b, 0, low=-5, high=5)
    assert isinstance(steps, Staircase) and steps.edges[0] == -5 and steps.edges[-1] == 5
    assert np.all(np.diff(steps.edges) >= 0) and len(steps.accuracy) == len(steps.edges) - 1
    dense = np.linspace(-5, 5, 4001)
    brute = np.array([_brute(X, y, W, b, 0, v)[2] for v in dense])
    assert np.allclose([steps.at(v) for v in dense], brute)
    # every inner edge is where one image's logit is 0, and the accuracy moves by exactly one image there
    for e in steps.edges[1:-1]:
        W2 = W.copy()
        W2[0, 0] = e
        assert np.min(np.abs(X @ W2[:, 0] + b[0])) < 1e-9
    assert np.allclose(np.abs(np.diff(steps.accuracy)) * len(y), 1)
    inked = X[:, 0] != 0
    flips = W[0, 0] - (X[inked] @ W[:, 0] + b[0]) / X[inked, 0]
    assert len(steps.edges) - 2 == np.count_nonzero((flips > -5) & (flips < 5)) > 5


def test_pixel_index_reads_names_pairs_and_indices():
    assert pixel_index("base of a 2") == 20 * 28 + 9 == pixel_index((20, 9)) == pixel_index(569)
    assert set(PIXELS) == {"base of a 2", "left of a 9's loop", "centre (both digits)", "corner (always blank)"}


# -- the chapter's model --------------------------------------------------------------------------------


def test_the_model_is_trained_and_every_call_is_a_fresh_copy():
    from nnlib.data import mnist_pair
    from nnlib.train import evaluate
    m1, m2 = two_vs_nine_model(), two_vs_nine_model()
    assert m1 is not m2 and m1.layers[0].W is not m2.layers[0].W
    m1.layers[0].W[:] = 0
    assert np.any(two_vs_nine_model().layers[0].W != 0)
    _, _, X_test, y_test = mnist_pair(2, 9)
    _, acc = evaluate(m2, X_test, y_test[:, None].astype(np.float32), loss="mse")
    assert 0.98 < acc < 0.99


def test_chapter_profiles_are_cached_and_follow_the_bias():
    p1, s1 = two_vs_nine_profile("base of a 2")
    p2, s2 = two_vs_nine_profile("base of a 2")
    assert p1 is p2 and s1 is s2
    X, y = two_vs_nine_subset(2000)
    assert len(X) == 2000 and 0.45 < y.mean() < 0.55
    m = two_vs_nine_model()
    W, b = m.layers[0].W, m.layers[0].b
    direct = weight_profile(X, y, W, b + 1.5, "base of a 2", p1.weights)
    shifted, _ = two_vs_nine_profile("base of a 2", bias=float(b[0]) + 1.5)
    assert np.allclose(shifted.mse, direct.mse, rtol=1e-5) and np.allclose(shifted.accuracy, direct.accuracy)
    assert p1.weights[0] == WEIGHT_RANGE[0] and p1.weights[-1] == WEIGHT_RANGE[1]
    flat, steps = two_vs_nine_profile("corner (always blank)")
    assert np.ptp(flat.mse) == 0 and len(steps.edges) == 2


def test_telling_images_have_ink_at_the_pixel_and_two_of_each_digit():
    X, y = two_vs_nine_subset(2000)
    for name in ("base of a 2", "left of a 9's loop"):
        chosen = telling_images(name)
        assert list(y[chosen]) == [0, 0, 1, 1]
        assert np.all(X[chosen, pixel_index(name)] >= 0.5)


# -- the explorer -----------------------------------------------------------------------------------------


def test_explorer_starts_at_the_trained_values_and_follows_the_pixel():
    e = OneWeightExplorer()
    w0, b0 = trained_weight("base of a 2")
    assert e.values["w"] == w0 and e.values["b"] == b0 and np.isclose(w0, -0.39)
    e.set(pixel="left of a 9's loop")
    assert e.values["w"] == trained_weight("left of a 9's loop")[0] != w0
    e.set(w=3.0, b=-2.0)
    (preset,) = OneWeightExplorer.presets
    assert preset.values(e.values) == dict(zip(("w", "b"), trained_weight("left of a 9's loop")))
    assert OneWeightExplorer(pixel="corner (always blank)", w=5.0).values["w"] == 5.0


def test_explorer_status_and_zoom_tell_the_staircase():
    e = OneWeightExplorer()
    status = str(e.status)
    assert "98.70%" in status and "slope 0" in status and "308" in status
    heights = e.zoom_steps.get_data().values
    assert np.allclose(heights, np.round(heights))                  # whole images gained or lost
    assert "blank in every image" in str(e.set(pixel="corner (always blank)").status)
    e.set(pixel="base of a 2", w=6.0)
    assert sum("wrong" in v.get_text() for v in e.verdicts[:2]) == 2   # both 2s are now called 9s
