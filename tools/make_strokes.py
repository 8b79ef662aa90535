"""Write the course's hand-drawn digits, data/strokes/*.json (chapter 08's book gallery).

Each digit is sketched below as pen paths: a few points a hand passes
through, in a unit box (x to the right, y down), one list per pen stroke.
Every drawing is then "written" the way a hand on a mouse writes: a smooth
curve through the points (Catmull-Rom), a random slant, size, position and
aspect, a slow wobble, and points spaced as a browser reports them (closer
where the pen slows down in curves). The result is stored as pixel
coordinates on the 280 × 280 canvas of ``nnlib.explorers.ch08.DrawDigit``,
rounded to 0.1 pixel.

    python tools/make_strokes.py          # rewrites data/strokes/*.json (seeded: same files every time)
"""

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "strokes"
SIZE = 280

# digit → styles; a style is a list of strokes; a stroke is a list of (x, y) in the unit box.
SKETCHES = {
    0: [
        [[(0.55, 0.04), (0.28, 0.12), (0.12, 0.45), (0.22, 0.85), (0.52, 0.97), (0.8, 0.78), (0.88, 0.4),
          (0.74, 0.1), (0.5, 0.05), (0.4, 0.12)]],
        [[(0.7, 0.1), (0.45, 0.03), (0.2, 0.25), (0.15, 0.65), (0.35, 0.95), (0.7, 0.9), (0.85, 0.55),
          (0.82, 0.2), (0.62, 0.04)]],
    ],
    1: [
        [[(0.55, 0.03), (0.52, 0.4), (0.48, 0.75), (0.45, 0.98)]],
        [[(0.28, 0.22), (0.48, 0.1), (0.62, 0.02), (0.6, 0.45), (0.57, 0.98)]],
        [[(0.3, 0.2), (0.6, 0.02), (0.58, 0.5), (0.55, 0.95)], [(0.3, 0.96), (0.55, 0.97), (0.82, 0.95)]],
    ],
    2: [
        [[(0.15, 0.25), (0.32, 0.06), (0.62, 0.03), (0.82, 0.22), (0.72, 0.5), (0.42, 0.75), (0.12, 0.96),
          (0.5, 0.93), (0.9, 0.95)]],
        [[(0.2, 0.2), (0.45, 0.03), (0.78, 0.1), (0.8, 0.38), (0.5, 0.66), (0.2, 0.9), (0.15, 0.98),
          (0.3, 0.88), (0.6, 0.9), (0.92, 0.9)]],
    ],
    3: [
        [[(0.15, 0.12), (0.45, 0.02), (0.78, 0.12), (0.76, 0.35), (0.42, 0.48), (0.78, 0.58), (0.86, 0.8),
          (0.55, 0.97), (0.14, 0.88)]],
        [[(0.2, 0.08), (0.55, 0.03), (0.8, 0.15), (0.62, 0.4), (0.38, 0.47), (0.62, 0.5), (0.85, 0.7),
          (0.72, 0.92), (0.4, 0.98), (0.15, 0.85)]],
    ],
    4: [
        [[(0.58, 0.02), (0.35, 0.35), (0.1, 0.66), (0.5, 0.65), (0.92, 0.63)], [(0.68, 0.3), (0.66, 0.65),
                                                                                (0.64, 0.98)]],
        [[(0.2, 0.03), (0.17, 0.3), (0.16, 0.55), (0.5, 0.56), (0.88, 0.52)], [(0.74, 0.02), (0.72, 0.5),
                                                                                (0.7, 0.98)]],
    ],
    5: [
        [[(0.3, 0.05), (0.26, 0.25), (0.22, 0.47), (0.5, 0.38), (0.8, 0.5), (0.84, 0.75), (0.6, 0.95),
          (0.3, 0.96), (0.12, 0.85)], [(0.3, 0.05), (0.55, 0.05), (0.85, 0.03)]],
        [[(0.82, 0.04), (0.5, 0.05), (0.28, 0.06), (0.22, 0.42), (0.55, 0.36), (0.84, 0.55), (0.78, 0.85),
          (0.45, 0.98), (0.15, 0.9)]],
    ],
    6: [
        [[(0.72, 0.04), (0.45, 0.2), (0.22, 0.5), (0.2, 0.82), (0.45, 0.98), (0.74, 0.86), (0.78, 0.62),
          (0.52, 0.5), (0.25, 0.65)]],
        [[(0.6, 0.02), (0.38, 0.25), (0.25, 0.6), (0.3, 0.9), (0.55, 0.97), (0.75, 0.78), (0.6, 0.55),
          (0.35, 0.62), (0.28, 0.75)]],
    ],
    7: [
        [[(0.1, 0.08), (0.5, 0.06), (0.9, 0.05), (0.68, 0.45), (0.5, 0.97)]],
        [[(0.12, 0.12), (0.45, 0.04), (0.88, 0.06), (0.62, 0.5), (0.42, 0.98)], [(0.35, 0.5), (0.62, 0.48),
                                                                                 (0.85, 0.47)]],
    ],
    8: [
        [[(0.75, 0.14), (0.5, 0.02), (0.24, 0.14), (0.3, 0.38), (0.68, 0.58), (0.8, 0.82), (0.5, 0.98),
          (0.2, 0.84), (0.3, 0.6), (0.7, 0.38), (0.76, 0.16), (0.62, 0.06)]],
        [[(0.55, 0.45), (0.25, 0.3), (0.35, 0.05), (0.7, 0.08), (0.68, 0.32), (0.45, 0.5), (0.2, 0.75),
          (0.45, 0.98), (0.8, 0.8), (0.6, 0.55), (0.5, 0.46)]],
    ],
    9: [
        [[(0.8, 0.22), (0.55, 0.04), (0.25, 0.1), (0.2, 0.35), (0.45, 0.5), (0.75, 0.38), (0.82, 0.2),
          (0.8, 0.55), (0.74, 0.98)]],
        [[(0.78, 0.1), (0.5, 0.02), (0.22, 0.18), (0.3, 0.45), (0.65, 0.4), (0.8, 0.12), (0.72, 0.45),
          (0.55, 0.75), (0.42, 0.98)]],
    ],
}


