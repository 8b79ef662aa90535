"""Layers: the building blocks of a network, batch-first (chapter 07; MNIST in chapter 08).

A network is a chain of layers, and every layer does two things:

``forward(X)``
    computes its output from a batch of inputs, and remembers what the
    backward pass will need;
``backward(dA)``
    receives δ = dL/d(output) — how the loss changes with each of its outputs —
    and returns dL/d(input), the δ of the layer below. A layer with parameters
    also fills their gradients on the way.

Notation (chapter 07). One row per sample: X has shape (n_samples, n_in).

    Linear:       Z = X W + b,     W (n_in, n_out), b (n_out,)
                  dW = Xᵀ δ,   db = δ summed over the batch,   dX = δ Wᵀ
    activation:   A = φ(Z),        dZ = dA ⊙ φ′(Z)   (element by element)

``backward`` *overwrites* ``dW`` and ``db``; it never adds to them. So each
backward pass gives the gradient of that batch alone (``SGD.zero_grad`` is
harmless but not needed).

Number types. A layer computes in one floating-point type, float64 (the
default) or float32 (``dtype=np.float32``: half the memory, about twice the
speed, plenty of precision for training). The rule is simple: **the model's
dtype wins**. An input of another type (float64 data for a float32 model,
integers, lists) is converted to the model's dtype once, on entry, and from
then on everything — outputs, gradients, parameters — stays in that dtype;
nothing is silently widened to float64. Gradients passed to ``backward`` are
converted the same way.
"""

import copy
import numbers

import numpy as np

from .validate import FLOAT_DTYPES, as_float_dtype, as_floats, as_positive_int, as_rng


# --------------------------------------------------------------------------
# Initialisers (chapter 07: why the starting weights matter)
# --------------------------------------------------------------------------

def _init_args(n_in, n_out, rng, dtype):
    return as_positive_int(n_in, "n_in"), as_positive_int(n_out, "n_out"), as_rng(rng), as_float_dtype(dtype)


def normal(n_in, n_out, *, std=0.01, rng=None, dtype=np.float64):
    """W ~ N(0, std²): small random weights of one fixed size, whatever the layer's width."""
    n_in, n_out, rng, dtype = _init_args(n_in, n_out, rng, dtype)
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not np.isfinite(std) or std <= 0:
        raise ValueError(f"std must be a positive number, got {std!r}.")
    W = rng.standard_normal((n_in, n_out), dtype=dtype)
    W *= std
    return W


def he(n_in, n_out, *, rng=None, dtype=np.float64):
    """He et al. (2015): W ~ N(0, 2 / n_in), for layers followed by ReLU.

    ReLU zeroes about half of its inputs, halving the variance of the signal;
    the factor 2 gives it back, so activations keep their size from layer to
    layer instead of shrinking towards 0 or blowing up (chapter 07).
    """
    return normal(n_in, n_out, std=float(np.sqrt(2.0 / as_positive_int(n_in, "n_in"))), rng=rng, dtype=dtype)


def xavier(n_in, n_out, *, rng=None, dtype=np.float64):
    """Glorot and Bengio (2010): W ~ N(0, 2 / (n_in + n_out)), for sigmoid and tanh layers.

    The compromise between keeping the forward signal (variance 1/n_in) and
    the backward gradient (variance 1/n_out) at a steady size.
    """
    n_sum = as_positive_int(n_in, "n_in") + as_positive_int(n_out, "n_out")
    return normal(n_in, n_out, std=float(np.sqrt(2.0 / n_sum)), rng=rng, dtype=dtype)


INITIALISERS = {"he": he, "xavier": xavier, "normal": normal}
"""Name → initialiser, for ``Linear(..., init=name)``."""


# --------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------

class Layer:
    """What every layer shares: input checks, gradient checks and the call syntax.

    Subclasses write ``forward`` and ``backward`` in the notation of chapter 07
    and let ``_check_input`` / ``_check_grad`` say clearly what went wrong.
    """

    dtype = None            # None: keep the dtype of the input (activations)

    def __call__(self, X):
        """``layer(X)`` is ``layer.forward(X)``."""
        return self.forward(X)

    def _check_input(self, X, name="X"):
        dtype = self.dtype or (X.dtype if isinstance(X, np.ndarray) and X.dtype in FLOAT_DTYPES else np.float64)
        X = as_floats(X, name, dtype=dtype)
        if X.ndim != 2:
            hint = " For one sample, pass X.reshape(1, -1)." if X.ndim == 1 else ""
            raise ValueError(f"{name} must be a 2-D batch of shape (n_samples, n_features), one row per sample; "
                             f"got shape {X.shape}.{hint}")
        return X

    def _check_grad(self, d, name, cached):
        """``d`` = dL/d(output) must match the output of the last forward pass."""
        if cached is None:
            raise ValueError(f"{self!r}.backward was called before forward: run forward(X) first, so the layer "
                             f"knows the input its gradient depends on.")
        d = as_floats(d, name, dtype=cached.dtype)
        if d.shape != self._out_shape:
            raise ValueError(f"{name} must have the shape of this layer's last output, {self._out_shape}; "
                             f"got {d.shape}.")
        return d

    def parameters(self):
        """Name → parameter array (empty for layers without parameters)."""
        return {}

    def gradients(self):
        """Name → gradient array (None before the first backward pass)."""
        return {}

    def astype(self, dtype):
        """A copy of the layer computing in ``dtype`` (float32 or float64)."""
        new = copy.copy(self)
        new.__dict__.update({k: None for k in self._cache})
        return new

    _cache = ()


