"""Loss surfaces to practise gradient descent on (chapter 06).

A *surface* is a function f of one or two numbers, the "weights", together
with its exact gradient ∇f, a box worth plotting, a sensible start point and
the minima we know about. Real networks have millions of weights, but every
phenomenon of gradient descent already shows up on these small surfaces:

1-D (``SURFACES_1D``)
    ``parabola``      f(x) = x², the simplest bowl: GD diverges exactly when η > 1.
    ``double_well``   a shallow local minimum beside a deeper global one,
                      separated by a low "curb" that momentum can roll over.
    ``plateau_cliff`` a nearly flat plateau (tiny steps) ending in a steep
                      cliff (a huge gradient that throws the ball far).

2-D (``SURFACES_2D``)
    ``bowl``          f = ½(x² + y²): every direction equally curved (κ = 1).
    ``ravine``        f = ½(x²/κ + y²): a long narrow valley; κ is its
                      condition number (build others with :func:`ravine`).
    ``banana``        Rosenbrock's (1 − x)² + 100(y − x²)², a curved valley.
    ``saddle``        f = ½x² − ½y² + ¼y⁴: a saddle point at the origin
                      between two minima at (0, ±1).
    ``two_minima``    a tilted double valley with a local and a global minimum.

Quadratics (``parabola``, ``bowl``, ``ravine``) also carry their constant
Hessian H, the matrix of second derivatives, from which chapter 06 derives
the largest stable learning rate 2/λ_max, the best one 2/(λ_min + λ_max) and
the best momentum (see :func:`nnlib.optim.quadratic_theory`).

Points are plain numbers for 1-D surfaces and arrays of shape (2,) for 2-D
ones. ``surface.f(x)`` and ``surface.grad(x)`` check their input; the
trajectories in :mod:`nnlib.optim` validate once and then call the raw
vectorised functions ``surface.f_raw`` / ``surface.grad_raw``, which take an
array whose last axis holds the coordinates.
"""

from dataclasses import dataclass, field

import numpy as np

from .validate import as_array, as_number, as_positive_int


@dataclass(frozen=True)
class Surface:
    """One named test function with its gradient (see the module docstring).

    ``box`` is ``((x_low, x_high),)`` in 1-D and ``((x_low, x_high), (y_low, y_high))``
    in 2-D; ``minima`` lists the local minima (the global one first) as points;
    ``hessian`` is the constant Hessian matrix of a quadratic, else ``None``.
    """
    name: str
    title: str
    dim: int
    f_raw: object = field(repr=False)
    grad_raw: object = field(repr=False)
    box: tuple
    start: object
    minima: tuple
    hessian: object = None
    formula: str = ""

    # -- checked, student-facing evaluation ----------------------------------
    def _point(self, x, name="x"):
        if self.dim == 1:
            return np.array([as_number(x, name)])
        return as_array(x, name, ndim=1, shape=(2,))

    def f(self, x):
        """The value f(x) (a float). ``x`` is a number (1-D) or shape (2,) (2-D)."""
        with np.errstate(all="ignore"):
            return float(self.f_raw(self._point(x)))

    def grad(self, x):
        """The exact gradient ∇f(x): a float in 1-D, an array of shape (2,) in 2-D."""
        with np.errstate(all="ignore"):
            g = self.grad_raw(self._point(x))
        return float(g[0]) if self.dim == 1 else g

    __call__ = f

    @property
    def is_quadratic(self):
        """True when the Hessian is constant (and so the theory is exact)."""
        return self.hessian is not None

    @property
    def global_minimum(self):
        """The point of the lowest known minimum."""
        return self.minima[0]

    @property
    def f_min(self):
        """The lowest value of f (at the global minimum)."""
        return self.f(self.minima[0])

    def grid(self, n=200):
        """Coordinates and values for plotting: (xs, f(xs)) in 1-D, (X, Y, F) in 2-D."""
        n = as_positive_int(n, "n")
        if self.dim == 1:
            xs = np.linspace(*self.box[0], n)
            return xs, self.f_raw(xs[:, None])
        X, Y = np.meshgrid(np.linspace(*self.box[0], n), np.linspace(*self.box[1], n))
        return X, Y, self.f_raw(np.stack([X, Y], axis=-1))


# --------------------------------------------------------------------------
# 1-D surfaces
# --------------------------------------------------------------------------

def _cubic_minima(coeffs, f):
    """Real roots of f′ (a cubic) where f″ > 0, sorted by f (lowest first)."""
    roots = np.roots(coeffs)
    roots = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    d2 = np.polyval(np.polyder(coeffs), roots)
    mins = [r for r, c in zip(roots, d2) if c > 0]
    return sorted(mins, key=f)


