"""nnlib.surfaces and nnlib.optim: exact gradients, trajectories, divergence, theory, SGD."""

import warnings

import numpy as np
import pytest

from nnlib.optim import (SGD, constant, convergence_rate, exponential_decay, inverse_time_decay, momentum_update,
                         momentum_update_, predicted_rate, quadratic_theory, step_decay, trajectory)
from nnlib.surfaces import SURFACES_1D, SURFACES_2D, get_surface, quadratic, ravine

ALL = [*SURFACES_1D.values(), *SURFACES_2D.values()]


def numeric_grad(s, x, h=1e-6):
    x = np.atleast_1d(np.asarray(x, dtype=float))
    g = np.zeros_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        a, b = (x + e, x - e) if s.dim == 2 else (float(x[0] + h), float(x[0] - h))
        g[i] = (s.f(a) - s.f(b)) / (2 * h)
    return g


# -- surfaces -------------------------------------------------------------------

def test_registries_hold_the_required_surfaces():
    assert {"parabola", "double_well", "plateau_cliff"} <= set(SURFACES_1D)
    assert {"bowl", "ravine", "banana", "saddle", "two_minima"} <= set(SURFACES_2D)


@pytest.mark.parametrize("s", ALL, ids=lambda s: s.name)
def test_gradient_matches_finite_differences(s):
    rng = np.random.default_rng(0)
    for _ in range(5):
        lo = np.array([b[0] for b in s.box])
        hi = np.array([b[1] for b in s.box])
        x = lo + (hi - lo) * rng.random(s.dim)
        x = float(x[0]) if s.dim == 1 else x
        assert np.allclose(np.atleast_1d(s.grad(x)), numeric_grad(s, x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("s", ALL, ids=lambda s: s.name)
def test_minima_are_stationary_and_start_is_in_the_box(s):
    for m in s.minima:
        assert np.allclose(np.atleast_1d(s.grad(m)), 0, atol=1e-8)
    start = np.atleast_1d(s.start)
    for x, (lo, hi) in zip(start, s.box):
        assert lo <= x <= hi
    # the global minimum is listed first
    assert s.f(s.minima[0]) == min(s.f(m) for m in s.minima)


def test_double_well_has_a_deeper_global_minimum_behind_a_curb():
    s = SURFACES_1D["double_well"]
    (g, l) = s.minima
    assert g < 0 < l and s.f(g) < s.f(l) - 0.5
    curb = max(s.f(x) for x in np.linspace(g, l, 200))
    assert curb > s.f(l) + 0.3          # a real barrier between the wells


def test_plateau_is_flat_and_cliff_is_steep():
    s = SURFACES_1D["plateau_cliff"]
    assert abs(s.grad(-2.0)) < 0.2 and abs(s.grad(0.5)) > 2.5


def test_quadratics_carry_their_hessian():
    for name in ("parabola", "bowl", "ravine"):
        s = get_surface(name)
        assert s.is_quadratic
        H = np.atleast_2d(s.hessian)
        x = np.ones(s.dim) * 0.7
        g = s.grad(float(x[0]) if s.dim == 1 else x)
        assert np.allclose(np.atleast_1d(g), H @ x)
    assert get_surface("banana").hessian is None
    r = ravine(50)
    assert np.allclose(sorted(np.linalg.eigvalsh(r.hessian)), [1 / 50, 1])


def test_surface_grid_shapes():
    xs, fs = SURFACES_1D["parabola"].grid(50)
    assert xs.shape == fs.shape == (50,)
    X, Y, F = SURFACES_2D["banana"].grid(30)
    assert X.shape == Y.shape == F.shape == (30, 30)


@pytest.mark.parametrize("bad, err, words", [
    ("nope", ValueError, "unknown surface"),
    (3, TypeError, "name"),
])
def test_get_surface_rejects_bad_names(bad, err, words):
    with pytest.raises(err, match=words):
        get_surface(bad)


def test_get_surface_checks_dimension():
    with pytest.raises(ValueError, match="'banana' is a 2-D surface"):
        get_surface("banana", dim=1)
    with pytest.raises(ValueError, match="unknown surface"):
        get_surface("bananas", dim=1)
    with pytest.raises(ValueError, match="2-D"):
        get_surface(SURFACES_1D["parabola"], dim=2)


@pytest.mark.parametrize("x, err", [([1.0, 2.0, 3.0], ValueError), (np.nan, ValueError), ("a", TypeError),
                                    ([np.nan, 1.0], ValueError)])
def test_surface_evaluation_validates_points(x, err):
    s = SURFACES_2D["bowl"] if isinstance(x, list) else SURFACES_1D["parabola"]
    with pytest.raises(err):
        s.f(x)
    with pytest.raises(err):
        s.grad(x)


def test_bad_quadratics_and_ravines_are_refused():
    with pytest.raises(ValueError, match="symmetric"):
        quadratic([[1, 2], [0, 1]])
    with pytest.raises(ValueError, match="positive definite"):
        quadratic([[1, 0], [0, -1]])
    with pytest.raises(ValueError, match="shape"):
        quadratic(np.eye(3))
    with pytest.raises(ValueError, match="kappa"):
        ravine(0.5)
    with pytest.raises(TypeError, match="kappa"):
        ravine("ten")
    with pytest.raises(ValueError, match="kappa"):
        ravine(np.nan)
    with pytest.raises(ValueError, match="start"):
        quadratic(np.eye(2), start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="box"):
        quadratic(np.eye(2), box=(1.0, 2.0))
    with pytest.raises(ValueError, match="low < high"):
        quadratic(np.eye(2), box=((1.0, 0.0), (0.0, 1.0)))


# -- the update rule ------------------------------------------------------------------

def test_momentum_update_is_the_documented_rule():
    x, v = momentum_update(np.array([1.0, 2.0]), np.array([0.5, 0.0]), np.array([2.0, -4.0]), 0.1, 0.9)
    assert np.allclose(v, 0.9 * np.array([0.5, 0.0]) - 0.1 * np.array([2.0, -4.0]))
    assert np.allclose(x, np.array([1.0, 2.0]) + v)
    x, v = momentum_update(3.0, 0.0, 6.0, 0.5)        # plain GD: x - lr * grad
    assert x == 0.0 and v == -3.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_in_place_rule_gives_the_same_numbers_as_momentum_update(dtype, momentum):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 3)).astype(dtype)
    v = np.zeros_like(x)
    x_ref, v_ref = x.copy(), v.copy()
    scratch = np.empty_like(x)
    for _ in range(5):
        g = rng.normal(size=x.shape).astype(dtype)
        x_ref, v_ref = momentum_update(x_ref, v_ref, g, 0.05, momentum)
        momentum_update_(x, v, g, 0.05, momentum, scratch=scratch)
        assert np.array_equal(x, x_ref) and np.array_equal(v, v_ref)     # identical, not merely close
    assert x.dtype == dtype and x_ref.dtype == dtype