class Linear(Layer):
    """A fully connected layer: Z = X W + b (chapter 07).

    ``Linear(n_in, n_out, rng=0)`` maps a batch X (n_samples, n_in) to
    Z (n_samples, n_out). W has shape (n_in, n_out) and starts random (``init``:
    ``"he"`` by default, ``"xavier"``, ``"normal"``, or a function
    ``init(n_in, n_out, rng=..., dtype=...)``); b starts at zero. ``rng`` is a
    seed (same seed, same weights) or None for fresh randomness. ``dtype`` is
    np.float64 (default) or np.float32; inputs are converted to it on entry.

    After ``backward(dZ)``: dW = Xᵀ δ, db = Σ_rows δ, and the return value is
    dX = δ Wᵀ, where δ = dZ = dL/dZ.
    """

    _cache = ("X", "_out_shape")

    def __init__(self, n_in, n_out, *, init="he", rng=None, dtype=np.float64):
        n_in, n_out = as_positive_int(n_in, "n_in"), as_positive_int(n_out, "n_out")
        self.dtype = as_float_dtype(dtype)
        if isinstance(init, str):
            if init not in INITIALISERS:
                raise ValueError(f"init must be one of {sorted(INITIALISERS)} or a function, got {init!r}.")
            init = INITIALISERS[init]
        elif not callable(init):
            raise TypeError(f"init must be the name of an initialiser ({', '.join(sorted(INITIALISERS))}) "
                            f"or a function init(n_in, n_out, rng=..., dtype=...), got {type(init).__name__}.")
        W = init(n_in, n_out, rng=as_rng(rng), dtype=self.dtype)
        if not (isinstance(W, np.ndarray) and W.shape == (n_in, n_out)):
            raise ValueError(f"init must return an array of shape ({n_in}, {n_out}), got "
                             f"{getattr(W, 'shape', type(W).__name__)}.")
        self.W = as_floats(W, "the initial W", dtype=self.dtype)
        self.b = np.zeros(n_out, dtype=self.dtype)
        self.dW = self.db = None
        self.X = self._out_shape = None

    @property
    def n_in(self):
        return self.W.shape[0]

    @property
    def n_out(self):
        return self.W.shape[1]

    def forward(self, X):
        """Z = X W + b for a batch X of shape (n_samples, n_in)."""
        self.X = self._check_input(X)
        Z = self.X @ self.W
        Z += self.b
        self._out_shape = Z.shape
        return Z

    def backward(self, dZ, *, input_grad=True):
        """From δ = dL/dZ: fill dW = Xᵀ δ and db = Σ_rows δ, return dL/dX = δ Wᵀ."""
        dZ = self._check_grad(dZ, "dZ", self.X)
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0)
        if input_grad:                   # False skips dX when nobody needs it (the first layer)
            return dZ @ self.W.T

    def _check_input(self, X, name="X"):
        X = super()._check_input(X, name)
        if X.shape[1] != self.n_in:
            raise ValueError(f"{self!r} expects X of shape (n_samples, {self.n_in}), one row of {self.n_in} "
                             f"features per sample; got shape {X.shape} ({X.shape[1]} features).")
        return X

    def parameters(self):
        return {"W": self.W, "b": self.b}

    def gradients(self):
        return {"W": self.dW, "b": self.db}

    def astype(self, dtype):
        new = super().astype(dtype)
        new.dtype = as_float_dtype(dtype)
        new.W, new.b = self.W.astype(new.dtype), self.b.astype(new.dtype)
        new.dW = None if self.dW is None else self.dW.astype(new.dtype)
        new.db = None if self.db is None else self.db.astype(new.dtype)
        return new

    def __repr__(self):
        kind = "" if self.dtype == np.float64 else ", float32"
        return f"Linear({self.n_in} → {self.n_out}{kind})"


