"""The perceptron (Rosenblatt, 1958) and its learning rule. Chapter 02.

Prediction for one sample x (a row of X):

    z = x · w + b          (weighted sum plus bias)
    ŷ = step(z)            (1 if z > 0, else 0)

Learning rule, applied to one sample at a time:

    w ← w + η (y − ŷ) x
    b ← b + η (y − ŷ)

When the prediction is right, y − ŷ = 0 and nothing changes. When the
perceptron says 0 but should say 1, the weights move towards x; when it says
1 but should say 0, they move away. If the classes can be split by a straight
line, this loop stops making mistakes after finitely many updates (the
perceptron convergence theorem); chapter 03 shows what happens when they can't.

A single neuron has a weight *vector* w of shape (n_inputs,) and a scalar b.
(In a layer of many neurons these become the matrix W and vector b.)

Chapter 03 adds what one line cannot do and how several neurons get around it:

* ``Perceptron.fit`` also counts the updates (``updates_``, the number the
  convergence theorem bounds by (R/γ)²) and notices a cycle (``cycle_``): with
  the samples visited in a fixed order, once (w, b) at the end of an epoch
  equals an earlier end-of-epoch state, training repeats itself forever.
* :class:`OneVsRestPerceptron` — one perceptron per class, all trained at once
  with Z = X W + b, W of shape (n_inputs, n_classes); the predicted class is
  the one whose perceptron has the largest weighted sum, argmax_k Z[:, k].
* :func:`step_layers` — perceptrons in layers, A = step(A_prev W + b), for the
  hand-set two-layer network that computes XOR.
"""

import numpy as np

from .activations import step
from .validate import (_describe, as_array, as_float_dtype, as_floats, as_label, as_labels, as_matrix, as_number,
                       as_positive_int, as_rng, same_length)


