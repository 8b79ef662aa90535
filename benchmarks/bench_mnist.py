"""How fast does nnlib train MNIST, against PyTorch, a per-example loop and the FLOP floor?

Trains the same network three ways in one run: 784-100-10, ReLU, softmax
cross-entropy, float32, mini-batches of 128, SGD with learning rate 0.1 and
momentum 0.9:

1. nnlib (``nnlib.train.train`` on a ``Sequential``);
2. PyTorch on the CPU (optional: ``pip install -r requirements-bench.txt``);
3. a per-example backpropagation loop in the style of Michael Nielsen's
   network.py (column vectors, one example at a time, gradients summed over
   the mini-batch): the classic teaching code. It is slow, so only
   ``--per-example`` examples are timed and the epoch time is extrapolated.

It prints medians over ``--repeats`` epochs, the ratios nnlib/PyTorch and
per-example/nnlib, the FLOP floor of one epoch (6 × parameters × 60,000
multiply-adds counted as FLOPs, at the float32 GEMM rate measured in this run on
a large square product), and the training time nnlib's best configuration
needs to reach 98.0 % test accuracy (time spent measuring accuracy excluded).

Goals: nnlib/PyTorch ≤ 0.8; nnlib/floor ≤ 2; per-example/nnlib ≥ 10; 98.0 %
in ≤ 20 s of training. Timings depend on the machine and on what else runs on
it, so the load average is printed next to them; unit tests never time.

    python benchmarks/bench_mnist.py [--repeats 5] [--threads 2] [--per-example 2000]
"""

import argparse
import os
import sys


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed epochs per method (median reported)")
    parser.add_argument("--threads", type=int, default=2, help="BLAS / PyTorch threads")
    parser.add_argument("--per-example", type=int, default=2000, help="examples timed for the per-example loop")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    parser.add_argument("--no-target", action="store_true", help="skip the time-to-98 %% run")
    return parser.parse_args()


ARGS = parse()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):   # before NumPy starts its threads
    os.environ[var] = str(ARGS.threads)

import time  # noqa: E402

import numpy as np  # noqa: E402

from nnlib.data import load_mnist  # noqa: E402
from nnlib.layers import Linear, ReLU, Sequential  # noqa: E402
from nnlib.optim import SGD  # noqa: E402
from nnlib.train import evaluate, train  # noqa: E402

N_IN, N_HIDDEN, N_OUT = 784, 100, 10
BATCH, LR, MOMENTUM = 128, 0.1, 0.9
F32 = np.float32


def load():
    return os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3


def median_time(fn, repeats):
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        fn(r)
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), times


def gemm_rate(n=2048, repeats=5):
    """float32 FLOP/s of one large square matrix product (2 n³ FLOPs)."""
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n), dtype=F32), rng.random((n, n), dtype=F32)
    C = np.empty((n, n), dtype=F32)
    np.matmul(A, B, out=C)                                   # warm-up
    t, _ = median_time(lambda r: np.matmul(A, B, out=C), repeats)
    return 2 * n ** 3 / t


# ----------------------------------------------------------------------------------------- 1. nnlib

def nnlib_model(hidden=N_HIDDEN, seed=0):
    return Sequential([Linear(N_IN, hidden, rng=seed, dtype=F32), ReLU(), Linear(hidden, N_OUT, rng=seed + 1, dtype=F32)])


def bench_nnlib(X, y, repeats):
    model = nnlib_model()
    opt = SGD(model, lr=LR, momentum=MOMENTUM)
    train(model, X[:BATCH * 20], y[:BATCH * 20], optimizer=opt, epochs=1, batch_size=BATCH, progress=False)   # warm-up
    return median_time(lambda r: train(model, X, y, optimizer=opt, epochs=1, batch_size=BATCH, rng=r,
                                       progress=False), repeats), model


# --------------------------------------------------------------------------------------- 2. PyTorch

