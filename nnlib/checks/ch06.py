"""Checkers for the exercises of chapter 06, gradient descent.

Each checker calls the student's function on a few cases and compares the
result with the right answer and with what typical mistakes would give
(gradient added instead of subtracted, learning rate forgotten, momentum sign
flipped, λ_min used instead of λ_max, a factor 2 lost, decay counted per epoch
instead of per step, the last partial batch dropped ...). It never raises.
"""

import numpy as np

from .core import call, check_array_result, close, correct, diagnose, incorrect

_H = np.array([[3.0, 1.0], [1.0, 2.0]])          # not diagonal: eigenvalues are not the diagonal entries
_H3 = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 1.0]])   # 3-D: diagonal extremes ≠ eigenvalue extremes


def _eig(H):
    lam = np.linalg.eigvalsh(H)
    return lam.min(), lam.max()


def _one_number(ex, got, what):
    """Feedback when a single number was expected but a list / array of several came back, else None."""
    if isinstance(got, (list, tuple)) or (isinstance(got, np.ndarray) and got.ndim > 0):
        n = len(got) if isinstance(got, (list, tuple)) else got.size
        if n == 1:
            return incorrect(ex, f"Return {what} as a single number, not a {type(got).__name__} holding one: "
                                 "drop the brackets (or use float(...)).")
        return incorrect(ex, f"Return one number for {what}, not {n} of them. If you computed a value per "
                             "eigenvalue, keep only the one that matters.")
    return None


def _first(*checks):
    """The first Feedback that the zero-argument ``checks`` return (a Feedback is falsy unless correct)."""
    for check in checks:
        fb = check()
        if fb is not None:
            return fb
    return None


def _mutated(ex, name, before, after, new):
    """Feedback when the student's function changed an input array in place, else None."""
    if not np.array_equal(before, after):
        return incorrect(ex, f"Your function changed the caller's array `{name}` in place (for example with "
                             f"`{name} -= ...`, `{name} *= ...` or `{name} += ...`). Compute a new array "
                             f"instead, e.g. `{new}`: a trajectory keeps every point, and with in-place updates "
                             "they would all turn into the same, last one.")
    return None


# -- 1. one gradient-descent step ------------------------------------------------

def check_gd_step(gd_step):
    """``gd_step(x, grad, lr)`` must return x − lr · grad."""
    ex = "One gradient-descent step"
    x, g, lr = np.array([1.0, -2.0, 0.5]), np.array([4.0, -1.0, 2.0]), 0.1
    x_in = x.copy()
    got, fb = call(ex, gd_step, x_in, g.copy(), lr)
    if fb is not None:
        return fb
    if isinstance(got, list):
        return incorrect(ex, "You returned a Python list. Return the NumPy result itself, `x - lr * grad`: "
                             "the same line works for numbers and for arrays.")
    expected = x - lr * g
    fb = check_array_result(ex, got, expected, what="the new x")
    if fb is not None:
        return fb
    fb = diagnose(ex, got, expected, [
        (x + lr * g, "You added the gradient. The gradient points uphill (the direction of steepest ascent); "
                     "to go down, step against it: x − η·∇f."),
        (x - g, "You forgot the learning rate: the step is η·∇f, not the whole gradient."),
        (-lr * g, "You returned only the step −η·∇f. Add it to the current position x."),
        (x - lr, "The step must be proportional to the gradient: x − η·∇f, not x − η."),
        (x - g / lr, "You divided by the learning rate; multiply instead: x − η·∇f."),
        (x - lr * np.sign(g), "You stepped by η in the direction of −sign(∇f), the same size everywhere. "
                              "The step must be proportional to the gradient, x − η·∇f, so that it shrinks "
                              "where the slope flattens out."),
        (x - lr * g / np.linalg.norm(g), "You normalised the gradient to length 1. Plain gradient descent uses "
                                         "the gradient as it is: x − η·∇f."),
    ], fallback="The result should be x − lr · grad, element by element.")
    if fb is not None:
        return fb
    fb = _mutated(ex, "x", x, x_in, "x - lr * grad")
    if fb is not None:
        return fb
    got1, fb = call(ex, gd_step, 3.0, 6.0, 0.5)      # f(x) = x² at x = 3: one step with η = 0.5 lands at 0
    if fb is not None:
        return fb
    if not close(got1, 0.0):
        return incorrect(ex, "Your function works on arrays but not on plain numbers: gd_step(3.0, 6.0, 0.5) "
                             f"should be 0.0, got {got1!r}.")
    return correct(ex, "x − η·∇f: a step against the gradient, scaled by the learning rate.")


