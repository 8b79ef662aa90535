"""The exercises of chapter 06 (gradient descent), described as data.

Each exercise lists its cases, the right answer and the typical mistakes (the gradient added
instead of subtracted, the learning rate forgotten, the momentum sign flipped, λ_min used instead
of λ_max, a factor 2 lost, decay counted per epoch instead of per step ...): a function giving the
wrong answer, and the idea behind it. The mini-batch loop also hands the student a ``grad_fn``
that records every batch it is given, and checks those batches with a custom comparison.
"""

import numpy as np

from .core import Case, Exercise, Mistake
from .reading import Unreadable, agree, numbers

_H = np.array([[3.0, 1.0], [1.0, 2.0]])          # not diagonal: eigenvalues are not the diagonal entries
_H3 = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 1.0]])   # 3-D: diagonal extremes ≠ eigenvalue extremes


def _lo(H):
    return np.linalg.eigvalsh(H).min()


def _hi(H):
    return np.linalg.eigvalsh(H).max()


# -- 1. one gradient-descent step ---------------------------------------------------------------------

GD_STEP = Exercise(
    name="gd_step",
    title="One gradient-descent step",
    reference=lambda x, grad, lr: x - lr * grad,
    cases=[Case(np.array([1.0, -2.0, 0.5]), np.array([4.0, -1.0, 2.0]), 0.1),
           Case(3.0, 6.0, 0.5, label="plain numbers")],      # f(x) = x² at x = 3: one step with η = 0.5 lands at 0
    returns="the new position: an array like x (a plain number when x is one)",
    accept_lists=False,
    in_place="incorrect",
    mistakes=[
        Mistake(lambda x, grad, lr: x + lr * grad,
                "You added the gradient. The gradient points uphill (the direction of steepest ascent); to go down, "
                "step against it: x − η·∇f."),
        Mistake(lambda x, grad, lr: x - grad,
                "You forgot the learning rate: the step is η·∇f, not the whole gradient."),
        Mistake(lambda x, grad, lr: -lr * grad, "You returned only the step −η·∇f. Add it to the current position x."),
        Mistake(lambda x, grad, lr: x - lr, "The step must be proportional to the gradient: x − η·∇f, not x − η."),
        Mistake(lambda x, grad, lr: x - grad / lr, "You divided by the learning rate; multiply instead: x − η·∇f."),
        Mistake(lambda x, grad, lr: x - lr * np.sign(grad),
                "You stepped by η in the direction of −sign(∇f), the same size everywhere. The step must be "
                "proportional to the gradient, so that it shrinks where the slope flattens out."),
        Mistake(lambda x, grad, lr: x - lr * grad / np.linalg.norm(grad),
                "You normalised the gradient to length 1. Plain gradient descent uses the gradient as it is: "
                "x − η·∇f."),
    ],
    hints=["The gradient points uphill; gradient descent takes a small step the other way.",
           "The same line should work for plain numbers and for NumPy arrays."],
    praise="x − η·∇f: a step against the gradient, scaled by the learning rate.",
)

# -- 2. momentum --------------------------------------------------------------------------------------


def _heavy_ball(velocity):
    """A momentum step whose new velocity is ``velocity(v, grad, lr, mu)``, the position following it."""
    def step(x, v, grad, lr, mu):
        v_new = velocity(v, grad, lr, mu)
        return x + v_new, v_new
    return step


_momentum = _heavy_ball(lambda v, g, lr, mu: mu * v - lr * g)
_RULE = "v ← μv − η∇f"

