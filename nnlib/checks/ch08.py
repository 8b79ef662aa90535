"""The exercises of chapter 08 (MNIST), described as data.

Six exercises: accuracy from logits, one-hot encoding, one mini-batch of a shuffled epoch, a
confusion matrix, one step of the 2-vs-9 linear model, and choosing the learning rate from a short
sweep. Each lists the typical mistakes, recognised by what the wrong answer computes: a count
instead of a fraction, the argmax over the wrong axis, a one-hot matrix transposed or shifted by
one, a batch that starts at k instead of k · batch_size, X shuffled but y not, a confusion matrix
with rows and columns swapped, a step uphill, a gradient summed instead of averaged, np.argmin
fooled by a NaN from a diverged run ...
"""

import numpy as np

from .core import Case, Exercise, Mistake

# -- 1. accuracy from logits -------------------------------------------------------------------------------


def _accuracy(Z, y):
    return float(np.mean(np.argmax(Z, axis=1) == y))


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


_Z1 = np.array([[2.0, -1.0, 0.5, 0.1], [-0.3, 1.2, 0.4, -2.0], [0.2, 0.1, -0.5, 1.5], [1.0, 3.0, -1.0, 0.0],
                [-1.5, -0.2, -0.1, -3.0], [0.3, 0.2, 2.2, 0.0]])
_Y1 = np.array([0, 1, 2, 1, 2, 3])
_Z1b = np.array([[-2.0, -3.0, -0.5], [4.0, -1.0, 0.0], [0.5, 0.6, 0.7], [-1.0, 2.0, 1.0], [3.0, 2.5, -4.0]])
_Y1b = np.array([2, 0, 1, 1, 1])

ACCURACY_FROM_LOGITS = Exercise(
    name="accuracy_from_logits",
    title="Accuracy from logits",
    reference=_accuracy,
    cases=[Case(_Z1, _Y1, label="6 samples, 4 classes"), Case(_Z1b, _Y1b, label="5 samples, 3 classes")],
    returns="the accuracy, one number between 0 and 1",
    mistakes=[
        Mistake(lambda Z, y: float(np.sum(np.argmax(Z, axis=1) == y)),
                "You returned the number of correct predictions. Accuracy is the fraction: divide by the number "
                "of samples (np.mean does both at once)."),
        Mistake(lambda Z, y: float(np.mean(np.argmax(Z, axis=1) != y)),
                "That is the error rate, 1 − accuracy: count the predictions that are equal to y."),
        Mistake(lambda Z, y: float(np.mean(np.argmin(Z, axis=1) == y)),
                "You took the smallest logit. The prediction is the class with the LARGEST logit: np.argmax."),
        Mistake(lambda Z, y: float(np.mean(_softmax(Z).max(axis=1))),
                "You averaged the largest confidences. Accuracy compares the predicted class (argmax) with y: "
                "how often is the prediction right, not how sure is the network."),
    ],
    hints=["One prediction per row: the column with the largest logit, Z.argmax(axis=1).",
           "Then the fraction of rows where it equals y."],
    praise="argmax over the classes (axis 1), compared with y, averaged. No softmax needed: it never changes the "
           "argmax.",
)

# -- 2. one-hot encoding -----------------------------------------------------------------------------------


def _one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


ONE_HOT = Exercise(
    name="one_hot",
    title="One-hot encoding",
    reference=_one_hot,
    cases=[Case(np.array([3, 0, 2, 3, 1]), 4, label="five labels, 4 classes"),
           Case(np.array([9, 0, 5]), 10, label="three digits")],
    returns="an array of shape (n_samples, n_classes) with a single 1 in each row",
    mistakes=[
        Mistake(lambda y, k: _one_hot(y, k).T,
                "Your matrix is transposed: (n_classes, n_samples). Batch-first, each ROW is one sample: shape "
                "(n_samples, n_classes)."),
        Mistake(lambda y, k: np.roll(_one_hot(y, k), -1, axis=1),
                "Every 1 is one column too far left (label 0 landed in the last column): you used y − 1, as for "
                "labels counted from 1. Digit labels start at 0, so label y goes to column y."),
        Mistake(lambda y, k: 1 - _one_hot(y, k),
                "Zeros and ones are swapped: the row of label y has a 1 in column y and 0 everywhere else."),
        Mistake(lambda y, k: _one_hot(y, k) * y[:, None],
                "You wrote the label itself into its column; one-hot puts a 1 there (label 0 would vanish)."),
    ],
    hints=["Start with np.zeros((len(y), n_classes)), then set one entry per row: Y[np.arange(len(y)), y] = 1."],
    praise="One row per sample, a single 1 in the column of its label.",
)

# -- 3. one mini-batch of a shuffled epoch -----------------------------------------------------------------