# -- 2. momentum -------------------------------------------------------------------

def check_momentum_step(momentum_step):
    """``momentum_step(x, v, grad, lr, mu)`` must return (x + v_new, v_new) with v_new = μ v − η grad."""
    ex = "Momentum"
    x, v, g, lr, mu = np.array([1.0, -1.0]), np.array([0.3, 0.2]), np.array([2.0, -4.0]), 0.1, 0.9
    x_in, v_in = x.copy(), v.copy()
    got, fb = call(ex, momentum_step, x_in, v_in, g.copy(), lr, mu)
    if fb is not None:
        return fb
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return incorrect(ex, f"Return two things, the new position and the new velocity: "
                             f"`return x_new, v_new`. Got {type(got).__name__}.")
    x_new, v_new = got
    v_ok = mu * v - lr * g
    if close(x_new, v_ok) and close(v_new, x + v_ok):
        return incorrect(ex, "Both values are right but in the wrong order: return the position first, "
                             "then the velocity: `return x_new, v_new`.")
    if close(v_new, v) and close(x_new, x + v_ok):
        return incorrect(ex, "The new position is right, but you returned the OLD velocity. Return the "
                             "new one, v_new = μv − η∇f, so the next step can use it.")
    fb = check_array_result(ex, v_new, v_ok, what="the new velocity")
    if fb is None:
        fb = check_array_result(ex, x_new, x + v_ok, what="the new position")
    if fb is not None:
        return fb
    fb = diagnose(ex, v_new, v_ok, [
        (mu * v + lr * g, "The velocity moves uphill: the gradient term needs a minus sign, v ← μv − η∇f."),
        (-mu * v - lr * g, "The momentum term has the wrong sign: the old velocity is kept, not reversed, "
                           "so v ← μv − η∇f (with +μv)."),
        (mu * v - g, "You forgot to scale the gradient by the learning rate: v ← μv − η∇f."),
        (-lr * g, "The old velocity is missing: that is plain gradient descent. Keep μ·v in the new velocity."),
        (v - lr * g, "The old velocity must shrink by the factor μ each step: v ← μv − η∇f."),
        (mu * (v - lr * g), "Only the old velocity is multiplied by μ: v ← μv − η∇f."),
        (lr * (mu * v - g), "Only the gradient is scaled by the learning rate: v ← μv − η∇f, not η(μv − ∇f)."),
        (mu * v - (1 - mu) * lr * g, "That is the 'dampened' variant v ← μv − (1 − μ)η∇f. This course (like "
                                     "Polyak's heavy ball and nnlib.optim) uses v ← μv − η∇f."),
    ], fallback="The new velocity should be mu * v - lr * grad.")
    if fb is not None:
        return fb
    fb = diagnose(ex, x_new, x + v_ok, [
        (x + v, "You moved with the OLD velocity. Update v first, then move: x ← x + v_new."),
        (x - v_ok, "The position moves along the velocity: x ← x + v (the minus sign is already inside v)."),
        (x - lr * g, "The position ignores the velocity (that is plain GD): x ← x + v_new."),
    ], fallback="The new position should be x + v_new.")
    if fb is not None:
        return fb
    fb = _first(lambda: _mutated(ex, "x", x, x_in, "x + v_new"), lambda: _mutated(ex, "v", v, v_in, "mu * v - lr * grad"))
    if fb is not None:
        return fb
    return correct(ex, "v ← μv − η∇f, then x ← x + v: the ball keeps part of its speed.")


