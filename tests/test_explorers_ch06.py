"""Chapter 06 explorers: they draw what they claim, survive extreme values, and fall back for the book."""

import json
import re
import warnings

import numpy as np
import pytest

from nnlib.explorers.ch06 import GradientDescent1D, GradientDescent2D, MiniBatchSGD, nice_limit, theory_table
from nnlib.logistic import logistic_data, logistic_runs
from nnlib.optim import quadratic_theory
from nnlib.surfaces import SURFACES_1D, SURFACES_2D, ravine

from nbutils import ROOT

PNG = b"\x89PNG"


@pytest.fixture
def e1():
    return GradientDescent1D()


@pytest.fixture
def e2():
    return GradientDescent2D()


def test_1d_default_draws_a_png_and_names_the_surface(e1):
    assert e1.to_png().startswith(PNG)
    assert "double well" in e1.title.get_text()


def test_1d_double_well_gd_stuck_momentum_escapes(e1):
    e1.set(surface="double_well", lr=0.05, momentum=0.0, steps=100)
    assert "LOCAL minimum" in str(e1.status) and e1.status.tone == "bad"
    e1.set(momentum=0.9)
    text = str(e1.status)
    assert "global minimum" in text.splitlines()[0] and "plain GD: local minimum" in text
    assert e1.status.tone == "good"
    assert e1.ball.get_xdata()[0] == pytest.approx(SURFACES_1D["double_well"].minima[0], abs=0.05)
    assert len(e1.ghost.get_xdata()) == 101          # the plain-GD ghost is drawn beside the ball's path


def test_1d_divergence_is_reported(e1):
    e1.set(surface="parabola", lr=1.3, momentum=0.0, steps=60)
    assert "DIVERGED after" in str(e1.status)
    assert "diverged" in e1.loss_div.get_text()
    e1.set(lr=0.9)
    assert "DIVERGED" not in str(e1.status) and e1.loss_div.get_text() == ""


def test_1d_step_numbers_and_tangent(e1):
    e1.set(surface="parabola", lr=0.1, momentum=0.0, start=2.5, steps=20)
    labels = [t.get_text() for t in e1.labels if t.get_text()]
    assert labels[:3] == ["0", "1", "2"]
    xs, ys = e1.tangent.get_data()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    x_now = e1.ball.get_xdata()[0]
    assert slope == pytest.approx(2 * x_now, rel=1e-6)
    assert f"slope is f′(x) = {2 * x_now:.3g}" in str(e1.status)


def test_choosing_a_surface_moves_the_start(e1):
    e1.set(surface="plateau_cliff")
    assert e1.values["start"] == SURFACES_1D["plateau_cliff"].start
    e1.set(surface="double_well", start=1.0)          # an explicit start wins over the linked default
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
    assert str(e1.status)                          # always a readable state
    for line in (e1.path, e1.ghost, e1.loss_line):
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))


def test_1d_status_names_growing_swings_bouncing_and_rest():
    e = GradientDescent1D(surface="parabola", lr=1.02, momentum=0.0, start=2.5, steps=60)
    assert "GROW" in str(e.status) and "DIVERGED" not in str(e.status)   # diverging, not yet escaped
    e.set(lr=1.0)
    assert "bounces back and forth" in str(e.status)   # factor 1 − 2η = −1: ±x₀ for ever
    e.set(lr=0.3)
    assert "reached the minimum" in str(e.status) and "flat" in str(e.status)


def test_1d_legend_sits_below_the_axes_and_never_hides_the_path():
    e = GradientDescent1D(surface="plateau_cliff")            # the plateau path runs along the top left
    e.fig.canvas.draw()
    r = e.fig.canvas.get_renderer()
    assert e.legend in e.fig.legends
    assert e.legend.get_window_extent(r).y1 < e.ax.get_window_extent(r).y0   # entirely below the plot


def test_2d_ravine_theory_table(e2):
    e2.set(surface="ravine", kappa=10.0, lr=1.0, momentum=0.5, steps=100)
    table = {row[0]: row[1:] for row in e2.status.table}
    assert table["condition κ"][0] == "10" and table["stable if η <"][0] == "2"
    assert table["best η (μ = 0)"][0] == "1.82" and table["its η"][0] == "2.31" and table["best μ*"][0] == "0.27"
    theory, measured = re.match(r"([\d.]+) \(measured ([\d.]+)\)", table["rate, best η"][0]).groups()
    assert float(theory) == pytest.approx(0.818, abs=1e-3) and float(measured) == pytest.approx(0.818, abs=0.005)
    theory, measured = re.match(r"([\d.]+) \(measured ([\d.]+)\)", table["rate, best η and μ*"][0]).groups()
    assert float(theory) == pytest.approx(0.519, abs=1e-3)
    assert float(measured) == pytest.approx(0.519, abs=0.03)        # a double root: t·r^t, a bit slower
    lines = str(e2.status).splitlines()
    gd = [float(x) for x in re.findall(r"measured rate (\d[\d.]*\d), theory (\d[\d.]*\d)", lines[0])[0]]
    mom = [float(x) for x in re.findall(r"measured rate (\d[\d.]*\d), theory (\d[\d.]*\d)", lines[1])[0]]
    assert gd[1] == pytest.approx(0.9, abs=1e-3) and gd[0] == pytest.approx(gd[1], abs=0.01)
    assert mom[0] == pytest.approx(mom[1], abs=0.03)
    assert len(e2.ghost.get_xdata()) == 101 and len(e2.path.get_xdata()) == 101