def _parabola():
    return Surface(
        name="parabola", title="parabola  f(x) = x²", dim=1,
        f_raw=lambda p: p[..., 0] ** 2,
        grad_raw=lambda p: 2 * p,
        box=((-3.0, 3.0),), start=2.5, minima=(0.0,), hessian=np.array([[2.0]]),
        formula="f(x) = x^2")


# f(x) = x⁴/4 − x² + 0.3 x: global minimum near −1.48, local near +1.33,
# separated by a curb near x = 0.15.
_DW = (0.25, -1.0, 0.3)


def _dw_f(x):
    return _DW[0] * x ** 4 + _DW[1] * x ** 2 + _DW[2] * x


def _double_well():
    mins = _cubic_minima([4 * _DW[0], 0.0, 2 * _DW[1], _DW[2]], _dw_f)
    return Surface(
        name="double_well", title="double well  f(x) = x⁴/4 − x² + 0.3x", dim=1,
        f_raw=lambda p: _dw_f(p[..., 0]),
        grad_raw=lambda p: 4 * _DW[0] * p ** 3 + 2 * _DW[1] * p + _DW[2],
        box=((-2.6, 2.8),), start=2.5, minima=tuple(float(m) for m in mins),
        formula="f(x) = x^4/4 - x^2 + 0.3x")


# f(x) = 1 − tanh(3(x − 0.5)) + 0.02 (x − 1.5)²: a plateau of height ≈ 2 for
# x < 0, a cliff of slope −3 at x = 0.5, and a gentle bowl after it.
def _pc_f(x):
    return 1.0 - np.tanh(3.0 * (x - 0.5)) + 0.02 * (x - 1.5) ** 2


def _pc_g(x):
    return -3.0 / np.cosh(3.0 * (x - 0.5)) ** 2 + 0.04 * (x - 1.5)


def _plateau_cliff():
    # the minimum lies just past x = 1.5; polish it with Newton's method on f′
    x = 1.5
    for _ in range(50):
        h = 1e-6
        x -= _pc_g(x) / ((_pc_g(x + h) - _pc_g(x - h)) / (2 * h))
    return Surface(
        name="plateau_cliff", title="plateau and cliff  f(x) = 1 − tanh(3(x − ½)) + 0.02(x − 1.5)²", dim=1,
        f_raw=lambda p: _pc_f(p[..., 0]),
        grad_raw=lambda p: _pc_g(p),
        box=((-3.0, 4.0),), start=-2.5, minima=(float(x),),
        formula="f(x) = 1 - tanh(3(x - 1/2)) + 0.02 (x - 1.5)^2")


# --------------------------------------------------------------------------
# 2-D surfaces
# --------------------------------------------------------------------------

def _box(box):
    """A 2-D plotting box ((x_low, x_high), (y_low, y_high)) of finite numbers, low < high."""
    b = as_array(box, "box", ndim=2, shape=(2, 2))
    if np.any(b[:, 0] >= b[:, 1]):
        raise ValueError(f"box must be ((x_low, x_high), (y_low, y_high)) with low < high, got {b.tolist()}.")
    return tuple((float(lo), float(hi)) for lo, hi in b)


def quadratic(H, *, name="quadratic", title=None, box=((-3.0, 3.0), (-3.0, 3.0)), start=(-2.5, 2.0)):
    """The quadratic bowl f(x) = ½ xᵀ H x for a symmetric positive-definite 2×2 ``H``.

    Its gradient is H x, its Hessian H, its minimum the origin.
    """
    H = as_array(H, "H", ndim=2, shape=(2, 2))
    if not np.allclose(H, H.T):
        raise ValueError(f"H must be symmetric (H = Hᵀ), got {H.tolist()}.")
    if np.linalg.eigvalsh(H).min() <= 0:
        raise ValueError(f"H must be positive definite (all eigenvalues > 0), got eigenvalues "
                         f"{np.round(np.linalg.eigvalsh(H), 4).tolist()}.")
    H = H.copy()
    H.setflags(write=False)
    box = _box(box)
    start = as_array(start, "start", ndim=1, shape=(2,))
    return Surface(
        name=name, title=title or f"quadratic  f = ½ xᵀHx", dim=2,
        f_raw=lambda p: 0.5 * np.einsum("...i,ij,...j->...", p, H, p),
        grad_raw=lambda p: p @ H,
        box=box, start=start, minima=(np.zeros(2),), hessian=H,
        formula="f(x) = 1/2 x^T H x")


def bowl():
    """f(x, y) = ½(x² + y²): equal curvature in every direction (κ = 1)."""
    return quadratic(np.eye(2), name="bowl", title="bowl  f = ½(x² + y²)",
                     box=((-3.0, 3.0), (-3.0, 3.0)), start=(-2.5, 2.0))


