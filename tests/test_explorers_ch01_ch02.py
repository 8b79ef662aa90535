"""The explorers of chapters 01 and 02 and the small public helpers around them."""

import io
import re
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from nnlib.data import load_mnist
from nnlib.explorers.base import BOOK_ENV, MIN_TEXT_PX
from nnlib.explorers.ch01 import RandomNetworkExplorer
from nnlib.explorers.fasttext import CachedText, TextRow, add_text
from nnlib.plot import seven_steps_diagram
from nnlib.explorers.ch02 import (NeuronLineExplorer, PerceptronTrainingExplorer, gate_computed, perceptron_run,
                                  positive_side)

EXPLORERS = [RandomNetworkExplorer, NeuronLineExplorer, PerceptronTrainingExplorer]
by_name = pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)


def _extremes(cls):
    """Every slider at its minimum, then every slider at its maximum (menus at first/last option)."""
    lows, highs = {}, {}
    for p in cls.params:
        if hasattr(p, "low"):
            lows[p.name], highs[p.name] = p.low, p.high
        else:
            lows[p.name], highs[p.name] = p.options[0], p.options[-1]
    return [lows, highs]


def _random_values(cls, rng):
    values = {}
    for p in cls.params:
        if hasattr(p, "options"):
            values[p.name] = p.options[rng.integers(len(p.options))]
        elif p.integer:
            values[p.name] = int(rng.integers(p.low, p.high + 1))
        elif p.log:
            values[p.name] = float(f"{10 ** rng.uniform(np.log10(p.low), np.log10(p.high)):.3g}")
        else:
            values[p.name] = round(float(rng.uniform(p.low, p.high)), 1)
    return values


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


# --- every explorer -----------------------------------------------------------

@by_name
def test_builds_and_set_changes_the_picture(cls):
    e = cls()
    before = e.to_png()
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    first = cls.params[0]
    new = (first.high if first.value != first.high else first.low) if hasattr(first, "low") \
        else next(o for o in first.options if o != first.value)
    assert e.set(**{first.name: new}) is e
    assert e.to_png() != before


@by_name
def test_extreme_values_draw_without_warnings(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = cls()
        for values in _extremes(cls):
            e.set(**values)
            assert len(e.to_png()) > 1000
            assert str(e.status)


@by_name
def test_size_and_smallest_text(cls):
    """At most 580 px wide (natural size in JupyterLab with the file browser open); no text under 11 px."""
    e = cls()
    width, height = e.size_px()
    assert width <= 580 and height <= 420
    assert _pixels(e.to_png()).shape == (height, width, 3)
    for values in [{}] + _extremes(cls):
        e.set(**values)
        assert e.smallest_text_px() >= MIN_TEXT_PX, values
    assert cls().smallest_text_px() >= 11


@by_name
def test_declared_moving_artists_exist(cls):
    e = cls()
    assert e.moving and not set(e.background) - {p.name for p in cls.params}
    for name in e.moving:
        assert getattr(e, name, None) is not None, f"{cls.__name__}.moving names {name!r}, which it does not have"


@by_name
def test_fast_png_matches_a_full_redraw(cls):
    """The fast path redraws only the artists in ``moving``: anything else that changed would show here."""
    rng = np.random.default_rng(7)
    e = cls()
    e.to_png()
    for _ in range(12):
        e.set(**_random_values(cls, rng))
        fast, full = _pixels(e.to_png()), _pixels(e.to_png(fast=False))
        bad = np.abs(fast - full).max(axis=2) > 2            # a spine under a bar already differs by 12
        assert not bad.any(), f"{cls.__name__} at {e.values}: {bad.sum()} pixels differ from a full redraw"


@by_name
def test_texts_stay_inside_the_image_and_off_each_other(cls):
    e = cls()
    rng = np.random.default_rng(3)
    for values in [{}] + _extremes(cls) + [_random_values(cls, rng) for _ in range(25)]:
        e.set(**values)
        e.to_png()
        renderer = e.fig.canvas.get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in e.fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is e.fig]
        for text, box in boxes:
            assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= e.fig.bbox.x1 and box.y1 <= e.fig.bbox.y1, text
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                both = Bbox.intersection(box_a, box_b)
                assert both is None or min(both.width, both.height) < 1, \
                    f"{cls.__name__} at {e.values}: {a!r} overlaps {b!r}"


