"""Unit tests for the core of nnlib: activations, data, perceptron, plot, validate, explorer base,
checker core, and the copy step of .ci/run."""

import os
import shutil
import subprocess
import time
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the Agg backend)

from nnlib import activations as act
from nnlib import data, plot
from nnlib.checks import core
from nnlib.explorers import BOOK_ENV, Choice, Explorer, Slider, Toggle
from nnlib.perceptron import Perceptron
from nnlib.validate import as_array, as_labels, as_number, as_rng

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------- activations

EXTREME = np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4])


@pytest.mark.parametrize("name", ["step", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime"])
def test_activations_finite_and_silent_for_extreme_inputs(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = getattr(act, name)(EXTREME)
    assert out.shape == EXTREME.shape and np.all(np.isfinite(out))


def test_sigmoid_values_and_symmetry():
    z = np.linspace(-30, 30, 601)
    s = act.sigmoid(z)
    assert act.sigmoid(0.0) == 0.5
    assert np.allclose(s + act.sigmoid(-z), 1.0)
    assert np.all(np.diff(s) >= 0)
    assert np.allclose(act.sigmoid(z[z < 20]), 1 / (1 + np.exp(-z[z < 20])))


def test_derivatives_match_finite_differences():
    z = np.linspace(-4, 4, 81) + 0.013   # avoid the kink of ReLU at 0
    h = 1e-6
    for f, fp in [(act.sigmoid, act.sigmoid_prime), (act.tanh, act.tanh_prime), (act.relu, act.relu_prime)]:
        numeric = (f(z + h) - f(z - h)) / (2 * h)
        assert np.allclose(fp(z), numeric, atol=1e-6)
    assert act.sigmoid_prime(0.0) == 0.25


def test_step_is_zero_at_zero():
    assert act.step([-1.0, 0.0, 1e-9]).tolist() == [0.0, 0.0, 1.0]


def test_softmax_rows_sum_to_one_even_for_huge_scores():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = act.softmax(np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]]))
    assert np.allclose(P.sum(axis=1), 1)
    assert np.allclose(P[0], [1, 0, 0])
    assert np.allclose(P[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())


# --------------------------------------------------------------------- data


@pytest.mark.parametrize("gate", list(data.GATES))
def test_logic_gates_are_truth_tables(gate):
    X, y = data.logic_gate(gate.lower())
    ops = {"AND": np.logical_and, "OR": np.logical_or, "XOR": np.logical_xor}
    base = gate.lstrip("N") if gate not in ("NOR",) else "OR"
    if gate == "XNOR":
        base = "XOR"
    expected = ops[base](X[:, 0], X[:, 1]).astype(int)
    if gate in ("NAND", "NOR", "XNOR"):
        expected = 1 - expected
    assert X.shape == (4, 2) and y.dtype == np.int64
    assert y.tolist() == expected.tolist()


@pytest.mark.parametrize("maker", [data.blobs, data.moons, data.circles, data.spirals])
def test_toy_sets_shapes_balance_and_seeds(maker):
    X, y = maker(101)
    assert X.shape == (101, 2) and y.shape == (101,)
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    X2, _ = maker(101)
    assert np.array_equal(X, X2), "same seed, same data"
    X3, _ = maker(101, rng=1)
    assert not np.array_equal(X, X3)


def test_one_hot_minibatches_and_split():
    Y = data.one_hot([2, 0, 1], n_classes=4)
    assert Y.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    batches = list(data.minibatches(X, y, batch_size=4, rng=0))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == list(range(10))
    assert all(np.array_equal(xb[:, 0] / 2, yb) for xb, yb in batches), "rows stay paired with labels"
    Xtr, ytr, Xva, yva = data.train_val_split(X, y, val_fraction=0.3)
    assert len(Xva) == 3 and len(Xtr) == 7
    assert sorted(np.concatenate([ytr, yva]).tolist()) == list(range(10))


@pytest.mark.parametrize("spelling", ["and", "AND", " And ", "aNd\n"])
def test_gate_names_ignore_case_and_spaces(spelling):
    assert data.gate_name(spelling) == "AND"
    assert data.logic_gate(spelling)[1].tolist() == [0, 0, 0, 1]


def test_gate_name_can_narrow_the_choices():
    assert data.GATE_NAMES == ("AND", "OR", "NAND", "NOR", "XOR", "XNOR")
    assert data.gate_name("xor", choices=("AND", "XOR")) == "XOR"
    with pytest.raises(ValueError, match="choose one of AND, XOR"):
        data.gate_name("nand", choices=("AND", "XOR"))


def test_split_of_two_samples_keeps_one_for_training():
    X, y = np.array([[1.0], [2.0]]), np.array([10, 20])
    Xtr, ytr, Xva, yva = data.train_val_split(X, y, val_fraction=0.5)
    assert len(Xtr) == len(Xva) == 1
    assert sorted([ytr[0], yva[0]]) == [10, 20] and Xtr[0, 0] * 10 == ytr[0], "rows stay paired with labels"
    assert ytr.dtype == y.dtype


def test_minibatches_keep_dtype_and_check_at_the_call():
    X32 = np.arange(30, dtype=np.float32).reshape(10, 3)
    batches = data.minibatches(X32, np.arange(10) > 4, batch_size=4)
    first_X, first_y = next(batches)
    assert first_X.dtype == np.float32 and first_y.dtype == bool and len(first_X) == 4
    with pytest.raises(TypeError, match="X is None"):
        data.minibatches(None, None)        # raised here, before any batch is asked for


def test_as_rng_seeds_and_generators():
    g = np.random.default_rng(5)
    assert as_rng(g) is g, "a Generator is used as it is, so its stream continues"
    assert as_rng(7).integers(1000) == np.random.default_rng(7).integers(1000)
    assert np.array_equal(data.blobs(10, rng=3)[0], data.blobs(10, rng=np.random.default_rng(3))[0])


# --------------------------------------------------------------------- one rule for numbers

NOT_NUMBERS = [True, np.bool_(False), "3", np.array("3"), np.array(True), None, 1j]


@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
def test_as_number_and_as_array_refuse_the_same_things(value):
    with pytest.raises(TypeError, match="a must be a number"):
        as_number(value, "a")
    with pytest.raises(TypeError, match="of numbers"):
        as_array(value, "a")
    with pytest.raises(TypeError, match="of numbers"):
        as_array([1.0, value], "a")          # also inside a list, where NumPy would convert it


@pytest.mark.parametrize("value", [3, 2.5, np.float32(1.5), np.int64(4), np.array(2.0)], ids=repr)
def test_as_number_and_as_array_accept_the_same_things(value):
    assert as_number(value, "a") == float(as_array(value, "a")) == float(value)


def test_labels_may_be_true_false():
    X = np.array([[-1.0, 0.0], [1.0, 0.5], [2.0, -1.0], [-2.0, 1.0]])
    y = X[:, 0] > 0
    assert as_labels(y).tolist() == [0, 1, 1, 0] and as_labels([True, False]).tolist() == [1, 0]
    with pytest.raises(TypeError, match="True/False"):
        as_array(y, "y")                     # only label vectors take True/False
    p = Perceptron(2).fit(X, y, epochs=20)
    assert p.converged_ and p.score(X, y) == 1.0
    assert Perceptron(2).update(X[1], True) == 1
    assert data.one_hot(y).tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]]
    fig, ax = plt.subplots()
    plot.scatter_classes(X, y, ax=ax, labels=["left", "right"])
    assert [t.get_text() for t in ax.legend().get_texts()] == ["left", "right"]
    plt.close(fig)


