"""Gradient descent, momentum and learning-rate schedules (chapter 06).

The whole of this module rests on one update rule, written once in
:func:`momentum_update` and used both by :func:`trajectory` (a ball rolling
on a surface from :mod:`nnlib.surfaces`) and, through its in-place twin
:func:`momentum_update_` (the same operations, so the same numbers), by
:class:`SGD` (the optimizer that trains networks in chapters 07 and 08):

    v ← μ v − η ∇f(x)          (velocity: remembered steps, plus a push downhill)
    x ← x + v                  (move)

With momentum μ = 0 this is plain gradient descent, x ← x − η ∇f(x).

For a quadratic f(x) = ½ xᵀHx the behaviour is known exactly; see
:func:`quadratic_theory` (largest stable and best learning rate, best
momentum, and the rates of convergence they give) and :func:`predicted_rate`.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from .validate import NonFiniteError, all_finite
from .surfaces import Surface, get_surface
from .validate import _describe, as_array, as_number, as_positive_int


# --------------------------------------------------------------------------
# The update rule (written once)
# --------------------------------------------------------------------------

def momentum_update(x, v, grad, lr, momentum=0.0):
    """One step of gradient descent with heavy-ball momentum.

    Returns ``(x_new, v_new)`` with v_new = μ·v − η·∇f and x_new = x + v_new.
    ``x``, ``v`` and ``grad`` are numbers or arrays of one shape; nothing is
    modified in place. With ``momentum=0`` it is plain gradient descent.
    """
    x, v, grad = (_numeric(a, n) for a, n in ((x, "x"), (v, "v"), (grad, "grad")))
    if not (np.shape(x) == np.shape(v) == np.shape(grad)):
        raise ValueError(f"x, v and grad must have the same shape, got {np.shape(x)}, {np.shape(v)} and "
                         f"{np.shape(grad)}.")
    if not (_is_real(lr) and lr > 0 and _is_real(momentum) and 0 <= momentum < 1):
        check_lr(lr)                     # raises the precise message
        check_momentum(momentum)
    v_new = momentum * v - lr * grad
    return x + v_new, v_new


def momentum_update_(x, v, grad, lr, momentum=0.0, *, scratch):
    """:func:`momentum_update` done in place: the rule :class:`SGD` uses on a network.

    The same rule, v ← μ·v − η·∇f and x ← x + v, through the same
    floating-point operations in the same order, so it gives exactly the same
    numbers; but ``x`` and ``v`` are overwritten instead of copied, and η·∇f
    is written into ``scratch``, an array shaped like ``x`` that the caller
    keeps from step to step. No temporary array is made. ``x``, ``v`` and
    ``scratch`` are float arrays of one shape; ``grad`` may be ``scratch``.
    """
    for a, name in ((x, "x"), (v, "v"), (scratch, "scratch")):
        if not (isinstance(a, np.ndarray) and a.dtype.kind == "f"):
            raise TypeError(f"{name} must be a float array updated in place, got {_describe(a)}.")
    if not (np.shape(grad) == x.shape == v.shape == scratch.shape):
        raise ValueError(f"x, v, grad and scratch must have the same shape, got {x.shape}, {v.shape}, "
                         f"{np.shape(grad)} and {scratch.shape}.")
    if not (_is_real(lr) and lr > 0 and _is_real(momentum) and 0 <= momentum < 1):
        check_lr(lr)
        check_momentum(momentum)
    _momentum_step(x, v, grad, lr, momentum, scratch)


def _momentum_step(x, v, grad, lr, momentum, scratch):
    """The four in-place operations of :func:`momentum_update_`, for callers that checked their arrays."""
    np.multiply(v, momentum, out=v)              # μ·v
    np.multiply(grad, lr, out=scratch)           # η·∇f
    np.subtract(v, scratch, out=v)               # v ← μ·v − η·∇f
    np.add(x, v, out=x)                          # x ← x + v


def _is_real(a):
    return isinstance(a, numbers.Real) and not isinstance(a, bool)


def _numeric(a, name):
    """A number or a float array (lists become arrays); anything else is refused clearly."""
    if isinstance(a, (numbers.Number, np.ndarray)) and not isinstance(a, bool):
        return a
    if isinstance(a, (list, tuple)):
        try:
            return np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be a number or an array of numbers, got {type(a).__name__}.")


def check_lr(lr, name="lr"):
    """A learning rate: a positive finite number."""
    return as_number(lr, name, low=0.0, low_inclusive=False)


def check_momentum(momentum, name="momentum"):
    """A momentum coefficient μ with 0 ≤ μ < 1 (μ ≥ 1 never stops rolling)."""
    m = as_number(momentum, name, low=0.0)
    if m >= 1.0:
        raise ValueError(f"{name} must be below 1 (with μ ≥ 1 the velocity never decays), got {m}.")
    return m


# --------------------------------------------------------------------------
# Learning-rate schedules
# --------------------------------------------------------------------------

class Schedule:
    """A learning rate that depends on the step (or epoch) count t = 0, 1, 2, ...

    Call it: ``schedule(t)`` returns η_t. Build one with :func:`constant`,
    :func:`step_decay`, :func:`exponential_decay` or :func:`inverse_time_decay`.

    Wherever nnlib takes a learning rate ``lr`` (:func:`trajectory`,
    :class:`SGD`), a schedule is either a number (a constant rate), one of
    these Schedules, or **any function of the step count t** returning a
    positive number, such as ``lambda t: 0.1 / (1 + t)``. A function's result
    is checked each time it is called, with a message naming t if it is not
    a positive number.
    """

    def __init__(self, fn, description):
        self._fn = fn
        self.description = description

    def __call__(self, t):
        if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 0:
            raise ValueError(f"a schedule is evaluated at a whole step count t >= 0, got {t!r}.")
        return float(self._fn(int(t)))

    def __repr__(self):
        return f"Schedule({self.description})"


def constant(lr):
    """η_t = η₀ for every t."""
    lr = check_lr(lr)
    return Schedule(lambda t: lr, f"constant lr={lr:g}")


def step_decay(lr, *, drop=0.5, every=10):
    """η_t = η₀ · drop^⌊t / every⌋: the rate is cut by ``drop`` every ``every`` steps."""
    lr = check_lr(lr)
    drop = as_number(drop, "drop", low=0.0, high=1.0, low_inclusive=False)
    every = as_positive_int(every, "every")
    return Schedule(lambda t: lr * drop ** (t // every), f"step decay lr={lr:g}, drop={drop:g} every {every}")


def exponential_decay(lr, *, rate=0.95):
    """η_t = η₀ · rate^t: a smooth exponential fall."""
    lr = check_lr(lr)
    rate = as_number(rate, "rate", low=0.0, high=1.0, low_inclusive=False)
    return Schedule(lambda t: lr * rate ** t, f"exponential decay lr={lr:g}, rate={rate:g}")


def inverse_time_decay(lr, *, decay=0.001):
    """η_t = η₀ / (1 + decay · t): the "1/t" schedule, counted in mini-batch steps t.

    The thesis essay's MNIST network (chapter 08) trains with SGD at η₀ = 0.1 and
    says only that it "defined a decay rate for the learn rate" (presumably the
    0.001 passed to its optimizer), with no formula. The 1/t form is the course's choice (chapter 06), one
    common reading of such a decay rate, not the essay's.
    """
    lr = check_lr(lr)
    decay = as_number(decay, "decay", low=0.0)
    return Schedule(lambda t: lr / (1.0 + decay * t), f"1/t decay lr={lr:g}, decay={decay:g}")


def _as_schedule(lr):
    """A :class:`Schedule` from a number, a Schedule, or any function t → learning rate."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr) and not isinstance(lr, type):
        name = getattr(lr, "__name__", type(lr).__name__)

        def checked(t):
            eta = lr(t)
            if isinstance(eta, (bool, np.bool_)) or not isinstance(eta, numbers.Real) or not np.isfinite(eta) \
                    or eta <= 0:
                raise ValueError(f"the learning-rate schedule {name} returned {eta!r} at step t={t}; "
                                 f"a schedule must return a positive number.")
            return eta

        return Schedule(checked, f"schedule {name}")
    return constant(lr)