@pytest.mark.parametrize("cls,bad,err", [
    (RandomNetworkExplorer, dict(seed=-1), ValueError),
    (RandomNetworkExplorer, dict(seed=2.5), ValueError),
    (RandomNetworkExplorer, dict(index=10_000), ValueError),
    (RandomNetworkExplorer, dict(index=2.5), ValueError),
    (RandomNetworkExplorer, dict(scale="big"), TypeError),
    (RandomNetworkExplorer, dict(scale=float("nan")), ValueError),
    (NeuronLineExplorer, dict(w1=5.0), ValueError),
    (NeuronLineExplorer, dict(gate="XNAND"), ValueError),
    (NeuronLineExplorer, dict(b=None), TypeError),
    (NeuronLineExplorer, dict(colour="red"), TypeError),
    (PerceptronTrainingExplorer, dict(lr=0.3), ValueError),
    (PerceptronTrainingExplorer, dict(step=61), ValueError),
    (PerceptronTrainingExplorer, dict(step=2.5), ValueError),
    (PerceptronTrainingExplorer, dict(step=True), TypeError),
])
def test_bad_values_raise_clear_errors(cls, bad, err):
    name = next(iter(bad))
    with pytest.raises(err, match=name):
        cls(**bad)
    e = cls()
    before = dict(e.values)
    with pytest.raises(err, match=name):
        e.set(**bad)
    assert e.values == before


def test_the_notebooks_constructors_work():
    """The calls chapters 01 and 02 make, gate names in any case."""
    assert RandomNetworkExplorer(seed=0, index=0).values == {"seed": 0, "index": 0, "scale": 1.0}
    e = NeuronLineExplorer(w1=1.0, w2=1.0, b=-1.5, gate="and")
    assert e.values["gate"] == "AND" and "4 of 4 correct for AND" in e.title.get_text()
    assert PerceptronTrainingExplorer(gate=" Xor ", lr=1.0, step=0).values["gate"] == "XOR"


@pytest.mark.parametrize("cls,frames", [(RandomNetworkExplorer, 12), (NeuronLineExplorer, 13),
                                        (PerceptronTrainingExplorer, 25)], ids=lambda x: getattr(x, "__name__", x))
def test_fallback_is_an_offline_player(cls, frames):
    e = cls()
    before = dict(e.values)
    html = e.fallback()
    assert "http" not in html
    assert html.count('class="animation nnlib-player"') == len(cls.sweeps) == 1
    assert re.search(r'<input type="range" min="0" max="(\d+)"', html).group(1) == str(frames - 1)
    pngs = re.findall(r'\["(iVBORw0KGgo[A-Za-z0-9+/=]+)"', html)
    assert len(pngs) == frames and len(set(pngs)) == frames          # every frame is a different picture
    assert e.values == before


def test_fallback_statuses_follow_the_frames():
    html = PerceptronTrainingExplorer().fallback()
    assert "Start: w = 0, b = 0" in html and "Converged after 24 steps (6 epochs)" in html
    html = NeuronLineExplorer(gate="OR").fallback()
    assert "gate OR" in html and "computes OR" in html and "always outputs 1" in html


@by_name
def test_show_widget_or_book_fallback(cls, monkeypatch):
    import ipywidgets
    from IPython.display import HTML
    monkeypatch.delenv(BOOK_ENV, raising=False)
    w = cls().show()
    assert isinstance(w, ipywidgets.Widget)
    before = w.image.value
    first = cls.params[0]
    new = first.high if hasattr(first, "low") else first.options[-1]
    w.controls[first.name].value = new
    w.renderer.wait()
    assert w.image.value != before and w.explorer.values[first.name] == new
    monkeypatch.setenv(BOOK_ENV, "1")
    monkeypatch.setattr(cls, "fallback", lambda self: "<div>animation</div>")   # the real one is tested above
    shown = cls().show()
    assert isinstance(shown, HTML) and "animation" in shown.data


