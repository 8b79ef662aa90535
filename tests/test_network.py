"""nnlib.network: the untrained 784-16-10 network of chapter 01."""

import numpy as np
import pytest

from nnlib.data import load_mnist
from nnlib.network import LAYER_SIZES, confidences, count_parameters, random_network


def test_random_network_shapes_and_count():
    params = random_network(seed=3)
    assert [(W.shape, b.shape) for W, b in params] == [((784, 16), (16,)), ((16, 10), (10,))]
    assert count_parameters(params) == 12_730
    assert count_parameters(random_network(sizes=[3600, 16, 10])) == 57_786
    a, b = random_network(seed=1), random_network(seed=1)
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(a, b))
    assert not np.array_equal(random_network(seed=2)[0][0], a[0][0])
    assert np.std(random_network(seed=0, scale=0.5)[0][0]) == pytest.approx(0.5, rel=0.1)
    assert tuple(LAYER_SIZES) == (784, 16, 10)


def test_random_network_accepts_numpy_integers_as_seed():
    a, b = random_network(seed=np.int64(4)), random_network(seed=4)
    assert np.array_equal(a[1][0], b[1][0])


def test_confidences_are_probabilities():
    _, _, X, _ = load_mnist()
    P = confidences(X[:50], random_network(seed=2, scale=10.0))
    assert P.shape == (50, 10) and np.all(P >= 0) and np.allclose(P.sum(axis=1), 1)
    assert np.all(np.isfinite(P))


def test_confidences_by_hand():
    """A 2-3-2 network small enough to compute on paper: σ hidden layer, softmax out."""
    W1, b1 = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]]), np.array([0.0, -1.0, 0.5])
    W2, b2 = np.array([[1.0, -1.0], [0.5, 0.0], [0.0, 2.0]]), np.array([0.1, 0.0])
    x = np.array([[0.5, -0.25]])
    h = 1 / (1 + np.exp(-(x @ W1 + b1)))
    s = h @ W2 + b2
    expected = np.exp(s) / np.exp(s).sum()
    assert np.allclose(confidences(x, [(W1, b1), (W2, b2)]), expected)


def test_all_zero_network_gives_one_tenth_everywhere():
    zero = [(np.zeros((784, 16)), np.zeros(16)), (np.zeros((16, 10)), np.zeros(10))]
    _, _, X, _ = load_mnist()
    assert np.allclose(confidences(X[:5], zero), 0.1)


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
    with pytest.raises(TypeError, match="params"):
        count_parameters([np.zeros((784, 16))])
    with pytest.raises(ValueError, match="784"):
        confidences(np.zeros((2, 100)), params)
    with pytest.raises(ValueError, match="2-D"):
        confidences(np.zeros(784), params)
    with pytest.raises(TypeError, match="X"):
        confidences("pixels", params)
