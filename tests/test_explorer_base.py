"""The shared explorer machinery (nnlib/explorers/base.py), tested on every explorer of the course.

Each test runs over ``all_explorers()``, so a new chapter's explorer is held to
the same rules as soon as its module lists it: the fast layered PNG equals a
full redraw, text is readable at the sizes students use, every parameter
survives its extremes, renders are coalesced, and the book gets a working
kernel-free player.
"""

import io
import time
import warnings

import numpy as np
import pytest
from PIL import Image

from nnlib.explorers import Choice, Explorer, Slider, Sweep, Toggle, all_explorers, player_html
from nnlib.explorers.base import MIN_TEXT_PX, Status, clip_for_plot, free_corner, plural

EXPLORERS = all_explorers()
IDS = [cls.__name__ for cls in EXPLORERS]


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _random_values(cls, rng):
    values = {}
    for p in cls.params:
        if rng.random() < 0.5:
            continue
        if isinstance(p, Choice):
            values[p.name] = p.options[rng.integers(len(p.options))]
        elif isinstance(p, Toggle):
            values[p.name] = bool(rng.integers(2))
        elif p.integer:
            values[p.name] = int(rng.integers(p.low, p.high + 1))
        elif p.log:
            values[p.name] = float(np.exp(rng.uniform(np.log(p.low), np.log(p.high))))
        else:
            values[p.name] = float(rng.uniform(p.low, p.high))
    return values


def _extremes(p):
    if isinstance(p, Choice):
        return list(p.options)
    if isinstance(p, Toggle):
        return [False, True]
    return [p.low, p.high] if not p.integer else [int(p.low), int(p.high)]


def test_every_chapter_lists_its_explorers():
    assert len(EXPLORERS) >= 6 and len(set(EXPLORERS)) == len(EXPLORERS)
    assert all(issubclass(cls, Explorer) for cls in EXPLORERS)


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_fast_png_equals_a_full_redraw(cls):
    """The layered render (cached static and slow layers + moving artists) shows exactly
    what drawing the whole figure shows, over a random walk through the parameters."""
    rng = np.random.default_rng(sum(map(ord, cls.__name__)))
    e = cls()
    for _ in range(12):
        e.set(**_random_values(cls, rng))
        fast, full = _pixels(e.to_png()), _pixels(e.to_png(fast=False))
        assert fast.shape == full.shape
        differ = np.mean(np.abs(fast - full).max(axis=2) > 24)
        assert differ < 0.002, f"{cls.__name__} at {e.values}: {differ:.2%} of the pixels differ"


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_images_fit_a_narrow_jupyterlab_and_text_is_readable(cls):
    """At most 580 px wide (shown at natural size in a 1024-px window with the file browser
    open), and no text smaller than 11 px."""
    e = cls()
    width, height = e.size_px()
    assert width <= 580 and height <= 560
    assert e.smallest_text_px() >= MIN_TEXT_PX


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_every_parameter_survives_its_extremes(cls):
    e = cls()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for p in cls.params:
            for v in _extremes(p):
                assert e.set(**{p.name: v}).to_png().startswith(b"\x89PNG")
                assert isinstance(e.status, Status)


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_bad_values_get_clear_messages(cls):
    e = cls()
    for p in cls.params:
        if isinstance(p, Choice):
            with pytest.raises(ValueError, match=f"{p.name} must be one of"):
                e.set(**{p.name: "no such option"})
        elif isinstance(p, Slider):
            with pytest.raises(ValueError, match=f"{p.name} must be"):
                e.set(**{p.name: p.high + (p.high - p.low) + 1})
            with pytest.raises(ValueError, match=p.name):
                e.set(**{p.name: float("nan")})
            with pytest.raises(TypeError, match=p.name):
                e.set(**{p.name: "3"})
            if p.integer:
                with pytest.raises(ValueError, match="whole number"):
                    e.set(**{p.name: p.low + 0.5})
        elif isinstance(p, Toggle):
            with pytest.raises(TypeError, match=f"{p.name} must be True or False"):
                e.set(**{p.name: "yes"})
    with pytest.raises(TypeError, match="no parameter"):
        e.set(no_such_parameter=1)


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_widget_controls_carry_their_names_and_change_the_image(cls):
    box = cls().widget()
    assert "nnlib-explorer" in box._dom_classes and f"nnlib-explorer-{cls.__name__}" in box._dom_classes
    assert "nnlib-explorer-image" in box.image._dom_classes
    assert box.image.layout.width == f"{box.explorer.size_px()[0]}px" and box.image.layout.max_width == "100%"
    for p in cls.params:
        control = box.controls[p.name]
        named = getattr(control, "slider", control)
        assert f"nnlib-param-{p.name}" in named._dom_classes
    # moving the first slider changes the picture (rendered in the background thread)
    p = next(p for p in cls.params if isinstance(p, Slider))
    before = box.image.value
    control = box.controls[p.name]
    target = p.high if box.explorer.values[p.name] != p.high else p.low
    if hasattr(control, "slider"):
        control.slider.value = p.position(target)
    else:
        control.value = target
    box.renderer.wait()
    assert box.explorer.values[p.name] == target
    assert box.image.value != before


