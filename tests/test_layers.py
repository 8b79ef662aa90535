"""nnlib.layers: forward and backward of every layer, gradient checks, dtypes, initialisers, bad input."""

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from nnlib import activations
from nnlib.gradcheck import gradcheck
from nnlib.layers import Linear, ReLU, Sequential, Sigmoid, Tanh, he, normal, xavier
from nnlib.losses import mse, softmax_cross_entropy
from test_bad_inputs import assert_clear_error

F32, F64 = np.float32, np.float64
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "nnlib-hypothesis")   # no .hypothesis folder in the course


def away_from_kinks(X, margin=1e-3):
    """ReLU's derivative jumps at 0: keep inputs clear of it so central differences are fair."""
    return np.where(np.abs(X) < margin, margin * 10, X)


# ------------------------------------------------------------------------------ the interface

def test_interface_of_the_course_plan():
    model = Sequential([Linear(784, 100, rng=0), ReLU(), Linear(100, 10, rng=1)])
    X = np.random.default_rng(0).random((5, 784))
    Z = model.forward(X)
    assert Z.shape == (5, 10)
    dX = model.backward(np.ones_like(Z))
    assert dX.shape == X.shape
    first = model.layers[0]
    assert first.W.shape == (784, 100) and first.b.shape == (100,)
    assert first.dW.shape == (784, 100) and first.db.shape == (100,)


def test_linear_forward_is_XW_plus_b_and_backward_the_three_formulas():
    rng = np.random.default_rng(1)
    layer = Linear(3, 2, rng=0)
    layer.b[...] = [0.5, -1.0]
    X, dZ = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    assert np.allclose(layer.forward(X), X @ layer.W + layer.b)
    dX = layer.backward(dZ)
    assert np.allclose(layer.dW, X.T @ dZ)
    assert np.allclose(layer.db, dZ.sum(axis=0))
    assert np.allclose(dX, dZ @ layer.W.T)


@pytest.mark.parametrize("layer, f, fprime", [
    (ReLU(), activations.relu, activations.relu_prime),
    (Sigmoid(), activations.sigmoid, activations.sigmoid_prime),
    (Tanh(), activations.tanh, activations.tanh_prime),
])
def test_activation_layers_match_the_activation_functions(layer, f, fprime):
    Z = np.random.default_rng(2).normal(size=(6, 4)) * 3
    dA = np.random.default_rng(3).normal(size=(6, 4))
    assert np.allclose(layer.forward(Z), f(Z))
    assert np.allclose(layer.backward(dA), dA * fprime(Z))


def test_backward_overwrites_gradients_instead_of_adding():
    layer = Linear(3, 2, rng=0)
    X, dZ = np.ones((2, 3)), np.ones((2, 2))
    layer.forward(X)
    layer.backward(dZ)
    first = layer.dW.copy()
    layer.backward(dZ)
    assert np.array_equal(layer.dW, first)


def test_input_grad_false_skips_only_dX():
    rng = np.random.default_rng(4)
    model = Sequential([Linear(5, 4, rng=0), Tanh(), Linear(4, 3, rng=1)])
    X, dZ = rng.normal(size=(7, 5)), rng.normal(size=(7, 3))
    model.forward(X)
    model.backward(dZ)
    grads = {k: v.copy() for k, v in model.gradients().items()}
    model.forward(X)
    assert model.backward(dZ, input_grad=False) is None
    assert all(np.array_equal(grads[k], v) for k, v in model.gradients().items())
    starts_with_activation = Sequential([Tanh(), Linear(5, 2, rng=0)])
    starts_with_activation.forward(X)
    assert starts_with_activation.backward(np.ones((7, 2)), input_grad=False) is None


# ------------------------------------------------------------------------------ gradient checks

@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("make", [
    lambda d: Linear(4, 3, rng=0, dtype=d), lambda d: Linear(4, 3, init="xavier", rng=1, dtype=d),
    lambda d: Linear(4, 3, init="normal", rng=2, dtype=d), lambda d: ReLU(), lambda d: Sigmoid(), lambda d: Tanh(),
], ids=["linear-he", "linear-xavier", "linear-normal", "relu", "sigmoid", "tanh"])
def test_every_layer_passes_gradcheck(make, dtype):
    layer = make(dtype)
    X = away_from_kinks(np.random.default_rng(5).normal(size=(6, 4))).astype(dtype)
    report = gradcheck(layer, X)
    assert report.passed, report
    assert report.worst < 1e-7
    assert [c.name for c in report] == (["X", "W", "b"] if isinstance(layer, Linear) else ["X"])


@settings(max_examples=15, deadline=None, database=None)
@given(n=st.integers(1, 6), sizes=st.lists(st.integers(1, 6), min_size=4, max_size=4),
       acts=st.lists(st.sampled_from([ReLU, Sigmoid, Tanh]), min_size=2, max_size=2), seed=st.integers(0, 10_000))
