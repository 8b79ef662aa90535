"""Bad input gets a clear message, never a traceback from inside NumPy.

Every case calls a public nnlib function with something a student might
plausibly pass by mistake, and checks the exception type, a phrase of its
message, and that the exception was raised by one of nnlib's own ``raise``
statements (see :func:`assert_raised_by_nnlib`). A further test checks that
every public function of the student-facing modules has at least one case.
"""

import ast
import functools
import importlib.util
import inspect
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import nnlib
from nnlib import activations, data, logistic, network, perceptron, plot
from nnlib import losses, profiles
from nnlib import approx
from nnlib import features, separability
from nnlib import drawing, mnist
from nnlib.perceptron import OneVsRestPerceptron, Perceptron

NNLIB_DIR = Path(nnlib.__file__).resolve().parent
X4, y4 = data.logic_gate("AND")


# --------------------------------------------------------------------- where did the error come from?


def _frames(err):
    """The traceback of ``err`` as a list of (frame, line number), outermost first."""
    out, tb = [], err.__traceback__
    while tb is not None:
        out.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return out


def _in_nnlib(frame):
    """True if the frame runs code from a file of the imported nnlib package."""
    return Path(frame.f_code.co_filename).resolve().is_relative_to(NNLIB_DIR)


@functools.lru_cache(maxsize=None)
def _raise_lines(path):
    """Every line that belongs to a ``raise <exception>`` statement in the file."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return frozenset(line for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None
                     for line in range(node.lineno, node.end_lineno + 1))


def assert_raised_by_nnlib(err):
    """Fail unless ``err`` was raised by a ``raise`` statement in nnlib's own source.

    The innermost frame must be in the nnlib package folder itself (not merely
    in a path containing "nnlib", like a virtual environment inside a folder
    called nnlib-ci), and its line must be a ``raise``: an error that NumPy or
    Python raises in C leaves nnlib's calling line as the innermost frame.
    """
    frame, line = _frames(err)[-1]
    path = Path(frame.f_code.co_filename).resolve()
    assert _in_nnlib(frame), f"{type(err).__name__} was raised in {path}, outside the nnlib package {NNLIB_DIR}"
    assert line in _raise_lines(str(path)), (
        f"{type(err).__name__} was raised at {path.name}:{line}, which is not a raise statement: "
        f"it came from a call on that line (NumPy or Python), not from one of nnlib's checks")


def assert_clear_error(call, err, words):
    """``call()`` raises ``err`` whose message contains ``words``, from an nnlib ``raise``."""
    with pytest.raises(err) as info:
        call()
    assert words in str(info.value), str(info.value)
    assert_raised_by_nnlib(info.value)


def entry_point(err, public):
    """The first public nnlib function the failing call entered, e.g. 'nnlib.perceptron.Perceptron.fit'.

    ``public`` maps code objects to names, as returned by :func:`_public_functions`.
    """
    return next((public[f.f_code] for f, _ in _frames(err) if f.f_code in public), None)


# --------------------------------------------------------------------- the cases

CASES = [
    # (id, callable, expected exception, phrase the message must contain)
    # activations: numbers only (no text, True/False, None or complex), finite, not empty
    ("sigmoid-string", lambda: activations.sigmoid("3"), TypeError, "array of numbers"),
    ("sigmoid-numeric-strings", lambda: activations.sigmoid(["1", "2"]), TypeError, "the text '1'"),
    ("sigmoid-None", lambda: activations.sigmoid(None), TypeError, "None"),
    ("sigmoid-nan", lambda: activations.sigmoid([0.0, np.nan]), ValueError, "NaN"),
    ("sigmoid-prime-bool-list", lambda: activations.sigmoid_prime([True, False]), TypeError, "True/False"),
    ("tanh-bool-array", lambda: activations.tanh(np.array([True, False])), TypeError, "True/False"),
    ("tanh-prime-complex", lambda: activations.tanh_prime([1j]), TypeError, "complex"),
    ("relu-ragged", lambda: activations.relu([[1, 2], [3]]), TypeError, "could not convert"),
    ("relu-None-inside", lambda: activations.relu([1.0, None]), TypeError, "got None"),
    ("relu-prime-mixed-bool", lambda: activations.relu_prime([True, 2.0]), TypeError, "True/False"),
    ("softmax-empty", lambda: activations.softmax(np.zeros((0, 3))), ValueError, "empty"),
    ("softmax-single-number", lambda: activations.softmax(3.0), ValueError, "single number"),
    ("step-inf", lambda: activations.step([np.inf]), ValueError, "finite"),
    # data: gates, toy sets, seeds
    ("gate-unknown", lambda: data.logic_gate("XAND"), ValueError, "choose one of"),
    ("gate-not-str", lambda: data.logic_gate(3), TypeError, "gate name"),
    ("gate-name-not-offered", lambda: data.gate_name("xnor", choices=("AND", "OR")), ValueError,
     "choose one of AND, OR"),
    ("blobs-zero-samples", lambda: data.blobs(0), ValueError, "at least 1"),
    ("blobs-float-samples", lambda: data.blobs(10.5), TypeError, "whole number"),
    ("blobs-rng-text", lambda: data.blobs(rng="abc"), TypeError, "rng must be a seed"),
    ("blobs-rng-negative", lambda: data.blobs(rng=-1), ValueError, "seed >= 0"),
    ("blobs-centers-text", lambda: data.blobs(centers=[["0", "1"]]), TypeError, "the text '0'"),
    ("moons-negative-noise", lambda: data.moons(noise=-1), ValueError, ">= 0"),
    ("moons-rng-float", lambda: data.moons(rng=0.5), TypeError, "rng must be a seed"),
    ("circles-factor-above-1", lambda: data.circles(factor=2), ValueError, "<= 1"),
    ("spirals-zero-classes", lambda: data.spirals(n_classes=0), ValueError, "at least 1"),
    # data: utilities
    ("one-hot-negative", lambda: data.one_hot([0, -1]), ValueError, "negative"),
    ("one-hot-huge-label", lambda: data.one_hot([1e20]), ValueError, "far too large"),
    ("one-hot-matrix-too-large", lambda: data.one_hot([10**9]), ValueError, "too large to hold"),
    ("one-hot-too-few-classes", lambda: data.one_hot([0, 5], n_classes=3), ValueError, "does not fit"),
    ("one-hot-fractional", lambda: data.one_hot([0.5, 1]), ValueError, "whole-number"),
    ("split-length-mismatch", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(4)), ValueError, "same samples"),
    ("split-fraction-1", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(5), val_fraction=1.0), ValueError,
     "below 1"),
    ("split-one-sample", lambda: data.train_val_split([[1.0, 2.0]], [0]), ValueError,
     "at least one training and one validation sample"),
    ("split-nothing-left", lambda: data.train_val_split(np.zeros((2, 1)), [0, 1], val_fraction=0.9), ValueError,
     "leaves 0 for training"),
    ("split-rng-text", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(5), rng="x"), TypeError,
     "rng must be a seed"),
    ("minibatches-None", lambda: data.minibatches(None, None), TypeError, "X is None"),
    ("minibatches-numbers", lambda: data.minibatches(3, 4), ValueError, "batch-first"),
    ("minibatches-length", lambda: data.minibatches(X4, [0, 1]), ValueError, "same samples"),
    ("minibatches-zero-size", lambda: data.minibatches(X4, y4, batch_size=0), ValueError, "at least 1"),
    ("minibatches-rng-text", lambda: data.minibatches(X4, y4, rng="x"), TypeError, "rng must be a seed"),
    ("mnist-dir-not-path", lambda: data.load_mnist(data_dir=42), TypeError, "folder path"),
    ("mnist-pair-same-digit", lambda: data.mnist_pair(2, 2), ValueError, "two different digits"),
    ("mnist-pair-digit-10", lambda: data.mnist_pair(2, 10), ValueError, "one of the labels"),
    # data: your own digit (chapter 08)
    ("drawing-colour-image", lambda: data.preprocess_drawing(np.zeros((28, 28, 3))), ValueError, "colour image"),
    ("drawing-one-row", lambda: data.preprocess_drawing(np.ones(784)), ValueError, "2-D"),
    ("drawing-nan", lambda: data.preprocess_drawing(np.full((5, 5), np.nan)), ValueError, "NaN"),
    ("drawing-negative", lambda: data.preprocess_drawing(-np.ones((5, 5))), ValueError, ">= 0"),
    ("drawing-0-255-floats", lambda: data.preprocess_drawing(np.full((5, 5), 200.0)), ValueError, "uint8"),
    ("drawing-bools", lambda: data.preprocess_drawing(np.ones((3, 3), dtype=bool)), TypeError, "True/False"),
    ("drawing-text", lambda: data.preprocess_drawing("7"), TypeError, "the text '7'"),
    ("drawing-empty-canvas", lambda: data.preprocess_drawing(np.zeros((280, 280), dtype=np.uint8)), ValueError,
     "empty"),
    ("strokes-one-array", lambda: data.render_strokes(np.zeros((5, 2))), TypeError, "single stroke"),
    ("strokes-points-not-strokes", lambda: data.render_strokes([(1, 2), (3, 4)]), TypeError,
     "not a list of points"),
    ("strokes-three-coordinates", lambda: data.render_strokes([[(0, 0, 0)]]), ValueError, "(n_points, 2)"),
    ("strokes-nan", lambda: data.render_strokes([[(0, 0), (np.nan, 1)]]), ValueError, "NaN"),
    ("strokes-dict", lambda: data.render_strokes({"x": [1, 2]}), TypeError, "list of strokes"),
    ("strokes-size-zero", lambda: data.render_strokes([], size=0), ValueError, "at least 1"),
    ("strokes-width-negative", lambda: data.render_strokes([], width=-2), ValueError, "> 0"),
    ("stroke-width-empty", lambda: data.stroke_width(np.zeros((5, 5))), ValueError, "empty"),
    ("stroke-width-one-row", lambda: data.stroke_width(np.ones((1, 5))), ValueError, "2 × 2"),
    ("load-strokes-dir-not-path", lambda: data.load_strokes(data_dir=3), TypeError, "folder path"),
    ("load-strokes-no-drawings", lambda: data.load_strokes(data_dir=NNLIB_DIR), FileNotFoundError, "No drawings"),
    # perceptron
    ("perceptron-zero-inputs", lambda: Perceptron(0), ValueError, "at least 1"),
    ("perceptron-bool-inputs", lambda: Perceptron(True), TypeError, "whole number"),
    ("perceptron-w-shape", lambda: Perceptron(2, w=[1, 2, 3]), ValueError, "shape (2,)"),
    ("perceptron-w-text", lambda: Perceptron(2, w=["1", "2"]), TypeError, "the text '1'"),
    ("perceptron-b-text-array", lambda: Perceptron(2, b=np.array("3")), TypeError, "b must be a number"),
    ("perceptron-sum-1d", lambda: Perceptron(2).weighted_sum([0, 1]), ValueError, "2-D"),
    ("perceptron-X-1d", lambda: Perceptron(2).predict([0, 1]), ValueError, "2-D"),
    ("perceptron-X-features", lambda: Perceptron(2).predict(np.zeros((4, 3))), ValueError, "expected 2"),
    ("perceptron-labels-not-binary", lambda: Perceptron(2).fit(X4, [0, 1, 2, 1]), ValueError, "[0, 1]"),
    ("perceptron-X-y-mismatch", lambda: Perceptron(2).fit(X4, [0, 1, 1]), ValueError, "same samples"),
    ("perceptron-lr-zero", lambda: Perceptron(2).fit(X4, y4, lr=0), ValueError, "> 0"),
    ("perceptron-epochs-float", lambda: Perceptron(2).fit(X4, y4, epochs=2.5), TypeError, "whole number"),
    ("perceptron-nan-X", lambda: Perceptron(2).fit([[0, np.nan]] * 4, y4), ValueError, "NaN"),
    ("perceptron-fit-rng-text", lambda: Perceptron(2).fit(X4, y4, shuffle=True, rng="x"), TypeError,
     "rng must be a seed"),
    ("perceptron-score-length", lambda: Perceptron(2).score(X4, [0, 1]), ValueError, "same samples"),
    ("perceptron-update-lr-text", lambda: Perceptron(2).update(X4[0], 1, lr="a"), TypeError, "lr must be a number"),
    ("perceptron-update-lr-nan", lambda: Perceptron(2).update(X4[0], 1, lr=np.nan), ValueError, "finite"),
    ("perceptron-update-y-5", lambda: Perceptron(2).update(X4[0], 5), ValueError, "one of the labels [0, 1]"),
    ("perceptron-update-y-half", lambda: Perceptron(2).update(X4[0], 0.5), ValueError, "whole-number"),
    ("perceptron-update-y-text", lambda: Perceptron(2).update(X4[0], "1"), TypeError, "one class label"),
    ("perceptron-update-x-shape", lambda: Perceptron(2).update([1.0], 1), ValueError, "shape (2,)"),
    # plot
    ("plot-digit-wrong-size", lambda: plot.show_digit(np.zeros(100)), ValueError, "784"),
    ("plot-scatter-3-features", lambda: plot.scatter_classes(np.zeros((4, 3)), y4), ValueError, "expected 2"),
    ("plot-scatter-too-few-labels", lambda: plot.scatter_classes(X4, y4, labels=["a"]), ValueError,
     "needs 2 names; got 1"),
    ("plot-scatter-labels-string", lambda: plot.scatter_classes(X4, y4, labels="ab"), TypeError,
     "list of class names"),
    ("plot-scatter-negative-label", lambda: plot.scatter_classes(X4, [-1, 0, 1, 0]), ValueError, "negative label"),
    ("plot-seven-steps-ax-text", lambda: plot.seven_steps_diagram(ax="left"), TypeError, "Matplotlib Axes"),
    ("network-seed-float", lambda: network.random_network(seed=1.5), TypeError, "whole number"),
    ("network-sizes-one-layer", lambda: network.random_network(sizes=(784,)), TypeError, "at least two"),
    ("network-count-not-params", lambda: network.count_parameters("W"), TypeError, "random_network()"),
    ("network-confidences-width", lambda: network.confidences(np.zeros((2, 100)), network.random_network()),
     ValueError, "784"),
    ("logistic-w0-three", lambda: logistic.logistic_runs(X4, y4, lr=0.5, batch_size=2, epochs=1, w0=(1, 2, 3)),
     ValueError, "shape (2,)"),
    ("logistic-labels-three", lambda: logistic.sgd_run(X4, [0, 1, 2, 1], lr=0.5, batch_size=2, epochs=1),
     ValueError, "[0, 1]"),
    ("logistic-schedule-negative", lambda: logistic.sgd_run(X4, y4, lr=lambda t: -1.0, batch_size=2, epochs=1),
     ValueError, "positive finite number"),
    ("plot-line-w-shape", lambda: plot.decision_line([1, 2, 3], 0), ValueError, "shape (2,)"),
    ("plot-line-w-bools", lambda: plot.decision_line([True, False], 0), TypeError, "True/False"),
    ("plot-line-b-text", lambda: plot.decision_line([1, 1], "0"), TypeError, "b must be a number"),
    ("plot-line-points-xlim", lambda: plot.line_points([1, 1], 0, (1, 0), (0, 1)), ValueError, "low < high"),
    ("plot-regions-not-callable", lambda: plot.decision_regions(None, X4, y4), TypeError,
     "predict must be a function"),
    ("plot-regions-probabilities", lambda: plot.decision_regions(lambda G: np.full(len(G), 0.7), X4, y4),
     ValueError, "whole-number"),
    ("plot-bars-true-label", lambda: plot.confidence_bars(np.full(10, 0.1), true_label=10), ValueError,
     "one of the labels"),
    ("plot-loss-curve-text", lambda: plot.loss_curve(["1.0", "0.5"]), TypeError, "the text '1.0'"),
    # losses (chapters 05-08): shapes, probabilities, labels, targets
    ("mse-nan", lambda: losses.mse([np.nan], [1.0]), ValueError, "NaN"),
    ("bce-two-columns", lambda: losses.binary_cross_entropy(np.ones((3, 2)), [0, 1, 0]), ValueError,
     "one logit per sample"),
    ("softmax-ce-1d", lambda: losses.softmax_cross_entropy(np.ones(3), [0]), ValueError, "2-D"),
    ("squared-errors-shapes", lambda: losses.squared_errors(np.ones((2, 3)), np.ones((3, 2))), ValueError,
     "same shape"),
    ("mae-text", lambda: losses.mae(["1"], [1.0]), TypeError, "the text '1'"),
    ("cross-entropy-logits", lambda: losses.cross_entropy([[2.0, -1.0]], [0]), ValueError, "between 0 and 1"),
    ("cross-entropy-row-sum", lambda: losses.cross_entropy([[0.5, 0.2]], [0]), ValueError, "sum to 1"),
    ("cross-entropy-label-too-big", lambda: losses.cross_entropy([[0.5, 0.5]], [2]), ValueError, "[0, 1]"),
    ("sigmoid-mse-shapes", lambda: losses.sigmoid_mse(np.zeros(3), np.zeros((3, 1))), ValueError, "same shape"),
    ("sigmoid-mse-targets", lambda: losses.sigmoid_mse([0.0], [2.0]), ValueError, "between 0 and 1"),
    # profiles (chapter 05): the 2-vs-9 model along one weight
    ("pixel-unknown-name", lambda: profiles.pixel_index("nose"), ValueError, "pixel must be one of"),
    ("pixel-row-28", lambda: profiles.pixel_index((28, 0)), ValueError, "row must be <= 27"),
    ("pixel-fraction", lambda: profiles.pixel_index(3.5), ValueError, "whole number"),
    ("subset-zero-images", lambda: profiles.two_vs_nine_subset(0), ValueError, "at least 1"),
    ("subset-too-many", lambda: profiles.two_vs_nine_subset(10**6), ValueError, "at most"),
    ("shifted-logits-lengths", lambda: profiles.shifted_logits([0.0, 1.0], [1.0], [0.5]), ValueError, "shape (2,)"),
    ("weight-profile-labels", lambda: profiles.weight_profile(X4, [0, 1, 2, 1], np.ones((2, 1)), 0.0, 0, [0.0]),
     ValueError, "[0, 1]"),
    ("weight-profile-W-shape", lambda: profiles.weight_profile(X4, y4, np.ones((3, 1)), 0.0, 0, [0.0]), ValueError,
     "one weight per input"),
    ("weight-profile-j-outside", lambda: profiles.weight_profile(X4, y4, np.ones((2, 1)), 0.0, 5, [0.0]),
     ValueError, "j must be <= 1"),
    ("accuracy-steps-low-above-high", lambda: profiles.accuracy_steps(X4, y4, np.ones(2), 0.0, 0, low=1, high=0),
     ValueError, "smaller than high"),
    ("telling-images-zero", lambda: profiles.telling_images("base of a 2", n_per_class=0), ValueError,
     "at least 1"),
    ("profile-bias-text", lambda: profiles.two_vs_nine_profile("base of a 2", bias="1"), TypeError,
     "bias must be a number"),
    # approx (chapter 04): sums of sigmoids, two-layer classifiers, the hidden-size study
    ("approx-steep-k-text", lambda: approx.steep_sigmoid([0, 1], "5"), TypeError, "k must be a number"),
    ("approx-gap-negative-k", lambda: approx.gap_to_step(-1.0), ValueError, "k must be >= 0"),
    ("approx-bump-a-after-b", lambda: approx.bump([0.5], 0.7, 0.2), ValueError, "a < b"),
    ("approx-target-None", lambda: approx.target_curve(None), TypeError, "x is None"),
    ("approx-components-zero-bumps", lambda: approx.bump_components([0.5], 0), ValueError, "at least 1"),
    ("approx-bumps-interval-reversed", lambda: approx.bump_approximation([0.5], 3, interval=(1, 0)), ValueError,
     "low < high"),
    ("approx-rms-not-callable", lambda: approx.rms_error([1, 2]), TypeError, "approximation must be a function"),
    ("approx-errors-fraction", lambda: approx.approximation_errors([1, 2.5]), ValueError, "whole numbers"),
    ("approx-fit-target-float", lambda: approx.fit_target(7.5), TypeError, "whole number"),
    ("approx-network-activation", lambda: approx.two_layer_network(4, activation="step"), ValueError,
     "activation must be one of"),
    ("approx-fit-classifier-X-1d", lambda: approx.fit_classifier([1, 2, 3], [0, 1, 0], 4), ValueError, "2-D"),
    ("approx-probability-not-model", lambda: approx.probability("net", X4), TypeError, "model must be a network"),
    ("approx-error-rate-length", lambda: approx.error_rate(approx.two_layer_network(2), X4, [0, 1]), ValueError,
     "same samples"),
    ("approx-study-sizes-text", lambda: approx.hidden_size_study(sizes="8"), TypeError, "sizes must be a list"),
    ("approx-sigmoid-sum-zero", lambda: approx.SigmoidSum(0), ValueError, "at least 1"),
    ("approx-sigmoid-sum-fit-lengths", lambda: approx.SigmoidSum(3).fit([0, 1], [1, 2, 3]), ValueError,
     "same number of points"),
    ("diagram-sizes-number", lambda: plot.network_diagram(3), TypeError, "list of layer sizes"),
    ("diagram-one-layer", lambda: plot.network_diagram([3]), ValueError, "at least two layers"),
    ("diagram-size-zero", lambda: plot.network_diagram([2, 0]), ValueError, "at least 1"),
    ("diagram-neuron-two-outputs", lambda: plot.network_diagram([2, 2], neuron=True), ValueError, "(n_inputs, 1)"),
    ("diagram-unknown-activation", lambda: plot.network_diagram([2, 1], activation="swish"), ValueError,
     "one of"),
    ("diagram-weights-shape", lambda: plot.network_diagram([2, 1], weights=[np.ones((1, 2))]), ValueError,
     "shape (2, 1)"),
    ("diagram-weights-not-list", lambda: plot.network_diagram([2, 1], weights=np.ones((2, 1))), ValueError,
     "one array per layer"),
    ("diagram-highlight-outside", lambda: plot.network_diagram([2, 1], highlight=(1, 3)), ValueError,
     "(layer, node)"),
    ("image-grid-one-row-of-100", lambda: plot.image_grid(np.zeros((5, 100))), ValueError, "(n, 784)"),
    ("image-grid-too-many", lambda: plot.image_grid(np.zeros((1000, 784))), ValueError, "at most 400"),
    ("image-grid-titles-string", lambda: plot.image_grid(np.zeros((2, 784)), titles="ab"), TypeError,
     "one text per image"),
    ("image-grid-fig-text", lambda: plot.image_grid(np.zeros((2, 784)), fig="left"), TypeError, "Figure"),
    # chapter 03: one-vs-rest perceptrons, perceptrons in layers, feature maps, margins
    ("ovr-one-class", lambda: OneVsRestPerceptron(2, 1), ValueError, "at least 2"),
    ("ovr-dtype-int", lambda: OneVsRestPerceptron(2, 3, dtype=int), TypeError, "np.float32 or np.float64"),
    ("ovr-fit-label-too-big", lambda: OneVsRestPerceptron(2, 3).fit(X4, [0, 1, 2, 3]), ValueError,
     "[0, 1, 2]"),
    ("ovr-fit-batch-zero", lambda: OneVsRestPerceptron(2, 2).fit(X4, y4, batch_size=0), ValueError, "at least 1"),
    ("ovr-predict-features", lambda: OneVsRestPerceptron(2, 3).predict(np.zeros((4, 3))), ValueError,
     "(n_samples, 2)"),
    ("ovr-scores-1d", lambda: OneVsRestPerceptron(2, 3).decision_function([0.0, 1.0]), ValueError, "2-D"),
    ("ovr-score-length", lambda: OneVsRestPerceptron(2, 3).score(X4, [0, 1]), ValueError, "same samples"),
    ("step-layers-not-lists", lambda: perceptron.step_layers(X4, np.ones((2, 1)), np.zeros(1)), TypeError,
     "one array per layer"),
    ("step-layers-W-rows", lambda: perceptron.step_layers(X4, [np.ones((3, 1))], [np.zeros(1)]), ValueError,
     "W1 must have shape (2, n_features)"),
    ("step-layers-counts", lambda: perceptron.step_layers(X4, [np.ones((2, 1))], []), ValueError,
     "one W and one b per layer"),
    ("product-features-3-columns", lambda: features.product_features(np.zeros((4, 3))), ValueError, "expected 2"),
    ("quadratic-features-text", lambda: features.quadratic_features([["1", "2"]]), TypeError, "the text '1'"),
    ("augment-1d", lambda: separability.augment([1.0, 2.0]), ValueError, "2-D"),
    ("radius-nan", lambda: separability.radius([[0.0, np.nan]]), ValueError, "NaN"),
    ("margin-zero-line", lambda: separability.margin(X4, y4, [0, 0], 0), ValueError, "no line at all"),
    ("margin-labels-signs", lambda: separability.margin(X4, [-1, -1, -1, 1], [1, 1], -1.5), ValueError,
     "[0, 1]"),
    ("max-margin-length", lambda: separability.max_margin(X4, [0, 1]), ValueError, "same samples"),
    ("bound-not-separable", lambda: separability.convergence_bound(*data.logic_gate("XOR")), ValueError,
     "not linearly separable"),
    ("margin-data-gap-zero", lambda: separability.margin_data(gap=0), ValueError, "> 0"),
    ("margin-data-gap-too-wide", lambda: separability.margin_data(gap=1.0), ValueError, "below 0.9"),
    ("toy-set-unknown", lambda: separability.toy_set("spiral"), ValueError, "choose one of"),
    ("epoch-run-noise-negative", lambda: separability.epoch_run("XOR", -0.1), ValueError, ">= 0"),
    ("epoch-run-name-number", lambda: separability.epoch_run(3), TypeError, "data set name"),
    # chapter 08: deskewing, the confusion matrix, nnlib.mnist
    ("deskew-wrong-size", lambda: data.deskew(np.zeros((3, 100))), ValueError, "28×28 images"),
    ("deskew-negative-ink", lambda: data.deskew(-np.ones(784)), ValueError, ">= 0"),
    ("deskew-text", lambda: data.deskew("image"), TypeError, "array of numbers"),
    ("confusion-matrix-lengths", lambda: plot.confusion_matrix([0, 1, 2], [0, 1]), ValueError,
     "must have shape (3,)"),
    ("confusion-matrix-normalize", lambda: plot.confusion_matrix([0, 1], [0, 1], normalize="rows"), ValueError,
     "normalize must be"),
    ("confusion-matrix-ax-text", lambda: plot.confusion_matrix([0, 1], [0, 1], ax="left"), TypeError,
     "Matplotlib Axes"),
    ("confusion-counts-negative", lambda: mnist.confusion_counts([0, -1], [0, 1]), ValueError, "negative label"),
    ("confusion-counts-too-few-classes", lambda: mnist.confusion_counts([0, 5], [0, 1], n_classes=3), ValueError,
     "does not fit"),
    ("per-class-fractional", lambda: mnist.per_class_accuracy([0.5, 1], [0, 1]), ValueError, "whole-number"),
    ("confident-mistakes-1d", lambda: mnist.most_confident_mistakes([0.2, 0.8], [1, 0]), ValueError, "2-D"),
    ("confident-mistakes-k-zero", lambda: mnist.most_confident_mistakes(np.eye(2), [0, 1], k=0), ValueError,
     "at least 1"),
    ("mlp-sizes-number", lambda: mnist.mlp(784), TypeError, "list of layer sizes"),
    ("mlp-one-layer", lambda: mnist.mlp([784]), ValueError, "at least two layers"),
    ("thesis-rng-text", lambda: mnist.thesis_network(rng="x"), TypeError, "rng must be a seed"),
    ("side-by-side-seeds-number", lambda: mnist.train_side_by_side([{}], 5, np.zeros((4, 784)), [0, 1, 2, 3],
                                                                    X_val=np.zeros((2, 784)), y_val=[0, 1]),
     TypeError, "list of seeds"),
    ("side-by-side-unknown-loss", lambda: mnist.train_side_by_side([dict(loss="mae")], [0], np.zeros((4, 784)),
                                                                    [0, 1, 2, 3], X_val=np.zeros((2, 784)),
                                                                    y_val=[0, 1]), ValueError, "must be one of"),
    ("side-by-side-settings-dict", lambda: mnist.train_side_by_side(dict(lr=0.1), [0], np.zeros((4, 784)),
                                                                     [0, 1, 2, 3], X_val=np.zeros((2, 784)),
                                                                     y_val=[0, 1]), TypeError, "non-empty list"),
    ("side-by-side-label-10", lambda: mnist.train_side_by_side([{}], [0], np.zeros((2, 784)), [0, 10],
                                                                X_val=np.zeros((2, 784)), y_val=[0, 1]),
     ValueError, "may only contain the labels"),
    ("schedule-unknown-decay", lambda: mnist.schedule(dict(mnist.ONE_CHANGE_AT_A_TIME[0], decay="cosine"), 100),
     ValueError, "'1/t' or 'step'"),
    ("fit-config-list", lambda: mnist.fit([1, 2], np.zeros((4, 784)), [0, 1, 2, 3]), TypeError, "config must be"),
    ("fit-config-incomplete", lambda: mnist.fit({"sizes": (784, 10)}, np.zeros((4, 784)), [0, 1, 2, 3]),
     ValueError, "config is missing"),
]

# Public functions that take nothing a student could get wrong.
NO_INPUT = {"nnlib.plot.course_style", "nnlib.plot.use_course_style", "nnlib.logistic.logistic_data", "nnlib.profiles.two_vs_nine_model"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(case):
    _, fn, exc, phrase = case
    with pytest.raises(exc) as info:
        fn()
    message = str(info.value)
    assert phrase in message, f"message {message!r} should mention {phrase!r}"
    assert_raised_by_nnlib(info.value)


def _public_functions():
    """{code object: 'module.qualname'} for every public function and Perceptron method of the
    student-facing modules, except those in NO_INPUT."""
    found = [(module, obj) for module in (activations, data, perceptron, plot, network, logistic, approx, features, separability, losses, profiles, mnist, drawing) for name, obj in vars(module).items()
             if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")]
    found += [(perceptron, obj) for cls in (Perceptron, OneVsRestPerceptron) for name, obj in vars(cls).items()
              if inspect.isfunction(obj) and (name == "__init__" or not name.startswith("_"))]
    names = {obj.__code__: f"{module.__name__}.{obj.__qualname__}" for module, obj in found}
    return {code: name for code, name in names.items() if name not in NO_INPUT}


def test_every_public_function_has_a_bad_input_case():
    public = _public_functions()
    covered = set()
    for _, fn, exc, _ in CASES:
        try:
            fn()
        except exc as err:
            covered.add(entry_point(err, public))
    assert {"nnlib.data.load_mnist", "nnlib.perceptron.Perceptron.update", "nnlib.plot.decision_line"} <= set(
        public.values())
    missing = sorted(set(public.values()) - covered)
    assert not missing, f"public functions without a bad-input case: {missing}"


# --------------------------------------------------------------------- the check itself can fail


def test_check_fails_when_numpy_raises_in_c(monkeypatch):
    """Without its length check, score() compares arrays of 4 and 2 labels: NumPy
    raises in C, so the innermost frame is nnlib's own line, which is no raise."""
    monkeypatch.setattr(perceptron, "same_length", lambda a, b: None)
    with pytest.raises(ValueError) as info:
        Perceptron(2).score(X4, [0, 1])
    assert "broadcast" in str(info.value)                 # NumPy's message, not ours
    frame, _ = _frames(info.value)[-1]
    assert _in_nnlib(frame)                               # the old test accepted this
    with pytest.raises(AssertionError, match="not a raise statement"):
        assert_raised_by_nnlib(info.value)