def test_sgd_and_trajectory_follow_the_same_rule():
    """SGD on f(θ) = ½‖θ‖² (gradient θ) retraces the trajectory on the bowl, number for number."""
    layer = Dense(2, 1)
    layer.W = np.array([[1.5], [-0.8]])
    layer.b = None
    run = trajectory(quadratic(np.eye(2), start=(1.5, -0.8)), lr=0.1, momentum=0.5, steps=6)
    opt = SGD(layer, lr=0.1, momentum=0.5)
    path = [layer.W[:, 0].copy()]
    for _ in range(6):
        layer.dW = layer.W.copy()                  # ∇ of ½‖θ‖² is θ
        opt.step()
        path.append(layer.W[:, 0].copy())
    assert np.array_equal(np.array(path), run.points)


# -- trajectories -----------------------------------------------------------------------------

def test_parabola_threshold_is_one():
    # x_{t+1} = (1 - 2 lr) x_t: converges iff |1 - 2 lr| < 1
    for lr in (0.1, 0.5, 0.9, 0.99):
        run = trajectory("parabola", 2.0, lr=lr, steps=500)
        assert not run.diverged and abs(run.final) < 1e-3
    run = trajectory("parabola", 2.0, lr=1.0, steps=50)          # bounces between ±2 for ever
    assert not run.diverged and np.allclose(np.abs(run.points), 2.0)
    run = trajectory("parabola", 2.0, lr=1.2, steps=200)
    assert run.diverged and run.diverged_at is not None and run.diverged_at < 200
    assert np.all(np.isfinite(run.points)) and len(run.points) == run.steps_taken + 1


def test_points_follow_the_exact_recursion():
    run = trajectory("parabola", 1.5, lr=0.3, steps=10)
    assert np.allclose(run.points, 1.5 * (1 - 2 * 0.3) ** np.arange(11))
    assert np.allclose(run.losses, run.points ** 2)


