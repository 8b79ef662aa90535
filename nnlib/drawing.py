"""Your own digit: pen strokes made to look like MNIST's digits. Chapter 08.

A digit drawn on the canvas of chapter 08 becomes an MNIST image in two steps,
as MNIST's own digits were made from scanned handwriting:

* :func:`render_strokes` turns pen strokes (lists of (x, y) points) into an ink
  image, with a round pen like the canvas's;
* :func:`preprocess_drawing` crops the ink, scales it to fit a 20 × 20 box
  keeping its aspect ratio, matches MNIST's stroke width and intensity, and
  centres it by its centre of mass in a 28 × 28 image: a (784,) float32 row,
  ready for a network trained on MNIST.

:func:`load_strokes` reads the drawings stored in ``data/strokes/``, which the
book shows in place of the canvas. The functions are also available from
:mod:`nnlib.data`.
"""

import json
import os
from pathlib import Path

import numpy as np

from .validate import _describe, as_array, as_label, as_number, as_positive_int

MNIST_BOX = 20
"""MNIST's digits were scaled to fit a 20 × 20 box, keeping their aspect ratio, ..."""
MNIST_CENTRE = (14.0, 14.0)
"""... then placed in the 28 × 28 image with their centre of mass on this pixel (row, column):
the mean centre of mass of the 60,000 training images is (14.0, 14.0), give or take 0.3 pixel."""
MNIST_STROKE_WIDTH = 2.6
"""The median width of the strokes of MNIST's training digits, in pixels, as :func:`stroke_width`
measures it; half of them lie between 2.3 and 3.0 pixels."""
_FINE = 4            # preprocess_drawing shapes the strokes at 4 × MNIST's resolution
_INK_LEVEL = 0.1     # a pixel counts as ink when it holds 10 % of the darkest pixel's ink

DEFAULT_STROKES_DIR = Path(__file__).resolve().parent.parent / "data" / "strokes"


def _as_strokes(strokes):
    """``strokes`` as a list of float arrays of shape (n_points, 2), with readable errors."""
    example = "[[(140, 40), (138, 140), (135, 240)]]"
    if isinstance(strokes, np.ndarray) and strokes.ndim == 2 and strokes.shape[1] == 2:
        raise TypeError(f"strokes must be a list of strokes, each a list of (x, y) points, such as {example}; "
                        f"got one array of points {strokes.shape}: for a single stroke write [points].")
    if not isinstance(strokes, (list, tuple)):
        raise TypeError(f"strokes must be a list of strokes, each a list of (x, y) points, such as {example}; "
                        f"got {_describe(strokes)}.")
    out = []
    for i, stroke in enumerate(strokes):
        if isinstance(stroke, (int, float)) or (isinstance(stroke, (list, tuple)) and len(stroke) == 2
                                                and all(isinstance(v, (int, float)) for v in stroke)):
            raise TypeError(f"strokes[{i}] is {stroke!r}, not a list of points: strokes must be a list of "
                            f"strokes, each a list of (x, y) points, such as {example}.")
        points = as_array(stroke, f"strokes[{i}]", ndim=2)
        if points.shape[1] != 2:
            raise ValueError(f"strokes[{i}] must be a list of (x, y) points, shape (n_points, 2), "
                             f"got shape {points.shape}.")
        out.append(points)
    return out


def render_strokes(strokes, *, size=280, width=None):
    """Pen strokes drawn as an ink image of shape (size, size), 0 paper and 1 full ink.

    ``strokes`` is a list of strokes, each a list of (x, y) points in pixels of
    a ``size`` × ``size`` canvas, x to the right and y down, as a browser
    reports the pointer. Each stroke is a line through its points, ``width``
    pixels wide (default ``size / 14``: 20 px on the 280-pixel canvas of
    chapter 08's explorer) with round ends; a stroke of one point is a dot.
    Edges are anti-aliased: a pixel holds the part of it the pen covered.
    Whatever lies off the canvas is cut off.
    """
    strokes = _as_strokes(strokes)
    size = as_positive_int(size, "size")
    width = size / 14 if width is None else as_number(width, "width", low=0, low_inclusive=False)
    r = width / 2
    ink = np.zeros((size, size), dtype=np.float32)
    centres = np.arange(size) + 0.5                        # pixel (row, col) has its centre at (col + ½, row + ½)
    for points in strokes:
        p, q = (points[:-1], points[1:]) if len(points) > 1 else (points, points)   # segments p → q
        for k in range(0, len(p), 8):               # 8 segments at a time, on the pixels around them
            a, b = p[k:k + 8], q[k:k + 8]
            lo = np.maximum(np.floor(np.minimum(a, b).min(axis=0) - r), 0).astype(int)
            hi = np.minimum(np.ceil(np.maximum(a, b).max(axis=0) + r) + 1, size).astype(int)
            if np.any(lo >= hi):
                continue                            # off the canvas
            dx = centres[None, None, lo[0]:hi[0]] - a[:, 0, None, None]      # (segment, row, column)
            dy = centres[None, lo[1]:hi[1], None] - a[:, 1, None, None]
            u = (b - a)[:, :, None, None]
            length2 = (u ** 2).sum(axis=1)
            t = np.clip((dx * u[:, 0] + dy * u[:, 1]) / np.where(length2 > 0, length2, 1.0), 0, 1)
            distance = np.hypot(dx - t * u[:, 0], dy - t * u[:, 1]).min(axis=0)   # to the nearest segment
            window = ink[lo[1]:hi[1], lo[0]:hi[0]]
            np.maximum(window, np.clip(r + 0.5 - distance, 0, 1), out=window)
    return ink