def test_check_fails_when_numpy_raises_in_python(monkeypatch):
    """Without as_rng, blobs() hands "abc" straight to NumPy's random module."""
    monkeypatch.setattr(data, "as_rng", np.random.default_rng)
    with pytest.raises(TypeError) as info:
        data.blobs(rng="abc")
    assert "rng must be a seed" not in str(info.value)
    with pytest.raises(AssertionError):
        assert_raised_by_nnlib(info.value)


def test_check_fails_for_a_raise_outside_the_package(tmp_path):
    """A raise statement in a folder whose name merely contains 'nnlib' (like the
    virtual environment .ci/run creates in nnlib-ci.XXXXXX) is not nnlib's."""
    module_file = tmp_path / "nnlib-ci.abc123" / ".venv" / "lib" / "numpy_like.py"
    module_file.parent.mkdir(parents=True)
    module_file.write_text("def check(x):\n    raise ValueError('x must be positive')\n")
    spec = importlib.util.spec_from_file_location("numpy_like", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(ValueError) as info:
        module.check(-1)
    assert "nnlib" in str(info.traceback[-1].path)        # the old test accepted this
    with pytest.raises(AssertionError, match="outside the nnlib package"):
        assert_raised_by_nnlib(info.value)


def test_public_function_list_is_found_and_notices_a_new_function(monkeypatch):
    """The coverage test's list of public functions comes from the modules themselves."""
    before = set(_public_functions().values())
    assert len(before) >= 30 and "nnlib.data.gate_name" in before and "nnlib.plot.course_style" not in before

    def brand_new(x):
        return x

    brand_new.__module__, brand_new.__qualname__ = data.__name__, "brand_new"
    monkeypatch.setattr(data, "brand_new", brand_new, raising=False)
    with pytest.raises(AssertionError, match="brand_new"):
        test_every_public_function_has_a_bad_input_case()