def test_three_layer_compositions_of_random_shapes_pass_gradcheck(n, sizes, acts, seed):
    rng = np.random.default_rng(seed)
    model = Sequential([Linear(sizes[0], sizes[1], rng=seed), acts[0](), Linear(sizes[1], sizes[2], rng=seed + 1),
                        acts[1](), Linear(sizes[2], sizes[3], rng=seed + 2)])
    for layer in model.layers[::2]:
        layer.b[...] = rng.normal(size=layer.b.shape)   # nonzero biases: a dead ReLU's input is b, not exactly 0
    X = rng.normal(size=(n, sizes[0]))
    report = gradcheck(model, X)
    assert report.passed, report
    y = rng.integers(0, sizes[3], size=n)
    with_loss = gradcheck(model, X, y, loss=softmax_cross_entropy)
    assert with_loss.passed, with_loss


def test_a_network_with_mse_passes_gradcheck():
    rng = np.random.default_rng(6)
    model = Sequential([Linear(3, 5, rng=0), Sigmoid(), Linear(5, 2, rng=1), Sigmoid()])
    report = gradcheck(model, rng.normal(size=(4, 3)), rng.random((4, 2)), loss=mse)
    assert report.passed and len(report) == 5


# ------------------------------------------------------------------------------ dtypes

def test_float32_stays_float32_end_to_end():
    model = Sequential([Linear(6, 5, rng=0, dtype=F32), ReLU(), Linear(5, 4, rng=1, dtype=F32), Sigmoid(),
                        Linear(4, 3, rng=2, dtype=F32), Tanh()])
    X = np.random.default_rng(7).random((8, 6), dtype=F32)
    Z = model.forward(X)
    dX = model.backward(np.ones_like(Z))
    assert Z.dtype == F32 and dX.dtype == F32
    assert all(p.dtype == F32 for p in model.parameters().values())
    assert all(g.dtype == F32 for g in model.gradients().values())
    assert model.dtype == F32


def test_the_models_dtype_wins_on_entry():
    layer32, layer64 = Linear(3, 2, rng=0, dtype=F32), Linear(3, 2, rng=0)
    X64 = np.random.default_rng(8).random((4, 3))
    assert layer32.forward(X64).dtype == F32                      # float64 data: converted once, to float32
    assert layer64.forward(X64.astype(F32)).dtype == F64          # float32 data into a float64 model
    assert layer64.forward([[1, 2, 3]]).dtype == F64              # lists and integers too
    assert layer32.backward(np.ones((4, 2))).dtype == F32         # a float64 gradient is converted as well
    assert layer32.dW.dtype == F32
    assert np.allclose(layer32.forward(X64), X64 @ layer32.W.astype(F64), atol=1e-6)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_sigmoid_and_tanh_layers_are_stable_for_huge_inputs(dtype):
    Z = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for layer in (Sigmoid(), Tanh(), ReLU()):
            A = layer.forward(Z)
            dZ = layer.backward(np.ones_like(Z))
            assert A.dtype == dtype and np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    assert np.allclose(Sigmoid().forward(Z), [[0, 0, 0.5, 1, 1]], atol=1e-20)


def test_astype_copies_and_converts():
    model = Sequential([Linear(3, 2, rng=0, dtype=F32), ReLU()])
    copy = model.astype(F64)
    assert copy.dtype == F64 and copy.layers[0].W.dtype == F64 and model.dtype == F32
    copy.layers[0].W[...] = 0
    assert np.any(model.layers[0].W != 0)                         # the original is untouched


# ------------------------------------------------------------------------------ initialisers

@pytest.mark.parametrize("init, n_in, n_out, std", [
    (he, 400, 300, np.sqrt(2 / 400)), (xavier, 400, 300, np.sqrt(2 / 700)), (normal, 400, 300, 0.01),
])
def test_initialisers_have_the_documented_spread(init, n_in, n_out, std):
    W = init(n_in, n_out, rng=0)
    assert W.shape == (n_in, n_out) and W.dtype == F64
    assert abs(W.std() / std - 1) < 0.02 and abs(W.mean()) < 3 * std / np.sqrt(W.size) * 3
    assert init(n_in, n_out, rng=0, dtype=F32).dtype == F32


def test_seeds_repeat_and_differ():
    assert np.array_equal(Linear(5, 4, rng=3).W, Linear(5, 4, rng=3).W)
    assert not np.array_equal(Linear(5, 4, rng=3).W, Linear(5, 4, rng=4).W)
    assert not np.array_equal(Linear(5, 4).W, Linear(5, 4).W)     # rng=None: fresh randomness
    assert np.all(Linear(5, 4, rng=0).b == 0)


def test_he_keeps_relu_signals_alive_where_small_weights_kill_them():
    X = np.random.default_rng(9).normal(size=(256, 100))

    def final_std(init):
        layers = []
        for i in range(10):
            layers += [Linear(100, 100, init=init, rng=i), ReLU()]
        return Sequential(layers).forward(X).std()

    assert 0.3 < final_std("he") < 3                               # the signal keeps its size
    assert final_std("normal") < 1e-8                              # std 0.01 shrinks it ~7x per layer