# --- chapter 01 -----------------------------------------------------------------

def test_random_network_status_tells_the_answer_and_the_truth():
    e = RandomNetworkExplorer(seed=0, index=0)
    text = str(e.status)
    assert "says 6 with confidence 0.96" in text and "true digit is 7: wrong" in text
    assert "12,730 weights and biases" in text and "seed 0" in text
    assert e.title.get_text() == "random seed 0, weight scale 1"
    assert e.digit_label.get_text() == "true label: 7" and e.digit_title.get_text() == "test digit #0"
    assert [t.get_text() for t in e.values_text][6] == "0.96"
    assert e.digit_names[7].get_fontweight() == "bold" and e.digit_names[6].get_fontweight() == "normal"
    e.set(index=11, scale=10.0)
    assert "says 6 with confidence 1.00" in str(e.status) and "right, by luck" in str(e.status)


@pytest.mark.parametrize("seed,index,scale", [(99, 9999, 10.0), (0, 11, 10.0), (5, 123, 0.01)])
def test_random_network_labels_fit_above_the_bars(seed, index, scale):
    """A confidence of 1.00 leaves room for its value and "truth" above the bar, inside the axes."""
    e = RandomNetworkExplorer(seed=seed, index=index, scale=scale)
    e.to_png()
    renderer = e.fig.canvas.get_renderer()
    axes = e.ax_bar.get_window_extent(renderer)
    tallest = max(e.values_text, key=lambda t: t.get_position()[1])
    for text in e.values_text + [e.truth_mark]:
        box = text.get_window_extent(renderer)
        assert box.y1 <= axes.y1 and box.y0 >= axes.y0, text.get_text()
    truth_box, value_box = (e.truth_mark.get_window_extent(renderer),
                            e.values_text[int(e.y[index])].get_window_extent(renderer))
    assert truth_box.y0 >= value_box.y1 - 1                  # "truth" sits above its value, not on it
    bar_top = e.ax_bar.transData.transform((0, tallest.get_position()[1]))[1]
    assert tallest.get_window_extent(renderer).y0 > bar_top   # and the value above its bar


def test_random_network_keeps_mnist_read_only_and_few_networks():
    e = RandomNetworkExplorer()
    _, _, X, y = load_mnist()
    assert e.X is X and not X.flags.writeable
    checksum = float(X[:50].sum())
    for seed in range(0, 99, 2):
        e.set(seed=seed, index=seed * 7)
    assert len(e._networks) <= e.max_networks
    assert float(X[:50].sum()) == checksum
    assert e.network(98, 1.0) is e.network(98, 1.0)


def test_seven_steps_diagram_draws_all_steps():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    assert seven_steps_diagram(ax) is ax
    texts = " ".join(t.get_text() for t in ax.texts)
    for word in ["initialise", "predict", "loss", "gradient", "step", "repeat", "stop"]:
        assert word in texts
    plt.close(fig)


# --- chapter 02 -----------------------------------------------------------------

def test_gate_computed():
    assert gate_computed([0, 0, 0, 1]) == "AND"
    assert gate_computed(np.array([1, 1, 1, 0])) == "NAND"
    assert gate_computed([1, 1, 1, 1]) == "always 1"
    assert gate_computed([0, 0, 0, 0]) == "always 0"
    assert gate_computed([1, 0, 1, 0]) is None


def test_neuron_line_without_a_line_says_so():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = NeuronLineExplorer(w1=0.0, w2=0.0, b=0.0, gate="OR")
        e.to_png()
    assert "no line" in str(e.status) and "output 0" in str(e.status)
    assert "no line" in e.plane.message.get_text()
    assert "1 of 4 correct" in e.title.get_text()
    assert not e.plane.shade.get_visible()                  # z = 0 > 0 nowhere: nothing shaded
    e.set(b=1.0)
    assert "output 1" in str(e.status) and e.plane.shade.get_visible()
    e.set(w1=1.0)
    assert e.plane.message.get_text() == "" and "no line" not in str(e.status)


