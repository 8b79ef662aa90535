"""nnlib.train: learning MNIST for real, history, early stopping, the quiet progress bar, saving weights."""

import sys
import types

import numpy as np
import pytest

from nnlib import layers as layers_module
from nnlib import train as train_module
from nnlib.data import blobs, load_mnist, one_hot
from nnlib.layers import Linear, ReLU, Sequential, Sigmoid
from nnlib.losses import binary_cross_entropy, mse, softmax_cross_entropy
from nnlib.optim import SGD
from nnlib.train import (History, accuracy, evaluate, load_weights, save_weights, show_progress, train)
from test_bad_inputs import assert_clear_error, assert_raised_by_nnlib

F32 = np.float32


@pytest.fixture(scope="module")
def mnist_subset():
    X, y, X_test, y_test = load_mnist()
    return X[:3000], y[:3000], X_test[:1000], y_test[:1000]


def small_mnist_model(hidden=32):
    return Sequential([Linear(784, hidden, rng=0, dtype=F32), ReLU(), Linear(hidden, 10, rng=1, dtype=F32)])


# ------------------------------------------------------------------------------ it really learns

def test_mnist_accuracy_climbs_far_above_chance(mnist_subset):
    X, y, X_test, y_test = mnist_subset
    model = small_mnist_model()
    before = evaluate(model, X_test, y_test)[1]
    history = train(model, X, y, optimizer=SGD(model, lr=0.1, momentum=0.9), epochs=3, batch_size=64,
                    validation=(X_test, y_test))
    assert before < 0.25                                    # random weights: about chance (10 %)
    assert history.val_accuracy[-1] > 0.85                  # three epochs on 3,000 images
    assert history.loss[0] > history.loss[-1] and history.accuracy[-1] > history.accuracy[0]
    assert model.layers[0].W.dtype == F32


def test_a_broken_backward_cannot_pass_the_mnist_test(mnist_subset, monkeypatch):
    """The same run with dW computed from the wrong sign stays near chance (the test above can fail)."""
    X, y, X_test, y_test = mnist_subset
    real = layers_module.Linear.backward

    def wrong_sign(self, dZ, *, input_grad=True):
        dX = real(self, dZ, input_grad=input_grad)
        self.dW = -self.dW
        return dX

    monkeypatch.setattr(layers_module.Linear, "backward", wrong_sign)
    model = small_mnist_model()
    try:
        history = train(model, X, y, optimizer=SGD(model, lr=0.1, momentum=0.9), epochs=3, batch_size=64,
                        validation=(X_test, y_test))
        final = history.val_accuracy[-1]
    except FloatingPointError as err:                       # gradient ascent: the loss may blow up
        assert "diverged" in str(err)
        try:
            with np.errstate(all="ignore"):
                final = evaluate(model, X_test, y_test)[1]
        except ValueError:                                  # the blown-up weights cannot even predict
            final = 0.0
    assert final < 0.5


def test_the_essays_network_mse_sigmoid_one_hot(mnist_subset):
    """784-16-16-16-10, ReLU hidden, sigmoid output, MSE on one-hot targets, He init, SGD 0.1 (chapter 08)."""
    X, y, X_test, y_test = mnist_subset
    model = Sequential([Linear(784, 16, rng=0), ReLU(), Linear(16, 16, rng=1), ReLU(), Linear(16, 16, rng=2), ReLU(),
                        Linear(16, 10, rng=3), Sigmoid()])
    history = train(model, X, one_hot(y, 10), loss=mse, optimizer=SGD(model, lr=3.0), epochs=6,
                    batch_size=64, validation=(X_test, one_hot(y_test, 10)))
    # slow, as chapter 08 says of MSE with sigmoid outputs, but learning
    assert history.val_accuracy[-1] > 0.6 and history.val_loss[-1] < 0.8 * history.val_loss[0]


