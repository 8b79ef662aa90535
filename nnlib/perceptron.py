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
"""

import numpy as np

from .activations import step
from .validate import as_array, as_label, as_labels, as_matrix, as_number, as_positive_int, as_rng, same_length


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
        so that chapter 02 can replay training one step at a time.
        """
        X = as_matrix(X, "X", n_features=self.n_inputs)
        y = as_labels(y, "y", allowed=(0, 1))
        same_length(X, y)
        epochs = as_positive_int(epochs, "epochs")
        lr = as_number(lr, "lr", low=0, low_inclusive=False)
        order_rng = as_rng(rng)
        self.history_ = [dict(epoch=0, index=None, error=0, w=self.w.copy(), b=self.b)]
        self.errors_, self.converged_ = [], False
        for epoch in range(1, epochs + 1):
            order = order_rng.permutation(len(X)) if shuffle else np.arange(len(X))
            mistakes = 0
            for i in order:
                error = self._learn(X[i], int(y[i]), lr)
                mistakes += error != 0
                self.history_.append(dict(epoch=epoch, index=int(i), error=error,
                                          w=self.w.copy(), b=self.b))
            self.errors_.append(int(mistakes))
            if mistakes == 0:
                self.converged_ = True
                break
        return self

    def score(self, X, y):
        """Fraction of samples classified correctly: mean of [ŷ_i = y_i]."""
        X = as_matrix(X, "X", n_features=self.n_inputs)
        y = as_labels(y, "y", allowed=(0, 1))
        same_length(X, y)
        return float(np.mean(self.predict(X) == y))

    def __repr__(self):
        return f"Perceptron(w={np.round(self.w, 3).tolist()}, b={self.b:.3g})"