# --------------------------------------------------------------------------
# Trajectories on a surface
# --------------------------------------------------------------------------

@dataclass
class Trajectory:
    """The path of gradient descent on a surface.

    ``points`` has one row per visited point (x₀ first): shape (n + 1,) in 1-D
    and (n + 1, 2) in 2-D, where n = ``steps_taken``. ``losses`` holds f at
    each point, ``lrs`` the learning rate of each step. When the run blew up,
    ``diverged`` is True and ``diverged_at`` is the step whose result was
    non-finite or too far away; the path stops there instead of overflowing.
    """
    surface: Surface
    points: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    momentum: float
    steps: int
    diverged: bool
    diverged_at: object

    @property
    def steps_taken(self):
        return len(self.points) - 1

    @property
    def final(self):
        """The last point reached (a float in 1-D, an array in 2-D)."""
        return float(self.points[-1]) if self.surface.dim == 1 else self.points[-1]

    def distances(self, target=None):
        """‖x_t − x*‖ for each point, x* the global minimum unless ``target`` is given."""
        target = self.surface.global_minimum if target is None else target
        P = self.points.reshape(len(self.points), -1)
        return np.linalg.norm(P - np.reshape(target, (1, -1)), axis=1)

    def rate(self, target=None, *, tail=0.5):
        """Measured convergence rate: the geometric mean of ‖x_{t+1} − x*‖ / ‖x_t − x*‖ over the tail.

        See :func:`convergence_rate`. NaN when the run diverged or is too short.
        """
        if self.diverged:
            return float("nan")
        return convergence_rate(self.distances(target), tail=tail)

    def nearest_minimum(self):
        """Index into ``surface.minima`` of the minimum closest to the final point."""
        d = [np.linalg.norm(np.ravel(self.points[-1]) - np.ravel(m)) for m in self.surface.minima]
        return int(np.argmin(d))