def bench_torch(X, y, repeats, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(N_IN, N_HIDDEN), torch.nn.ReLU(), torch.nn.Linear(N_HIDDEN, N_OUT))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(np.array(X)), torch.from_numpy(np.array(y))      # writable copies

    def epoch(r, n=len(X)):
        g = torch.Generator().manual_seed(r)
        order = torch.randperm(n, generator=g)
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()

    epoch(0, BATCH * 20)                                     # warm-up
    result = median_time(epoch, repeats)
    with torch.no_grad():
        acc = float((model(Xt[:10000]).argmax(1) == yt[:10000]).float().mean())
    return result, torch.__version__, acc


# ------------------------------------------------------------------- 3. per-example loop (network.py style)

class PerExampleNet:
    """Backpropagation one example at a time, with column vectors, as in Nielsen's network.py.

    weights[l] has shape (n_out, n_in) and activations are columns (n, 1); each
    mini-batch sums the per-example gradients, then takes one momentum step.
    """

    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.weights = [(rng.standard_normal((m, n)) * np.sqrt(2 / n)).astype(F32) for n, m in zip(sizes, sizes[1:])]
        self.biases = [np.zeros((m, 1), F32) for m in sizes[1:]]
        self.vw = [np.zeros_like(w) for w in self.weights]
        self.vb = [np.zeros_like(b) for b in self.biases]

    def backprop(self, x, label):
        a1_in = self.weights[0] @ x + self.biases[0]
        a1 = np.maximum(a1_in, 0)
        z2 = self.weights[1] @ a1 + self.biases[1]
        p = np.exp(z2 - z2.max())
        p /= p.sum()
        delta2 = p
        delta2[label] -= 1                                   # softmax + cross-entropy
        delta1 = (self.weights[1].T @ delta2) * (a1_in > 0)
        return [delta1 @ x.T, delta2 @ a1.T], [delta1, delta2]

    def update_mini_batch(self, X, labels):
        nabla_w = [np.zeros_like(w) for w in self.weights]
        nabla_b = [np.zeros_like(b) for b in self.biases]
        for x, label in zip(X, labels):
            dw, db = self.backprop(x[:, None], label)
            nabla_w = [nw + d for nw, d in zip(nabla_w, dw)]
            nabla_b = [nb + d for nb, d in zip(nabla_b, db)]
        m = len(X)
        for l in range(len(self.weights)):
            self.vw[l] = MOMENTUM * self.vw[l] - (LR / m) * nabla_w[l]
            self.vb[l] = MOMENTUM * self.vb[l] - (LR / m) * nabla_b[l]
            self.weights[l] += self.vw[l]
            self.biases[l] += self.vb[l]

    def epoch(self, X, y, seed=0):
        order = np.random.default_rng(seed).permutation(len(X))
        for start in range(0, len(X), BATCH):
            idx = order[start:start + BATCH]
            self.update_mini_batch(X[idx], y[idx])


def bench_per_example(X, y, n_examples, repeats):
    net = PerExampleNet([N_IN, N_HIDDEN, N_OUT])
    net.epoch(X[:BATCH], y[:BATCH])                          # warm-up
    Xs, ys = X[:n_examples], y[:n_examples]
    t, _ = median_time(lambda r: net.epoch(Xs, ys, seed=r), max(1, min(repeats, 3)))
    return t * len(X) / n_examples


# ------------------------------------------------------------------------------ 4. time to 98 % test accuracy

BEST = dict(hidden=256, lr=0.1, momentum=0.9, batch_size=128, decay_epochs=(3, 5), max_epochs=12)
"""nnlib's best configuration found for reaching 98 % quickly (see benchmarks/README.md)."""


