"""Chapter 06 explorers: they draw what they claim, survive extreme values, and fall back for the book."""

import warnings

import numpy as np
import pytest

from nnlib.explorers.ch06 import GradientDescent1D, GradientDescent2D, MiniBatchSGD, logistic_data, logistic_runs
from nnlib.surfaces import SURFACES_1D, SURFACES_2D

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def e1():
    return GradientDescent1D()


@pytest.fixture(scope="module")
def e2():
    return GradientDescent2D()


def test_1d_default_draws_a_png_with_values_in_the_title(e1):
    assert e1.to_png().startswith(PNG)
    title = e1.title.get_text()
    assert "η = 0.05" in title and "μ = 0.00" in title and "double well" in title


def test_1d_double_well_gd_stuck_momentum_escapes(e1):
    e1.set(surface="double_well", lr=0.05, momentum=0.0, steps=100)
    assert "LOCAL minimum" in e1.status.get_text()
    e1.set(momentum=0.9)
    text = e1.status.get_text()
    assert "global minimum" in text.splitlines()[0] and "plain GD: local minimum" in text
    assert e1.ball.get_xdata()[0] == pytest.approx(SURFACES_1D["double_well"].minima[0], abs=0.05)
    assert len(e1.ghost.get_xdata()) == 101          # the plain-GD ghost is drawn beside the ball's path


def test_1d_divergence_is_reported(e1):
    e1.set(surface="parabola", lr=1.3, momentum=0.0, steps=60)
    assert "DIVERGED after" in e1.status.get_text()
    assert "diverged" in e1.loss_div.get_text()
    e1.set(lr=0.9)
    assert "DIVERGED" not in e1.status.get_text()


def test_1d_step_numbers_and_tangent(e1):
    e1.set(surface="parabola", lr=0.1, momentum=0.0, start=2.5, steps=20)
    labels = [t.get_text() for t in e1.labels if t.get_text()]
    assert labels[:3] == ["0", "1", "2"]
    xs, ys = e1.tangent.get_data()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    x_now = e1.ball.get_xdata()[0]
    assert slope == pytest.approx(2 * x_now, rel=1e-6)


def test_choosing_a_surface_moves_the_start(e1):
    e1.set(surface="plateau_cliff")
    assert e1.values["start"] == SURFACES_1D["plateau_cliff"].start
    e1.set(surface="double_well", start=1.0)
    assert e1.values["start"] == 1.0