def test_binary_classification_with_logits():
    X, y = blobs(200, rng=0)
    model = Sequential([Linear(2, 1, rng=0)])
    history = train(model, X, y, loss=binary_cross_entropy, epochs=20, batch_size=16)
    Z = model.forward(X)
    assert history.accuracy[-1] > 0.9
    assert np.isclose(accuracy(Z, y, threshold=0.0), evaluate(model, X, y, loss="binary_cross_entropy")[1])


# ------------------------------------------------------------------------------ history, seeds, early stopping

def test_history_and_reproducible_shuffling():
    X, y = blobs(120, rng=1)

    def run(seed):
        model = Sequential([Linear(2, 8, rng=0), ReLU(), Linear(8, 2, rng=1)])
        h = train(model, X, y, epochs=4, batch_size=10, rng=seed, validation=(X, y))
        return h, model.layers[0].W.copy()

    h1, W1 = run(0)
    h2, W2 = run(0)
    h3, W3 = run(1)
    assert isinstance(h1, History) and h1.epochs == 4
    assert len(h1.loss) == len(h1.accuracy) == len(h1.val_loss) == len(h1.val_accuracy) == 4
    assert np.array_equal(W1, W2) and h1.loss == h2.loss                 # same seed, same run
    assert not np.array_equal(W1, W3)                                    # another seed shuffles differently
    assert h1.best_epoch == int(np.argmin(h1.val_loss)) + 1 and not h1.stopped_early
    assert "4 epochs" in repr(h1) and "val_accuracy" in repr(h1)


def test_epoch_loss_is_the_mean_of_the_batch_losses():
    X, y = blobs(50, rng=2)
    model = Sequential([Linear(2, 2, rng=0)])
    W0, b0 = model.layers[0].W.copy(), model.layers[0].b.copy()
    h = train(model, X, y, epochs=1, batch_size=50, shuffle=False, optimizer=SGD(model, lr=0.1))
    ref = softmax_cross_entropy(X @ W0 + b0, y)[0]                       # one batch: the loss before the step
    assert np.isclose(h.loss[0], ref)


def test_early_stopping_stops_and_restores_the_best_weights():
    X, y = blobs(200, rng=3)
    X_val, y_val = X[:60], 1 - y[:60]                                    # validation labels flipped: it gets worse
    model = Sequential([Linear(2, 8, rng=0), ReLU(), Linear(8, 2, rng=1)])
    h = train(model, X, y, epochs=50, batch_size=20, validation=(X_val, y_val), early_stopping=3)
    assert h.stopped_early and h.epochs == h.best_epoch + 3 and h.epochs < 50
    assert np.isclose(evaluate(model, X_val, y_val)[0], h.val_loss[h.best_epoch - 1])   # best weights are back
    assert "stopped early" in repr(h)


def test_diverging_training_says_so():
    X, _ = blobs(100, rng=4)
    model = Sequential([Linear(2, 1, rng=0)])
    with pytest.raises(FloatingPointError, match=r"training diverged in epoch \d+ \(batch \d+\).*smaller learning rate"):
        train(model, X * 10, X[:, :1], loss=mse, optimizer=SGD(model, lr=10.0), epochs=20, batch_size=10)


# ------------------------------------------------------------------------------ the progress bar stays quiet

def test_progress_on_writes_nothing_in_a_non_interactive_run(capfd, monkeypatch):
    monkeypatch.delenv("NNLIB_PROGRESS", raising=False)
    X, y = blobs(100, rng=5)
    model = Sequential([Linear(2, 4, rng=0), ReLU(), Linear(4, 2, rng=1)])
    train(model, X, y, epochs=3, batch_size=10, progress=True)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_forced_progress_really_draws_a_bar(capfd, monkeypatch):
    """With NNLIB_PROGRESS=1 the bar appears on stderr: the quiet test above can fail."""
    monkeypatch.setenv("NNLIB_PROGRESS", "1")
    monkeypatch.delenv("NNLIB_BOOK_BUILD", raising=False)
    X, y = blobs(100, rng=5)
    train(Sequential([Linear(2, 2, rng=0)]), X, y, epochs=2, batch_size=10)
    err = capfd.readouterr().err
    assert "epoch 2/2" in err and "loss" in err and "accuracy" in err
    monkeypatch.setenv("NNLIB_BOOK_BUILD", "1")                            # the book build wins over everything
    train(Sequential([Linear(2, 2, rng=0)]), X, y, epochs=1, batch_size=10)
    assert capfd.readouterr().err == ""