def test_one_hot_huge_label_is_not_called_negative():
    with pytest.raises(ValueError) as info:
        data.one_hot([1e20])
    assert "negative" not in str(info.value) and "1e+20" in str(info.value)


# --------------------------------------------------------------------- MNIST


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_mnist_shapes_types_and_ranges(mnist):
    X_train, y_train, X_test, y_test = mnist
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert 0.0 == X_train.min() and X_train.max() == 1.0
    assert np.bincount(y_train).tolist()[:3] == [5923, 6742, 5958]
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9] and y_test[:5].tolist() == [7, 2, 1, 0, 4]


def _copy_mnist(tmp_path):
    import shutil
    for f in data.DEFAULT_MNIST_DIR.glob("*.gz"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_mnist_missing_file_names_file_and_fix(tmp_path):
    d = _copy_mnist(tmp_path)
    (d / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError) as info:
        data.load_mnist(data_dir=d)
    msg = str(info.value)
    assert "t10k-labels-idx1-ubyte.gz" in msg and "10,008 bytes" in msg and "git checkout" in msg


def test_mnist_truncated_file(tmp_path):
    d = _copy_mnist(tmp_path)
    f = d / "train-labels-idx1-ubyte.gz"
    f.write_bytes(f.read_bytes()[:5000])
    with pytest.raises(data.MnistFileError) as info:
        data.load_mnist(data_dir=d)
    assert "truncated" in str(info.value) and "train-labels-idx1-ubyte.gz" in str(info.value)


def test_mnist_altered_file(tmp_path):
    import gzip
    d = _copy_mnist(tmp_path)
    f = d / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(f.read_bytes()))
    raw[100] = (raw[100] + 1) % 10          # one label changed: same size, wrong hash
    f.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(data.MnistFileError) as info:
        data.load_mnist(data_dir=d)
    assert "does not hold the original data" in str(info.value) and "SHA-256" in str(info.value)