MOMENTUM_STEP = Exercise(
    name="momentum_step",
    title="Momentum",
    reference=_momentum,
    cases=[Case(np.array([1.0, -1.0]), np.array([0.3, 0.2]), np.array([2.0, -4.0]), 0.1, 0.9)],
    returns="the new position and the new velocity, `(x_new, v_new)`",
    parts=("x_new", "v_new"),
    in_place="incorrect",
    mistakes=[
        Mistake(lambda x, v, grad, lr, mu: _momentum(x, v, grad, lr, mu)[::-1],
                "Both values are right but in the wrong order: return the position first, then the velocity.",
                fix="`return x_new, v_new`"),
        Mistake(lambda x, v, grad, lr, mu: (_momentum(x, v, grad, lr, mu)[0], v),
                "The new position is right, but you returned the OLD velocity. Return the new one, so that the next "
                "step can use it."),
        Mistake(lambda x, v, grad, lr, mu: (x + v, _momentum(x, v, grad, lr, mu)[1]),
                "You moved with the OLD velocity. Update v first, then move: x ← x + v_new."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: mu * v + lr * g), part=1,
                message=f"The velocity moves uphill: the gradient term needs a minus sign, {_RULE}."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: -mu * v - lr * g), part=1,
                message=f"The momentum term has the wrong sign: the old velocity is kept, not reversed, so {_RULE} "
                        "(with +μv)."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: mu * v - g), part=1,
                message=f"You forgot to scale the gradient by the learning rate: {_RULE}."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: -lr * g), part=1,
                message="The old velocity is missing: that is plain gradient descent. Keep μ·v in the new velocity."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: v - lr * g), part=1,
                message=f"The old velocity must shrink by the factor μ each step: {_RULE}."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: mu * (v - lr * g)), part=1,
                message=f"Only the old velocity is multiplied by μ: {_RULE}."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: lr * (mu * v - g)), part=1,
                message=f"Only the gradient is scaled by the learning rate: {_RULE}, not η(μv − ∇f)."),
        Mistake(_heavy_ball(lambda v, g, lr, mu: mu * v - (1 - mu) * lr * g), part=1,
                message=f"That is the 'dampened' variant v ← μv − (1 − μ)η∇f. This course (like Polyak's heavy ball "
                        f"and nnlib.optim) uses {_RULE}."),
        Mistake(lambda x, v, grad, lr, mu: (x - _momentum(x, v, grad, lr, mu)[1], _momentum(x, v, grad, lr, mu)[1]),
                "The position moves along the velocity: x ← x + v (the minus sign is already inside v)."),
        Mistake(lambda x, v, grad, lr, mu: (x - lr * grad, _momentum(x, v, grad, lr, mu)[1]),
                "The position ignores the velocity (that is plain gradient descent): x ← x + v_new."),
    ],
    hints=[f"First the new velocity, {_RULE}, then the new position, x ← x + v.",
           "Return both, position first: the next step needs the velocity."],
    praise=f"{_RULE}, then x ← x + v: the ball keeps part of its speed.",
)

# -- 3. divergence threshold --------------------------------------------------------------------------

DIVERGENCE_THRESHOLD = Exercise(
    name="divergence_threshold",
    title="When does gradient descent blow up?",
    reference=lambda H: 2 / _hi(H),
    cases=[Case(_H), Case(np.diag([0.5, 4.0]))],
    returns="the threshold, a single number",
    mistakes=[
        Mistake(lambda H: 1 / _hi(H),
                "Off by a factor 2. Along the steepest direction, x ← (1 − ηλ)x; it diverges when |1 − ηλ| > 1, that "
                "is η > 2/λ, not 1/λ."),
        Mistake(lambda H: 2 / _lo(H),
                "You used the smallest eigenvalue. The steepest direction (λ_max) is the first to blow up, so the "
                "limit is 2/λ_max."),
        Mistake(lambda H: 1 / _lo(H), "You used 1/λ_min. The limit is 2/λ_max: the steepest direction blows up "
                                      "first."),
        Mistake(lambda H: 2 / np.max(np.diag(H)),
                "You used the diagonal of H. The curvatures along the main directions are the eigenvalues of H "
                "(`np.linalg.eigvalsh`), which differ when H is not diagonal."),
        Mistake(lambda H: 2 / np.trace(H),
                "You used the trace (the sum of the eigenvalues). Use the largest eigenvalue alone."),
        Mistake(lambda H: 2 / np.linalg.norm(H),
                "`np.linalg.norm(H)` is the Frobenius norm, √(sum of squared entries), not the largest eigenvalue.",
                fix="`2 / np.linalg.eigvalsh(H).max()`"),
        Mistake(lambda H: 2 / np.mean(np.linalg.eigvalsh(H)),
                "You averaged the eigenvalues. The steepest direction alone decides: 2/λ_max."),
        Mistake(lambda H: 2 // _hi(H),
                "Your answer was rounded down to a whole number: use `/`, not the integer division `//`."),
    ],
    hints=["Along an eigenvector with eigenvalue λ, one step multiplies the error by (1 − ηλ).",
           "Which direction is the first to blow up as η grows?"],
    fallback="For H = {H} the threshold is {expected}; you returned {got}. It is 2 divided by the largest eigenvalue "
             "of H.",
    praise="η < 2/λ_max: the steepest direction sets the limit.",
)