def _fake_kernel(monkeypatch, content):
    kernel = types.SimpleNamespace(get_parent=lambda channel=None: {"content": content})
    shell = types.SimpleNamespace(kernel=kernel)
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))


@pytest.mark.parametrize("content, shown", [
    ({"allow_stdin": True, "store_history": True}, True),      # JupyterLab, Notebook, VS Code: a person
    ({"allow_stdin": True, "store_history": False}, False),    # nbval
    ({"allow_stdin": False, "store_history": True}, False),    # nbclient: the book, nbconvert, papermill
    ({}, False),
])
def test_the_bar_is_shown_only_to_a_person_at_a_frontend(monkeypatch, content, shown):
    monkeypatch.delenv("NNLIB_PROGRESS", raising=False)
    monkeypatch.delenv("NNLIB_BOOK_BUILD", raising=False)
    _fake_kernel(monkeypatch, content)
    assert show_progress(True) is shown
    assert show_progress(False) is False
    monkeypatch.setenv("NNLIB_BOOK_BUILD", "1")
    assert show_progress(True) is False
    monkeypatch.delenv("NNLIB_BOOK_BUILD")
    monkeypatch.setenv("NNLIB_PROGRESS", "0")
    assert show_progress(True) is False


def test_outside_a_kernel_the_bar_needs_a_terminal(monkeypatch):
    monkeypatch.delenv("NNLIB_PROGRESS", raising=False)
    monkeypatch.delenv("NNLIB_BOOK_BUILD", raising=False)
    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setattr(sys, "stderr", types.SimpleNamespace(isatty=lambda: True, write=lambda s: None))
    assert show_progress(True) is True
    monkeypatch.setattr(sys, "stderr", types.SimpleNamespace(isatty=lambda: False, write=lambda s: None))
    assert show_progress(True) is False


def test_a_real_kernel_shows_the_bar_to_jupyterlab_and_nothing_to_nbval_or_nbclient():
    """Runs train in a real IPython kernel, sending the cell as JupyterLab, nbval and nbclient do."""
    from jupyter_client.manager import start_new_kernel

    code = ("from nnlib.layers import Sequential, Linear\nfrom nnlib.train import train\n"
            "from nnlib.data import blobs\nX, y = blobs(60, rng=0)\n"
            "h = train(Sequential([Linear(2, 2, rng=0)]), X, y, epochs=2, batch_size=10)")
    km, kc = start_new_kernel(kernel_name="python3", env={k: v for k, v in __import__("os").environ.items()
                                                          if k not in ("NNLIB_PROGRESS", "NNLIB_BOOK_BUILD")})
    try:
        def outputs(**flags):
            msg_id = kc.execute(code, **flags)
            seen = []
            while True:
                msg = kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return seen
                if msg["msg_type"] in ("stream", "display_data", "update_display_data", "error", "comm_open"):
                    seen.append(msg)

        lab = outputs(allow_stdin=True, store_history=True)
        assert any(m["msg_type"] == "display_data" and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]
                   for m in lab), [m["msg_type"] for m in lab]
        assert not [m for m in lab if m["msg_type"] in ("stream", "error")]
        assert outputs(allow_stdin=True, store_history=False) == []          # nbval
        assert outputs(allow_stdin=False, store_history=True) == []          # nbclient
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# ------------------------------------------------------------------------------ accuracy and evaluate

def test_accuracy_rules():
    Z = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [1.0, 2.0, 0.0]])
    assert accuracy(Z, [0, 1, 2, 0]) == 0.75
    assert accuracy(Z, one_hot([0, 1, 2, 0], 3)) == 0.75
    assert accuracy(np.array([0.2, 0.7, 0.9]), [0, 1, 0]) == pytest.approx(2 / 3)
    assert accuracy(np.array([[-1.0], [2.0]]), [0, 1], threshold=0.0) == 1.0


