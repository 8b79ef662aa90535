"""Gradient checking: compare backpropagation with the slope measured numerically (chapter 07).

A derivative is a limit of slopes, so we can *measure* it: nudge one number
up and down by a small h and see how the loss moves,

    dL/dθ ≈ (L(θ + h) − L(θ − h)) / 2h          (central difference; error ∝ h²)

This is far too slow to train with (two loss evaluations per parameter), but
it is the perfect referee for the fast, hand-derived gradients of
backpropagation. Everything here runs in float64, whatever the model's own
dtype, so rounding cannot hide a bug.

For each parameter the report gives the relative error

    ‖g_backprop − g_numeric‖ / max(‖g_backprop‖, ‖g_numeric‖)

and says "pass" when it is at most ``tol`` (default 1e-7), or when the
largest absolute difference is below ``atol`` (default 1e-9): a gradient
that tiny is lost in the rounding noise of the numerical slope itself, about
1e-16 · |L| / h. A rule of thumb (Stanford's CS231n notes): above 1e-2 the
gradient is probably wrong, 1e-7 or below is good; kinks such as ReLU's at 0
can cost a few orders of magnitude.
:func:`gradcheck` works on a layer, a whole ``Sequential``, a loss, and a
plain function with its gradient.
"""

import copy
import html
import inspect
import numbers
from dataclasses import dataclass

import numpy as np

from .validate import as_array, as_positive_int, as_rng

GOOD, WRONG = 1e-7, 1e-2            # the CS231n rule of thumb