class Perceptron:
    """A single binary-step neuron trained with the perceptron rule.

    >>> from nnlib.data import logic_gate
    >>> X, y = logic_gate("AND")
    >>> Perceptron(2).fit(X, y, epochs=10, lr=1.0).predict(X)
    array([0, 0, 0, 1])
    """

    def __init__(self, n_inputs, *, w=None, b=0.0):
        self.n_inputs = as_positive_int(n_inputs, "n_inputs")
        self.w = np.zeros(self.n_inputs) if w is None else as_array(
            w, "w", ndim=1, shape=(self.n_inputs,)).copy()
        self.b = as_number(b, "b")
        self.history_ = []      # one entry per sample visited by fit()
        self.errors_ = []       # mistakes made in each epoch
        self.updates_ = 0       # updates made by fit(): samples it got wrong, over all epochs
        self.cycle_ = None      # (first epoch, period) when the end-of-epoch states repeat
        self.converged_ = False

    def weighted_sum(self, X):
        """z = X w + b for every row of X; shape (n_samples,)."""
        X = as_matrix(X, "X", n_features=self.n_inputs)
        return X @ self.w + self.b

    def predict(self, X):
        """ŷ = step(X w + b) as int labels 0/1, shape (n_samples,)."""
        return step(self.weighted_sum(X)).astype(np.int64)

    def update(self, x, y, *, lr=1.0):
        """Apply the learning rule to one sample; return the error y − ŷ (−1, 0 or 1).

        ``x`` is one sample of shape (n_inputs,), ``y`` its target 0 or 1 and
        ``lr`` the learning rate η > 0.
        """
        x = as_array(x, "x", ndim=1, shape=(self.n_inputs,))
        y = as_label(y, "y", allowed=(0, 1))
        lr = as_number(lr, "lr", low=0, low_inclusive=False)
        return self._learn(x, y, lr)

    def _learn(self, x, y, lr):
        """The rule itself, on checked inputs: w ← w + η (y − ŷ) x, b ← b + η (y − ŷ)."""
        y_hat = int(x @ self.w + self.b > 0)
        error = y - y_hat
        self.w = self.w + lr * error * x
        self.b = self.b + lr * error
        return error

    def fit(self, X, y, *, epochs=10, lr=1.0, shuffle=False, rng=None):
        """Run the perceptron rule for up to ``epochs`` passes over (X, y).

        Stops early after the first epoch with no mistakes (``converged_`` is
        then True). ``history_`` records w, b and the sample after every update
        so that chapter 02 can replay training one step at a time; ``errors_``
        holds the mistakes of each epoch and ``updates_`` their total.

        Without ``shuffle``, every epoch visits the samples in the same order, so
        the state (w, b) at the end of an epoch decides everything that follows.
        When it equals the state at the end of an earlier epoch, training has
        entered a loop it can never leave: ``cycle_`` is then ``(e, p)``, meaning
        that from epoch e on, every p epochs repeat the previous p exactly
        (chapter 03: XOR). Training still runs all ``epochs``, so ``errors_``
        shows the loop.
        """
        X = as_matrix(X, "X", n_features=self.n_inputs)
        y = as_labels(y, "y", allowed=(0, 1))
        same_length(X, y)
        epochs = as_positive_int(epochs, "epochs")
        lr = as_number(lr, "lr", low=0, low_inclusive=False)
        order_rng = as_rng(rng)
        self.history_ = [dict(epoch=0, index=None, error=0, w=self.w.copy(), b=self.b)]
        self.errors_, self.converged_, self.updates_, self.cycle_ = [], False, 0, None
        seen = {self._state(): 0}              # end-of-epoch state -> epoch (0 = the start)
        for epoch in range(1, epochs + 1):
            order = order_rng.permutation(len(X)) if shuffle else np.arange(len(X))
            mistakes = 0
            for i in order:
                error = self._learn(X[i], int(y[i]), lr)
                mistakes += error != 0
                self.history_.append(dict(epoch=epoch, index=int(i), error=error,
                                          w=self.w.copy(), b=self.b))
            self.errors_.append(int(mistakes))
            self.updates_ += int(mistakes)
            if mistakes == 0:
                self.converged_ = True
                break
            if not shuffle and self.cycle_ is None:
                first = seen.setdefault(self._state(), epoch)
                if first != epoch:
                    self.cycle_ = (first + 1, epoch - first)
        return self

    def _state(self):
        return (*self.w.tolist(), float(self.b))

    def score(self, X, y):
        """Fraction of samples classified correctly: mean of [ŷ_i = y_i]."""
        X = as_matrix(X, "X", n_features=self.n_inputs)
        y = as_labels(y, "y", allowed=(0, 1))
        same_length(X, y)
        return float(np.mean(self.predict(X) == y))

    def __repr__(self):
        return f"Perceptron(w={np.round(self.w, 3).tolist()}, b={self.b:.3g})"