def convergence_rate(distances, *, tail=0.5, floor=1e-12):
    """Geometric mean of d_{t+1}/d_t over the last ``tail`` fraction of ``distances``.

    Equal to (d_end / d_begin)^(1 / number of steps) over the tail. Distances
    that reach ``floor`` (where rounding error takes over) end the tail early.
    Returns NaN if fewer than 2 usable steps remain.
    """
    d = as_array(distances, "distances", ndim=1, finite=False)
    tail = as_number(tail, "tail", low=0.0, high=1.0, low_inclusive=False)
    finite = np.isfinite(d)
    if not finite.all():
        d = d[:np.argmin(finite)]
    small = np.nonzero(d <= floor)[0]
    if len(small):
        d = d[:small[0]]
    n = len(d) - 1
    if n < 2:
        return float("nan")
    begin = int(np.floor(n * (1 - tail)))
    if n - begin < 2:
        begin = n - 2
    return float((d[n] / d[begin]) ** (1.0 / (n - begin)))


MAX_STEPS = 100_000


def trajectory(surface, start=None, *, lr, momentum=0.0, steps=50, escape=100.0):
    """Run gradient descent (with optional momentum) on ``surface`` for ``steps`` steps.

    ``surface`` is a :class:`~nnlib.surfaces.Surface` or its name; ``start``
    defaults to the surface's start point; ``lr`` is a positive number or a
    :class:`Schedule`. The run stops early, with ``diverged=True``, when a
    value turns non-finite or the ball lands more than ``escape`` times the
    size of the plotting box away from it (the loss is then exploding).
    ``steps`` is at most ``MAX_STEPS`` (every point is kept).
    Returns a :class:`Trajectory`.
    """
    surface = get_surface(surface)
    schedule = _as_schedule(lr)
    momentum = check_momentum(momentum)
    steps = as_positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be at most {MAX_STEPS:,} (a trajectory keeps every point), got {steps:,}.")
    escape = as_number(escape, "escape", low=1.0)
    x = surface._point(surface.start if start is None else start, "start")
    box = np.array(surface.box, dtype=float)
    centre, size = box.mean(axis=1), float(np.max(box[:, 1] - box[:, 0]))
    limit = escape * size

    points, lrs = [x], []
    v = np.zeros_like(x)
    diverged_at = None
    f, g = surface.f_raw, surface.grad_raw
    with np.errstate(all="ignore"):
        for t in range(steps):
            eta = schedule(t)
            x, v = momentum_update(x, v, g(x), eta, momentum)
            lrs.append(eta)
            if not np.all(np.isfinite(x)) or np.max(np.abs(x - centre)) > limit:
                diverged_at = t + 1
                if np.all(np.isfinite(x)) and np.isfinite(f(x)):
                    points.append(x)
                break
            points.append(x)
        P = np.array(points)
        losses = np.asarray(f(P), dtype=float)
    if surface.dim == 1:
        P = P[:, 0]
    return Trajectory(surface=surface, points=P, losses=losses, lrs=np.array(lrs), momentum=momentum,
                      steps=steps, diverged=diverged_at is not None, diverged_at=diverged_at)