def numerical_gradient(f, x, *, eps=1e-6):
    """The gradient of a scalar function ``f`` at ``x`` by central differences, in float64.

    ``f`` takes an array shaped like ``x`` and returns a number. Each entry of
    (a float64 copy of) ``x`` is nudged by ±eps in turn. Returns an array of
    ``x``'s shape.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}.")
    x = np.array(as_array(x, "x"), dtype=np.float64)
    eps = _positive(eps, "eps")
    idx = [np.unravel_index(i, x.shape) for i in range(x.size)]
    return _central(lambda: _scalar(f(x), "f(x)"), x, idx, eps).reshape(x.shape)


def _central(L, arr, idx, eps):
    """Central differences of the scalar function L() with respect to arr[i] for each i in idx."""
    g = np.empty(len(idx))
    for k, i in enumerate(idx):
        old = arr[i]
        arr[i] = old + eps
        up = L()
        arr[i] = old - eps
        down = L()
        arr[i] = old
        g[k] = (up - down) / (2 * eps)
    return g


@dataclass
class Check:
    """One row of a :class:`GradcheckReport`: one parameter (or input) compared."""
    name: str
    shape: tuple
    checked: int
    size: int
    rel_error: float
    abs_error: float
    passed: bool


class GradcheckReport:
    """Backprop vs numerical gradients, one :class:`Check` per parameter.

    ``report.passed`` is True when every row passed; ``report["0.W"]`` gives
    one row; ``print(report)`` (or just ``report`` in a notebook) shows the table.
    """

    def __init__(self, checks, *, tol, atol, eps, what):
        self.checks, self.tol, self.atol, self.eps, self.what = list(checks), tol, atol, eps, what

    @property
    def passed(self):
        return all(c.passed for c in self.checks)

    @property
    def worst(self):
        """The largest relative error in the report."""
        return max(c.rel_error for c in self.checks)

    def __getitem__(self, name):
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no parameter {name!r} in this report; it has {[c.name for c in self.checks]}.")

    def __iter__(self):
        return iter(self.checks)

    def __len__(self):
        return len(self.checks)

    def _rows(self):
        for c in self.checks:
            checked = f"{c.checked:,}" if c.checked == c.size else f"{c.checked:,} of {c.size:,}"
            yield (c.name, str(c.shape), checked, f"{c.rel_error:.1e}", f"{c.abs_error:.1e}",
                   "pass" if c.passed else "FAIL")

    _HEAD = ("parameter", "shape", "entries", "relative error", "max abs error", "result")

    def _summary(self):
        n_fail = sum(not c.passed for c in self.checks)
        verdict = "all passed" if not n_fail else f"{n_fail} of {len(self.checks)} FAILED"
        return (f"gradcheck of {self.what}: {verdict} (pass: relative error <= {self.tol:.0e} "
                f"or max abs error <= {self.atol:.0e})",
                f"central differences in float64, h = {self.eps:.0e}; rule of thumb (CS231n): "
                f"<= {GOOD:.0e} good, > {WRONG:.0e} probably wrong")

    def __str__(self):
        rows = [self._HEAD, *self._rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(self._HEAD))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join([*self._summary(), *lines])

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row[:-1])
            + f"<td style='color:{'#009E73' if row[-1] == 'pass' else '#D55E00'};font-weight:bold'>{row[-1]}</td></tr>"
            for row in self._rows())
        return (f"<p>{'<br>'.join(html.escape(line) for line in self._summary())}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def gradcheck(target, *args, loss=None, grad=None, eps=1e-6, tol=GOOD, atol=1e-9, max_entries=1000, rng=0):
    """Compare analytic gradients with central differences; returns a :class:`GradcheckReport`.

    What ``target`` can be:

    * a **layer or network** (anything with ``forward`` and ``backward``, such as
      ``Linear``, ``ReLU`` or ``Sequential``): ``gradcheck(layer, X)`` checks dL/dX
      and every parameter for the loss L = Σ R ⊙ forward(X), with R a fixed
      random array (so every output matters). ``gradcheck(model, X, y,
      loss=softmax_cross_entropy)`` uses that loss instead.
    * a **loss** returning ``(value, gradient)``: ``gradcheck(mse, A, Y)``
      checks the gradient with respect to the first argument.
    * a **plain function** returning a number, with its gradient function:
      ``gradcheck(f, x, grad=df)``.

    The model is copied to float64 first; nothing of yours is modified.
    ``max_entries`` caps how many entries of each parameter are nudged (chosen
    at random with ``rng``); None checks them all.
    """
    eps, tol, atol = _positive(eps, "eps"), _positive(tol, "tol"), _positive(atol, "atol")
    limits = dict(eps=eps, tol=tol, atol=atol)
    if max_entries is not None:
        max_entries = as_positive_int(max_entries, "max_entries")
    rng = as_rng(rng)
    if loss is not None and not callable(loss):
        raise TypeError(f"loss must be a loss function such as softmax_cross_entropy, got {type(loss).__name__}.")
    if grad is not None and not callable(grad):
        raise TypeError(f"grad must be the gradient function of target, got {type(grad).__name__}.")
    if hasattr(target, "forward") and hasattr(target, "backward"):
        if grad is not None:
            raise TypeError("grad is for plain functions; a layer computes its own gradients with backward.")
        return _check_layer(target, args, loss, limits, max_entries, rng)
    if callable(target):
        if loss is not None:
            raise TypeError("loss is for layers and networks; to check a loss function, pass it as the target.")
        return _check_function(target, args, grad, limits, max_entries, rng)
    raise TypeError(f"target must be a layer, a network, a loss or a function, got {type(target).__name__}.")


def _check_function(f, args, grad, limits, max_entries, rng):
    if not args:
        raise TypeError("gradcheck needs the point to check at: gradcheck(f, x, ...).")
    x = np.array(as_array(args[0], "the first argument"), dtype=np.float64)
    rest = args[1:]
    if grad is None:
        def value(v):
            out = f(v, *rest)
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(f"{_name(f)} must return (value, gradient) like the losses do, or pass grad=: "
                                f"got {type(out).__name__}.")
            return out
        analytic = value(x)[1]
        L = lambda: _scalar(value(x)[0], f"{_name(f)}(...)[0]")
    else:
        analytic = grad(x, *rest)
        L = lambda: _scalar(f(x, *rest), f"{_name(f)}(...)")
    analytic = np.asarray(analytic, dtype=np.float64) if _is_numeric(analytic) else None
    if analytic is None or analytic.shape != x.shape:
        raise ValueError(f"the gradient of {_name(f)} must have the shape of its first argument, {x.shape}; got "
                         f"{getattr(analytic, 'shape', 'something that is not an array')}.")
    check = _compare(_first_param(f), L, x, analytic, limits, max_entries, rng)
    return GradcheckReport([check], **limits, what=_name(f))


def _check_layer(layer, args, loss, limits, max_entries, rng):
    n_args = 2 if loss is not None else 1
    if len(args) != n_args:
        want = "gradcheck(model, X, y, loss=...)" if loss is not None else "gradcheck(layer, X)"
        raise TypeError(f"call it as {want}: expected {n_args} argument(s) after the layer, got {len(args)}.")
    model = _float64_copy(layer)
    X = np.array(as_array(args[0], "X"), dtype=np.float64)
    out = model.forward(X)
    if loss is None:
        R = rng.standard_normal(np.shape(out))
        objective = lambda: float(np.sum(R * model.forward(X)))
        top = R
    else:
        y = args[1]
        objective = lambda: _scalar(loss(model.forward(X), y)[0], "loss(...)[0]")
        top = loss(out, y)[1]
    dX = model.backward(top)
    analytic = {"X": np.array(dX, dtype=np.float64)}
    params, grads = _params(model), _grads(model)
    for name in params:
        if grads.get(name) is None:
            raise ValueError(f"backward did not fill the gradient of {name}.")
        analytic[name] = np.array(grads[name], dtype=np.float64)
    arrays = {"X": X, **params}
    checks = [_compare(name, objective, arrays[name], analytic[name], limits, max_entries, rng)
              for name in arrays]
    return GradcheckReport(checks, **limits, what=repr(layer))


def _compare(name, L, arr, analytic, limits, max_entries, rng):
    if analytic.shape != arr.shape:
        raise ValueError(f"the gradient of {name} has shape {analytic.shape}, but {name} has shape {arr.shape}.")
    flat = np.arange(arr.size)
    if max_entries is not None and arr.size > max_entries:
        flat = np.sort(rng.choice(arr.size, size=max_entries, replace=False))
    idx = [np.unravel_index(i, arr.shape) for i in flat]
    numeric = _central(L, arr, idx, limits["eps"])
    a = analytic.reshape(-1)[flat]
    diff = np.linalg.norm(a - numeric)
    scale = max(np.linalg.norm(a), np.linalg.norm(numeric))
    rel = 0.0 if diff == 0 else float(diff / scale)
    abs_error = float(np.max(np.abs(a - numeric)))
    return Check(name=name, shape=tuple(arr.shape), checked=len(flat), size=int(arr.size), rel_error=rel,
                 abs_error=abs_error, passed=rel <= limits["tol"] or abs_error <= limits["atol"])


def _float64_copy(layer):
    if hasattr(layer, "astype"):
        return layer.astype(np.float64)
    model = copy.deepcopy(layer)
    for name in ("W", "b"):
        if getattr(model, name, None) is not None:
            setattr(model, name, np.array(getattr(model, name), dtype=np.float64))
    return model


def _params(model):
    if hasattr(model, "parameters"):
        return dict(model.parameters())
    return {name: getattr(model, name) for name in ("W", "b") if getattr(model, name, None) is not None}


def _grads(model):
    if hasattr(model, "gradients"):
        return dict(model.gradients())
    return {name: getattr(model, "d" + name, None) for name in ("W", "b")}


def _positive(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a positive number, got {x!r}.")
    return float(x)


def _is_numeric(a):
    try:
        return np.asarray(a).dtype.kind in "iuf"
    except (TypeError, ValueError):
        return False


def _scalar(v, what):
    if isinstance(v, (bool, np.bool_)) or not (isinstance(v, numbers.Real) or (np.ndim(v) == 0 and _is_numeric(v))):
        raise TypeError(f"{what} must be a number (the loss), got {type(v).__name__}.")
    return float(v)


def _name(f):
    return getattr(f, "__name__", type(f).__name__)


def _first_param(f):
    try:
        return next(iter(inspect.signature(f).parameters))
    except (TypeError, ValueError, StopIteration):
        return "x"