def test_custom_initialiser_function():
    layer = Linear(2, 3, init=lambda n_in, n_out, rng, dtype: np.full((n_in, n_out), 0.5, dtype=dtype))
    assert np.all(layer.W == 0.5)


# ------------------------------------------------------------------------------ Sequential

def test_sequential_names_counts_and_repr():
    model = Sequential([Linear(4, 3, rng=0), ReLU(), Linear(3, 2, rng=1)])
    assert list(model.parameters()) == ["0.W", "0.b", "2.W", "2.b"]
    assert model.n_parameters == 4 * 3 + 3 + 3 * 2 + 2
    assert repr(model) == "Sequential([Linear(4 → 3), ReLU(), Linear(3 → 2)])"
    assert len(model) == 3 and isinstance(model[1], ReLU)
    assert model(np.ones((1, 4))).shape == (1, 2)


# ------------------------------------------------------------------------------ bad input

def _fresh_linear():
    layer = Linear(3, 2, rng=0)
    layer.forward(np.ones((4, 3)))
    return layer


BAD = [
    ("wrong width", lambda: Linear(3, 2, rng=0).forward(np.ones((4, 5))), ValueError,
     "expects X of shape (n_samples, 3)"),
    ("one sample as 1-D", lambda: Linear(3, 2, rng=0).forward(np.ones(3)), ValueError, "X.reshape(1, -1)"),
    ("NaN in X", lambda: Linear(3, 2, rng=0).forward([[1.0, np.nan, 0.0]]), ValueError, "NaN"),
    ("inf in X float32", lambda: Linear(3, 2, rng=0, dtype=F32).forward(np.array([[1, np.inf, 0]], F32)),
     ValueError, "NaN or infinite"),
    ("text X", lambda: Linear(3, 2, rng=0).forward("abc"), TypeError, "X"),
    ("None X", lambda: ReLU().forward(None), TypeError, "None"),
    ("backward first (Linear)", lambda: Linear(3, 2, rng=0).backward(np.ones((4, 2))), ValueError,
     "before forward"),
    ("backward first (ReLU)", lambda: ReLU().backward(np.ones((4, 2))), ValueError, "before forward"),
    ("backward first (Sigmoid)", lambda: Sigmoid().backward(np.ones((4, 2))), ValueError, "before forward"),
    ("backward first (Tanh)", lambda: Tanh().backward(np.ones((4, 2))), ValueError, "before forward"),
    ("dZ wrong shape", lambda: _fresh_linear().backward(np.ones((4, 3))), ValueError,
     "shape of this layer's last output, (4, 2)"),
    ("dZ wrong batch", lambda: _fresh_linear().backward(np.ones((5, 2))), ValueError, "(4, 2)"),
    ("NaN in dZ", lambda: _fresh_linear().backward(np.full((4, 2), np.nan)), ValueError, "NaN"),
    ("n_in zero", lambda: Linear(0, 2), ValueError, "n_in"),
    ("n_out float", lambda: Linear(2, 2.5), TypeError, "n_out"),
    ("unknown init", lambda: Linear(2, 2, init="glorot"), ValueError, "init must be one of"),
    ("init not callable", lambda: Linear(2, 2, init=3), TypeError, "init"),
    ("init wrong shape", lambda: Linear(2, 2, init=lambda n_in, n_out, rng, dtype: np.ones(3)), ValueError,
     "shape (2, 2)"),
    ("bad dtype", lambda: Linear(2, 2, dtype=np.int32), TypeError, "np.float32 or np.float64"),
    ("bad seed", lambda: Linear(2, 2, rng="a"), TypeError, "rng"),
    ("he bad n", lambda: he(0, 3), ValueError, "n_in"),
    ("xavier bad n", lambda: xavier(2, -1), ValueError, "n_out"),
    ("normal bad std", lambda: normal(2, 3, std=-1.0), ValueError, "std"),
    ("sequential of a layer", lambda: Sequential(Linear(2, 2)), TypeError, "list of layers"),
    ("sequential empty", lambda: Sequential([]), ValueError, "empty"),
    ("sequential class not instance", lambda: Sequential([Linear(2, 2), ReLU]), TypeError, "ReLU() instead of ReLU"),
    ("sequential widths", lambda: Sequential([Linear(2, 3), ReLU(), Linear(4, 1)]), ValueError,
     "takes 4 inputs, but layers[0] Linear(2 → 3) gives 3"),
    ("sequential dtypes", lambda: Sequential([Linear(2, 3), Linear(3, 1, dtype=F32)]), ValueError, "one dtype"),
    ("astype int", lambda: Linear(2, 2).astype(int), TypeError, "np.float32"),
]


@pytest.mark.parametrize("call, err, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gets_a_clear_message(call, err, words):
    assert_clear_error(call, err, words)