# --------------------------------------------------------------------------
# Theory for quadratics f(x) = ½ xᵀ H x
# --------------------------------------------------------------------------

def _hessian(H):
    if isinstance(H, (str, Surface)):
        s = get_surface(H)
        if s.hessian is None:
            raise ValueError(f"the surface {s.name!r} is not a quadratic: its Hessian changes from point to point.")
        H = s.hessian
    H = np.atleast_2d(as_array(H, "H"))
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix (d, d), got shape {H.shape}.")
    if not np.allclose(H, H.T):
        raise ValueError("H must be symmetric (a Hessian always is).")
    lam = np.linalg.eigvalsh(H)
    if lam.min() <= 0:
        raise ValueError(f"H must be positive definite (all eigenvalues > 0), got eigenvalues {np.round(lam, 6).tolist()}.")
    return H, lam


def quadratic_theory(H):
    """What theory says about gradient descent on f(x) = ½ xᵀHx (chapter 06).

    With λ_min, λ_max the extreme eigenvalues of H and κ = λ_max / λ_min:

    * GD converges iff 0 < η < 2 / λ_max (``lr_max``);
    * the best fixed η is 2 / (λ_min + λ_max) (``lr_opt``), and then the
      distance to the minimum shrinks by (κ − 1)/(κ + 1) per step (``rate_gd``);
    * with momentum, the best choice is μ = ((√κ − 1)/(√κ + 1))² and
      η = (2 / (√λ_min + √λ_max))², giving the rate (√κ − 1)/(√κ + 1).

    ``H`` is a square matrix, or the name of a quadratic surface.
    Returns a dict of these numbers.
    """
    H, lam = _hessian(H)
    lo, hi = float(lam.min()), float(lam.max())
    kappa = hi / lo
    sk = np.sqrt(kappa)
    return {
        "eigenvalues": lam,
        "lambda_min": lo,
        "lambda_max": hi,
        "kappa": kappa,
        "lr_max": 2.0 / hi,
        "lr_opt": 2.0 / (lo + hi),
        "rate_gd": (kappa - 1) / (kappa + 1),
        "momentum_opt": ((sk - 1) / (sk + 1)) ** 2,
        "lr_opt_momentum": (2.0 / (np.sqrt(lo) + np.sqrt(hi))) ** 2,
        "rate_momentum": (sk - 1) / (sk + 1),
    }