def test_2d_kappa_changes_the_theory(e2):
    e2.set(surface="ravine", kappa=100.0)
    assert dict((r[0], r[1]) for r in e2.status.table)["condition κ"] == "100"
    assert "κ = 100" in e2.title.get_text()


def test_2d_non_quadratic_says_so(e2):
    e2.set(surface="banana", lr=0.001, momentum=0.9, steps=300)
    assert e2.status.table is None and "No exact theory" in str(e2.status)
    assert e2.values["start_x"] == -1.5          # the banana's default start


def test_2d_contour_is_built_once_per_surface_and_kept(e2):
    e2.set(surface="bowl")
    bowl = list(e2.map)
    e2.set(lr=0.3)
    e2.set(momentum=0.2)
    e2.to_png()
    assert e2.map == bowl
    e2.set(surface="saddle")
    assert e2.map != bowl and not any(a.get_visible() for a in bowl)
    e2.set(surface="bowl")
    assert e2.map == bowl and all(a.get_visible() for a in bowl)      # reused, not computed again


@pytest.mark.parametrize("surface", list(SURFACES_2D))
def test_2d_extreme_values_never_raise_or_warn(e2, surface):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in (dict(lr=4.0, momentum=0.99, start_x=6.0, start_y=-6.0, steps=300),
                       dict(lr=1e-4, momentum=0.99, start_x=-6.0, start_y=6.0, steps=300),
                       dict(lr=4.0, momentum=0.0, kappa=100.0, steps=1)):
            assert e2.set(surface=surface, **values).to_png().startswith(PNG)
            for line in (e2.path, e2.ghost, e2.loss_line, e2.loss_ghost):
                assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))
    e2.set(surface=surface, lr=4.0, momentum=0.99, start_x=6.0, start_y=-6.0, steps=300)
    if surface != "saddle":                      # saddle: y⁴ keeps even huge steps finite for a while
        assert "diverged" in str(e2.status) and e2.status.tone == "bad"
    assert "outside the plot" in str(e2.status)


def test_2d_rates_near_one_keep_enough_digits():
    e = GradientDescent2D(surface="ravine", kappa=100.0, lr=0.05, momentum=0.0, steps=100)
    assert "theory 0.9995" in str(e.status).splitlines()[0]      # |1 − 0.05·0.01|, not a misleading "1.000"


@pytest.mark.parametrize("bad, err, phrase", [
    (dict(lr=5.0), ValueError, "between 0.0001 and 4"), (dict(momentum=1.0), ValueError, "momentum"),
    (dict(surface="moon"), ValueError, "one of"), (dict(steps="ten"), TypeError, "whole number"),
    (dict(steps=2.5), ValueError, "whole number"), (dict(lr=float("nan")), ValueError, "lr"),
    (dict(speed=1), TypeError, "no parameter")])
def test_explorers_reject_bad_values(e2, bad, err, phrase):
    with pytest.raises(err, match=phrase):
        e2.set(**bad)
    if "lr" not in bad:
        with pytest.raises(err):
            GradientDescent1D(**bad)


def test_1d_steps_must_be_whole():
    with pytest.raises(ValueError, match="steps must be a whole number between 1 and 200, got 2.5"):
        GradientDescent1D(steps=2.5)
    assert GradientDescent1D(steps=3.0).values["steps"] == 3        # 3.0 is a whole number


def test_fallbacks_give_offline_players_with_two_sweeps():
    both = GradientDescent2D(surface="ravine").fallback()
    assert both.count('class="animation nnlib-player"') == 2
    assert "Learning rate from 0.1 to 2.31" in both and "Momentum from 0 to 0.95" in both
    assert "http" not in both and "font-awesome" not in both
    assert len(both.encode()) < 1_500_000            # a book page holds several of these