class _Activation(Layer):
    """An element-wise activation A = φ(Z); it keeps the dtype of its input."""

    _cache = ("Z", "A", "_out_shape")

    def __init__(self):
        self.Z = self.A = self._out_shape = None

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """A = max(0, Z); its derivative is 1 where Z > 0 and 0 elsewhere (chapter 04)."""

    def forward(self, Z):
        self.Z = self._check_input(Z, "Z")
        self._out_shape = self.Z.shape
        return np.maximum(self.Z, 0)

    def backward(self, dA):
        """dZ = dA where Z > 0, else 0: the gradient passes only through active units."""
        dA = self._check_grad(dA, "dA", self.Z)
        return dA * (self.Z > 0)


class Sigmoid(_Activation):
    """A = σ(Z) = 1 / (1 + e^(−Z)), with σ′ = σ(1 − σ) ≤ 1/4 (chapters 04 and 07)."""

    def forward(self, Z):
        Z = self._check_input(Z, "Z")
        e = np.exp(-np.abs(Z))                                 # in (0, 1]: never overflows
        self.A = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
        self._out_shape = Z.shape
        return self.A

    def backward(self, dA):
        """dZ = dA ⊙ σ(Z)(1 − σ(Z)), from the output A remembered by forward."""
        dA = self._check_grad(dA, "dA", self.A)
        return dA * self.A * (1 - self.A)


class Tanh(_Activation):
    """A = tanh(Z), with tanh′ = 1 − tanh² (chapter 04)."""

    def forward(self, Z):
        self.A = np.tanh(self._check_input(Z, "Z"))
        self._out_shape = self.A.shape
        return self.A

    def backward(self, dA):
        """dZ = dA ⊙ (1 − A²)."""
        dA = self._check_grad(dA, "dA", self.A)
        return dA * (1 - self.A * self.A)


class Sequential(Layer):
    """Layers applied one after another: the whole network as one function (chapter 07).

        model = Sequential([Linear(784, 100, rng=0), ReLU(), Linear(100, 10, rng=1)])
        Z = model.forward(X)          # X (n, 784) -> Z (n, 10)
        dX = model.backward(dZ)       # fills dW, db of every Linear; returns dL/dX

    ``backward`` goes through the layers in reverse order, each passing its
    dL/d(input) down as the δ of the layer below: that is backpropagation.
    With ``input_grad=False`` it skips the last product (dL/dX of the data,
    which training never uses) and returns None.
    """

    def __init__(self, layers):
        if isinstance(layers, Layer) or not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of layers such as [Linear(2, 3), ReLU(), Linear(3, 1)], "
                            f"got {type(layers).__name__}.")
        if not layers:
            raise ValueError("layers is empty: a Sequential needs at least one layer.")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                hint = " (did you forget the brackets, ReLU() instead of ReLU?)" if isinstance(layer, type) else ""
                raise TypeError(f"layers[{i}] must be a layer such as Linear(...) or ReLU(), "
                                f"got {layer!r}{hint}.")
        linear = [(i, layer) for i, layer in enumerate(layers) if isinstance(layer, Linear)]
        for (i, a), (j, b) in zip(linear, linear[1:]):
            if a.n_out != b.n_in:
                raise ValueError(f"layers[{j}] {b!r} takes {b.n_in} inputs, but layers[{i}] {a!r} gives "
                                 f"{a.n_out} outputs; they must agree.")
        dtypes = {layer.dtype for layer in layers if layer.dtype is not None}
        if len(dtypes) > 1:
            raise ValueError(f"all layers must compute in one dtype, got {sorted(str(d) for d in dtypes)}; "
                             f"build every Linear with the same dtype=.")
        self.layers = list(layers)
        self.dtype = dtypes.pop() if dtypes else None

    def forward(self, X):
        """Apply each layer in turn: X → layer 0 → layer 1 → ... → output."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dA, *, input_grad=True):
        """Backpropagation: hand δ from the last layer down to the first; returns dL/dX."""
        first, *rest = self.layers
        for layer in reversed(rest):
            dA = layer.backward(dA)
        if isinstance(first, (Linear, Sequential)):
            return first.backward(dA, input_grad=input_grad)
        dX = first.backward(dA)
        return dX if input_grad else None

    def parameters(self):
        """Name → array for every parameter: "0.W", "0.b", "2.W", ... (index in ``layers``)."""
        return {f"{i}.{name}": p for i, layer in enumerate(self.layers) for name, p in layer.parameters().items()}

    def gradients(self):
        """Name → gradient, with the same names as :meth:`parameters`."""
        return {f"{i}.{name}": g for i, layer in enumerate(self.layers) for name, g in layer.gradients().items()}

    @property
    def n_parameters(self):
        """How many numbers the network learns."""
        return sum(p.size for p in self.parameters().values())

    def astype(self, dtype):
        """A copy of the whole network computing in ``dtype``."""
        return Sequential([layer.astype(dtype) for layer in self.layers])

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __repr__(self):
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"