def test_mnist_not_gzip(tmp_path):
    d = _copy_mnist(tmp_path)
    (d / "t10k-images-idx3-ubyte.gz").write_text("hello")
    with pytest.raises(data.MnistFileError):
        data.load_mnist(data_dir=d)


def test_mnist_is_loaded_once_and_read_only():
    first = data.load_mnist()
    start = time.perf_counter()
    again = data.load_mnist()
    assert time.perf_counter() - start < 0.05, "the second call must not parse the files again"
    assert again is first
    assert data.load_mnist(data.DEFAULT_MNIST_DIR / ".." / "mnist") is first, "same folder, other spelling"
    assert not any(arr.flags.writeable for arr in first)
    with pytest.raises(ValueError, match="read-only"):
        first[0][0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        first[1][:5] += 1
    mine = first[0][:2].copy()
    mine[0, 0] = 1.0                          # a copy is the student's own, writable
    assert first[0][0, 0] == 0.0


def test_mnist_cache_is_per_folder_and_notices_changed_files(tmp_path):
    default = data.load_mnist()
    d = _copy_mnist(tmp_path)
    try:
        copy = data.load_mnist(data_dir=d)
        assert copy is not default and np.array_equal(copy[3], default[3])
        assert data.load_mnist(data_dir=d) is copy
        f = d / "train-images-idx3-ubyte.gz"
        f.write_bytes(f.read_bytes()[:5000])     # the cached folder's file changes
        with pytest.raises(data.MnistFileError, match="truncated"):
            data.load_mnist(data_dir=d)
        f.unlink()
        with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz"):
            data.load_mnist(data_dir=d)
        assert data.load_mnist() is default, "the course's own folder is unaffected"
    finally:
        data.load_mnist.cache_clear()
    reloaded = data.load_mnist()
    assert reloaded is not default and np.array_equal(reloaded[1], default[1])


# --------------------------------------------------------------------- perceptron


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_perceptron_learns_linearly_separable_gates(gate):
    X, y = data.logic_gate(gate)
    p = Perceptron(2).fit(X, y, epochs=50, lr=1.0)
    assert p.converged_ and p.errors_[-1] == 0
    assert p.predict(X).tolist() == y.tolist()
    assert p.score(X, y) == 1.0


def test_perceptron_never_converges_on_xor():
    X, y = data.logic_gate("XOR")
    p = Perceptron(2).fit(X, y, epochs=100)
    assert not p.converged_ and min(p.errors_) >= 1


def test_perceptron_update_rule_by_hand():
    p = Perceptron(2, w=[0.5, -0.5], b=0.0)
    err = p.update([1.0, 1.0], 1, lr=0.1)      # z = 0 -> predicts 0, should be 1
    assert err == 1 and np.allclose(p.w, [0.6, -0.4]) and np.isclose(p.b, 0.1)
    assert p.update([1.0, 1.0], 1, lr=0.1) == 0  # z = 0.3 > 0, right: no change
    assert np.allclose(p.w, [0.6, -0.4])


def test_perceptron_update_refuses_before_changing_anything():
    p = Perceptron(2, w=[0.5, -0.5], b=0.1)
    for bad in [dict(y=5), dict(y=-1), dict(y=1, lr=np.nan), dict(y=1, lr="a"), dict(y=1, lr=-1.0)]:
        with pytest.raises((TypeError, ValueError)):
            p.update([1.0, 1.0], **bad)
        assert p.w.tolist() == [0.5, -0.5] and p.b == 0.1


def test_perceptron_score_checks_lengths_and_counts_right_answers():
    p = Perceptron(2, w=[1.0, 1.0], b=-1.5)            # AND
    X, _ = data.logic_gate("AND")
    assert p.score(X, [0, 0, 0, 1]) == 1.0
    assert p.score(X, [0, 0, 1, 1]) == 0.75
    with pytest.raises(ValueError, match="X has 4 rows but y has 3"):
        p.score(X, [0, 0, 1])


def test_perceptron_history_records_every_update():
    X, y = data.logic_gate("AND")
    p = Perceptron(2).fit(X, y, epochs=20)
    assert len(p.history_) == 1 + 4 * len(p.errors_)
    last = p.history_[-1]
    assert np.array_equal(last["w"], p.w) and last["b"] == p.b


# --------------------------------------------------------------------- explorer base


class Wave(Explorer):
    params = [Slider("a", 0.1, 10.0, 1.0, log=True), Slider("n", 1, 5, 2, integer=True),
              Choice("kind", ["sin", "cos"], "sin"), Toggle("grid", False)]
    figsize = (4, 3)

    def setup(self, fig):
        self.ax = fig.add_subplot()
        self.x = np.linspace(0, 6, 100)
        (self.line,) = self.ax.plot(self.x, self.x)
        self.ax.set_xlabel("x")
        self.ax.set_ylabel("y")

    def draw(self, a, n, kind, grid):
        self.line.set_ydata(getattr(np, kind)(a * self.x) * n)
        self.ax.set_title(f"a = {a:.2f}")

    def fallback(self):
        return self.animation("a", [0.5, 1.0, 2.0, 4.0])


def test_explorer_set_changes_png_and_validates():
    e = Wave()
    before = e.to_png()
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    assert e.set(a=3.0).to_png() != before
    with pytest.raises(ValueError, match="between 0.1 and 10"):
        e.set(a=100)
    with pytest.raises(TypeError, match="no parameter"):
        e.set(b=1)
    with pytest.raises(ValueError, match="one of"):
        e.set(kind="tan")
    with pytest.raises(TypeError, match="True or False"):
        e.set(grid="yes")
    with pytest.raises(TypeError, match="a number"):
        e.set(a="2")


def test_explorer_widget_slider_rerenders_image():
    w = Wave().widget()
    before = w.image.value
    w.controls["a"].value = 5.0
    w.renderer.wait()                      # renders run in a background thread
    assert w.explorer.values["a"] == 5.0
    assert w.image.value != before


def test_explorer_fallback_is_offline_and_has_frames():
    html = Wave().fallback()
    assert html.count('"iVBOR') == 4                        # four base64 PNG frames in the player's data
    assert "http://" not in html and "https://" not in html
    assert 'type="range"' in html


def test_show_switches_on_book_build(monkeypatch):
    import ipywidgets
    from IPython.display import HTML
    monkeypatch.delenv(BOOK_ENV, raising=False)
    assert isinstance(Wave().show(), ipywidgets.Widget)
    monkeypatch.setenv(BOOK_ENV, "1")
    assert isinstance(Wave().show(), HTML)


# --------------------------------------------------------------------- checker core


def test_feedback_truthiness_and_html():
    ok = core.correct("Ex 1")
    bad = core.incorrect("Ex 1", "Wrong <sign>.")
    assert ok and not bad and not core.not_attempted("Ex 1")
    assert "&lt;sign&gt;" in bad._repr_html_()
    assert "incorrect" in str(bad)


def test_call_turns_failures_into_feedback():
    def stub(x):
        raise NotImplementedError

    def buggy(x):
        return x / "a"

    assert core.call("E", stub, 1)[1].status == core.NOT_ATTEMPTED
    fb = core.call("E", buggy, 1)[1]
    assert fb.status == core.INCORRECT and "TypeError" in fb.message
    assert "Expected a function" in core.call("E", 3, 1)[1].message
    assert core.call("E", lambda x: x + 1, 1) == (2, None)


def test_check_array_result_messages():
    exp = np.zeros(4)
    assert "return" in core.check_array_result("E", None, exp).message
    assert "shape (4, 1)" in core.check_array_result("E", np.zeros((4, 1)), exp).message
    assert "single number" in core.check_array_result("E", 0.0, exp).message
    assert "NaN" in core.check_array_result("E", [0, np.nan, 0, 0], exp).message
    assert core.check_array_result("E", [1, 2, 3, 4], exp) is None


def test_diagnose_names_the_mistake():
    mistakes = [(np.array([-1.0, -2.0]), "wrong sign"), (np.array([2.0, 4.0]), "factor of 2")]
    assert core.diagnose("E", [1, 2], [1, 2], mistakes, fallback="no") is None
    assert core.diagnose("E", [-1, -2], [1, 2], mistakes, fallback="no").message == "wrong sign"
    assert core.diagnose("E", [2, 4], [1, 2], mistakes, fallback="no").message == "factor of 2"
    assert core.diagnose("E", [7, 7], [1, 2], mistakes, fallback="no").message == "no"


# --------------------------------------------------------------------- .ci/run


def test_ci_copy_skips_tracked_files_deleted_in_the_working_tree(tmp_path):
    """CI_COPY_ONLY=1 runs only the copy step of .ci/run. A tracked file deleted in the
    working tree used to stop it (xargs exit 123 under set -e) when listed last."""
    repo = tmp_path / "repo"
    files = {".gitignore": "*.log\n", "keep.txt": "kept\n", "sub/tracked.txt": "t\n", "zz_deleted.txt": "gone\n"}
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    (repo / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "TMPDIR": str(tmp_path), "CI_COPY_ONLY": "1"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "all files"]):
        subprocess.run(["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", *args],
                       cwd=repo, env=env, check=True, capture_output=True)
    (repo / "zz_deleted.txt").unlink()        # tracked, deleted, and the last file git lists
    (repo / "new.txt").write_text("untracked\n")
    (repo / "debug.log").write_text("ignored\n")
    result = subprocess.run(["bash", str(repo / ".ci" / "run")], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    dest = Path(result.stdout.strip().splitlines()[-1])
    assert dest.parent == tmp_path and dest.name.startswith("nnlib-ci.")
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert copied == [".ci/run", ".gitignore", "keep.txt", "new.txt", "sub/tracked.txt"]
    assert (dest / "keep.txt").read_text() == "kept\n"