class OneVsRestPerceptron:
    """One perceptron per class, trained side by side: "is it class k, or not?". Chapter 03.

    The k-th column of W (n_inputs, n_classes) and b[k] are the k-th perceptron;
    for a batch, Z = X W + b holds every perceptron's weighted sum. Perceptron k
    learns the targets Y[:, k] = 1 where y = k, else 0, by the perceptron rule
    (all ten of MNIST's at once: one matrix product per batch). Each alone
    answers yes or no; several may say yes, or none. The prediction is the class
    whose perceptron is most sure, argmax_k Z[:, k], which splits the plane (or
    the pixel space) into n_classes regions.

    >>> from nnlib.data import blobs
    >>> X, y = blobs(90, centers=[(-2, 0), (2, 0), (0, 3)], std=0.4)
    >>> OneVsRestPerceptron(2, 3).fit(X, y, epochs=20).score(X, y)
    1.0
    """

    def __init__(self, n_inputs, n_classes, *, dtype=np.float64):
        self.n_inputs = as_positive_int(n_inputs, "n_inputs")
        self.n_classes = as_positive_int(n_classes, "n_classes")
        if self.n_classes < 2:
            raise ValueError(f"n_classes must be at least 2 (one-vs-rest needs classes to tell apart), "
                             f"got {self.n_classes}.")
        self.dtype = as_float_dtype(dtype)
        self.W = np.zeros((self.n_inputs, self.n_classes), dtype=self.dtype)
        self.b = np.zeros(self.n_classes, dtype=self.dtype)
        self.errors_ = []           # samples misclassified by at least one perceptron, per epoch

    def _checked_X(self, X):
        X = as_floats(X, "X", dtype=self.dtype, ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (n_samples, {self.n_inputs}): one column per input, "
                             f"got {X.shape}.")
        return X

    def decision_function(self, X):
        """Z = X W + b: every perceptron's weighted sum, shape (n_samples, n_classes)."""
        X = self._checked_X(X)
        return X @ self.W + self.b

    def predict(self, X):
        """The class whose perceptron has the largest weighted sum: argmax over each row of Z."""
        return np.argmax(self.decision_function(X), axis=1)

    def fit(self, X, y, *, epochs=5, lr=1.0, batch_size=1, shuffle=True, rng=0):
        """Train every perceptron for ``epochs`` passes over (X, y); returns self.

        For each batch (one sample when ``batch_size=1``, the classic rule):
        Y_hat = step(X W + b), E = Y − Y_hat with Y the one-hot targets, then
        W ← W + η Xᵀ E and b ← b + η Σ_rows E. With a batch of several samples
        this adds up the updates each would get from the same W: the batch form
        of the perceptron rule, much faster on MNIST. Training stops early
        after an epoch in which every perceptron is right on every sample.
        """
        X = self._checked_X(X)
        y = as_labels(y, "y", allowed=range(self.n_classes))
        same_length(X, y)
        epochs = as_positive_int(epochs, "epochs")
        lr = as_number(lr, "lr", low=0, low_inclusive=False)
        batch_size = as_positive_int(batch_size, "batch_size")
        order_rng = as_rng(rng)
        Y = (y[:, None] == np.arange(self.n_classes)).astype(self.dtype)
        eta = self.dtype.type(lr)
        self.errors_ = []
        for _ in range(epochs):
            order = order_rng.permutation(len(X)) if shuffle else np.arange(len(X))
            wrong = 0
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                Xb = X[rows]
                E = Y[rows] - (Xb @ self.W + self.b > 0)
                if E.any():
                    wrong += int(np.count_nonzero(E.any(axis=1)))
                    self.W += eta * (Xb.T @ E)
                    self.b += eta * E.sum(axis=0)
            self.errors_.append(wrong)
            if wrong == 0:
                break
        return self

    def score(self, X, y):
        """Fraction of samples whose predicted class (the argmax) is right."""
        X = self._checked_X(X)
        y = as_labels(y, "y")
        same_length(X, y)
        return float(np.mean(self.predict(X) == y))

    def __repr__(self):
        return f"OneVsRestPerceptron(n_inputs={self.n_inputs}, n_classes={self.n_classes})"


def step_layers(X, weights, biases):
    """Perceptrons in layers: A_0 = X, then A_l = step(A_{l−1} W_l + b_l). Chapter 03.

    ``weights`` and ``biases`` hold one W (n_in, n_out) and one b (n_out,) per
    layer; returns the list [A_1, ..., A_L] of every layer's 0/1 outputs, the
    last being the network's answer. With W_1 = [[1, −1], [1, −1]],
    b_1 = (−0.5, 1.5) (an OR and a NAND neuron) and W_2 = [[1], [1]],
    b_2 = (−1.5,) (an AND of the two), the network computes XOR.
    """
    A = as_matrix(X, "X")
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
        raise TypeError(f"weights and biases must be lists with one array per layer, such as [W1, W2] and "
                        f"[b1, b2]; got {_describe(weights)} and {_describe(biases)}.")
    if len(weights) != len(biases) or not weights:
        raise ValueError(f"weights and biases must give one W and one b per layer: got {len(weights)} W and "
                         f"{len(biases)} b.")
    outputs = []
    for layer, (W, b) in enumerate(zip(weights, biases), start=1):
        W = as_array(W, f"W{layer}", ndim=2, shape=(A.shape[1], None))
        b = as_array(b, f"b{layer}", ndim=1, shape=(W.shape[1],))
        A = step(A @ W + b).astype(np.int64)
        outputs.append(A)
    return outputs