def predicted_rate(H, lr, momentum=0.0):
    """The exact asymptotic rate of GD with momentum on f = ½ xᵀHx.

    Along each eigenvector (eigenvalue λ) the error obeys
    e_{t+1} = (1 + μ − ηλ) e_t − μ e_{t−1}; the rate is the largest modulus of
    the roots of z² − (1 + μ − ηλ) z + μ over all λ. For μ = 0 it is
    max |1 − ηλ|. A rate ≥ 1 means the run does not converge.
    """
    _, lam = _hessian(H)
    lr = check_lr(lr)
    momentum = check_momentum(momentum)
    worst = 0.0
    for l in lam:
        roots = np.roots([1.0, -(1.0 + momentum - lr * l), momentum])
        worst = max(worst, float(np.max(np.abs(roots))))
    return worst


# --------------------------------------------------------------------------
# SGD for networks
# --------------------------------------------------------------------------

def _parameter_layers(model, prefix=""):
    """(name, layer) for every layer with weights ``W``: ("0", first Linear), ("2", ...), ...

    ``model`` is a network with ``.layers`` (nested networks are searched
    too), a list of layers, or one layer; the names are the indices used by
    ``Sequential.parameters()`` ("0.W", "2.b", ...).
    """
    if isinstance(model, (list, tuple)) or hasattr(model, "layers"):
        items = list(model) if isinstance(model, (list, tuple)) else list(model.layers)
        found = []
        for i, layer in enumerate(items):
            found += _parameter_layers(layer, f"{prefix}{i}.")
        if not found and not prefix:
            raise TypeError(f"SGD needs a model whose layers have weights W (and gradients dW), got "
                            f"{type(model).__name__} with none. Pass a Sequential, a list of layers or one layer.")
        return found
    if hasattr(model, "W"):
        return [(prefix, model)]
    if not prefix:
        raise TypeError(f"SGD needs a model whose layers have weights W (and gradients dW), got "
                        f"{type(model).__name__} with none. Pass a Sequential, a list of layers or one layer.")
    return []