def test_neuron_line_title_counts_and_status_names_the_gate():
    e = NeuronLineExplorer(w1=1.0, w2=1.0, b=-1.5, gate="AND")
    assert "4 of 4 correct for AND" in e.title.get_text() and "computes AND" in str(e.status)
    assert e.status.tone == "good"
    e.set(b=-0.5)
    assert "2 of 4 correct" in e.title.get_text() and "computes OR" in str(e.status)
    assert "1·x₁ + 1·x₂ − 0.5" in str(e.status)
    assert len(e.plane.rings.get_offsets()) == 2            # (0,1) and (1,0) are ringed
    e.set(gate="XOR", w1=1.0, w2=1.0, b=-0.5)
    assert "3 of 4 correct" in e.title.get_text() and e.status.tone == "info"
    assert [t.get_text() for t in e.plane.z_text] == ["z = −0.5", "z = 0.5", "z = 0.5", "z = 1.5"]


@pytest.mark.parametrize("w,b", [((1.0, 1.0), -1.5), ((1.0, -2.0), 0.5), ((0.0, 1.0), -0.5), ((1.0, 0.0), 5.0),
                                 ((1.0, 0.0), -5.0), ((-1.0, -1.0), 0.1)])
def test_shaded_side_is_where_z_is_positive(w, b):
    poly = positive_side(w, b)
    grid = np.stack(np.meshgrid(np.linspace(-0.5, 1.5, 41), np.linspace(-0.5, 1.5, 41)), axis=-1).reshape(-1, 2)
    z = grid @ np.array(w) + b
    if len(poly) < 3:
        assert np.all(z <= 1e-9)
        return
    from matplotlib.path import Path
    inside = Path(poly).contains_points(grid, radius=1e-9)
    clear = np.abs(z) > 1e-6                                 # points on the line may fall either way
    assert np.array_equal(inside[clear], z[clear] > 0)


@pytest.mark.parametrize("w1,w2,b", [(1.0, 1.0, -1.5), (1.0, 1.0, -0.5), (-1.0, -1.0, 1.5), (2.0, 1.0, -2.0),
                                     (0.1, 0.1, 0.0), (3.0, 0.0, -1.5), (-2.0, 3.0, 0.5), (-1.2, 2.2, -3.0)])
def test_w_arrow_starts_on_the_line_and_keeps_clear_of_the_points(w1, w2, b):
    e = NeuronLineExplorer(w1=w1, w2=w2, b=b, gate="AND")
    tip, foot = np.array(e.plane.arrow.xy), np.array(e.plane.arrow.xyann)
    w = np.array([w1, w2])
    assert abs(foot @ w + b) < 1e-9                                   # the arrow starts on the line
    assert np.allclose((tip - foot) / np.linalg.norm(tip - foot), w / np.linalg.norm(w))   # and points along w
    assert e.plane.arrow.get_visible() == (e.plane.arrow_label.get_text() == "$w$")
    if e.plane.arrow.get_visible():
        for spot in (tip, (foot + tip) / 2):       # the first layout put the tip right on (1, 1)
            assert np.min(np.linalg.norm(e.plane.X - spot, axis=1)) > 0.1
        e.to_png()
        axes = e.plane.ax.get_window_extent()
        label = e.plane.arrow_label.get_window_extent()     # (-1.2, 2.2, -3) put it on the title, above the box
        assert axes.x0 < label.x0 and label.x1 < axes.x1 and axes.y0 < label.y0 and label.y1 < axes.y1


def test_w_arrow_shows_in_the_usual_cases():
    shown = [NeuronLineExplorer(w1=w1, w2=w2, b=b).plane.arrow.get_visible()
             for w1, w2, b in [(1.0, 1.0, -1.5), (1.0, 1.0, -0.5), (-1.0, 2.0, 0.0), (2.0, -1.0, -0.5)]]
    assert all(shown)