# -- 4. optimal learning rate ---------------------------------------------------------------------------

_BOTH_EXTREMES = ("Only the two extremes matter: η = 2/(λ_min + λ_max). (For a 2×2 matrix the two agree; this one "
                  "is 3×3.)")

OPTIMAL_LR = Exercise(
    name="optimal_lr",
    title="The best learning rate",
    reference=lambda H: 2 / (_lo(H) + _hi(H)),
    cases=[Case(_H3), Case(np.diag([0.1, 1.0]))],
    returns="the learning rate, a single number",
    mistakes=[
        Mistake(lambda H: 1 / (_lo(H) + _hi(H)),
                "Off by a factor 2: the best rate balances |1 − ηλ_min| = |1 − ηλ_max|, which gives "
                "η = 2/(λ_min + λ_max)."),
        Mistake(lambda H: 2 / _hi(H),
                "2/λ_max is where gradient descent stops converging, not the best rate. Balance the slowest and the "
                "fastest direction: η = 2/(λ_min + λ_max)."),
        Mistake(lambda H: 1 / _hi(H),
                "1/λ_max is perfect for the steepest direction only; the best compromise is 2/(λ_min + λ_max)."),
        Mistake(lambda H: 1 / _lo(H), "1/λ_min is too large: the steep direction diverges. Use 2/(λ_min + λ_max)."),
        Mistake(lambda H: 2 / (np.diag(H).min() + np.diag(H).max()),
                "You used the diagonal of H; use its eigenvalues (`np.linalg.eigvalsh`)."),
        Mistake(lambda H: 2 / np.trace(H), f"You added ALL the eigenvalues (that is the trace). {_BOTH_EXTREMES}"),
        Mistake(lambda H: 1 / np.mean(np.linalg.eigvalsh(H)), f"You averaged all the eigenvalues. {_BOTH_EXTREMES}"),
        Mistake(lambda H: 2 / (np.linalg.eigvalsh(H)[0] + np.linalg.eigvalsh(H)[1]),
                "You took the first two eigenvalues, but eigvalsh sorts them from smallest to largest: use the first "
                "and the last.",
                fix="`lam[0] + lam[-1]` (or `lam.min() + lam.max()`)"),
        Mistake(lambda H: (2 / (np.sqrt(_lo(H)) + np.sqrt(_hi(H)))) ** 2,
                "That is the best learning rate to pair with the best momentum. Without momentum it is "
                "2/(λ_min + λ_max)."),
        Mistake(lambda H: 2 // (_lo(H) + _hi(H)),
                "Your answer was rounded down to a whole number: use `/`, not `//`."),
    ],
    hints=["The best η makes the two extreme factors equally bad: |1 − ηλ_min| = |1 − ηλ_max|.",
           "Solve that equation for η (one factor is positive, the other negative)."],
    fallback="For H = {H} the best learning rate is {expected}; you returned {got}. It is 2 / (λ_min + λ_max), with λ "
             "the eigenvalues of H.",
    praise="η* = 2/(λ_min + λ_max): both extreme directions then shrink by (κ − 1)/(κ + 1) per step.",
)