def stroke_width(image):
    """The mean width of the strokes in an ink image, in pixels: 2 × ink / length of the edges.

    A stroke of width w and length L holds w·L of ink and has two edges of
    length L. The edges' length is the total size of the image's gradient
    (which counts a slanted edge as fairly as a straight one). On MNIST's
    training digits the median is :data:`MNIST_STROKE_WIDTH`.
    """
    ink = as_array(image, "image", ndim=2)
    if min(ink.shape) < 2:
        raise ValueError(f"image must be at least 2 × 2 pixels to measure its strokes, got shape {ink.shape}.")
    gy, gx = np.gradient(ink)
    edges = float(np.hypot(gx, gy).sum())
    if edges == 0:
        raise ValueError("image has no strokes to measure: it is empty (or the same everywhere).")
    return 2 * float(ink.sum()) / edges


def _as_ink(image):
    """An ink image as float64 in [0, 1]: uint8 0–255, or any other numbers in [0, 1]."""
    if isinstance(image, np.ndarray) and image.ndim != 2 and image.dtype.kind in "iuf":
        hint = " A colour image? Make it grey first, e.g. image.mean(axis=2)." if image.ndim == 3 else ""
        raise ValueError(f"image must be a 2-D array (height, width) of ink, got {image.ndim}-D with shape "
                         f"{image.shape}.{hint}")
    ink = as_array(image, "image", ndim=2, dtype=None)
    if ink.dtype == np.uint8:
        return ink / 255.0
    ink = ink.astype(np.float64)
    if ink.min() < 0:
        raise ValueError(f"image must hold amounts of ink >= 0 (0 is paper), got {ink.min():g}.")
    if ink.max() > 1:
        hint = (" For pixel values 0–255, pass a uint8 array (image.astype(np.uint8)) or divide by 255."
                if ink.max() <= 255 else "")
        raise ValueError(f"image must hold amounts of ink between 0 and 1 (or 0–255 in a uint8 array), "
                         f"got values up to {ink.max():g}.{hint}")
    return ink


def _crop(ink):
    """The smallest rectangle holding all the ink (pixels with 10 % of the darkest one's ink)."""
    inked = ink >= _INK_LEVEL * ink.max()
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resize_axis(ink, n_out, axis):
    """Area averaging along one axis: each new pixel is the mean of the old ones it covers,
    a partly covered pixel counting in part. Read off the running sum of the ink, which
    grows linearly across each pixel: the ink between two edges is a difference of it."""
    n_in = ink.shape[axis]
    total = np.moveaxis(np.cumsum(np.moveaxis(ink, axis, 0), axis=0), 0, axis)
    total = np.concatenate([np.zeros_like(np.take(total, [0], axis=axis)), total], axis=axis)
    edges = np.linspace(0, n_in, n_out + 1)
    i = np.minimum(edges.astype(int), n_in - 1)
    frac = (edges - i).reshape([-1 if a == axis else 1 for a in range(ink.ndim)])
    at = np.take(total, i, axis=axis) + frac * (np.take(total, i + 1, axis=axis) - np.take(total, i, axis=axis))
    return np.diff(at, axis=axis) * (n_out / n_in)


def _resize(ink, height, width):
    """``ink`` resized to (height, width) by area averaging (a box filter, which anti-aliases)."""
    return _resize_axis(_resize_axis(ink, height, 0), width, 1)