def test_evaluate_matches_a_direct_computation_in_chunks():
    X, y = blobs(250, rng=6)
    model = Sequential([Linear(2, 5, rng=0), ReLU(), Linear(5, 2, rng=1)])
    loss, acc = evaluate(model, X, y, batch_size=64)
    Z = model.forward(X)
    assert np.isclose(loss, softmax_cross_entropy(Z, y)[0]) and acc == accuracy(Z, y)
    regression = evaluate(Sequential([Linear(2, 1, rng=0)]), X, X[:, :1] * 0.37, loss=mse)
    assert np.isnan(regression[1])


# ------------------------------------------------------------------------------ saving and loading

def test_save_and_load_round_trip(tmp_path):
    model = small_mnist_model()
    path = save_weights(model, tmp_path / "weights")
    assert path.name == "weights.npz"
    with np.load(path, allow_pickle=False) as f:                        # plain arrays, no pickle needed
        assert sorted(f.files) == ["0.W", "0.b", "2.W", "2.b"]
    other = Sequential([Linear(784, 32, rng=5, dtype=F32), ReLU(), Linear(32, 10, rng=6, dtype=F32)])
    W_array = other.layers[0].W
    assert load_weights(other, tmp_path / "weights") is other
    assert other.layers[0].W is W_array                                  # loaded in place: optimizers keep working
    for name, p in model.parameters().items():
        assert np.array_equal(other.parameters()[name], p)
    X = np.random.default_rng(0).random((3, 784), dtype=F32)
    assert np.array_equal(model.forward(X), other.forward(X))


def test_loading_into_a_different_model_lists_every_difference_and_loads_nothing(tmp_path):
    path = save_weights(small_mnist_model(), tmp_path / "w.npz")
    other = Sequential([Linear(784, 64, rng=0), ReLU(), Linear(64, 10, rng=1), ReLU(), Linear(10, 2, rng=2)])
    before = {k: v.copy() for k, v in other.parameters().items()}
    with pytest.raises(ValueError) as info:
        load_weights(other, path)
    message = str(info.value)
    assert "0.W: the file has shape (784, 32), the model (784, 64)" in message
    assert "0.b: the file has shape (32,), the model (64,)" in message
    assert "2.W: the file has shape (32, 10), the model (64, 10)" in message
    assert "missing from the file: 4.W (10, 2)" in message and "missing from the file: 4.b (2,)" in message
    assert "nothing was loaded" in message
    assert all(np.array_equal(before[k], v) for k, v in other.parameters().items())
    assert_raised_by_nnlib(info.value)


def test_loading_a_file_with_extra_or_broken_arrays(tmp_path):
    model = Sequential([Linear(2, 2, rng=0)])
    np.savez(tmp_path / "extra.npz", **{"0.W": np.ones((2, 2)), "0.b": np.ones(2), "1.W": np.ones(3)})
    with pytest.raises(ValueError, match=r"in the file but not in the model: 1.W \(3,\)"):
        load_weights(model, tmp_path / "extra.npz")
    np.savez(tmp_path / "nan.npz", **{"0.W": np.full((2, 2), np.nan), "0.b": np.ones(2)})
    with pytest.raises(ValueError, match="0.W: the file holds NaN"):
        load_weights(model, tmp_path / "nan.npz")


