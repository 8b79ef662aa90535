"""Chapter 08's library: networks, runs side by side, deskewing, the confusion matrix and its figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import mnist  # noqa: E402
from nnlib.data import deskew, one_hot  # noqa: E402
from nnlib.layers import Linear, ReLU  # noqa: E402
from nnlib.losses import sigmoid_mse, softmax_cross_entropy  # noqa: E402
from nnlib.optim import SGD, inverse_time_decay  # noqa: E402
from nnlib.plot import confusion_matrix  # noqa: E402
from nnlib.train import train  # noqa: E402


def toy_digits(n=300, seed=0):
    """Small random 'images' with 3 classes: each class inks its own band of pixels."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    X = rng.random((n, 784)).astype(np.float32) * 0.2
    for k in range(3):
        X[y == k, k * 200:(k + 1) * 200] += 0.8
    return X, y


# -- networks ---------------------------------------------------------------------------------------------

def test_mlp_and_thesis_network():
    net = mnist.thesis_network(rng=3)
    assert [type(layer) for layer in net.layers] == [Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear]
    assert net.n_parameters == 13274 and net.dtype == np.float32
    same, other = mnist.thesis_network(rng=3), mnist.thesis_network(rng=4)
    assert np.array_equal(net[0].W, same[0].W) and not np.array_equal(net[0].W, other[0].W)
    assert not np.array_equal(net[0].W[:16, :16], net[2].W)      # layers draw in turn from one generator
    wide = mnist.mlp([784, 256, 10])
    assert len(wide.layers) == 3 and wide[0].W.shape == (784, 256)
    assert abs(wide[0].W.std() - np.sqrt(2 / 784)) < 0.002       # He initialisation


# -- side by side = train(), run by run -----------------------------------------------------------------

@pytest.mark.parametrize("loss,momentum", [("sigmoid_mse", 0.0), ("softmax_cross_entropy", 0.9)])
def test_side_by_side_runs_equal_train(loss, momentum):
    X, y = toy_digits()
    Xv, yv = toy_digits(100, seed=1)
    sizes = (784, 8, 8, 10)
    settings = [dict(label="a", loss=loss, lr=inverse_time_decay(0.1, decay=0.01), momentum=momentum),
                dict(label="b", loss=loss, lr=0.05, momentum=momentum)]
    runs = mnist.train_side_by_side(settings, [0, 5], X, y, X_val=Xv, y_val=yv, sizes=sizes, epochs=2,
                                    batch_size=32)
    assert runs.accuracy.shape == (2, 2, 2)
    for i, s in enumerate(settings):
        for j, seed in enumerate([0, 5]):
            net = mnist.mlp(sizes, rng=seed)
            targets = one_hot(y, 10).astype(np.float32) if loss == "sigmoid_mse" else y
            fn = sigmoid_mse if loss == "sigmoid_mse" else softmax_cross_entropy
            train(net, X, targets, loss=fn, optimizer=SGD(net, lr=s["lr"], momentum=momentum), epochs=2,
                  batch_size=32, rng=seed, progress=False)
            twin = runs.model(s["label"], j)
            for a, b in zip(net.parameters().values(), twin.parameters().values()):
                assert np.allclose(a, b, rtol=1e-3, atol=1e-4), (s["label"], seed)   # float32 rounding
            assert runs.accuracy[i, j, -1] == np.mean(net.forward(Xv).argmax(axis=1) == yv)


def test_side_by_side_summary():
    X, y = toy_digits()
    runs = mnist.train_side_by_side([dict(label="x", lr=0.5, loss="softmax_cross_entropy")], range(3), X, y,
                                    X_val=X, y_val=y, sizes=(784, 4, 3), epochs=2)
    acc = runs.accuracy[0, :, 1]
    assert runs.median("x", 2) == np.median(acc) and runs.range(0, 2) == (acc.min(), acc.max())
    assert "epoch 2:" in runs.table() and runs.seconds > 0
    with pytest.raises(ValueError, match="at most 2"):
        runs.median("x", 3)
    with pytest.raises(ValueError, match="no setting labelled"):
        runs.median("y", 1)


def test_side_by_side_reports_divergence():
    X, y = toy_digits()
    with pytest.raises(FloatingPointError, match="diverged"):
        mnist.train_side_by_side([dict(label="huge", lr=1e35, loss="softmax_cross_entropy")], [0], X, y,
                                 X_val=X, y_val=y, sizes=(784, 4, 3))


# -- one change at a time ---------------------------------------------------------------------------------

