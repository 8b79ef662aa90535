"""Text that draws fast, for the explorers (see :mod:`nnlib.explorers.base`).

Matplotlib renders text glyph by glyph, about 1-2 ms per label, so an explorer
with 20 moving labels would spend most of each frame on them. A
:class:`CachedText` keeps the pixels of every label it has drawn and stamps
them on the next draw; a :class:`TextRow` builds one line from pieces, so that
when one value in a title changes only that piece is rendered anew.
"""

import threading
from collections import OrderedDict

import numpy as np
from matplotlib.artist import allow_rasterization
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.text import Text

__all__ = ["CachedText", "TextRow", "add_text"]


_TEXT_LOCK = threading.Lock()
_TEXT_BITMAPS = OrderedDict()     # key → (dx, dy, RGBA pixels, bottom row first)
_SCRATCH = {}                     # (width, height, dpi) → an off-screen renderer
MAX_TEXT_BITMAPS = 4000


class CachedText(Text):
    """A Text that keeps its rendered pixels and stamps them on the next draw.

    The anchor is rounded to a whole pixel, so the pixels of a text depend only
    on what it says and how it looks (font, colour, alignment, box), never on
    where it is: the same label drawn anywhere else is a copy, not a new render.
    The picture is the ordinary Agg text, moved by at most half a pixel. Texts
    that are clipped or have path effects, and other renderers than Agg, draw as usual.
    """

    def _look(self, renderer):
        patch = self.get_bbox_patch()
        if patch is not None:
            style = patch.get_boxstyle()
            box = (tuple(patch.get_facecolor()), tuple(patch.get_edgecolor()), patch.get_linewidth(),
                   patch.get_linestyle(), type(style).__name__, tuple(sorted(vars(style).items())),
                   patch.get_mutation_scale(), patch.get_mutation_aspect())
        else:
            box = None
        return (self.get_text(), tuple(self.get_fontproperties().__dict__.items()),
                to_rgba(self.get_color(), self.get_alpha()), self.get_horizontalalignment(),
                self.get_verticalalignment(), self._multialignment, self.get_rotation(), self.get_rotation_mode(),
                self._linespacing, self.get_usetex(), self.get_parse_math(), self._antialiased, box, renderer.dpi)

    @allow_rasterization
    def draw(self, renderer):
        if (not isinstance(renderer, RendererAgg) or not self.get_visible() or not self.get_text()
                or self.get_clip_on() or self.get_path_effects()):
            return super().draw(renderer)
        self._renderer = renderer
        x, y = self.get_transform().transform((float(self.convert_xunits(self._x)),
                                               float(self.convert_yunits(self._y))))
        if not (np.isfinite(x) and np.isfinite(y)):
            return
        x, y = round(x), round(y)
        key = self._look(renderer)
        with _TEXT_LOCK:
            stamp = _TEXT_BITMAPS.get(key)
            if stamp is not None:
                _TEXT_BITMAPS.move_to_end(key)
            else:
                stamp = self._render(renderer, x, y, key)
        if stamp is not None:
            dx, dy, pixels = stamp
            gc = renderer.new_gc()
            renderer.draw_image(gc, x + dx, y + dy, pixels)
            gc.restore()

    def warm(self, strings):
        """Render ``strings`` in this text's look now, so that showing them later is a copy."""
        renderer = self.get_figure(root=True).canvas.get_renderer()
        keep = self.get_text()
        try:
            for s in strings:
                self.set_text(s)
                key = self._look(renderer)
                with _TEXT_LOCK:
                    if key not in _TEXT_BITMAPS:
                        self._render(renderer, int(renderer.width) // 2, int(renderer.height) // 2, key)
        finally:
            self.set_text(keep)

    def _render(self, renderer, x, y, key):
        """Draw the text with its anchor at pixel (x, y) on a clear off-screen canvas
        of the same size and keep the pixels it covered (caller holds the lock)."""
        w, h = int(renderer.width), int(renderer.height)
        scratch = _SCRATCH.get((w, h, renderer.dpi))
        if scratch is None:
            _SCRATCH.clear()
            scratch = _SCRATCH[w, h, renderer.dpi] = RendererAgg(w, h, renderer.dpi)
        scratch.clear()
        old = self._x, self._y
        self._x, self._y = self.get_transform().inverted().transform((x, y))
        try:
            Text.draw(self, scratch)
        finally:
            self._x, self._y = old
            self._renderer = renderer
        alpha = np.asarray(scratch.buffer_rgba())[..., 3]
        rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if not len(rows):
            return None
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        pixels = np.asarray(scratch.buffer_rgba())[r0:r1, c0:c1][::-1].copy()    # draw_image: bottom row first
        stamp = (int(c0) - x, int(h - r1) - y, pixels)
        if r0 > 0 and c0 > 0 and r1 < h and c1 < w:          # cut by the edge: fine here, not elsewhere
            _TEXT_BITMAPS[key] = stamp
            while len(_TEXT_BITMAPS) > MAX_TEXT_BITMAPS:
                _TEXT_BITMAPS.popitem(last=False)
        return stamp


def add_text(parent, x, y, s, **kwargs):
    """``parent.text(x, y, s, ...)`` for an Axes or a Figure, as a :class:`CachedText`."""
    text = CachedText(x, y, s, clip_on=False, **kwargs)
    parent.add_artist(text)
    return text


class TextRow:
    """One line of text made of pieces laid end to end, each a :class:`CachedText`,
    so that when one value changes only its piece is rendered anew.

    ``row = TextRow(fig, 0.02, 0.97, 3, va="top", fontsize=10)`` then
    ``row.set_text("w₁ = 1,", "w₂ = 2,", "b = 0")``; ``row.pieces`` are the artists.
    """

    def __init__(self, parent, x, y, n, *, gap=0.5, **kwargs):
        self.pieces = [add_text(parent, x, y, "", ha="left", **kwargs) for _ in range(n)]
        self.anchor = (x, y)
        self.gap = gap              # between two pieces, in ems of the font

    def set_text(self, *parts):
        if len(parts) > len(self.pieces):
            raise ValueError(f"this row holds {len(self.pieces)} pieces, got {len(parts)}.")
        first = self.pieces[0]
        renderer = first.get_figure(root=True).canvas.get_renderer()
        transform = first.get_transform()
        x, y = transform.transform(self.anchor)
        gap = self.gap * first.get_fontsize() * renderer.dpi / 72
        for piece, part in zip(self.pieces, list(parts) + [""] * (len(self.pieces) - len(parts))):
            piece.set_text(part)
            piece.set_position(transform.inverted().transform((x, y)))
            if part:
                x += piece.get_window_extent(renderer).width + gap

    def get_text(self):
        return " ".join(p.get_text() for p in self.pieces if p.get_text())