def test_slider_positions_round_to_readable_values():
    lr = Slider("lr", 1e-4, 4.0, 1.5, log=True, step=0.02)
    assert lr.from_position(np.log10(1.5)) == 1.5 and lr.from_position(0.2) == 1.58
    assert lr.from_position(10.0) == 4.0                   # clamped to the range
    mu = Slider("momentum", 0.0, 0.99, 0.5, step=0.01)
    assert mu.from_position(0.27000000001) == 0.27


def test_choice_matches_text_without_case_and_refuses_bools():
    c = Choice("gate", ["AND", "OR"], "AND")
    assert c.check("and") == "AND" and c.check(" Or ") == "OR"
    with pytest.raises(ValueError, match="one of"):
        c.check("xor")
    n = Choice("lr", [0.5, 1.0], 1.0)
    assert n.check(1) == 1.0
    with pytest.raises(ValueError):
        n.check(True)


class _Slow(Explorer):
    """A deliberately slow explorer: 40 ms per draw."""
    params = [Slider("w", 0.0, 100.0, 0.0, step=1.0)]
    figsize = (3, 2)
    moving = ("line",)

    def setup(self, fig):
        self.ax = fig.add_subplot()
        self.line, = self.ax.plot([0, 1], [0, 0])
        self.ax.set_ylim(0, 100)

    def draw(self, w):
        time.sleep(0.04)
        self.line.set_ydata([w, w])
        return f"w = {w:g}"


def test_fast_drags_are_coalesced_and_the_last_value_wins():
    """30 values sent faster than a render takes: fewer than 30 renders, and the picture
    on screen is the last value's."""
    box = _Slow().widget()
    renderer, explorer = box.renderer, box.explorer
    start = explorer.renders
    for v in range(1, 31):
        box.controls["w"].value = float(v)             # as the frontend sends them during a drag
    renderer.wait()
    renders = explorer.renders - start
    assert explorer.values["w"] == 30.0
    assert 1 <= renders < 30, renders
    assert box.image.value == _Slow(w=30.0).to_png()
    assert "w = 30" in box.status.value


def test_a_failing_draw_is_shown_not_lost():
    class Broken(_Slow):
        def draw(self, w):
            if w > 50:
                raise ZeroDivisionError("boom")
            return super().draw(w)

    box = Broken().widget()
    box.controls["w"].value = 60.0
    box.renderer.wait()
    assert "could not draw" in box.status.value and "boom" in box.status.value


def test_player_is_self_contained_and_scrubbable():
    e = _Slow()
    html = e.animation("w", [0.0, 50.0, 100.0], caption="w from 0 to 100")
    assert html.count('"iVBOR') == 3                                      # three PNG frames
    assert 'type="range"' in html and 'max="2"' in html and "http" not in html
    assert e.values["w"] == 0.0                          # the explorer is left as it was
    with pytest.raises(ValueError, match="at least one"):
        e.animation("w", [])
    with pytest.raises(TypeError, match="no parameter"):
        e.animation("v", [1.0])
    assert player_html([(b"png", "<b>s</b>", "label")]).count("nnlib-player") >= 1


def test_fallback_runs_every_declared_sweep():
    class Swept(_Slow):
        sweeps = [Sweep("w", [0.0, 10.0], "w from {first} to {last}"), Sweep("w", lambda v: [1.0, 2.0, 3.0])]

    html = Swept().fallback()
    assert html.count('class="animation nnlib-player"') == 2 and "w from 0 to 10" in html
    with pytest.raises(NotImplementedError, match="no sweeps"):
        _Slow().fallback()


@pytest.mark.parametrize("cls", EXPLORERS, ids=IDS)
def test_show_gives_a_widget_or_the_books_player(cls, monkeypatch):
    # every declared sweep, cut to its first two values (the full players are built with the book)
    short = [Sweep(s.param, (s.values(cls().values) if callable(s.values) else list(s.values))[:2], s.caption,
                   s.fixed) for s in cls.sweeps]
    monkeypatch.setattr(cls, "sweeps", short)
    monkeypatch.delenv("NNLIB_BOOK_BUILD", raising=False)
    assert hasattr(cls().show(), "controls")
    monkeypatch.setenv("NNLIB_BOOK_BUILD", "1")
    html = cls().show().data
    assert html.count('class="animation nnlib-player"') == len(short) >= 1 and "<script>" in html


def test_helpers():
    assert plural(1, "step") == "1 step" and plural(2, "step") == "2 steps"
    clipped = clip_for_plot([np.nan, np.inf, -np.inf, 0.5, 1e9], 0.0, 1.0)
    assert np.all(np.isfinite(clipped)) and clipped.min() >= -1.0 and clipped.max() <= 2.0 and clipped[3] == 0.5
    assert free_corner([(np.array([0.9]), np.array([0.9]))]) == "center right"
    assert Status(["a", "b"], table=[("x", "y"), ("1", "<2>")]).to_html().count("&lt;2&gt;") == 1