# -- 3. divergence threshold -------------------------------------------------------

def check_divergence_threshold(divergence_threshold):
    """``divergence_threshold(H)`` must return 2 / λ_max(H)."""
    ex = "Divergence threshold"
    for H in (_H, np.diag([0.5, 4.0])):
        got, fb = call(ex, divergence_threshold, H.copy())
        if fb is not None:
            return fb
        lo, hi = _eig(H)
        fb = _first(lambda: _one_number(ex, got, "the threshold"),
                    lambda: check_array_result(ex, got, 2 / hi, what="the threshold"))
        if fb is not None:
            return fb
        fb = diagnose(ex, got, 2 / hi, [
            (1 / hi, "Off by a factor 2. Along the steepest direction, x ← (1 − ηλ)x; it diverges when "
                     "|1 − ηλ| > 1, that is η > 2/λ, not 1/λ."),
            (2 / lo, "You used the smallest eigenvalue. The steepest direction (λ_max) is the first to "
                     "blow up, so the limit is 2/λ_max."),
            (1 / lo, "You used 1/λ_min. The limit is 2/λ_max: the steepest direction blows up first."),
            (2 / np.max(np.diag(H)), "You used the diagonal of H. The curvatures along the main directions are "
                                     "the eigenvalues of H (np.linalg.eigvalsh), which differ when H is not diagonal."),
            (2 / np.trace(H), "You used the trace (the sum of the eigenvalues). Use the largest eigenvalue alone."),
            (2 / np.linalg.norm(H), "np.linalg.norm(H) is the Frobenius norm, √(sum of squared entries), not "
                                    "the largest eigenvalue. Use np.linalg.eigvalsh(H).max()."),
            (2 / np.mean(np.linalg.eigvalsh(H)), "You averaged the eigenvalues. The steepest direction alone "
                                                 "decides: 2/λ_max."),
            (2 // hi, "Your answer was rounded down to a whole number: use `/`, not the integer division `//`."),
        ], fallback="The threshold is 2 divided by the largest eigenvalue of H.")
        if fb is not None:
            return fb
    return correct(ex, "η < 2/λ_max: the steepest direction sets the limit.")


# -- 4. optimal learning rate --------------------------------------------------------

def check_optimal_lr(optimal_lr):
    """``optimal_lr(H)`` must return 2 / (λ_min + λ_max)."""
    ex = "Optimal learning rate"
    for H in (_H3, np.diag([0.1, 1.0])):
        got, fb = call(ex, optimal_lr, H.copy())
        if fb is not None:
            return fb
        lo, hi = _eig(H)
        best = 2 / (lo + hi)
        lam = np.linalg.eigvalsh(H)
        fb = _first(lambda: _one_number(ex, got, "the learning rate"),
                    lambda: check_array_result(ex, got, best, what="the learning rate"))
        if fb is not None:
            return fb
        d = np.diag(H)
        fb = diagnose(ex, got, best, [
            (1 / (lo + hi), "Off by a factor 2: the best rate balances |1 − ηλ_min| = |1 − ηλ_max|, "
                            "which gives η = 2/(λ_min + λ_max)."),
            (2 / hi, "2/λ_max is where GD stops converging, not the best rate. Balance the slowest and the "
                     "fastest direction: η = 2/(λ_min + λ_max)."),
            (1 / hi, "1/λ_max is perfect for the steepest direction only; the best compromise is 2/(λ_min + λ_max)."),
            (1 / lo, "1/λ_min is too large: the steep direction diverges. Use 2/(λ_min + λ_max)."),
            (2 / (d.min() + d.max()), "You used the diagonal of H; use its eigenvalues (np.linalg.eigvalsh)."),
            (2 / np.trace(H), "You added ALL the eigenvalues (that is the trace). Only the two extremes matter: "
                              "η = 2/(λ_min + λ_max). (For a 2×2 matrix the two agree; this one is 3×3.)"),
            (1 / np.mean(lam), "You averaged all the eigenvalues. Only the two extremes matter: "
                               "η = 2/(λ_min + λ_max). (For a 2×2 matrix the two agree; this one is 3×3.)"),
            (2 / (lam[0] + lam[1]), "You took the first two eigenvalues, but eigvalsh sorts them from smallest to "
                                    "largest: use lam[0] and lam[-1] (or lam.min() and lam.max())."),
            ((2 / (np.sqrt(lo) + np.sqrt(hi))) ** 2, "That is the best learning rate to pair with the best "
                                                     "momentum. Without momentum it is 2/(λ_min + λ_max)."),
            (2 // (lo + hi), "Your answer was rounded down to a whole number: use `/`, not `//`."),
        ], fallback="The optimal rate is 2 / (λ_min + λ_max), with λ the eigenvalues of H.")
        if fb is not None:
            return fb
    return correct(ex, "η* = 2/(λ_min + λ_max): both extreme directions then shrink by (κ − 1)/(κ + 1) per step.")


# -- 5. learning-rate decay ------------------------------------------------------------

def check_decayed_lr(decayed_lr):
    """``decayed_lr(lr0, decay, epoch, step, steps_per_epoch)`` = lr0 / (1 + decay · t), t = epoch·steps_per_epoch + step."""
    ex = "Learning-rate decay"
    lr0, d, spe = 0.1, 0.01, 50
    cases = [(0, 0), (0, 10), (3, 7), (20, 49)]
    got, expected = [], []
    wrongs = {k: [] for k in ("epoch", "step", "linear", "exp", "nofirst", "mult", "from1", "swap", "pow",
                              "noone", "sum")}
    for e, s in cases:
        r, fb = call(ex, decayed_lr, lr0, d, e, s, spe)
        if fb is not None:
            return fb
        fb = _first(lambda: _one_number(ex, r, "the learning rate"),
                    lambda: check_array_result(ex, r, 0.0, what="the learning rate"))
        if fb is not None:
            return fb
        t = e * spe + s
        got.append(float(np.asarray(r, dtype=float)))
        expected.append(lr0 / (1 + d * t))
        wrongs["epoch"].append(lr0 / (1 + d * e))
        wrongs["step"].append(lr0 / (1 + d * s))
        wrongs["linear"].append(lr0 * (1 - d * t))
        wrongs["exp"].append(lr0 * (1 - d) ** t)
        wrongs["nofirst"].append(lr0 / (1 + d * (t + 1)))
        wrongs["mult"].append(lr0 * (1 + d * t))
        wrongs["from1"].append(lr0 / (1 + d * ((e - 1) * spe + s)))
        wrongs["swap"].append(lr0 / (1 + d * (e + s * spe)))
        wrongs["pow"].append(lr0 / (1 + d) ** t)
        wrongs["noone"].append(lr0 / (d * t) if t else lr0)
        wrongs["sum"].append(lr0 / (1 + d * (e + s)))
    fb = diagnose(ex, got, expected, [
        (wrongs["epoch"], "You decayed once per epoch. Here t counts mini-batch steps, as in the essay's "
                          "network: t = epoch · steps_per_epoch + step."),
        (wrongs["step"], "Your t restarts at 0 every epoch. Count steps since the start of training: "
                         "t = epoch · steps_per_epoch + step."),
        (wrongs["linear"], "That is a linear decay, which turns negative eventually. Divide: η₀ / (1 + d·t)."),
        (wrongs["exp"], "That is an exponential decay. The 1/t schedule divides: η₀ / (1 + d·t)."),
        (wrongs["nofirst"], "Off by one step: the very first step (t = 0) should use the full rate η₀."),
        (wrongs["mult"], "The rate should shrink over time: divide by (1 + d·t), do not multiply."),
        (wrongs["from1"], "Epochs are counted from 0 here (the first epoch is epoch 0), so t = epoch · "
                          "steps_per_epoch + step, without subtracting 1."),
        (wrongs["swap"], "You swapped the roles: each epoch contains steps_per_epoch steps, so "
                         "t = epoch · steps_per_epoch + step (not step · steps_per_epoch + epoch)."),
        (wrongs["pow"], "η₀/(1 + d)^t falls exponentially. The 1/t schedule divides by (1 + d·t), a product, "
                        "not a power."),
        (wrongs["noone"], "Keep the 1 in the denominator: η₀/(1 + d·t). Without it the rate is enormous early on "
                          "and undefined at t = 0."),
        (wrongs["sum"], "Adding epoch and step does not count the steps: each epoch has steps_per_epoch of them, "
                        "so t = epoch · steps_per_epoch + step."),
        ([0.0] * len(cases), "Every rate came out 0: use `/`, not the integer division `//`."),
    ], fallback="Compute t = epoch * steps_per_epoch + step and return lr0 / (1 + decay * t).")
    if fb is not None:
        return fb
    return correct(ex, "η_t = η₀/(1 + d·t) with t counting mini-batch steps.")


# -- 6. a mini-batch loop ----------------------------------------------------------------

def _mse_grad(w, X, y):
    return 2 * X.T @ (X @ w - y) / len(X)


def _reference_epoch(w, X, y, lr, batch_size, *, drop_last=False, full=False, sum_grads=False, once=False):
    w = np.array(w, dtype=float)
    n = len(X)
    total = np.zeros_like(w)
    for start in range(0, n, batch_size):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        if drop_last and len(Xb) < batch_size:
            break
        if full:
            Xb, yb = X, y
        g = _mse_grad(w, Xb, yb) * (len(Xb) if sum_grads else 1)
        if once:
            total += g
        else:
            w = w - lr * g
    if once:
        w = w - lr * total / int(np.ceil(n / batch_size))
    return w


def _rows_of(Xb, X):
    """Indices of the rows of ``X`` that make up ``Xb`` (−1 for a row not in X)."""
    Xb = np.atleast_2d(np.asarray(Xb, dtype=float))
    if Xb.ndim != 2 or Xb.shape[1] != X.shape[1]:
        return [-1]
    return [int(np.argmin(np.abs(X - row).sum(axis=1))) if np.min(np.abs(X - row).sum(axis=1)) < 1e-12 else -1
            for row in Xb]


def check_minibatch_epoch(minibatch_epoch):
    """``minibatch_epoch(w, X, y, lr, batch_size, grad_fn)``: one pass over the data in order,
    one update w ← w − lr · grad_fn(w, X_batch, y_batch) per batch, the last batch possibly smaller."""
    ex = "A mini-batch loop"
    rng = np.random.default_rng(6)
    X = rng.normal(size=(10, 2))
    y = X @ np.array([1.5, -0.5]) + 0.1 * rng.normal(size=10)
    w0, lr, bs = np.array([0.0, 0.0]), 0.1, 4          # 10 samples, batches of 4, 4 and 2
    calls = []                                         # (rows of X_batch, len(y_batch), w) per call

    def grad_fn(w, Xb, yb):
        rows = _rows_of(Xb, X)
        w = np.asarray(w, dtype=float)
        calls.append((rows, len(np.atleast_1d(yb)), w.copy()))
        if len(rows) != len(np.atleast_1d(yb)):
            return np.zeros_like(w)                   # reported below, clearer than a broadcasting error
        return _mse_grad(w, np.atleast_2d(np.asarray(Xb, dtype=float)), np.asarray(yb, dtype=float))

    got, fb = call(ex, minibatch_epoch, w0.copy(), X.copy(), y.copy(), lr, bs, grad_fn)
    if fb is not None:
        return fb
    sizes = [len(rows) for rows, _, _ in calls]
    bad_y = [(len(rows), ny) for rows, ny, _ in calls if len(rows) != ny]
    if bad_y:
        return incorrect(ex, f"grad_fn got an X batch of {bad_y[0][0]} rows with {bad_y[0][1]} targets: slice y "
                             "exactly like X, y[start:start + batch_size].")
    expected = _reference_epoch(w0, X, y, lr, bs)
    if isinstance(got, (list, tuple)) or (np.ndim(got) == 2 and len(got) == len(calls)):
        if len(got) == len(calls) and len(calls) > 1:
            return incorrect(ex, f"You returned {len(got)} weight vectors (one per batch?). Return only the "
                                 "final w, after the last batch.")
    fb = check_array_result(ex, got, expected, what="the returned weights")
    if fb is not None:
        return fb
    if close(got, expected) and sizes == [4, 4, 2]:
        return correct(ex, "One update per batch, every sample used once per epoch, the last batch smaller.")
    seen = [r for rows, _, _ in calls for r in rows]
    if sizes == [4, 4]:
        return incorrect(ex, "The last, smaller batch (2 of the 10 samples) was dropped. range(0, n, batch_size) "
                             "reaches it; the slice X[start:start + batch_size] simply comes out shorter.")
    if sizes and all(s == len(X) for s in sizes):
        return incorrect(ex, "Every call to grad_fn got the whole data set: that is full-batch gradient descent. "
                             "Pass the slice X[start:start + batch_size] (and the matching y).")
    if sizes and all(s == 1 for s in sizes):
        return incorrect(ex, "You updated once per sample (batch size 1). Step through the data in chunks of "
                             "batch_size: range(0, n, batch_size).")
    missing = sorted(set(range(len(X))) - set(seen))
    twice = sorted({r for r in seen if seen.count(r) > 1})
    if missing and 0 in missing and len(missing) == 1:
        return incorrect(ex, "The first sample (row 0) was never used: start the loop at 0, "
                             "range(0, len(X), batch_size).")
    if missing:
        return incorrect(ex, f"Rows {missing} of X were never used. One epoch must visit every sample once: "
                             "range(0, len(X), batch_size) and the slice X[start:start + batch_size].")
    if twice:
        return incorrect(ex, f"Rows {twice} were used more than once: the batches overlap. Move the start on by "
                             "batch_size each time: range(0, len(X), batch_size).")
    if seen != list(range(len(X))):
        return incorrect(ex, "You visited every sample once, but not in order (shuffled?). Shuffling is right in "
                             "real training, but this exercise asks for the rows in order so the result can be "
                             "checked: X[0:4], X[4:8], X[8:10].")
    for wrong, message in [
        (_reference_epoch(w0, X, y, lr, bs, once=True),
         "You averaged the batch gradients and made one update at the end of the epoch. Mini-batch SGD "
         "updates the weights after every batch."),
        (_reference_epoch(w0, X, y, -lr, bs), "The update must subtract: w ← w − lr · grad."),
        (_reference_epoch(w0, X, y, lr, bs, sum_grads=True),
         "grad_fn already returns the MEAN gradient of the batch; do not multiply it by the batch size."),
        (w0, "The weights did not change. Assign the update back: w = w - lr * grad_fn(w, Xb, yb)."),
    ]:
        if close(got, wrong):
            return incorrect(ex, message)
    if len(calls) > 1 and all(np.array_equal(w, w0) for _, _, w in calls):
        return incorrect(ex, "grad_fn was always given the starting weights. Update w after each batch and pass "
                             "the current w to the next call: w = w - lr * grad_fn(w, Xb, yb).")
    if sizes == [4, 4, 2]:
        return incorrect(ex, "The batches are right, but the returned w is not: after each batch, "
                             "w = w - lr * grad_fn(w, Xb, yb), and return w after the last one.")
    return incorrect(ex, f"grad_fn saw batches of sizes {sizes}; expected [4, 4, 2] for 10 samples in "
                         "batches of 4, in order.")