BAD = [
    ("model", lambda: train("model", [[0.0]], [0]), TypeError, "forward and backward"),
    ("epochs", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], epochs=0), ValueError,
     "epochs"),
    ("batch_size", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], batch_size="8"),
     TypeError, "batch_size"),
    ("loss name", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], loss="cross"),
     ValueError, "loss must be one of"),
    ("loss type", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], loss=3), TypeError,
     "loss function"),
    ("lengths", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0]), ValueError,
     "same samples"),
    ("X width", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 3)), [0, 1, 0, 1]), ValueError,
     "expects X of shape (n_samples, 2)"),
    ("X NaN", lambda: train(Sequential([Linear(2, 2)]), [[np.nan, 0.0]], [0]), ValueError, "NaN"),
    ("validation", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], validation=np.ones(3)),
     TypeError, "pair (X_val, y_val)"),
    ("validation lengths", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1],
                                         validation=(np.ones((3, 2)), [0, 1])), ValueError, "X_val and y_val"),
    ("optimizer", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], optimizer="sgd"),
     TypeError, "step()"),
    ("progress", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], progress="yes"),
     TypeError, "progress"),
    ("early_stopping", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], early_stopping=0),
     ValueError, "early_stopping"),
    ("shuffle", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], shuffle=1), TypeError,
     "shuffle"),
    ("rng", lambda: train(Sequential([Linear(2, 2)]), np.ones((4, 2)), [0, 1, 0, 1], rng=-1), ValueError, "rng"),
    ("labels", lambda: train(Sequential([Linear(2, 2)]), np.ones((2, 2)), [0, 5]), ValueError, "labels"),
    ("evaluate model", lambda: evaluate(None, np.ones((2, 2)), [0, 1]), TypeError, "forward and backward"),
    ("evaluate batch", lambda: evaluate(Sequential([Linear(2, 2)]), np.ones((2, 2)), [0, 1], batch_size=0),
     ValueError, "batch_size"),
    ("accuracy shape", lambda: accuracy(np.ones((3, 2)), [0, 1]), ValueError, "one label per sample"),
    ("accuracy one-hot", lambda: accuracy(np.ones((3, 2)), np.ones((3, 3))), ValueError, "one-hot y"),
    ("accuracy 3-D", lambda: accuracy(np.ones((3, 1, 1)), [0, 1, 0]), ValueError, "outputs must have shape"),
    ("accuracy threshold", lambda: accuracy(np.ones(3), [0, 1, 0], threshold="half"), TypeError, "threshold"),
    ("accuracy text", lambda: accuracy("abc", [0]), TypeError, "outputs"),
    ("show_progress", lambda: show_progress(1), TypeError, "True or False"),
    ("save path", lambda: save_weights(Sequential([Linear(2, 2)]), 3), TypeError, "path"),
    ("save folder", lambda: save_weights(Sequential([Linear(2, 2)]), "/no/such/folder/w"), FileNotFoundError,
     "does not exist"),
    ("save nothing", lambda: save_weights(Sequential([ReLU()]), "w"), TypeError, "no parameters"),
    ("load missing", lambda: load_weights(Sequential([Linear(2, 2)]), "/no/such/file.npz"), FileNotFoundError,
     "no weights file"),
    ("load not npz", lambda: load_weights(Sequential([Linear(2, 2)]), __file__), ValueError, "not a weights file"),
]


@pytest.mark.parametrize("call, err, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gets_a_clear_message(call, err, words):
    assert_clear_error(call, err, words)


def test_loading_a_plain_npy_file_is_refused(tmp_path):
    np.save(tmp_path / "w.npy", np.ones(3))
    with pytest.raises(ValueError, match="not a weights file") as info:
        load_weights(Sequential([Linear(2, 2)]), tmp_path / "w.npy")
    assert_raised_by_nnlib(info.value)


def test_module_docstring_documents_the_progress_rule():
    doc = train_module.__doc__
    assert "NNLIB_BOOK_BUILD" in doc and "allow_stdin" in doc and "store_history" in doc and "NNLIB_PROGRESS" in doc


def test_sigmoid_mse_by_name_scores_logits_with_threshold_zero():
    """loss="sigmoid_mse" (chapters 05 and 08): the model outputs logits, so a logit > 0 means "yes"."""
    from nnlib.layers import Linear
    from nnlib.train import evaluate
    model = Linear(1, 1, rng=0)
    model.W[...] = 1.0
    model.b[...] = 0.0
    X = np.array([[-2.0], [-0.2], [0.3], [2.0]])
    y = np.array([[0.0], [1.0], [1.0], [1.0]])
    loss, acc = evaluate(model, X, y, loss="sigmoid_mse")
    assert acc == 0.75                      # only -0.2 is on the wrong side of 0
    assert loss > 0