def _z_labels_touching_the_line(e):
    """The z labels whose box (grown by half the line's width, and half a pixel for the
    whole-pixel snap of the drawn text) comes within reach of the decision line."""
    renderer = e.fig.canvas.get_renderer()
    line = e.plane.line
    if len(line.get_xdata()) == 0:
        return []
    A, B = line.get_transform().transform_path(line.get_path()).vertices[:2]
    grow = line.get_linewidth() * e.fig.dpi / 72 / 2 + 0.5
    steps = np.linspace(0, 1, int(np.hypot(*(B - A)) * 4) + 2)[:, None]
    along = A + steps * (B - A)                                       # the line every quarter pixel
    hits = []
    for t in e.plane.z_text:
        x0, y0, x1, y1 = t.get_window_extent(renderer).extents
        inside = ((along[:, 0] >= x0 - grow) & (along[:, 0] <= x1 + grow)
                  & (along[:, 1] >= y0 - grow) & (along[:, 1] <= y1 + grow))
        if inside.any():
            hits.append(t.get_text())
    return hits


def test_z_labels_keep_clear_of_the_decision_line():
    """The student review: the line ran through "z = -0.1" and hid the minus sign."""
    e = NeuronLineExplorer()
    e.to_png()
    axes = e.plane.ax.get_window_extent()
    values = [-3.0, -1.5, -0.5, 0.0, 0.5, 1.0, 2.0]
    cases = [(w1, w2, b) for w1 in values for w2 in values for b in [-3.0, -2.0, -1.5, -1.0, -0.5, -0.1, 0.0, 0.5,
                                                                       1.0, 3.0]]
    cases += [(1.0, 1.0, -0.1), (1.0, 1.0, -1.0), (1.0, 1.0, -2.0), (1.0, 0.0, -1.0), (0.0, 1.0, 0.0),
              (1.0, -1.0, 0.0), (3.0, -3.0, 3.0), (0.1, 3.0, -0.2)]
    checked = 0
    for w1, w2, b in cases:
        e.set(w1=w1, w2=w2, b=b)
        assert not _z_labels_touching_the_line(e), f"w1={w1}, w2={w2}, b={b}"
        for t in e.plane.z_text:
            box = t.get_window_extent()
            assert axes.x0 <= box.x0 and box.x1 <= axes.x1 and axes.y0 <= box.y0 and box.y1 <= axes.y1, \
                f"{t.get_text()} leaves the plot at w1={w1}, w2={w2}, b={b}"
        checked += len(e.plane.line.get_xdata()) > 0
    assert checked > 300                                      # most cases do have a line in the box


def test_z_label_moves_off_the_line_in_the_reported_case():
    e = NeuronLineExplorer(w1=1.0, w2=1.0, b=-0.1, gate="AND")
    e.to_png()
    label = e.plane.z_text[0]
    assert label.get_text() == "z = −0.1"                       # a true minus sign
    x, y = label.get_position()
    assert x + y - 0.1 < 0                                     # on the point's own side, the z < 0 side


def test_training_z_labels_keep_clear_of_the_line():
    e = PerceptronTrainingExplorer()
    e.to_png()
    for gate in ["AND", "OR", "NAND", "NOR", "XOR"]:
        for lr in [0.25, 1.0, 2.0]:
            for step in range(len(perceptron_run(gate, lr).history_)):
                e.set(gate=gate, lr=lr, step=step)
                assert not _z_labels_touching_the_line(e), e.values


def test_training_explorer_replays_history():
    e = PerceptronTrainingExplorer(gate="AND", lr=1.0, step=4)
    assert "Epoch 1, sample (1, 1)" in str(e.status) and "w += η·x" in str(e.status)
    assert e.title.get_text() == "AND, η = 1: step 4, w = (1, 1), b = 1"
    assert e.current.get_offsets().tolist() == [[1.0, 1.0]]
    e.set(step=60)
    assert "Converged after 24 steps (6 epochs)" in str(e.status) and "stopped at step 24" in str(e.status)
    assert "step 24" in e.title.get_text() and e.status.tone == "good"
    e.set(gate="XOR", step=60)
    assert "never settles" in str(e.status) and e.status.tone == "bad"
    e.set(step=0)
    assert "Start" in str(e.status) and "No epoch yet" in str(e.status)
    assert len(e.current.get_offsets()) == 0 and not e.epoch_band.get_visible()