def test_minibatch_runs_and_explorer():
    X, y = logistic_data()
    sgd, gd = logistic_runs(X, y, lr=0.5, batch_size=10, epochs=3)
    assert len(sgd["W"]) == 1 + 3 * 20 and len(gd["W"]) == 1 + 3
    assert sgd["loss"][-1] < gd["loss"][-1]          # more updates per epoch: further along after 3 epochs
    e = MiniBatchSGD(batch_size=1, lr=10.0, epochs=30)
    assert e.to_png().startswith(PNG)
    assert "200 updates per epoch, 6000 in all" in str(e.status)
    e.set(batch_size=200)
    assert "1 update per epoch, 30 in all" in str(e.status).splitlines()[0]


def test_minibatch_epochs_reuse_one_run():
    """Fewer epochs show a prefix of the same 30-epoch run (computed once per batch size and η)."""
    e = MiniBatchSGD(batch_size=10, lr=0.5, epochs=30)
    full = e.sgd_path.get_xdata().copy()
    e.set(epochs=3)
    assert len(e._runs) == 1
    assert np.array_equal(e.sgd_path.get_xdata(), full[:1 + 3 * 20])


@pytest.mark.parametrize("cls", [GradientDescent1D, GradientDescent2D, MiniBatchSGD])
def test_legends_sit_outside_every_plot_and_never_hide_a_curve(cls):
    """Each chapter 06 explorer has one legend, outside all its axes, so no path or curve
    can ever run under it (and it is drawn once, with the static layer)."""
    e = cls()
    e.fig.canvas.draw()
    r = e.fig.canvas.get_renderer()
    assert e.fig.legends == [e.legend] and not any(ax.get_legend() for ax in e.fig.axes)
    box = e.legend.get_window_extent(r)
    for ax in e.fig.axes:
        assert not box.overlaps(ax.get_window_extent(r)), ax.get_title()


def test_nice_limit():
    assert [nice_limit(n) for n in (1, 100, 101, 200, 300)] == [100, 100, 200, 200, 300]


# ---------------------------------------------------------------------------------
# Every value the chapter or the theory table names can be set exactly
# ---------------------------------------------------------------------------------

def _named_in_chapter():
    """Every η, μ and κ that chapter 06's text names, as (symbol, value)."""
    nb = json.loads((ROOT / "chapters" / "06_gradient_descent.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    found = set()
    for symbol, name in (("eta", "lr"), ("mu", "momentum"), ("kappa", "kappa")):
        for v in re.findall(rf"\\{symbol}\s*=\s*([0-9]+(?:\.[0-9]+)?)", text):
            found.add((name, float(v)))
    return sorted(found)


NAMED = _named_in_chapter()


def test_the_chapter_names_learning_rates_and_momenta():
    names = {n for n, _ in NAMED}
    assert {"lr", "momentum", "kappa"} <= names and len(NAMED) >= 10


@pytest.mark.parametrize("cls", [GradientDescent1D, GradientDescent2D])
def test_every_value_the_chapter_names_lands_exactly_in_the_widget(cls):
    box = cls().widget()
    spec = {p.name: p for p in cls.params}
    for name, value in NAMED:
        if name not in spec or not spec[name].low <= value <= spec[name].high:
            continue
        control = box.controls[name]
        control.value = value                        # what typing the number into the box does
        box.renderer.wait()
        assert control.value == value and box.explorer.values[name] == value, (name, value)
    assert cls(lr=1.5).widget().controls["lr"].value == 1.5          # a programmatic value too


@pytest.mark.parametrize("kappa", [1.0, 2.0, 10.0, 37.0, 100.0])
def test_the_theory_tables_recommendations_are_one_click_away(kappa):
    box = GradientDescent2D(surface="ravine", kappa=kappa).widget()
    th = quadratic_theory(ravine(kappa).hessian)
    table = dict((row[0], row[1]) for row in box.explorer.status.table)
    best, both = box.buttons
    best.click()
    box.renderer.wait()
    assert box.explorer.values["lr"] == float(table["best η (μ = 0)"]) == pytest.approx(th["lr_opt"], rel=5e-3)
    assert box.explorer.values["momentum"] == 0.0 and box.controls["lr"].value == box.explorer.values["lr"]
    both.click()
    box.renderer.wait()
    assert box.explorer.values["lr"] == float(table["its η"]) == pytest.approx(th["lr_opt_momentum"], rel=5e-3)
    assert box.explorer.values["momentum"] == float(table["best μ*"])
    assert box.controls["momentum"].value == box.explorer.values["momentum"]


def test_presets_are_greyed_out_where_there_is_no_theory():
    box = GradientDescent2D(surface="banana").widget()
    assert all(b.disabled for b in box.buttons)
    box.controls["surface"].value = "bowl"
    box.renderer.wait()
    assert not any(b.disabled for b in box.buttons)


def test_theory_table_matches_quadratic_theory():
    th, rows = theory_table(ravine(37.0))
    assert dict((r[0], r[1]) for r in rows)["condition κ"] == f"{th['kappa']:.3g}"