def _thicken(ink, steps):
    """Strokes made about 2 pixels wider per step (thinner when ``steps`` < 0): grey-level
    dilation (erosion) by 3 × 3 squares and crosses in turn, an octagon growing evenly."""
    pick = np.maximum if steps > 0 else np.minimum
    for k in range(abs(steps)):
        p = np.pad(ink, 1)
        h, w = ink.shape
        near = [p[1:h + 1, :w], p[1:h + 1, 2:], p[:h, 1:w + 1], p[2:, 1:w + 1]]
        if k % 2:
            near += [p[:h, :w], p[:h, 2:], p[2:, :w], p[2:, 2:]]
        ink = pick.reduce([ink] + near)
    return ink


def preprocess_drawing(image):
    """A drawn digit made into an MNIST image: (784,) float32 in [0, 1].

    ``image`` is a 2-D ink image (H, W) of any size, 0 being paper: floats in
    [0, 1], or uint8 0–255 (:func:`render_strokes` makes one from pen
    strokes). The steps are those that made MNIST (LeCun et al., 1998):

    1. crop to the ink and scale it to fit a 20 × 20 box, keeping its aspect
       ratio, by area averaging: the edges of the strokes turn grey
       (anti-aliasing), as MNIST's do;
    2. make the strokes as wide as MNIST's (:data:`MNIST_STROKE_WIDTH` as
       :func:`stroke_width` measures it): a digit drawn small, or with a thin
       pen, would otherwise have strokes unlike any the network has seen;
       this is done at 4 × the final resolution, then each 4 × 4 block is
       averaged;
    3. scale the ink so that the darkest pixel is 1, and place the digit in
       the 28 × 28 image with its centre of mass on pixel (14, 14).

    An empty image raises a ValueError. A single dot becomes a small blob.
    """
    ink = _as_ink(image)
    if ink.max() < 1 / 255:
        raise ValueError("The drawing is empty: there is no ink to recognise. Draw a digit first.")
    ink = _crop(ink / ink.max())
    steps = 0                                    # how much the strokes are thickened (< 0: thinned)
    for _ in range(8):
        box = _FINE * MNIST_BOX - 2 * max(steps, 0)          # room for the strokes to grow
        scale = box / max(ink.shape)
        fine = _resize(ink, max(1, round(ink.shape[0] * scale)), max(1, round(ink.shape[1] * scale)))
        fine = _crop(_thicken(np.pad(fine, abs(steps) + 1), steps))
        h, w = -(-fine.shape[0] // _FINE), -(-fine.shape[1] // _FINE)
        fine = np.pad(fine, ((0, h * _FINE - fine.shape[0]), (0, w * _FINE - fine.shape[1])))
        digit = fine.reshape(h, _FINE, w, _FINE).mean(axis=(1, 3))     # the final resolution
        change = round((MNIST_STROKE_WIDTH - stroke_width(np.pad(digit, 2))) * _FINE / 2)
        if change == 0 or abs(steps + change) > 8 * _FINE:
            break
        steps += change
    digit /= digit.max()
    rows, cols = np.arange(digit.shape[0]), np.arange(digit.shape[1])
    mass = digit.sum()
    top = round(MNIST_CENTRE[0] - rows @ digit.sum(axis=1) / mass)
    left = round(MNIST_CENTRE[1] - cols @ digit.sum(axis=0) / mass)
    top, left = min(max(top, 0), 28 - len(rows)), min(max(left, 0), 28 - len(cols))
    out = np.zeros((28, 28), dtype=np.float32)
    out[top:top + len(rows), left:left + len(cols)] = digit
    return out.ravel()


def load_strokes(data_dir=None):
    """The course's drawings of digits: a list of dicts with ``name``, ``digit``, ``size`` and
    ``strokes`` (a list of (n_points, 2) arrays, for :func:`render_strokes`).

    They live in ``data/strokes/`` (or ``data_dir``), one small JSON file per
    drawing: ``{"digit": 3, "size": 280, "strokes": [[[x, y], ...], ...]}``.
    Chapter 08's book shows the trained network reading them, where no one can
    draw.
    """
    folder = Path(DEFAULT_STROKES_DIR if data_dir is None else _folder(data_dir))
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"No drawings (*.json files) in {folder}; the course keeps them in data/strokes/.")
    drawings = []
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            digit = as_label(record["digit"], "digit", allowed=range(10))
            size = as_positive_int(record["size"], "size")
            strokes = _as_strokes(record["strokes"])
        except (ValueError, TypeError, KeyError) as err:
            raise ValueError(f"{path.name} is not a drawing like the others "
                             f"({{'digit': 0-9, 'size': pixels, 'strokes': [[[x, y], ...], ...]}}): {err}") from None
        drawings.append({"name": path.stem, "digit": digit, "size": size, "strokes": strokes})
    return drawings


def _folder(data_dir):
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir must be a folder path, got {type(data_dir).__name__}.")
    return data_dir