def test_training_bars_count_the_mistakes_so_far():
    e = PerceptronTrainingExplorer(gate="AND", lr=1.0, step=5)      # epoch 2, its first sample was a mistake
    heights = [bar.get_height() for bar in e.bars]
    assert heights[:2] == [1, 1] and not any(heights[2:])
    assert "Epoch 2: 1 mistake so far" in str(e.status)
    e.set(step=24)
    full = perceptron_run("AND", 1.0).errors_
    assert [bar.get_height() for bar in e.bars][:len(full)] == full


# --- fast text ------------------------------------------------------------------

def _canvas_with(cls, **kwargs):
    fig = Figure(figsize=(3, 1.5), dpi=100)
    FigureCanvasAgg(fig)
    fig.patches.append(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
        (0.5, 0), 0.5, 1, transform=fig.transFigure, color="#E69F00", alpha=0.5))
    text = cls(0.31, 0.42, kwargs.pop("s", "z = −0.25"), clip_on=False, **kwargs)
    fig.add_artist(text)
    return fig, text


def _snap(text):
    x, y = text.get_transform().transform(text.get_position())
    text.set_position(text.get_transform().inverted().transform((round(x), round(y))))


@pytest.mark.parametrize("kwargs", [dict(fontsize=8), dict(fontsize=10, color="#b2182b", ha="center", va="top"),
                                    dict(s="no line:\nw₁ = w₂ = 0", ha="center", va="center", fontsize=9,
                                         bbox=dict(fc="white", ec="#D55E00", alpha=0.9)),
                                    dict(s="$w$", fontsize=10), dict(s="truth", weight="bold", fontsize=8)])
def test_cached_text_looks_like_text(kwargs):
    plain_fig, plain = _canvas_with(Text, **dict(kwargs))
    _snap(plain)
    cached_fig, cached = _canvas_with(CachedText, **dict(kwargs))
    plain_fig.canvas.draw()
    reference = np.asarray(plain_fig.canvas.buffer_rgba()).astype(int)
    for _ in range(2):                                            # the first draw renders, the second copies
        cached_fig.canvas.draw()
        got = np.asarray(cached_fig.canvas.buffer_rgba()).astype(int)
        assert np.abs(got - reference).max() <= 2
    assert (np.abs(reference - 255).max(axis=2) > 100).sum() > 20      # and there was text to see


def test_cached_text_is_copied_not_rendered_again(monkeypatch):
    fig, text = _canvas_with(CachedText, s="copy me 7", fontsize=9)
    fig.canvas.draw()
    first = np.asarray(fig.canvas.buffer_rgba())[:, :150].copy()
    renders = []
    monkeypatch.setattr(CachedText, "_render", lambda *a: renders.append(a))
    text.set_x(0.05)                                              # moved: the same pixels, elsewhere
    fig.canvas.draw()
    assert renders == []
    moved = np.asarray(fig.canvas.buffer_rgba())[:, :150]
    assert not np.array_equal(moved, first)
    text.set_color("red")                                         # a new look is a new render
    fig.canvas.draw()
    assert len(renders) == 1


def test_cached_text_warm_renders_ahead(monkeypatch):
    fig, text = _canvas_with(CachedText, s="", fontsize=8, color="#123456")
    text.warm([f"{v} warm" for v in range(5)])
    monkeypatch.setattr(CachedText, "_render", lambda *a: pytest.fail("rendered again after warm()"))
    for v in range(5):
        text.set_text(f"{v} warm")
        fig.canvas.draw()
    assert text.get_text() == "4 warm"


def test_text_row_lays_pieces_end_to_end():
    fig = Figure(figsize=(5, 1), dpi=100)
    FigureCanvasAgg(fig)
    row = TextRow(fig, 0.02, 0.9, 3, va="top", fontsize=10)
    row.set_text("w₁ = −2.5,", "w₂ = 1,")
    renderer = fig.canvas.get_renderer()
    a, b, c = (p.get_window_extent(renderer) for p in row.pieces)
    assert a.x1 < b.x0 < a.x1 + 10 and row.pieces[2].get_text() == ""
    assert row.get_text() == "w₁ = −2.5, w₂ = 1,"
    with pytest.raises(ValueError, match="3 pieces"):
        row.set_text("a", "b", "c", "d")
    assert isinstance(add_text(fig, 0, 0, "x"), CachedText)