def test_configurations_change_one_thing_at_a_time():
    configs = mnist.ONE_CHANGE_AT_A_TIME
    assert configs[0]["sizes"] == mnist.THESIS_SIZES and configs[0]["loss"] == "sigmoid_mse"
    for before, after in zip(configs, configs[1:]):
        changed = {k for k in before if k != "change" and before[k] != after[k]}
        assert 1 <= len(changed) <= 2 and (len(changed) == 1 or changed == {"epochs", "decay"}), changed


def test_fit_trains_and_times():
    X, y = toy_digits()
    config = dict(mnist.ONE_CHANGE_AT_A_TIME[1], sizes=(784, 8, 3), epochs=2)
    model, seconds = mnist.fit(config, X, y)
    assert seconds > 0 and np.mean(model.forward(X).argmax(axis=1) == y) > 0.9
    assert mnist.schedule(mnist.ONE_CHANGE_AT_A_TIME[-1], 640)(20) == pytest.approx(0.1 * 0.3)   # 10 steps/epoch


# -- what the model gets wrong -------------------------------------------------------------------------------

def test_confusion_counts_and_per_class():
    y_true, y_pred = np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2])
    C = mnist.confusion_counts(y_true, y_pred)
    assert C.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert mnist.confusion_counts(y_true, y_pred, n_classes=4).shape == (4, 4)
    acc = mnist.per_class_accuracy(y_true, y_pred, n_classes=4)
    assert np.allclose(acc[:3], [0.5, 1, 2 / 3]) and np.isnan(acc[3])


def test_most_confident_mistakes():
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], [0.99, 0.01]])
    y = np.array([0, 0, 1, 1, 1])
    assert mnist.most_confident_mistakes(P, y, k=5).tolist() == [4, 1, 3]
    assert mnist.most_confident_mistakes(P, y, k=1).tolist() == [4]


def test_confusion_matrix_figure():
    fig, ax = plt.subplots()
    y_true, y_pred = np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1])
    assert confusion_matrix(y_true, y_pred, ax=ax) is ax
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "2"] and ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"
    ax2 = confusion_matrix(y_true, y_pred, ax=plt.subplots()[1], normalize="true", labels=["a", "b", "c"])
    assert "50.0" in [t.get_text() for t in ax2.texts]
    plt.close("all")


# -- deskewing ------------------------------------------------------------------------------------------

def slant(img):
    img = np.asarray(img, float).reshape(28, 28)
    idx = np.arange(28)
    m = img.sum()
    r, c = (img.sum(axis=1) @ idx) / m, (img.sum(axis=0) @ idx) / m
    mu11 = ((idx - r)[:, None] * (idx - c)[None, :] * img).sum() / m
    mu02 = (((idx - r) ** 2) * img.sum(axis=1)).sum() / m
    return mu11 / mu02


def slanted_bar(alpha=0.5):
    img = np.zeros((28, 28), np.float32)
    for r in range(6, 22):
        c = 14 + alpha * (r - 14)
        img[r, int(np.floor(c))] = 1 - (c - np.floor(c))
        img[r, int(np.floor(c)) + 1] = c - np.floor(c)
    return img


def test_deskew_straightens_and_keeps_shape():
    img = slanted_bar(0.5)
    assert abs(slant(img) - 0.5) < 0.05
    straight = deskew(img)
    assert straight.shape == (28, 28) and straight.dtype == np.float32
    assert abs(slant(straight)) < 0.02 and abs(straight.sum() - img.sum()) < 0.05 * img.sum()
    batch = np.stack([slanted_bar(a).ravel() for a in (-0.4, 0.0, 0.3)])
    out = deskew(batch)
    assert out.shape == (3, 784) and all(abs(slant(o)) < 0.02 for o in out)
    assert np.allclose(out[1], batch[1])                            # an upright bar is left alone
    assert deskew(batch.reshape(3, 28, 28)).shape == (3, 28, 28)
    assert np.array_equal(deskew(np.zeros(784)), np.zeros(784))      # a blank image is unchanged


def test_deskew_matches_a_pixel_by_pixel_version():
    rng = np.random.default_rng(2)
    img = slanted_bar(0.35) + 0.5 * (rng.random((28, 28)) > 0.97)
    alpha = slant(img)
    idx = np.arange(28)
    r_bar = (img.sum(axis=1) @ idx) / img.sum()
    want = np.zeros((28, 28))
    for r in range(28):
        for c in range(28):
            x = c + alpha * (r - r_bar)
            x0 = int(np.floor(x))
            f = x - x0
            want[r, c] = ((1 - f) * img[r, x0] if 0 <= x0 < 28 else 0) + (f * img[r, x0 + 1] if 0 <= x0 + 1 < 28 else 0)
    assert np.allclose(deskew(img), want, atol=1e-5)