def time_to_target(X, y, X_test, y_test, target=0.98):
    cfg = BEST
    model = nnlib_model(cfg["hidden"], seed=0)
    steps_per_epoch = -(-len(X) // cfg["batch_size"])
    boundaries = [e * steps_per_epoch for e in cfg["decay_epochs"]]
    schedule = lambda t: cfg["lr"] * 0.3 ** sum(t >= b for b in boundaries)   # noqa: E731
    opt = SGD(model, lr=schedule, momentum=cfg["momentum"])
    trained, log = 0.0, []
    for epoch in range(1, cfg["max_epochs"] + 1):
        t0 = time.perf_counter()
        train(model, X, y, optimizer=opt, epochs=1, batch_size=cfg["batch_size"], rng=epoch, progress=False)
        trained += time.perf_counter() - t0
        acc = evaluate(model, X_test, y_test)[1]              # not counted as training time
        log.append((epoch, trained, acc))
        if acc >= target:
            return trained, log
    return None, log


def main():
    threads = ARGS.threads
    print(f"MNIST {N_IN}-{N_HIDDEN}-{N_OUT} ReLU, softmax cross-entropy, float32, batch {BATCH}, "
          f"SGD lr {LR} momentum {MOMENTUM}")
    print(f"machine: {os.cpu_count()} CPUs, {threads} BLAS/PyTorch threads; NumPy {np.__version__}; "
          f"load average at start {' '.join(f'{v:.2f}' for v in load())}")
    X, y, X_test, y_test = load_mnist()
    n_params = N_IN * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_OUT + N_OUT
    rate = gemm_rate()
    floor = 6 * n_params * len(X) / rate
    print(f"float32 GEMM rate (2048 x 2048 x 2048, median of 5): {rate / 1e9:.1f} GFLOP/s")

    (t_nn, all_nn), model = bench_nnlib(X, y, ARGS.repeats)
    acc_nn = evaluate(model, X_test, y_test)[1]
    rows = [("nnlib", t_nn, f"epochs: {' '.join(f'{t:.3f}' for t in all_nn)}; test accuracy after "
                            f"{ARGS.repeats + 1} epochs {acc_nn:.2%}")]
    t_torch = None
    if ARGS.no_torch:
        rows.append(("PyTorch CPU", None, "skipped (--no-torch)"))
    else:
        try:
            (t_torch, all_t), version, acc_t = bench_torch(X, y, ARGS.repeats, threads)
            rows.append((f"PyTorch {version} CPU", t_torch, f"epochs: {' '.join(f'{t:.3f}' for t in all_t)}"))
        except ImportError:
            rows.append(("PyTorch CPU", None, "PyTorch not installed (pip install -r requirements-bench.txt)"))
    t_loop = bench_per_example(X, y, ARGS.per_example, ARGS.repeats)
    rows.append(("per-example loop (network.py style)", t_loop,
                 f"{ARGS.per_example:,} examples timed, extrapolated x{len(X) / ARGS.per_example:g}"))
    rows.append(("FLOP floor", floor, f"6 x {n_params:,} parameters x {len(X):,} = "
                                      f"{6 * n_params * len(X) / 1e9:.1f} GFLOP at the GEMM rate"))

    print(f"\n{'':38s}{'s/epoch':>9s}")
    for name, t, note in rows:
        print(f"{name:38s}{'' if t is None else f'{t:9.3f}':>9s}   {note}")

    print()
    goals = []
    if t_torch is not None:
        goals.append(("nnlib / PyTorch", t_nn / t_torch, "<=", 0.8))
    goals.append(("nnlib / FLOP floor", t_nn / floor, "<=", 2.0))
    goals.append(("per-example / nnlib", t_loop / t_nn, ">=", 10.0))
    for name, value, op, goal in goals:
        ok = value <= goal if op == "<=" else value >= goal
        print(f"{name:38s}{value:9.2f}   goal {op} {goal:g}: {'met' if ok else 'NOT met'}")

    if not ARGS.no_target:
        cfg = BEST
        trained, log = time_to_target(X, y, X_test, y_test)
        print(f"\ntime to 98.0 % test accuracy, nnlib's best configuration: 784-{cfg['hidden']}-10 ReLU, float32, "
              f"batch {cfg['batch_size']}, SGD lr {cfg['lr']} (x0.3 after epochs "
              f"{', '.join(map(str, cfg['decay_epochs']))}), momentum {cfg['momentum']}")
        for epoch, t, acc in log:
            print(f"  epoch {epoch:2d}: {t:6.2f} s of training, test accuracy {acc:.2%}")
        if trained is None:
            print(f"  98.0 % NOT reached in {cfg['max_epochs']} epochs: goal (<= 20 s) NOT met")
        else:
            print(f"  reached 98.0 % after {trained:.2f} s of training: goal (<= 20 s) "
                  f"{'met' if trained <= 20 else 'NOT met'}")
    print(f"\nload average at end {' '.join(f'{v:.2f}' for v in load())}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