def catmull_rom(points, per_segment=12):
    """A smooth curve through ``points`` (centripetal parametrisation is not needed for a hand)."""
    p = np.asarray(points, dtype=float)
    if len(p) < 2:
        return p
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(ext) - 2):
        a, b, c, d = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        out.append(0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t ** 2 + (3 * b - a - 3 * c + d) * t ** 3))
    out.append(p[-1:])
    return np.vstack(out)


def as_pointer_events(curve, rng):
    """Resample a dense curve the way pointer events arrive: about every 4–9 pixels, closer in bends."""
    seg = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    arc = np.concatenate([[0], np.cumsum(seg)])
    heading = np.arctan2(*np.diff(curve, axis=0).T[::-1])
    bend = np.abs(np.angle(np.exp(1j * np.diff(heading))))
    bend = np.concatenate([[0], bend, [0]])
    s, samples = 0.0, [0.0]
    while s < arc[-1]:
        k = min(np.searchsorted(arc, s), len(bend) - 1)
        s += rng.uniform(4, 9) / (1 + 6 * bend[k])
        samples.append(min(s, arc[-1]))
    return np.column_stack([np.interp(samples, arc, curve[:, 0]), np.interp(samples, arc, curve[:, 1])])


def write(digit, style, strokes, rng):
    height = rng.uniform(0.62, 0.78) * SIZE
    width = height * rng.uniform(0.6, 0.78)
    slant = rng.uniform(0.0, 0.25)                     # the top leans to the right
    angle = rng.uniform(-0.06, 0.06)
    cx, cy = SIZE / 2 + rng.uniform(-25, 25), SIZE / 2 + rng.uniform(-20, 20)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    phase = rng.uniform(0, 2 * np.pi, 4)
    out = []
    for stroke in strokes:
        curve = catmull_rom(stroke)
        u = curve - 0.5
        u[:, 0] += slant * (-u[:, 1])
        u += 0.012 * np.column_stack([np.sin(7 * curve[:, 1] + phase[0]) + np.sin(11 * curve[:, 0] + phase[1]),
                                      np.sin(6 * curve[:, 0] + phase[2]) + np.sin(9 * curve[:, 1] + phase[3])])
        xy = (u * [width, height]) @ rot.T + [cx, cy]
        xy = as_pointer_events(xy, rng) + rng.normal(0, 0.4, (1, 2))
        out.append([[round(float(x), 1), round(float(y), 1)] for x, y in xy])
    return {"digit": digit, "size": SIZE, "strokes": out}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    rng = np.random.default_rng(8)
    for digit, styles in SKETCHES.items():
        for k, strokes in enumerate(styles):
            record = write(digit, k, strokes, rng)
            path = OUT / f"{digit}_{'abc'[k]}.json"
            path.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {sum(len(s) for s in SKETCHES.values())} drawings to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
