"""The training loop: mini-batches, history, early stopping, a progress bar, saving weights (chapter 08).

:func:`train` runs the seven steps of chapter 06 for a whole network::

    for each epoch:
        shuffle the training data (seeded) and cut it into mini-batches
        for each batch:  Z = model.forward(X);  loss, dZ = loss_fn(Z, y)
                         model.backward(dZ);   optimizer.step()
        record the epoch's loss and accuracy, and the validation ones

and returns a :class:`History`. :func:`evaluate` measures loss and accuracy
without training; :func:`save_weights` and :func:`load_weights` store the
parameters in a NumPy ``.npz`` file (plain arrays: never pickle).

The progress bar (``tqdm.auto``) is drawn only where someone can watch it:
in a notebook run by a person in JupyterLab (or Notebook, VS Code), or in a
terminal. Tools that run notebooks unattended stay silent, so the bar's
timings never reach a test's comparison or a page of the book:

* the book build sets ``NNLIB_BOOK_BUILD=1`` for its kernels: no bar;
* a kernel knows how each cell was sent. Frontends used by people execute
  with ``store_history`` and ``allow_stdin`` on (``input()`` works there);
  nbclient (the book, nbconvert, papermill) turns ``allow_stdin`` off and
  nbval turns ``store_history`` off: no bar;
* outside a kernel, the bar needs a terminal (stderr is a TTY): not in
  pytest, not in a log file;
* ``NNLIB_PROGRESS=0`` turns the bar off everywhere, ``NNLIB_PROGRESS=1`` on
  everywhere (except in the book build), and ``progress=False`` turns it off
  for one call.
"""

import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import losses as _losses
from .validate import NonFiniteError, as_floats
from .optim import SGD, _parameter_layers
from .validate import as_number, as_positive_int, as_rng, same_length

LOSSES = {"mse": _losses.mse, "binary_cross_entropy": _losses.binary_cross_entropy,
          "softmax_cross_entropy": _losses.softmax_cross_entropy, "sigmoid_mse": _losses.sigmoid_mse}
"""Name → loss function, so ``loss="mse"`` works as well as ``loss=mse``."""


# --------------------------------------------------------------------------
# Accuracy and evaluation
# --------------------------------------------------------------------------

def accuracy(outputs, y, *, threshold=0.5):
    """The fraction of samples whose predicted class is the true one.

    * one column per class, ``outputs`` (n, k ≥ 2): the prediction is the
      column with the largest output; ``y`` holds labels (n,) or one-hot rows (n, k);
    * one output per sample, (n,) or (n, 1): the prediction is 1 when the
      output is above ``threshold`` (0.5 for probabilities; use 0.0 for logits).
    """
    A = as_floats(outputs, "outputs")
    if A.ndim == 2 and A.shape[1] >= 2:
        t = np.asarray(y) if isinstance(y, np.ndarray) else as_floats(y, "y")
        if t.ndim == 2:
            if t.shape != A.shape:
                raise ValueError(f"one-hot y must have the shape of outputs {A.shape}, got {t.shape}.")
            t = t.argmax(axis=1)
        elif t.shape != (len(A),):
            raise ValueError(f"y must hold one label per sample ({len(A)} of them), got shape {t.shape}.")
        return float(np.mean(A.argmax(axis=1) == t))
    if A.ndim > 2 or (A.ndim == 2 and A.shape[1] != 1):
        raise ValueError(f"outputs must have shape (n_samples, n_classes) or (n_samples,), got {A.shape}.")
    threshold = as_number(threshold, "threshold")
    t = as_floats(y, "y").reshape(-1)
    if t.size != A.size:
        raise ValueError(f"y must hold one label per sample ({A.size} of them), got {t.size}.")
    return float(np.mean((A.reshape(-1) > threshold) == (t > 0.5)))


def _n_correct(A, t, threshold):
    """How many predictions are right (no checks: for the training loop, whose data were checked)."""
    if A.ndim == 2 and A.shape[1] >= 2:
        return int(np.count_nonzero(A.argmax(axis=1) == (t.argmax(axis=1) if t.ndim == 2 else t)))
    return int(np.count_nonzero((A.reshape(-1) > threshold) == (t.reshape(-1) > 0.5)))


def _loss_fn(loss):
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)} or a loss function, got {loss!r}.")
        return LOSSES[loss]
    if not callable(loss):
        raise TypeError(f"loss must be a loss function such as softmax_cross_entropy (returning "
                        f"(loss, gradient)), got {type(loss).__name__}.")
    return loss