class SGD:
    """(Stochastic) gradient descent with momentum and weight decay for a network (chapters 07–08).

    ``model`` is a network with ``.layers`` (such as ``Sequential``), a list of
    layers, or one layer; every layer with an array ``W`` (and ``b``, if it
    has one) is trained, using the gradients ``dW``, ``db`` that backward left
    there. Layers without weights (ReLU, Sigmoid) are skipped.

    ``lr`` is a number, a :class:`Schedule`, or any function of the step
    count t (see :class:`Schedule`). ``momentum`` is μ in [0, 1).
    ``weight_decay`` λ ≥ 0 adds λ·θ to each gradient (L2 regularisation:
    it pulls every weight gently towards 0). Each :meth:`step` moves every
    parameter θ by the course's one rule, :func:`momentum_update_`:

        v ← μ v − η (∇θ + λ θ),    θ ← θ + v

    in place (the model's own arrays change; no temporary arrays), with
    two buffers per parameter (v and a scratch array) kept between steps.

        opt = SGD(model, lr=0.1, momentum=0.9)
        for X, y in minibatches(...):
            loss, dZ = softmax_cross_entropy(model.forward(X), y)
            model.backward(dZ)
            opt.step()
    """

    def __init__(self, model, *, lr=0.1, momentum=0.0, weight_decay=0.0):
        self.params = [(name + p, layer, p) for name, layer in _parameter_layers(model)
                       for p in ("W", "b") if getattr(layer, p, None) is not None]
        for name, layer, p in self.params:
            self._check_param(name, getattr(layer, p))
        self.schedule = _as_schedule(lr)
        self.momentum = check_momentum(momentum)
        self.weight_decay = as_number(weight_decay, "weight_decay", low=0.0)
        self.t = 0
        self._velocity, self._scratch = {}, {}

    @property
    def layers(self):
        """The layers being trained."""
        return list({id(layer): layer for _, layer, _ in self.params}.values())

    @property
    def lr(self):
        """The learning rate the next step will use."""
        return self.schedule(self.t)

    @staticmethod
    def _check_param(name, param):
        if not isinstance(param, np.ndarray):
            raise TypeError(f"parameter {name} is a {type(param).__name__}; SGD changes parameters in place, so "
                            f"they must be NumPy float arrays (e.g. layer.{name.rsplit('.', 1)[-1]} = "
                            f"np.array(..., dtype=float)).")
        if param.dtype.kind != "f":
            raise TypeError(f"parameter {name} holds {param.dtype} numbers; gradient steps are fractions that "
                            f"would be truncated, so SGD needs float parameters (use .astype(float)).")

    def _gradient(self, name, layer, p, param):
        grad = getattr(layer, "d" + p, None)
        if grad is None:
            raise ValueError(f"parameter {name} has no gradient d{p} yet: run the backward pass before "
                             f"optimizer.step().")
        if not isinstance(grad, np.ndarray):
            grad = as_array(grad, f"the gradient of {name}", finite=False)
        if grad.shape != param.shape:
            raise ValueError(f"the gradient of {name} (d{p}) has shape {grad.shape} but {name} has shape "
                             f"{param.shape}; they must match.")
        if grad.dtype.kind not in "fiu":
            raise TypeError(f"the gradient of {name} (d{p}) must hold real numbers, got dtype {grad.dtype}.")
        if grad.dtype.kind == "f" and not all_finite(grad):
            bad = grad.size - np.count_nonzero(np.isfinite(grad))
            raise NonFiniteError(f"the gradient of {name} (d{p}) has {bad} NaN or infinite value(s): the loss "
                                 f"has probably diverged (try a smaller learning rate). No parameter was changed.")
        return grad

    def step(self):
        """Move every parameter one step: v ← μv − η(∇ + λθ), θ ← θ + v (in place)."""
        eta = self.lr                              # the schedule is checked before anything moves
        todo = []
        for name, layer, p in self.params:         # check everything before changing anything
            param = getattr(layer, p)
            if type(param) is not np.ndarray or param.dtype.kind != "f":
                self._check_param(name, param)
            todo.append((name, param, self._gradient(name, layer, p, param)))
        for name, param, grad in todo:
            v, scratch = self._buffers(name, param)
            if self.weight_decay:
                np.multiply(param, self.weight_decay, out=scratch)     # λ·θ
                grad = np.add(scratch, grad, out=scratch)              # ∇ + λ·θ
            _momentum_step(param, v, grad, eta, self.momentum, scratch)   # the rule of momentum_update_
        self.t += 1

    def _buffers(self, name, param):
        """The velocity v and the scratch array of one parameter, made once and kept between steps."""
        v = self._velocity.get(name)
        if v is None or v.shape != param.shape or v.dtype != param.dtype:
            v = self._velocity[name] = np.zeros_like(param)
            self._scratch[name] = np.empty_like(param)
        return v, self._scratch[name]

    def zero_grad(self):
        """Set every gradient dW, db to zero (in place) before the next backward pass.

        nnlib's layers overwrite their gradients in ``backward``, so this is
        only needed when you add gradients up yourself (``model.dW += ...``).
        """
        for _, layer, p in self.params:
            grad = getattr(layer, "d" + p, None)
            if isinstance(grad, np.ndarray):
                grad[...] = 0
            else:
                setattr(layer, "d" + p, np.zeros_like(getattr(layer, p)))

    def __repr__(self):
        decay = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return (f"SGD({len(self.params)} parameter arrays, {self.schedule.description}, "
                f"momentum={self.momentum:g}{decay})")