def test_double_well_plain_gd_sticks_and_momentum_escapes():
    s = SURFACES_1D["double_well"]
    gd = trajectory(s, 2.5, lr=0.05, momentum=0.0, steps=100)
    mom = trajectory(s, 2.5, lr=0.05, momentum=0.9, steps=100)
    assert abs(gd.final - s.minima[1]) < 1e-3 and gd.nearest_minimum() == 1
    assert abs(mom.final - s.minima[0]) < 0.05 and mom.nearest_minimum() == 0


@pytest.mark.parametrize("lr, momentum, start", [(3.0, 0.99, None), (3.0, 0.0, (6.0, -6.0)), (1e-4, 0.99, (6.0, 6.0))])
def test_extreme_runs_never_warn_or_overflow(lr, momentum, start):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in SURFACES_2D:
            run = trajectory(name, start, lr=lr, momentum=momentum, steps=300)
            assert np.all(np.isfinite(run.points)) and np.all(np.isfinite(run.losses))
            if run.diverged:
                assert 1 <= run.diverged_at <= 300


def test_trajectory_accepts_a_schedule():
    run = trajectory("parabola", 1.0, lr=step_decay(0.4, drop=0.5, every=2), steps=4)
    assert np.allclose(run.lrs, [0.4, 0.4, 0.2, 0.2])
    expected = 1.0 * (1 - 0.8) ** 2 * (1 - 0.4) ** 2
    assert np.isclose(run.points[-1], expected)


@pytest.mark.parametrize("kwargs, err, words", [
    (dict(lr=-0.1), ValueError, "lr"),
    (dict(lr=0.0), ValueError, "lr"),
    (dict(lr="big"), TypeError, "lr"),
    (dict(lr=0.1, momentum=1.0), ValueError, "below 1"),
    (dict(lr=0.1, momentum=-0.2), ValueError, "momentum"),
    (dict(lr=0.1, steps=2.5), TypeError, "steps"),
    (dict(lr=0.1, steps=0), ValueError, "steps"),
    (dict(lr=lambda t: -0.1), ValueError, "schedule <lambda> returned -0.1 at step t=0"),
    (dict(lr=np.nan), ValueError, "lr"),
    (dict(lr=np.inf), ValueError, "lr"),
    (dict(lr=None), TypeError, "lr"),
    (dict(lr=0.1, momentum=True), TypeError, "momentum"),
    (dict(lr=0.1, steps="10"), TypeError, "steps"),
    (dict(lr=0.1, steps=10**9), ValueError, "at most"),          # would run for hours: refused at once
    (dict(lr=0.1, escape=0.5), ValueError, "escape"),
])
def test_trajectory_rejects_bad_options(kwargs, err, words):
    with pytest.raises(err, match=words):
        trajectory("bowl", **kwargs)


@pytest.mark.parametrize("surface, start, err", [
    ("bowl", [np.nan, 1.0], ValueError), ("bowl", [1.0, 2.0, 3.0], ValueError), ("parabola", np.nan, ValueError),
    ("parabola", [1.0, 2.0], TypeError), ("nope", None, ValueError),
])
def test_trajectory_rejects_bad_start_or_surface(surface, start, err):
    with pytest.raises(err):
        trajectory(surface, start, lr=0.1)


# -- rates and theory --------------------------------------------------------------------------

def test_convergence_rate_of_a_geometric_sequence():
    assert np.isclose(convergence_rate(0.8 ** np.arange(40)), 0.8)
    assert np.isnan(convergence_rate([1.0, 0.5]))
    with pytest.raises(ValueError):
        convergence_rate(np.ones((3, 3)))


def test_quadratic_theory_numbers_for_the_ravine():
    th = quadratic_theory(ravine(10).hessian)
    assert np.isclose(th["kappa"], 10) and np.isclose(th["lr_max"], 2.0)
    assert np.isclose(th["lr_opt"], 2 / 1.1) and np.isclose(th["rate_gd"], 9 / 11)
    sk = np.sqrt(10)
    assert np.isclose(th["momentum_opt"], ((sk - 1) / (sk + 1)) ** 2)
    assert np.isclose(th["rate_momentum"], (sk - 1) / (sk + 1))
    assert quadratic_theory("ravine")["kappa"] == th["kappa"]