def _check_model(model):
    if not (hasattr(model, "forward") and hasattr(model, "backward")):
        raise TypeError(f"model must be a network with forward and backward, such as a Sequential, "
                        f"got {type(model).__name__}.")


def _data(model, X, y, name_X="X", name_y="y"):
    """X in the model's dtype (converted once) and y as labels or targets."""
    X = as_floats(X, name_X, ndim=2, dtype=getattr(model, "dtype", None))
    if isinstance(y, np.ndarray) and y.dtype.kind in "iu":
        t = y
    else:
        t = as_floats(y, name_y)
        if t.ndim == 1 and np.all(t == np.round(t)):
            t = t.astype(np.int64)
        elif t.dtype != X.dtype:
            t = t.astype(X.dtype)
    same_length(X, t, name_X, name_y)
    return X, t


def _threshold(loss_fn):
    # the model's outputs are logits for these two losses: σ(z) > 0.5 means z > 0
    return 0.0 if loss_fn in (_losses.binary_cross_entropy, _losses.sigmoid_mse) else 0.5


def _is_classification(t):
    return t.dtype.kind in "iu" or (t.ndim == 2 and np.all((t == 0) | (t == 1)))


def evaluate(model, X, y, *, loss="softmax_cross_entropy", batch_size=1000):
    """``(loss, accuracy)`` of ``model`` on ``(X, y)``, without training.

    The data go through in chunks of ``batch_size`` rows to bound memory;
    the loss is the average over all samples. Accuracy is NaN when ``y`` is
    not class labels (or one-hot rows).
    """
    _check_model(model)
    loss_fn = _loss_fn(loss)
    batch_size = as_positive_int(batch_size, "batch_size")
    X, t = _data(model, X, y)
    classes = _is_classification(t)
    total_loss = correct = 0.0
    for start in range(0, len(X), batch_size):
        out = model.forward(X[start:start + batch_size])
        tb = t[start:start + batch_size]
        total_loss += loss_fn(out, tb)[0] * len(tb)
        if classes:
            correct += accuracy(out, tb, threshold=_threshold(loss_fn)) * len(tb)
    n = len(X)
    return total_loss / n, (correct / n if classes else float("nan"))


# --------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------

@dataclass
class History:
    """What happened during :func:`train`, one entry per epoch.

    ``loss`` and ``accuracy`` are averaged over the epoch's mini-batches (the
    weights change during the epoch, as in Keras); ``val_loss`` and
    ``val_accuracy`` are measured after the epoch, and are empty without
    validation data. ``best_epoch`` (1-based) is the epoch with the lowest
    monitored loss; ``stopped_early`` says whether early stopping ended training.
    """
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    best_epoch: int = None
    stopped_early: bool = False

    @property
    def epochs(self):
        """How many epochs were run."""
        return len(self.loss)

    def __repr__(self):
        if not self.loss:
            return "History(no epochs yet)"
        parts = [f"{self.epochs} epochs", f"loss {self.loss[-1]:.4f}"]
        if not np.isnan(self.accuracy[-1]):
            parts.append(f"accuracy {self.accuracy[-1]:.2%}")
        if self.val_loss:
            parts.append(f"val_loss {self.val_loss[-1]:.4f}")
            if not np.isnan(self.val_accuracy[-1]):
                parts.append(f"val_accuracy {self.val_accuracy[-1]:.2%}")
        if self.stopped_early:
            parts.append(f"stopped early, best epoch {self.best_epoch}")
        return "History(" + ", ".join(parts) + ")"


# --------------------------------------------------------------------------
# The progress bar: only where someone can watch it
# --------------------------------------------------------------------------