def ravine(kappa=10.0):
    """f(x, y) = ½(x²/κ + y²): eigenvalues 1/κ and 1, condition number κ.

    The larger κ, the longer and narrower the valley, and the slower plain
    gradient descent creeps along its floor.
    """
    kappa = as_number(kappa, "kappa", low=1.0)
    if kappa > 1e4:
        raise ValueError(f"kappa must be at most 10000 (a ravine that narrow cannot be drawn), got {kappa}.")
    return quadratic(np.diag([1.0 / kappa, 1.0]), name="ravine",
                     title=f"ravine  f = ½(x²/κ + y²),  κ = {kappa:g}",
                     box=((-5.0, 5.0), (-3.5, 3.5)), start=(-4.5, 2.0))


def _banana():
    a, b = 1.0, 100.0

    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x ** 2) ** 2

    def g(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x ** 2), 2 * b * (y - x ** 2)], axis=-1)

    return Surface(
        name="banana", title="Rosenbrock banana  f = (1 − x)² + 100(y − x²)²", dim=2,
        f_raw=f, grad_raw=g, box=((-2.0, 2.0), (-1.0, 3.0)), start=np.array([-1.5, 2.5]),
        minima=(np.array([1.0, 1.0]),), formula="f(x, y) = (1 - x)^2 + 100 (y - x^2)^2")


def _saddle():
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return 0.5 * x ** 2 - 0.5 * y ** 2 + 0.25 * y ** 4

    def g(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([x, -y + y ** 3], axis=-1)

    return Surface(
        name="saddle", title="saddle  f = ½x² − ½y² + ¼y⁴", dim=2,
        f_raw=f, grad_raw=g, box=((-2.5, 2.5), (-2.0, 2.0)), start=np.array([-2.2, 0.01]),
        minima=(np.array([0.0, 1.0]), np.array([0.0, -1.0])),
        formula="f(x, y) = x^2/2 - y^2/2 + y^4/4")


# f(x, y) = (x² − 1)² + 0.4x + 2(y − x/2)²: valleys along y = x/2 with a
# global minimum near x = −1.05 and a local one near x = +0.95.
def _two_minima():
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (x ** 2 - 1) ** 2 + 0.4 * x + 2 * (y - 0.5 * x) ** 2

    def g(p):
        x, y = p[..., 0], p[..., 1]
        r = y - 0.5 * x
        return np.stack([4 * x * (x ** 2 - 1) + 0.4 - 2 * r, 4 * r], axis=-1)

    xs = _cubic_minima([4.0, 0.0, -4.0, 0.4], lambda x: (x ** 2 - 1) ** 2 + 0.4 * x)
    return Surface(
        name="two_minima", title="two minima  f = (x² − 1)² + 0.4x + 2(y − x/2)²", dim=2,
        f_raw=f, grad_raw=g, box=((-2.0, 2.0), (-2.0, 2.0)), start=np.array([1.8, -1.5]),
        minima=tuple(np.array([x, 0.5 * x]) for x in xs),
        formula="f(x, y) = (x^2 - 1)^2 + 0.4x + 2(y - x/2)^2")


SURFACES_1D = {s.name: s for s in (_parabola(), _double_well(), _plateau_cliff())}
SURFACES_2D = {s.name: s for s in (bowl(), ravine(10.0), _banana(), _saddle(), _two_minima())}


def get_surface(name, *, dim=None):
    """Look a surface up by name (a :class:`Surface` passes through unchanged).

    ``dim`` (1 or 2) restricts the search to one registry.
    """
    if isinstance(name, Surface):
        if dim is not None and name.dim != dim:
            raise ValueError(f"expected a {dim}-D surface, got the {name.dim}-D surface {name.name!r}.")
        return name
    if not isinstance(name, str):
        raise TypeError(f"surface must be a name (str) or a Surface, got {type(name).__name__}.")
    if dim not in (None, 1, 2):
        raise ValueError(f"dim must be 1, 2 or None, got {dim!r}.")
    pools = {1: SURFACES_1D, 2: SURFACES_2D}
    pool = pools[dim] if dim in pools else {**SURFACES_1D, **SURFACES_2D}
    if name not in pool:
        other = {1: SURFACES_2D, 2: SURFACES_1D}.get(dim, {})
        if name in other:
            raise ValueError(f"{name!r} is a {3 - dim}-D surface; this needs a {dim}-D one: {sorted(pool)}.")
        raise ValueError(f"unknown surface {name!r}; choose one of {sorted(pool)}.")
    return pool[name]