def _get_batch(X, y, order, k, batch_size):
    rows = order[k * batch_size:(k + 1) * batch_size]
    return X[rows], y[rows]


_X3 = np.arange(20.0).reshape(10, 2)
_Y3 = np.arange(10) * 10
_ORDER3 = np.array([7, 2, 9, 0, 4, 1, 8, 5, 3, 6])

MINIBATCH = Exercise(
    name="get_batch",
    title="One mini-batch of a shuffled epoch",
    reference=_get_batch,
    cases=[Case(_X3, _Y3, _ORDER3, 1, 4, label="batch k = 1 of 10 samples in batches of 4"),
           Case(_X3, _Y3, _ORDER3, 2, 4, label="the last batch, k = 2 (only 2 samples left)"),
           Case(_X3, _Y3, _ORDER3[::-1].copy(), 1, 3, label="another order, batches of 3")],
    returns="the pair `(X_batch, y_batch)`",
    parts=("X_batch", "y_batch"),
    mistakes=[
        Mistake(lambda X, y, order, k, bs: _get_batch(X, y, np.arange(len(X)), k, bs),
                "Your batch ignores the shuffled order: it takes rows k·batch_size ... in their original order. Take "
                "the row numbers from `order`: rows = order[k * batch_size:(k + 1) * batch_size]."),
        Mistake(lambda X, y, order, k, bs: (X[order[k:k + bs]], y[order[k:k + bs]]),
                "The batch starts at position k of the order; batch k starts at k · batch_size, so that batches "
                "0, 1, 2, ... do not overlap."),
        Mistake(lambda X, y, order, k, bs: (_get_batch(X, y, order, k, bs)[0], y[k * bs:(k + 1) * bs]),
                "X_batch is right, but y_batch was not shuffled with it: the labels no longer belong to their images. "
                "Index y with the same rows as X.", part=1),
        Mistake(lambda X, y, order, k, bs: (X[k * bs:(k + 1) * bs], _get_batch(X, y, order, k, bs)[1]),
                "y_batch is right, but X_batch was not shuffled with it: index X with the same rows as y.", part=0),
    ],
    hints=["rows = order[k * batch_size:(k + 1) * batch_size]; the slice simply comes out shorter for the last batch.",
           "Return X[rows], y[rows]: the same rows for both."],
    praise="The same shuffled rows for X and y, batch_size at a time; the last batch is simply shorter.",
)

# -- 4. a confusion matrix ---------------------------------------------------------------------------------


def _confusion(y_true, y_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


_YT4 = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 1])
_YP4 = np.array([0, 1, 1, 1, 2, 2, 0, 2, 2, 0])

CONFUSION = Exercise(
    name="confusion",
    title="A confusion matrix",
    reference=_confusion,
    cases=[Case(_YT4, _YP4, 3, label="10 samples, 3 classes"),
           Case(np.array([3, 3, 0, 1, 3]), np.array([3, 0, 0, 3, 1]), 4, label="5 samples, 4 classes")],
    returns="an array of shape (n_classes, n_classes) of counts",
    mistakes=[
        Mistake(lambda t, p, k: _confusion(t, p, k).T,
                "Rows and columns are swapped. Row i is the TRUE class i, column j the PREDICTED class j: "
                "C[true, predicted] += 1."),
        Mistake(lambda t, p, k: _confusion(t, p, k) / np.maximum(_confusion(t, p, k).sum(axis=1, keepdims=True), 1),
                "You divided each row by its total: those are fractions. The exercise asks for the counts."),
        Mistake(lambda t, p, k: np.diag(np.diag(_confusion(t, p, k))),
                "Only the diagonal (the correct answers) is filled: the mistakes are missing. Count every sample in "
                "the cell C[true, predicted], also when the two differ."),
        Mistake(lambda t, p, k: _confusion(t, p, k) - np.diag(np.diag(_confusion(t, p, k))),
                "Only the mistakes are counted; the correct answers belong on the diagonal too."),
    ],
    hints=["C = np.zeros((n_classes, n_classes), dtype=int), then C[t, p] += 1 for every pair (t, p).",
           "np.add.at(C, (y_true, y_pred), 1) does the same without a loop."],
    praise="Row = true class, column = prediction; the diagonal holds the correct answers.",
)

# -- 5. one step of the 2-vs-9 model -----------------------------------------------------------------------


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _step(w, b, X, y, lr, *, sign=1.0, mean=True, squash=True, move_b=True):
    z = X @ w + b
    p = _sig(z) if squash else z
    dz = (p - y) / (len(X) if mean else 1)
    w_new = w - sign * lr * (X.T @ dz)
    b_new = b - sign * lr * dz.sum() if move_b else b
    return w_new, float(b_new)