# -- 5. learning-rate decay ----------------------------------------------------------------------------
# The 1/t schedule η_t = η₀ / (1 + d·t), with t counting mini-batch steps, is this course's choice: the
# thesis essay only says that it defined a decay rate for the learn rate, without giving a formula.


def _decay(t_of, rate=lambda lr0, d, t: lr0 / (1 + d * t)):
    """A schedule computing t with ``t_of(epoch, step, steps_per_epoch)`` and the rate with ``rate(lr0, d, t)``."""
    def decayed_lr(lr0, decay, epoch, step, steps_per_epoch):
        return rate(lr0, decay, t_of(epoch, step, steps_per_epoch))
    return decayed_lr


def _steps(epoch, step, steps_per_epoch):
    return epoch * steps_per_epoch + step


_T = "t = epoch · steps_per_epoch + step"

DECAYED_LR = Exercise(
    name="decayed_lr",
    title="Learning-rate decay",
    reference=_decay(_steps),
    cases=[Case(0.1, 0.01, e, s, 50) for e, s in [(0, 0), (0, 10), (3, 7), (20, 49)]],
    returns="the learning rate, a single number",
    mistakes=[
        Mistake(_decay(lambda e, s, spe: e),
                f"You decayed once per epoch. In this course's 1/t schedule t counts mini-batch steps since the "
                f"start of training: {_T}."),
        Mistake(_decay(lambda e, s, spe: s),
                f"Your t restarts at 0 every epoch. Count steps since the start of training: {_T}."),
        Mistake(_decay(_steps, lambda lr0, d, t: lr0 * (1 - d * t)),
                "That is a linear decay, which turns negative eventually. Divide: η₀ / (1 + d·t)."),
        Mistake(_decay(_steps, lambda lr0, d, t: lr0 * (1 - d) ** t),
                "That is an exponential decay. The 1/t schedule divides: η₀ / (1 + d·t)."),
        Mistake(_decay(lambda e, s, spe: _steps(e, s, spe) + 1),
                "Off by one step: the very first step (t = 0) should use the full rate η₀."),
        Mistake(_decay(_steps, lambda lr0, d, t: lr0 * (1 + d * t)),
                "The rate should shrink over time: divide by (1 + d·t), do not multiply."),
        Mistake(_decay(lambda e, s, spe: (e - 1) * spe + s),
                f"Epochs are counted from 0 here (the first epoch is epoch 0), so {_T}, without subtracting 1."),
        Mistake(_decay(lambda e, s, spe: e + s * spe),
                f"You swapped the roles: each epoch contains steps_per_epoch steps, so {_T} (not "
                "step · steps_per_epoch + epoch)."),
        Mistake(_decay(_steps, lambda lr0, d, t: lr0 / (1 + d) ** t),
                "η₀/(1 + d)^t falls exponentially. The 1/t schedule divides by (1 + d·t), a product, not a power."),
        Mistake(_decay(_steps, lambda lr0, d, t: lr0 / (d * t) if t else lr0),
                "Keep the 1 in the denominator: η₀/(1 + d·t). Without it the rate is enormous early on and undefined "
                "at t = 0."),
        Mistake(_decay(lambda e, s, spe: e + s),
                f"Adding epoch and step does not count the steps: each epoch has steps_per_epoch of them, so {_T}."),
        Mistake(_decay(_steps, lambda lr0, d, t: 0.0),
                "Every rate came out 0: use `/`, not the integer division `//`."),
    ],
    hints=[f"First count the mini-batch steps since the start of training: {_T}.",
           "Then divide: η₀ / (1 + d·t). At t = 0 the rate is η₀ itself."],
    fallback="At epoch {epoch}, step {step} (with {steps_per_epoch} steps per epoch) the rate is {expected}; you "
             "returned {got}.",
    praise="η_t = η₀/(1 + d·t) with t counting mini-batch steps.",
)

# -- 6. a mini-batch loop ----------------------------------------------------------------------------------


def _mse_grad(w, X, y):
    return 2 * X.T @ (X @ w - y) / len(X)