@pytest.mark.parametrize("kappa", [4.0, 10.0, 50.0])
def test_measured_rates_match_theory(kappa):
    s = ravine(kappa)
    th = quadratic_theory(s.hessian)
    gd = trajectory(s, lr=th["lr_opt"], steps=150)
    assert abs(gd.rate() - th["rate_gd"]) < 0.01
    hb = trajectory(s, lr=th["lr_opt_momentum"], momentum=th["momentum_opt"], steps=150)
    assert abs(hb.rate() - th["rate_momentum"]) < 0.05 and hb.rate() < gd.rate()
    for lr, mu in ((0.5, 0.0), (0.5, 0.6), (1.5, 0.3)):
        run = trajectory(s, lr=lr, momentum=mu, steps=400)
        assert abs(run.rate() - predicted_rate(s.hessian, lr, mu)) < 0.02


def test_above_two_over_lambda_max_diverges():
    th = quadratic_theory("ravine")
    assert trajectory("ravine", lr=th["lr_max"] * 1.05, steps=300).diverged
    assert not trajectory("ravine", lr=th["lr_max"] * 0.95, steps=300).diverged
    assert predicted_rate("ravine", th["lr_max"] * 1.05) > 1


def test_theory_rejects_non_quadratics_and_bad_matrices():
    with pytest.raises(ValueError, match="not a quadratic"):
        quadratic_theory("banana")
    with pytest.raises(ValueError, match="square"):
        quadratic_theory(np.ones((2, 3)))
    with pytest.raises(ValueError, match="positive definite"):
        quadratic_theory([[1.0, 0.0], [0.0, -2.0]])
    with pytest.raises(ValueError, match="momentum"):
        predicted_rate("bowl", 0.1, 1.5)


# -- schedules ----------------------------------------------------------------------------------

def test_schedules():
    assert constant(0.3)(100) == 0.3
    s = step_decay(1.0, drop=0.1, every=3)
    assert [s(t) for t in range(7)] == pytest.approx([1, 1, 1, 0.1, 0.1, 0.1, 0.01])
    e = exponential_decay(0.5, rate=0.9)
    assert e(2) == pytest.approx(0.5 * 0.81)
    inv = inverse_time_decay(0.1, decay=0.001)
    assert inv(0) == 0.1 and inv(1000) == pytest.approx(0.05)


@pytest.mark.parametrize("make, err", [
    (lambda: step_decay(0.1, drop=1.5), ValueError), (lambda: step_decay(0.1, every=0), ValueError),
    (lambda: exponential_decay(0.1, rate=0.0), ValueError), (lambda: inverse_time_decay(-1.0), ValueError),
    (lambda: inverse_time_decay(0.1, decay=-1), ValueError), (lambda: constant(0.1)(-1), ValueError),
    (lambda: constant(0.1)(1.5), ValueError), (lambda: constant(None), TypeError),
])
def test_schedules_reject_bad_input(make, err):
    with pytest.raises(err):
        make()


# -- SGD for networks (with a stand-in layer: nnlib.layers arrives in chapter 07) ----------------

class Dense:
    def __init__(self, n_in, n_out, seed=0):
        rng = np.random.default_rng(seed)
        self.W = rng.normal(size=(n_in, n_out))
        self.b = np.zeros(n_out)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)


class NoWeights:
    pass


class Model:
    def __init__(self, layers):
        self.layers = layers


def test_sgd_updates_in_place_with_momentum():
    layer = Dense(3, 2)
    W = layer.W                        # the same array object must be updated
    W0 = W.copy()
    opt = SGD(Model([layer, NoWeights()]), lr=0.1, momentum=0.9)
    layer.dW[...] = 1.0
    layer.db[...] = -2.0
    opt.step()
    assert layer.W is W and np.allclose(W, W0 - 0.1)
    assert np.allclose(layer.b, 0.2)
    opt.step()                         # velocity: 0.9 * (-0.1) - 0.1 = -0.19
    assert np.allclose(W, W0 - 0.1 - 0.19)
    opt.zero_grad()
    assert np.all(layer.dW == 0) and np.all(layer.db == 0)


def test_sgd_accepts_lists_single_layers_and_schedules():
    a, b = Dense(2, 2, 1), Dense(2, 1, 2)
    opt = SGD([a, b], lr=inverse_time_decay(0.1, decay=1.0))
    assert opt.lr == 0.1
    opt.step()
    assert opt.lr == 0.05 and opt.t == 1
    assert len(SGD(a).layers) == 1