def _step_2v9(w, b, X, y, lr):
    return _step(w, b, X, y, lr)


_rng = np.random.default_rng(8)
_X5 = _rng.random((6, 5))
_Y5 = np.array([1, 0, 0, 1, 1, 0])
_W5 = _rng.normal(0, 0.5, size=5)

STEP_2V9 = Exercise(
    name="step_2v9",
    title="One step of the 2-vs-9 model",
    reference=_step_2v9,
    cases=[Case(_W5, 0.1, _X5, _Y5, 0.5, label="a batch of 6 images with 5 pixels"),
           Case(np.zeros(5), 0.0, _X5[:4], _Y5[:4], 2.0, label="starting from zero weights")],
    returns="the pair `(w_new, b_new)`",
    parts=("w_new", "b_new"),
    mistakes=[
        Mistake(lambda w, b, X, y, lr: _step(w, b, X, y, lr, sign=-1.0),
                "Your step goes uphill: the gradient points to where the loss grows, so subtract it: "
                "w − lr · dw (and dz = σ(z) − y, prediction minus target)."),
        Mistake(lambda w, b, X, y, lr: _step(w, b, X, y, lr, mean=False),
                "The gradient was summed over the batch, not averaged: the loss is the MEAN over the n samples, so "
                "dz = (σ(z) − y) / n. Otherwise the step grows with the batch size."),
        Mistake(lambda w, b, X, y, lr: _step(w, b, X, y, lr, squash=False),
                "The sigmoid is missing: the confidence is σ(z), and the gradient of the cross-entropy is "
                "(σ(z) − y) / n, not (z − y) / n."),
        Mistake(lambda w, b, X, y, lr: _step(w, b, X, y, lr, move_b=False),
                "w is right, but b did not move: the bias has a gradient too, db = Σ dz.", part=1),
    ],
    hints=["z = X @ w + b;  dz = (sigmoid(z) − y) / n;  dw = X.T @ dz;  db = dz.sum().",
           "Then w − lr · dw and b − lr · db."],
    praise="Predict, compare, gradient, step: the seven steps' middle four in four lines.",
)

# -- 6. choosing the learning rate from a short sweep ------------------------------------------------------


def _pick_lr(lrs, losses):
    lrs, losses = np.asarray(lrs, dtype=float), np.asarray(losses, dtype=float)
    finite = np.isfinite(losses)
    return float(lrs[finite][np.argmin(losses[finite])])


_LRS6 = [0.01, 0.1, 1.0, 10.0, 100.0]
_LOSS6 = [0.69, 0.41, 0.22, float("nan"), float("inf")]
_LRS6b = [0.003, 0.03, 0.3, 3.0]
_LOSS6b = [0.61, 0.25, 0.31, float("nan")]

PICK_LR = Exercise(
    name="pick_lr",
    title="Choosing the learning rate from a short sweep",
    reference=_pick_lr,
    cases=[Case(_LRS6, _LOSS6, label="a sweep where two runs diverged"),
           Case(_LRS6b, _LOSS6b, label="a sweep whose best rate is not the largest stable one")],
    returns="the chosen learning rate, one number",
    mistakes=[
        Mistake(lambda lrs, losses: float(lrs[int(np.argmin(losses))]),
                "You picked a run that diverged: np.argmin returns the position of a NaN when there is one. Leave "
                "out the runs whose loss is not finite (np.isfinite) before taking the minimum."),
        Mistake(lambda lrs, losses: float(np.argmin(np.where(np.isfinite(losses), losses, np.inf))),
                "That is the position of the best run in the list, not its learning rate: return lrs[position]."),
        Mistake(lambda lrs, losses: float(np.nanmin(np.where(np.isfinite(losses), losses, np.nan))),
                "You returned the lowest loss; the question is which learning rate gave it."),
        Mistake(lambda lrs, losses: float(max(lr for lr, l in zip(lrs, losses) if np.isfinite(l))),
                "You picked the largest learning rate that did not diverge. Faster is not always better: choose the "
                "rate whose loss after the short run is lowest."),
    ],
    hints=["Keep only the runs with a finite loss (np.isfinite), then take the learning rate of the smallest loss."],
    praise="The lowest finite loss wins; diverged runs (NaN or inf) are out of the race.",
)

EXERCISES = [ACCURACY_FROM_LOGITS, ONE_HOT, MINIBATCH, CONFUSION, STEP_2V9, PICK_LR]

check_accuracy_from_logits = ACCURACY_FROM_LOGITS.checker
check_one_hot = ONE_HOT.checker
check_get_batch = MINIBATCH.checker
check_confusion = CONFUSION.checker
check_step_2v9 = STEP_2V9.checker
check_pick_lr = PICK_LR.checker