def _someone_watching():
    """True in a kernel driven by a person's frontend, or in a terminal (see the module docstring)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        try:
            content = kernel.get_parent("shell").get("content", {})
        except Exception:            # an unknown kernel: stay quiet rather than risk noise
            return False
        return bool(content.get("allow_stdin")) and bool(content.get("store_history"))
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def show_progress(progress=True):
    """Whether :func:`train` draws its progress bar here, for ``progress`` True or False."""
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {type(progress).__name__}.")
    if not progress or os.environ.get("NNLIB_BOOK_BUILD") == "1":
        return False
    forced = os.environ.get("NNLIB_PROGRESS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    return _someone_watching()


class _Bar:
    """A tqdm.auto bar over all mini-batches of the run, or nothing at all."""

    def __init__(self, on, total, epochs):
        self.bar, self.epochs = None, epochs
        if on:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, unit="batch", leave=True, dynamic_ncols=True)

    def epoch(self, e):
        if self.bar is not None:
            self.bar.set_description(f"epoch {e}/{self.epochs}", refresh=False)

    def update(self, n, loss, acc, extra=""):
        if self.bar is not None:
            acc_text = "" if np.isnan(acc) else f", accuracy {acc:.1%}"
            self.bar.set_postfix_str(f"loss {loss:.4f}{acc_text}{extra}", refresh=False)
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------

def train(model, X, y, *, loss="softmax_cross_entropy", optimizer=None, epochs=10, batch_size=64,
          validation=None, shuffle=True, rng=0, early_stopping=None, restore_best=True, progress=True):
    """Train ``model`` on ``(X, y)`` with mini-batch SGD; returns a :class:`History`.

    ``loss`` is a loss function returning ``(loss, gradient)`` (or its name:
    "softmax_cross_entropy", "binary_cross_entropy", "mse"); ``y`` holds what
    it expects (class labels, or one-hot targets for MSE). ``optimizer``
    defaults to ``SGD(model, lr=0.1)``. Each epoch shuffles the samples with
    a generator seeded by ``rng`` (so runs repeat exactly) and cuts them into
    batches of ``batch_size``; the last batch may be smaller.

    ``validation=(X_val, y_val)`` is evaluated after every epoch.
    ``early_stopping=k`` stops when the monitored loss (validation loss, or
    training loss without validation data) has not improved for k epochs,
    and with ``restore_best`` puts back the weights of the best epoch.
    ``progress`` shows a progress bar where someone can watch it (see the
    module docstring); ``progress=False`` never does.

    X is converted to the model's dtype once, before the first epoch.
    """
    _check_model(model)
    loss_fn = _loss_fn(loss)
    epochs = as_positive_int(epochs, "epochs")
    batch_size = as_positive_int(batch_size, "batch_size")
    if early_stopping is not None:
        early_stopping = as_positive_int(early_stopping, "early_stopping")
    for flag, name in ((shuffle, "shuffle"), (restore_best, "restore_best")):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {type(flag).__name__}.")
    show = show_progress(progress)
    rng = as_rng(rng)
    if optimizer is None:
        optimizer = SGD(model, lr=0.1)
    elif not hasattr(optimizer, "step"):
        raise TypeError(f"optimizer must have a step() method, such as SGD(model, lr=0.1), "
                        f"got {type(optimizer).__name__}.")
    X, t = _data(model, X, y)
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise TypeError(f"validation must be a pair (X_val, y_val), got {type(validation).__name__}.")
        X_val, t_val = _data(model, *validation, name_X="X_val", name_y="y_val")
    classes = _is_classification(t)
    threshold = _threshold(loss_fn)
    skip_dX = hasattr(model, "layers")              # a Sequential need not compute dL/dX of the data

    history = History()
    n = len(X)
    n_batches = -(-n // batch_size)
    bar = _Bar(show, epochs * n_batches, epochs)
    best, best_params, waited = np.inf, None, 0
    try:
        with np.errstate(over="ignore", invalid="ignore"):   # divergence is caught below, with a clear message
            for epoch in range(1, epochs + 1):
                bar.epoch(epoch)
                order = rng.permutation(n) if shuffle else np.arange(n)
                mean_loss, acc = _epoch(model, X, t, order, loss_fn, optimizer, batch_size, threshold if classes
                                        else None, skip_dX, bar, epoch)
                history.loss.append(mean_loss)
                history.accuracy.append(acc)
                if validation is not None:
                    vl, va = evaluate(model, X_val, t_val, loss=loss_fn)
                    history.val_loss.append(vl)
                    history.val_accuracy.append(va)
                    bar.update(0, history.loss[-1], history.accuracy[-1],
                               f" | val loss {vl:.4f}" + ("" if np.isnan(va) else f", val accuracy {va:.1%}"))
                monitored = history.val_loss[-1] if validation is not None else history.loss[-1]
                if monitored < best:
                    best, history.best_epoch, waited = monitored, epoch, 0
                    if early_stopping is not None and restore_best:
                        best_params = {name: p.copy() for name, p in _named_parameters(model).items()}
                else:
                    waited += 1
                    if early_stopping is not None and waited >= early_stopping:
                        history.stopped_early = True
                        break
    finally:
        bar.close()
    if history.stopped_early and best_params is not None:
        for name, p in _named_parameters(model).items():
            p[...] = best_params[name]
    return history


def _epoch(model, X, t, order, loss_fn, optimizer, batch_size, threshold, skip_dX, bar, epoch):
    """One pass over the data in the given order; returns the mean loss and accuracy of its batches.

    ``threshold`` is None when the targets are not classes (no accuracy).
    """
    total_loss = correct = 0.0
    n = len(order)
    for k, start in enumerate(range(0, n, batch_size)):
        idx = order[start:start + batch_size]
        Xb, tb = X[idx], t[idx]
        try:
            Z = model.forward(Xb)                                   # predict
            batch_loss, dZ = loss_fn(Z, tb)                         # loss, and δ of the output
            if not np.isfinite(batch_loss):
                raise NonFiniteError(f"the loss is {batch_loss}.")
            if skip_dX:
                model.backward(dZ, input_grad=False)                # gradients
            else:
                model.backward(dZ)
            optimizer.step()                                        # step
        except NonFiniteError as err:            # the data were checked on entry: the numbers blew up
            raise FloatingPointError(f"training diverged in epoch {epoch} (batch {k + 1}): {err} "
                                     f"Try a smaller learning rate.") from None
        total_loss += batch_loss * len(idx)
        if threshold is not None:
            correct += _n_correct(Z, tb, threshold)
        if k % 20 == 19 or start + batch_size >= n:
            seen = min(start + batch_size, n)
            bar.update(k % 20 + 1, total_loss / seen, correct / seen if threshold is not None else np.nan)
    return total_loss / n, (correct / n if threshold is not None else float("nan"))


# --------------------------------------------------------------------------
# Saving and loading weights (.npz: plain arrays, never pickle)
# --------------------------------------------------------------------------

def _named_parameters(model):
    """Name → parameter array: "0.W", "0.b", ... as in ``Sequential.parameters()``."""
    if hasattr(model, "parameters") and callable(model.parameters):
        params = dict(model.parameters())
    else:
        params = {prefix + p: getattr(layer, p) for prefix, layer in _parameter_layers(model)
                  for p in ("W", "b") if getattr(layer, p, None) is not None}
    if not params:
        raise TypeError(f"model has no parameters to save or load (got {type(model).__name__}).")
    for name, p in params.items():
        if not isinstance(p, np.ndarray):
            raise TypeError(f"parameter {name} is a {type(p).__name__}, not a NumPy array.")
    return params


def _as_path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name or a pathlib.Path, got {type(path).__name__}.")
    return Path(path)


def save_weights(model, path):
    """Save every parameter of ``model`` to an ``.npz`` file; returns the path written.

    Each array is stored under its name ("0.W", "0.b", ...). NumPy adds the
    ``.npz`` suffix when ``path`` lacks it.
    """
    params = _named_parameters(model)
    path = _as_path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot save to {path}: the folder {path.parent} does not exist.")
    np.savez(path, **params)
    return path


def load_weights(model, path):
    """Load parameters saved by :func:`save_weights` into ``model``, in place; returns the model.

    Names and shapes must match the model exactly; otherwise nothing is
    loaded and the error lists every difference. Arrays are converted to
    the model's dtype.
    """
    params = _named_parameters(model)
    path = _as_path(path)
    if not path.exists() and path.suffix != ".npz" and path.with_name(path.name + ".npz").exists():
        path = path.with_name(path.name + ".npz")
    if not path.is_file():
        raise FileNotFoundError(f"no weights file {path}.")
    try:
        f = np.load(path, allow_pickle=False)
        if not isinstance(f, np.lib.npyio.NpzFile):        # a single .npy array
            raise ValueError
        with f:
            stored = {name: f[name] for name in f.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError):
        raise ValueError(f"{path} is not a weights file written by save_weights (an .npz archive of "
                         f"arrays).") from None
    problems = [f"missing from the file: {name} {params[name].shape}" for name in params if name not in stored]
    problems += [f"in the file but not in the model: {name} {stored[name].shape}"
                 for name in stored if name not in params]
    problems += [f"{name}: the file has shape {stored[name].shape}, the model {params[name].shape}"
                 for name in params if name in stored and stored[name].shape != params[name].shape]
    problems += [f"{name}: the file holds {stored[name].dtype} values, not numbers"
                 for name in params if name in stored and stored[name].dtype.kind not in "fiu"]
    problems += [f"{name}: the file holds NaN or infinite values"
                 for name in params if name in stored and stored[name].dtype.kind == "f"
                 and not np.all(np.isfinite(stored[name]))]
    if problems:
        raise ValueError(f"the weights in {path} do not fit this model; nothing was loaded:\n  "
                         + "\n  ".join(problems))
    for name, p in params.items():
        p[...] = stored[name]
    return model