def test_sgd_trains_a_linear_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    w_true = np.array([[1.0], [-2.0], [0.5]])
    Y = X @ w_true + 0.3
    layer = Dense(3, 1)
    opt = SGD(layer, lr=0.1, momentum=0.5)
    for _ in range(300):
        opt.zero_grad()
        err = X @ layer.W + layer.b - Y
        layer.dW[...] = X.T @ err * 2 / len(X)
        layer.db[...] = 2 * err.mean(axis=0)
        opt.step()
    assert np.allclose(layer.W, w_true, atol=1e-3) and np.allclose(layer.b, 0.3, atol=1e-3)


def test_sgd_rejects_bad_models_and_options():
    with pytest.raises(TypeError, match="weights W"):
        SGD(NoWeights())
    with pytest.raises(TypeError, match="weights W"):
        SGD([])
    with pytest.raises(ValueError, match="below 1"):
        SGD(Dense(2, 2), momentum=1.0)
    with pytest.raises(ValueError, match="lr"):
        SGD(Dense(2, 2), lr=-1)
    layer = Dense(2, 2)
    layer.dW = None
    with pytest.raises(ValueError, match="backward"):
        SGD(layer).step()
    layer.dW = np.zeros((3, 3))
    with pytest.raises(ValueError, match="shape"):
        SGD(layer).step()


def test_sgd_accepts_any_function_of_t_as_schedule():
    layer = Dense(2, 1)
    W0 = layer.W.copy()
    opt = SGD(layer, lr=lambda t: 0.1 / (1 + t))
    assert opt.lr == 0.1
    layer.dW[...] = 1.0
    opt.step()
    opt.step()
    assert opt.t == 2 and np.isclose(opt.lr, 0.1 / 3)
    assert np.allclose(layer.W, W0 - 0.1 - 0.05)


@pytest.mark.parametrize("schedule, words", [
    (lambda t: -0.1, "returned -0.1 at step t=0"),
    (lambda t: None, "returned None at step t=0"),
    (lambda t: "0.1", "returned '0.1'"),
    (lambda t: float("nan"), "returned nan"),
    (lambda t: 0.1 if t < 1 else 0.0, "returned 0.0 at step t=1"),
])
def test_sgd_checks_what_a_schedule_returns(schedule, words):
    layer = Dense(2, 1)
    opt = SGD(layer, lr=schedule)
    with pytest.raises(ValueError, match="schedule") as info:
        for _ in range(3):
            opt.step()
    assert words in str(info.value) and "positive number" in str(info.value)


def test_sgd_refuses_weights_it_cannot_update_in_place():
    layer = Dense(2, 1)
    layer.W = [[1.0], [2.0]]                                   # a Python list: used to crash inside NumPy
    with pytest.raises(TypeError, match="parameter W is a list.*in place"):
        SGD(layer)
    layer = Dense(2, 1)
    layer.W = np.array([[1], [2]])                             # integers: steps would be truncated
    with pytest.raises(TypeError, match="parameter W holds int64.*truncated"):
        SGD(layer)
    layer = Dense(2, 1)
    opt = SGD(Model([layer]))
    layer.W = layer.W.tolist()                                 # replaced after the optimizer was built
    with pytest.raises(TypeError, match="parameter 0.W is a list"):
        opt.step()


def test_sgd_names_the_parameter_with_a_non_finite_gradient_and_changes_nothing():
    a, b = Dense(2, 3, 1), Dense(3, 1, 2)
    opt = SGD(Model([a, NoWeights(), b]), lr=0.1, momentum=0.9)
    before = [a.W.copy(), a.b.copy(), b.W.copy(), b.b.copy()]
    a.dW[...] = 1.0
    b.db[0] = np.nan
    with pytest.raises(ValueError, match=r"gradient of 2\.b \(db\) has 1 NaN or infinite"):
        opt.step()
    assert all(np.array_equal(x, y) for x, y in zip(before, [a.W, a.b, b.W, b.b]))   # nothing moved
    b.db[0] = np.inf
    with pytest.raises(ValueError, match="2.b"):
        opt.step()
    b.db[0] = 0.0
    opt.step()
    assert np.allclose(a.W, before[0] - 0.1)