@pytest.mark.parametrize("values", [
    dict(lr=3.0, momentum=0.99, start=6.0, steps=200), dict(lr=3.0, momentum=0.0, start=-6.0, steps=1),
    dict(lr=0.001, momentum=0.99, start=-6.0, steps=200), dict(lr=3.0, momentum=0.99, start=0.0, steps=200),
])
@pytest.mark.parametrize("surface", list(SURFACES_1D))
def test_1d_extreme_values_never_raise_or_warn(e1, surface, values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = e1.set(surface=surface, **values).to_png()
    assert png.startswith(PNG)
    assert e1.status.get_text()                   # always a readable state
    for line in (e1.path, e1.ghost, e1.loss_line):
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


def test_2d_ravine_theory_panel(e2):
    e2.set(surface="ravine", kappa=10.0, lr=1.0, momentum=0.5, steps=100)
    body = e2.text_body.get_text()
    assert "κ = λmax/λmin = 10" in body and "2/λmax = 2" in body
    # the best settings: theory and measured rate side by side
    best_gd = [line for line in body.splitlines() if line.startswith("best η, μ = 0")][0].split()[-2:]
    best_hb = [line for line in body.splitlines() if line.startswith("best η and μ*")][0].split()[-2:]
    assert float(best_gd[0]) == pytest.approx(0.818, abs=1e-3)
    assert float(best_gd[1]) == pytest.approx(0.818, abs=0.005)
    assert float(best_hb[0]) == pytest.approx(0.519, abs=1e-3)
    assert float(best_hb[1]) == pytest.approx(0.519, abs=0.03)      # a double root: t·r^t, a bit slower
    runs = e2.text_runs.get_text().splitlines()
    gd = [float(x) for x in runs[1].split()[-2:]]
    mom = [float(x) for x in runs[2].split()[-2:]]
    assert gd[0] == pytest.approx(gd[1], abs=0.01) and gd[0] == pytest.approx(0.9, abs=1e-3)
    assert mom[0] == pytest.approx(mom[1], abs=0.03)
    assert len(e2.ghost.get_xdata()) == 101 and len(e2.path.get_xdata()) == 101


def test_2d_kappa_changes_the_theory(e2):
    e2.set(surface="ravine", kappa=100.0)
    assert "= 100" in e2.text_body.get_text()
    e2.set(kappa=10.0)


def test_2d_non_quadratic_says_so(e2):
    e2.set(surface="banana", lr=0.001, momentum=0.9, steps=300)
    assert "No exact theory" in e2.text_head.get_text()
    assert e2.values["start_x"] == -1.5          # the banana's default start


def test_2d_contour_is_built_once_per_surface(e2):
    e2.set(surface="bowl")
    bg = list(e2._bg)
    e2.set(lr=0.3)
    e2.set(momentum=0.2)
    e2.to_png()
    assert e2._bg == bg
    e2.set(surface="saddle")
    assert e2._bg != bg


@pytest.mark.parametrize("surface", list(SURFACES_2D))
def test_2d_extreme_values_never_raise_or_warn(e2, surface):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in (dict(lr=3.0, momentum=0.99, start_x=6.0, start_y=-6.0, steps=300),
                       dict(lr=1e-4, momentum=0.99, start_x=-6.0, start_y=6.0, steps=300),
                       dict(lr=3.0, momentum=0.0, kappa=100.0, steps=1)):
            assert e2.set(surface=surface, **values).to_png().startswith(PNG)
            for line in (e2.path, e2.ghost, e2.loss_line, e2.loss_ghost):
                assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))
    e2.set(surface=surface, lr=3.0, momentum=0.99, start_x=6.0, start_y=-6.0, steps=300)
    if surface != "saddle":                      # saddle: y⁴ keeps even huge steps finite for a while
        assert "diverged" in e2.div_text.get_text()
    assert "outside the plot" in e2.div_text.get_text()


def test_fast_png_matches_a_full_redraw(e2):
    """The cached background plus moving artists gives the same picture as savefig."""
    import io

    from PIL import Image
    e2.set(surface="ravine", lr=0.7, momentum=0.3, steps=40)
    fast = np.asarray(Image.open(io.BytesIO(e2.to_png())).convert("RGB"), dtype=int)
    buf = io.BytesIO()
    e2.fig.savefig(buf, format="png", dpi=e2.dpi)
    full = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=int)
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full) > 8) < 0.002


@pytest.mark.parametrize("bad, err", [(dict(lr=5.0), ValueError), (dict(momentum=1.0), ValueError),
                                      (dict(surface="moon"), ValueError), (dict(steps="ten"), TypeError),
                                      (dict(speed=1), TypeError)])
def test_explorers_reject_bad_values(e2, bad, err):
    with pytest.raises(err):
        GradientDescent1D(**bad)
    with pytest.raises(err):
        e2.set(**bad)


def test_fallbacks_give_offline_html_with_two_sweeps():
    e = GradientDescent1D(surface="double_well", momentum=0.9, steps=80)
    one = e.fallback(sweep="momentum")
    assert "<script" in one and "font-awesome" not in one
    with pytest.raises(ValueError, match="sweep"):
        e.fallback(sweep="speed")
    both = GradientDescent2D(surface="ravine").fallback()
    assert both.count("Learning rate from") == 1 and both.count("Momentum from") == 1
    assert len(both.encode()) < 1_500_000            # a book page holds several of these


def test_minibatch_runs_and_explorer():
    X, y = logistic_data()
    sgd, gd = logistic_runs(X, y, lr=0.5, batch_size=10, epochs=3)
    assert len(sgd["W"]) == 1 + 3 * 20 and len(gd["W"]) == 1 + 3
    assert sgd["loss"][-1] < gd["loss"][-1]          # more updates per epoch: further along after 3 epochs
    e = MiniBatchSGD(batch_size=1, lr=10.0, epochs=30)
    assert e.to_png().startswith(PNG)
    assert "batch size = 1" in e.title.get_text()
    e.set(batch_size=200)
    labels = [t.get_text() for t in e.info.get_texts()]
    assert "1 update/epoch" in labels[0] and "full-batch GD" in labels[1] and "final loss" in labels[1]