class _GradientSpy:
    """The ``grad_fn`` handed to the student's loop: the mean-squared-error gradient of a batch, which
    also writes down every batch it is given (which rows of X, how many targets, which w)."""
    __name__ = "grad_fn"

    def __init__(self, X):
        self.X, self.calls = X, []

    def __call__(self, w, X_batch, y_batch):
        rows, w, y_batch = self._rows(X_batch), self._vector(w), self._numbers(y_batch)
        n_targets = -1 if y_batch is None else y_batch.size
        self.calls.append((rows, n_targets, w))
        if w is None or -1 in rows or len(rows) != n_targets:
            return np.zeros(self.X.shape[1])      # the comparison below explains what went wrong
        return _mse_grad(w, self.X[rows], y_batch.ravel())

    def _rows(self, X_batch):
        """Indices of the rows of X that make up ``X_batch`` (−1 for a row that is not one of them)."""
        Xb = self._numbers(X_batch)
        if Xb is None:
            return [-1]
        Xb = np.atleast_2d(Xb)
        if Xb.ndim != 2 or Xb.shape[1] != self.X.shape[1]:
            return [-1]
        distance = np.abs(self.X[None, :, :] - Xb[:, None, :]).sum(axis=2)
        return [int(np.argmin(d)) if d.min() < 1e-12 else -1 for d in distance]

    @staticmethod
    def _numbers(value):
        try:
            return numbers(value)
        except Unreadable:
            return None

    def _vector(self, w):
        w = self._numbers(w)
        return w if w is not None and w.shape == (self.X.shape[1],) else None


def _minibatch_epoch(w, X, y, lr, batch_size, grad_fn):
    for start in range(0, len(X), batch_size):
        w = w - lr * grad_fn(w, X[start:start + batch_size], y[start:start + batch_size])
    return w