def test_sgd_weight_decay_shrinks_weights_geometrically():
    layer = Dense(3, 2)
    W0, b0 = layer.W.copy(), layer.b + 1.0
    layer.b[...] = b0
    opt = SGD(layer, lr=0.1, weight_decay=0.5)
    for _ in range(4):                     # zero loss gradient: only the decay term λθ acts
        opt.step()
    assert np.allclose(layer.W, W0 * (1 - 0.1 * 0.5) ** 4)
    assert np.allclose(layer.b, b0 * (1 - 0.1 * 0.5) ** 4)
    with pytest.raises(ValueError, match="weight_decay"):
        SGD(layer, weight_decay=-0.1)


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.9, 1e-3)])
def test_sgd_step_allocates_no_temporary_arrays(momentum, weight_decay):
    import tracemalloc
    layer = Dense(500, 400)                # 1.6 MB per array: a temporary would show plainly
    opt = SGD(layer, lr=0.01, momentum=momentum, weight_decay=weight_decay)
    opt.step()                             # the first step allocates the velocity and scratch buffers
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(3):
            opt.step()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < layer.W.nbytes / 10, f"step() allocated {peak:,} bytes"


def test_sgd_allocation_test_can_fail():
    """The same measurement sees the temporaries of a naive update."""
    import tracemalloc
    W, dW = np.ones((500, 400)), np.ones((500, 400))
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        W = W - 0.01 * dW
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak >= W.nbytes


@pytest.mark.parametrize("args, err", [
    ((np.zeros(2), np.zeros(3), np.zeros(2), 0.1, 0.0), ValueError),
    ((np.zeros(2), np.zeros(2), np.zeros(2), -0.1, 0.0), ValueError),
    ((np.zeros(2), np.zeros(2), np.zeros(2), 0.1, 1.0), ValueError),
    ((np.zeros(2), np.zeros(2), np.zeros(2), "0.1", 0.0), TypeError),
    ((np.zeros(2), np.zeros(2), np.zeros(2), True, 0.0), TypeError),
    ((np.zeros(2), np.zeros(2), np.zeros(2), 0.1, True), TypeError),
    (("a", "b", "c", 0.1, 0.0), TypeError),
    ((None, 0.0, 1.0, 0.1, 0.0), TypeError),
    ((["a", "b"], [0.0, 0.0], [1.0, 1.0], 0.1, 0.0), TypeError),
])
def test_momentum_update_rejects_bad_input(args, err):
    with pytest.raises(err, match="x|v|grad|lr|momentum"):
        momentum_update(*args)


@pytest.mark.parametrize("args, kwargs, err, words", [
    (([1.0, 2.0], np.zeros(2), np.zeros(2), 0.1), {}, TypeError, "x must be a float array"),
    ((np.zeros(2, dtype=int), np.zeros(2), np.zeros(2), 0.1), {}, TypeError, "x must be a float array"),
    ((np.zeros(2), np.zeros(3), np.zeros(2), 0.1), {}, ValueError, "same shape"),
    ((np.zeros(2), np.zeros(2), np.zeros(2), -0.1), {}, ValueError, "lr"),
    ((np.zeros(2), np.zeros(2), np.zeros(2), 0.1, 1.0), {}, ValueError, "below 1"),
    ((np.zeros(2), np.zeros(2), np.zeros(2), 0.1), {"scratch": None}, TypeError, "scratch"),
])
def test_in_place_rule_rejects_bad_input(args, kwargs, err, words):
    kwargs = {"scratch": np.zeros(2), **kwargs}
    with pytest.raises(err, match=words):
        momentum_update_(*args, **kwargs)


def test_momentum_update_accepts_lists_and_leaves_inputs_alone():
    x, v, g = np.array([1.0, 2.0]), np.array([0.5, 0.0]), np.array([1.0, -1.0])
    x_new, v_new = momentum_update(x, v, g, 0.1, 0.9)
    assert np.allclose(v_new, [0.35, 0.1]) and np.allclose(x_new, [1.35, 2.1])
    assert np.array_equal(x, [1.0, 2.0]) and np.array_equal(v, [0.5, 0.0])       # nothing changed in place
    x_l, v_l = momentum_update([1.0, 2.0], [0.5, 0.0], [1.0, -1.0], 0.1, 0.9)
    assert np.allclose(x_l, x_new) and np.allclose(v_l, v_new)


def test_grid_and_get_surface_validate():
    with pytest.raises(TypeError, match="n"):
        SURFACES_1D["parabola"].grid(2.5)
    with pytest.raises(ValueError, match="dim"):
        get_surface("bowl", dim=3)
