"""nnlib.losses: values, gradients checked numerically, stability, validation."""

import warnings

import numpy as np
import pytest

from nnlib.gradcheck import numerical_gradient
from nnlib.losses import binary_cross_entropy, mse, softmax_cross_entropy


def test_mse_value_and_gradient():
    rng = np.random.default_rng(0)
    A, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    loss, dA = mse(A, Y)
    assert np.isclose(loss, np.mean((A - Y) ** 2))
    assert np.allclose(dA, numerical_gradient(lambda a: mse(a, Y)[0], A), atol=1e-7)


def test_mse_one_hot_worked_example():
    # the dragon / fish / bird example: prediction (0.4, 0.3, 0.3) for a dragon
    loss, _ = mse([[0.4, 0.3, 0.3]], [[1.0, 0.0, 0.0]])
    assert np.isclose(loss, (0.36 + 0.09 + 0.09) / 3)


def test_binary_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(1)
    Z, y = rng.normal(size=8) * 3, rng.integers(0, 2, size=8).astype(float)
    loss, dZ = binary_cross_entropy(Z, y)
    p = 1 / (1 + np.exp(-Z))
    assert np.isclose(loss, -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    assert np.allclose(dZ, numerical_gradient(lambda z: binary_cross_entropy(z, y)[0], Z), atol=1e-7)
    loss2, dZ2 = binary_cross_entropy(Z[:, None], y)
    assert np.isclose(loss2, loss) and dZ2.shape == (8, 1)


def test_softmax_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(2)
    Z, y = rng.normal(size=(6, 4)), np.array([0, 3, 1, 1, 2, 0])
    loss, dZ = softmax_cross_entropy(Z, y)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert np.isclose(loss, -np.mean(np.log(P[np.arange(6), y])))
    assert np.allclose(dZ, numerical_gradient(lambda z: softmax_cross_entropy(z, y)[0], Z), atol=1e-7)
    assert np.allclose(dZ.sum(axis=1), 0)


def test_cross_entropies_are_stable_for_huge_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dZ = binary_cross_entropy([1000.0, -1000.0], [0.0, 1.0])
        assert np.isclose(loss, 1000.0) and np.all(np.isfinite(dZ))
        loss, dZ = softmax_cross_entropy([[1000.0, -1000.0], [0.0, 5000.0]], [1, 1])
        assert np.isclose(loss, 1000.0) and np.all(np.isfinite(dZ))


@pytest.mark.parametrize("call, err, words", [
    (lambda: mse(np.ones((2, 3)), np.ones((3, 2))), ValueError, "same shape"),
    (lambda: mse([[np.nan]], [[1.0]]), ValueError, "NaN"),
    (lambda: mse("a", [1.0]), TypeError, "A"),
    (lambda: binary_cross_entropy(np.ones((3, 2)), [0, 1, 0]), ValueError, "one logit per sample"),
    (lambda: binary_cross_entropy([0.0, 1.0], [0, 1, 1]), ValueError, "one target per sample"),
    (lambda: binary_cross_entropy([0.0, 1.0], [0, 2]), ValueError, "between 0 and 1"),
    (lambda: softmax_cross_entropy(np.ones(3), [0]), ValueError, "2-D"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), [0, 3]), ValueError, "labels"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), [0, 1, 2]), ValueError, "shape"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), [0.5, 1]), ValueError, "whole-number"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), np.eye(3)[[0, 1]]), ValueError, "argmax"),
    (lambda: mse([], []), ValueError, "empty"),
    (lambda: binary_cross_entropy([np.nan, 0.0], [0, 1]), ValueError, "NaN"),
    (lambda: binary_cross_entropy([0.0, 1.0], [0, np.nan]), ValueError, "NaN"),
    (lambda: binary_cross_entropy([0.0, 1.0], ["a", "b"]), TypeError, "y"),
    (lambda: binary_cross_entropy([], []), ValueError, "empty"),
    (lambda: softmax_cross_entropy([[np.inf, 0.0, 0.0]], [0]), ValueError, "NaN or infinite"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), None), TypeError, "None"),
    (lambda: softmax_cross_entropy(np.ones((2, 3)), {"a": 1}), TypeError, "dict"),
])
def test_losses_reject_bad_input(call, err, words):
    with pytest.raises(err, match=words):
        call()


# -- dtypes, stability at |logit| = 1e4, gradient checks, errors raised by nnlib itself ---------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_keep_the_dtype_of_the_outputs(dtype):
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(6, 4)).astype(dtype)
    _, dZ = softmax_cross_entropy(Z, [0, 1, 2, 3, 0, 1])
    assert dZ.dtype == dtype
    _, dA = mse(Z, rng.normal(size=(6, 4)))                    # float64 targets do not widen a float32 gradient
    assert dA.dtype == dtype
    _, dz = binary_cross_entropy(Z[:, 0], [0, 1, 1, 0, 1, 0])
    assert dz.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropies_are_stable_up_to_1e4(dtype):
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, 0.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dZ = softmax_cross_entropy(Z, [1, 0, 2])
        assert np.isclose(loss, (2e4 + (2e4 + np.log(2)) + np.log(3)) / 3, rtol=1e-6)
        assert np.all(np.isfinite(dZ)) and np.allclose(dZ.sum(axis=1), 0, atol=1e-6)
        assert np.allclose(dZ[0], [1 / 3, -1 / 3, 0], atol=1e-6)
        loss, dz = binary_cross_entropy(np.array([1e4, -1e4, 1e4], dtype=dtype), [0, 1, 1])
        assert np.isclose(loss, 2e4 / 3, rtol=1e-6) and np.allclose(dz, [1 / 3, -1 / 3, 0], atol=1e-7)


def test_float32_losses_match_float64_closely():
    rng = np.random.default_rng(4)
    Z, y = rng.normal(size=(50, 10)) * 5, rng.integers(0, 10, size=50)
    l64, d64 = softmax_cross_entropy(Z, y)
    l32, d32 = softmax_cross_entropy(Z.astype(np.float32), y)
    assert abs(l32 - l64) < 1e-5 * max(1, l64) and np.allclose(d32, d64, atol=1e-7)


def test_every_loss_passes_gradcheck():
    from nnlib.gradcheck import gradcheck
    rng = np.random.default_rng(5)
    assert gradcheck(mse, rng.normal(size=(4, 3)), rng.normal(size=(4, 3))).passed
    assert gradcheck(softmax_cross_entropy, rng.normal(size=(4, 3)) * 4, [2, 0, 1, 1]).passed
    assert gradcheck(binary_cross_entropy, rng.normal(size=(4, 1)) * 4, [1, 0, 0.5, 1]).passed


@pytest.mark.parametrize("call", [
    lambda: mse(np.ones((2, 3)), np.ones((3, 2))),
    lambda: mse([[np.nan]], [[1.0]]),
    lambda: binary_cross_entropy([0.0, 1.0], [0, 2]),
    lambda: softmax_cross_entropy(np.ones((2, 3)), [0, 3]),
    lambda: softmax_cross_entropy(np.ones((2, 3)), np.eye(3)[[0, 1]]),
    lambda: softmax_cross_entropy(np.ones((2, 3)), [[0, 1], [1]]),
    lambda: softmax_cross_entropy(np.ones((2, 3), dtype=np.float32), np.array([0, 7])),
])
def test_loss_errors_come_from_nnlib_not_numpy(call):
    from test_bad_inputs import assert_raised_by_nnlib
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert_raised_by_nnlib(info.value)
