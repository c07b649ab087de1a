"""The handwritten digits shipped with the app, centred or placed at random on a larger canvas, and split.

The data are the UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin and C. Kaynak,
1998; CC BY 4.0), the 1,797 test-set images scikit-learn ships as ``digits.csv.gz``, copied into
``convviz/learn/data/`` (package data; see ``convviz/learn/data/README.md``). Each image is 8 x 8 counts of ink from 0 to 16.

>>> images, labels = load_digits()
>>> images.shape, labels.shape, float(images.max()), labels[:5].tolist()
((1797, 8, 8), (1797,), 1.0, [0, 1, 2, 3, 4])
>>> data = digits_data("shifted", n_train=1000, seed=0)
>>> data.x_train.shape, data.x_test.shape, data.classes
((1000, 1, 16, 16), (797, 1, 16, 16), 10)
"""
from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..checks import check_choice, check_int
from ..errors import TrainingError

__all__ = ["DIGITS_PATH", "DIGIT_COUNT", "PLACEMENTS", "Dataset", "load_digits", "shifted_digits", "centred_digits",
           "split", "digits_data", "validation_split"]

#: The shipped copy of scikit-learn's ``digits.csv.gz`` (64 pixel values and the label per line).
DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
#: How many images it holds.
DIGIT_COUNT = 1797
#: How :func:`digits_data` places a digit on its canvas.
PLACEMENTS = ("shifted", "centred")


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test images with their labels: ``x_*`` ``(N, C, H, W)`` float arrays, ``y_*`` ints.

    ``description`` says how the images were made (a plain dict, for a page or a report).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: int = 10
    description: dict[str, Any] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        """One image's ``(C, H, W)``."""
        return tuple(self.x_train.shape[1:])


@functools.lru_cache(maxsize=1)
def _read() -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(DIGITS_PATH, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    images = (table[:, :64] / 16.0).reshape(-1, 8, 8)
    images.flags.writeable = False
    labels = table[:, 64].copy()
    labels.flags.writeable = False
    return images, labels


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 digits: images ``(1797, 8, 8)`` scaled from 0..16 to 0..1, and their labels 0..9.

    The arrays are read once and shared: read-only.
    """
    return _read()


def shifted_digits(images: np.ndarray | None = None, *, canvas: int = 16, seed: int = 0) -> np.ndarray:
    """Each 8 x 8 digit pasted at a random position of a blank ``canvas x canvas`` image.

    Parameters
    ----------
    images : numpy.ndarray, optional
        ``(N, h, w)`` digits; default all of :func:`load_digits`.
    canvas : int, default 16
        Side of the output images (from the digits' side to 64).
    seed : int, default 0
        The positions (uniform over every place the digit fits) come from ``numpy.random.default_rng(seed)``.

    Returns
    -------
    numpy.ndarray
        ``(N, 1, canvas, canvas)``, one channel as ``Conv2d(1, ...)`` expects.

    Examples
    --------
    >>> out = shifted_digits(np.ones((2, 8, 8)), canvas=10, seed=3)
    >>> out.shape, out.sum(axis=(1, 2, 3)).tolist()
    ((2, 1, 10, 10), [64.0, 64.0])
    """
    images = load_digits()[0] if images is None else images
    n, h, w = images.shape
    side = _canvas(canvas, h, w)
    rng = np.random.default_rng(seed)
    return _paste(images, side, rng.integers(0, side - h + 1, n), rng.integers(0, side - w + 1, n))


def centred_digits(images: np.ndarray | None = None, *, canvas: int = 16) -> np.ndarray:
    """Each digit in the middle of a blank ``canvas x canvas`` image (rounded towards the top left).

    >>> np.argwhere(centred_digits(np.ones((1, 8, 8)), canvas=11)[0, 0])[0].tolist()
    [1, 1]
    """
    images = load_digits()[0] if images is None else images
    n, h, w = images.shape
    side = _canvas(canvas, h, w)
    return _paste(images, side, np.full(n, (side - h) // 2), np.full(n, (side - w) // 2))


def _canvas(canvas: int, h: int, w: int) -> int:
    return check_int(canvas, "canvas", minimum=max(h, w), maximum=64, error=TrainingError)


def _paste(images: np.ndarray, side: int, top: np.ndarray, left: np.ndarray) -> np.ndarray:
    """``images`` on zero ``side x side`` canvases with their top left corners at ``(top, left)``."""
    n, h, w = images.shape
    out = np.zeros((n, 1, side, side), dtype=np.float64)
    rows = top[:, None] + np.arange(h)[None, :]   # (n, h): every image's rows at once, no loop
    cols = left[:, None] + np.arange(w)[None, :]  # (n, w)
    out[np.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]] = images
    return out


def split(count: int, n_train: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random split of ``range(count)``: ``n_train`` training indices and the rest for testing.

    >>> train, test = split(10, 6, seed=0)
    >>> len(train), len(test), sorted(train.tolist() + test.tolist()) == list(range(10))
    (6, 4, True)
    """
    n = check_int(n_train, "n_train", minimum=1, maximum=count - 1, error=TrainingError)
    order = np.random.default_rng(seed).permutation(count)
    return np.sort(order[:n]), np.sort(order[n:])


def digits_data(placement: str = "shifted", *, n_train: int = 1000, canvas: int = 16, seed: int = 0) -> Dataset:
    """The digits as a :class:`Dataset`: placed on a ``canvas`` (at random or centred), split at random.

    Parameters
    ----------
    placement : {"shifted", "centred"}
        ``"shifted"``: each digit at a random position (seeded, fixed for the whole run: the same
        image is at the same place in every epoch); ``"centred"``: every digit in the middle.
    n_train : int, default 1000
        Training images (1 to 1,796); the other images are the test set.
    canvas : int, default 16
    seed : int, default 0
        Seeds both the split and the positions.

    Raises
    ------
    TrainingError
        ``bad_choice`` for an unknown placement; ``too_small`` / ``out_of_range`` for ``n_train``
        or ``canvas`` (zero training images: ``n_train must be between 1 and 1796``).
    """
    check_choice(placement, "placement", PLACEMENTS, error=TrainingError)
    images, labels = load_digits()
    train_idx, test_idx = split(len(images), n_train, seed=seed)
    placed = centred_digits(images, canvas=canvas) if placement == "centred" else \
        shifted_digits(images, canvas=canvas, seed=seed + 1)
    return Dataset(placed[train_idx], labels[train_idx].copy(), placed[test_idx], labels[test_idx].copy(),
                   classes=10, description={"placement": placement, "n_train": int(n_train), "canvas": int(canvas),
                                            "seed": int(seed), "source": "UCI optdigits (scikit-learn copy)"})


def validation_split(data: Dataset, *, n_validation: int, seed: int = 0) -> Dataset:
    """The training images split in two: the returned ``x_test`` / ``y_test`` are a validation set.

    For choosing settings without looking at the test images (which are dropped here).

    >>> val = validation_split(digits_data(n_train=1000, seed=0), n_validation=200)
    >>> val.x_train.shape[0], val.x_test.shape[0], val.description["validation"]
    (800, 200, 200)
    """
    count = len(data.x_train)
    check_int(n_validation, "n_validation", minimum=1, maximum=count - 1, error=TrainingError)
    keep, held = split(count, count - n_validation, seed=seed)
    return Dataset(data.x_train[keep], data.y_train[keep], data.x_train[held], data.y_train[held],
                   classes=data.classes, description={**data.description, "validation": int(n_validation)})