def _one_update_per_epoch(w, X, y, lr, batch_size, grad_fn):
    grads = [grad_fn(w, X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
    return w - lr * np.mean(grads, axis=0)


def _adds_the_gradient(w, X, y, lr, batch_size, grad_fn):
    return _minibatch_epoch(w, X, y, -lr, batch_size, grad_fn)


def _times_batch_size(w, X, y, lr, batch_size, grad_fn):
    for start in range(0, len(X), batch_size):
        Xb = X[start:start + batch_size]
        w = w - lr * len(Xb) * grad_fn(w, Xb, y[start:start + batch_size])
    return w


def _forgets_to_assign(w, X, y, lr, batch_size, grad_fn):
    for start in range(0, len(X), batch_size):
        w - lr * grad_fn(w, X[start:start + batch_size], y[start:start + batch_size])
    return w


def _weights_of_every_batch(w, X, y, lr, batch_size, grad_fn):
    history = []
    for start in range(0, len(X), batch_size):
        w = w - lr * grad_fn(w, X[start:start + batch_size], y[start:start + batch_size])
        history.append(w)
    return history


def _always_the_starting_w(w, X, y, lr, batch_size, grad_fn):
    w0 = w
    for start in range(0, len(X), batch_size):
        w = w - lr * grad_fn(w0, X[start:start + batch_size], y[start:start + batch_size])
    return w


def _batches_verdict(got, expected, w, X, y, lr, batch_size, grad_fn):
    """Were the batches right (every row once, in order, batch_size at a time)? Then compare w."""
    n, calls = len(X), grad_fn.calls
    sizes = [len(rows) for rows, _, _ in calls]
    right_sizes = [min(batch_size, n - s) for s in range(0, n, batch_size)]
    for rows, n_targets, _ in calls:
        if -1 not in rows and len(rows) != n_targets:
            return (f"grad_fn got an X batch of {len(rows)} rows with {n_targets} targets: slice y exactly like X, "
                    "`y[start:start + batch_size]`.")
    seen = [r for rows, _, _ in calls for r in rows]
    if sizes == right_sizes and seen == list(range(n)):
        return agree(got, expected)
    if -1 in seen:
        return "grad_fn was given rows that are not rows of X: pass it slices of X, `X[start:start + batch_size]`."
    if sizes == right_sizes[:-1] and right_sizes[-1] < batch_size:
        return (f"The last, smaller batch ({right_sizes[-1]} of the {n} samples) was dropped. "
                "`range(0, n, batch_size)` reaches it; the slice `X[start:start + batch_size]` simply comes out "
                "shorter.")
    if sizes and all(s == n for s in sizes):
        return ("Every call to grad_fn got the whole data set: that is full-batch gradient descent. Pass a slice of "
                "batch_size rows (and the matching y).")
    if sizes and all(s == 1 for s in sizes):
        return "You updated once per sample (batch size 1). Step through the data in chunks of batch_size."
    missing = sorted(set(range(n)) - set(seen))
    twice = sorted({r for r in seen if seen.count(r) > 1})
    if missing == [0]:
        return "The first sample (row 0) was never used: start the loop at 0, `range(0, len(X), batch_size)`."
    if missing:
        return (f"Rows {missing} of X were never used. One epoch must visit every sample once: "
                "`range(0, len(X), batch_size)` and the slice `X[start:start + batch_size]`.")
    if twice:
        return (f"Rows {twice} were used more than once: the batches overlap. Move the start on by batch_size each "
                "time: `range(0, len(X), batch_size)`.")
    if sorted(seen) == list(range(n)) and seen != list(range(n)):
        return ("You visited every sample once, but not in order (shuffled?). Shuffling is right in real training, "
                "but this exercise asks for the rows in order so that the result can be checked.")
    return f"grad_fn saw batches of sizes {sizes}; expected {right_sizes} for {n} samples in batches of {batch_size}."


_rng = np.random.default_rng(6)
_X = _rng.normal(size=(10, 2))
_y = _X @ np.array([1.5, -0.5]) + 0.1 * _rng.normal(size=10)

MINIBATCH_EPOCH = Exercise(
    name="minibatch_epoch",
    title="A mini-batch loop",
    reference=_minibatch_epoch,
    cases=[Case(np.zeros(2), _X, _y, 0.1, 4, _GradientSpy(_X))],    # 10 samples: batches of 4, 4 and 2
    returns="the final weights w, an array like w",
    compare=_batches_verdict,
    mistakes=[
        Mistake(_one_update_per_epoch,
                "You averaged the batch gradients and made one update at the end of the epoch. Mini-batch SGD "
                "updates the weights after every batch."),
        Mistake(_adds_the_gradient, "The update must subtract: w ← w − lr · grad."),
        Mistake(_times_batch_size,
                "grad_fn already returns the MEAN gradient of the batch; do not multiply it by the batch size."),
        Mistake(_forgets_to_assign,
                "The weights did not change: the update was computed but never assigned back to w.",
                fix="`w = w - lr * grad_fn(w, X_batch, y_batch)`"),
        Mistake(_weights_of_every_batch,
                "You returned the weights after every batch. Return only the final w, after the last batch."),
        Mistake(_always_the_starting_w,
                "grad_fn was always given the starting weights. Update w after each batch and pass the current w to "
                "the next call."),
    ],
    hints=["One update per batch: `w = w - lr * grad_fn(w, X_batch, y_batch)`, with the current w each time.",
           "Return w after the last batch."],
    fallback="The batches are right, but the returned w is not: it should be {expected}, you returned {got}.",
    praise="One update per batch, every sample used once per epoch, the last batch smaller.",
)

EXERCISES = [GD_STEP, MOMENTUM_STEP, DIVERGENCE_THRESHOLD, OPTIMAL_LR, DECAYED_LR, MINIBATCH_EPOCH]

check_gd_step = GD_STEP.checker
check_momentum_step = MOMENTUM_STEP.checker
check_divergence_threshold = DIVERGENCE_THRESHOLD.checker
check_optimal_lr = OPTIMAL_LR.checker
check_decayed_lr = DECAYED_LR.checker
check_minibatch_epoch = MINIBATCH_EPOCH.checker