def test_widget_changes_image_and_moves_start_with_the_surface():
    box = GradientDescent2D().widget()
    before = box.image.value
    box.controls["lr"].value = 0.5
    assert box.image.value != before
    box.controls["surface"].value = "banana"
    assert box.explorer.values["surface"] == "banana"
    assert box.controls["start_x"].value == pytest.approx(-1.5)     # the slider follows the new default start
    assert box.explorer.values["start_x"] == pytest.approx(-1.5)


def test_logistic_runs_validates():
    X, y = logistic_data()
    with pytest.raises(ValueError, match="batch_size"):
        logistic_runs(X, y, lr=0.5, batch_size=0, epochs=1)
    with pytest.raises(TypeError, match="epochs"):
        logistic_runs(X, y, lr=0.5, batch_size=4, epochs=1.5)
    with pytest.raises(ValueError, match="lr"):
        logistic_runs(X, y, lr=-1, batch_size=4, epochs=1)
    with pytest.raises(ValueError, match="X"):
        logistic_runs(X[:, :1], y, lr=0.5, batch_size=4, epochs=1)


def _renderer(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_1d_legend_sits_below_the_axes_and_never_hides_the_path():
    e = GradientDescent1D(surface="plateau_cliff")            # the plateau path runs along the top left
    r = _renderer(e.fig)
    legend = e.legend.get_window_extent(r)
    assert e.legend in e.fig.legends
    assert legend.y1 < e.ax.get_window_extent(r).y0          # entirely below the plotting area


def test_1d_status_names_growing_swings_bouncing_and_rest():
    e = GradientDescent1D(surface="parabola", lr=1.02, momentum=0.0, start=2.5, steps=60)
    assert "GROW" in e.status.get_text() and "DIVERGED" not in e.status.get_text()   # diverging, not yet escaped
    e.set(lr=1.0)
    assert "bounces back and forth" in e.status.get_text()   # factor 1 − 2η = −1: ±x₀ for ever
    e.set(lr=0.3)
    assert "reached the minimum" in e.status.get_text()
    assert "flat" in e.slope_text.get_text()
    e.set(steps=1)
    assert e.title.get_text().endswith("1 step")


def test_2d_theory_text_fits_in_the_book_frames():
    from nnlib.explorers.ch06 import _BookDPI
    e = GradientDescent2D(surface="ravine", kappa=100.0, lr=1.5, momentum=0.5)
    with _BookDPI(e, e.book_dpi):
        r = _renderer(e.fig)
        right = e.fig.bbox.x1
        for text in (e.text_head, e.text_body, e.text_runs):
            box = text.get_window_extent(r)
            assert box.x1 <= right and box.y0 >= 0, text.get_text()[:40]


def test_2d_rates_near_one_keep_enough_digits():
    e = GradientDescent2D(surface="ravine", kappa=100.0, lr=0.05, momentum=0.0, steps=100)
    line = e.text_runs.get_text().splitlines()[1]
    assert "0.9995" in line                           # |1 − 0.05·0.01|, not a misleading "1.000"


def test_sgd_legends_avoid_the_curves_and_are_drawn_last():
    e = MiniBatchSGD(batch_size=10, lr=0.5, epochs=5)
    dyn = e._dynamic()
    assert dyn[-3:] == [e.path_legend, e.info, e.data_legend]     # on top of the moving lines
    r = _renderer(e.fig)
    box = e.info.get_window_extent(r)
    for line in (e.sgd_loss, e.gd_loss):
        pts = line.get_transform().transform(np.column_stack(line.get_data()))
        inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
        assert not inside.any()
    e.set(epochs=1, batch_size=200)
    assert e.title.get_text().endswith("1 epoch")
    assert "1 update/epoch" in e.info.get_texts()[0].get_text()
