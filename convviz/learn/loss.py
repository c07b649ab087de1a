"""Softmax and the mean softmax cross-entropy (``torch.nn.functional.cross_entropy``) with its gradient.

>>> loss, d = cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
>>> round(loss, 6), d
(0.693147, array([[ 0.5, -0.5]]))
"""
from __future__ import annotations

import numpy as np

__all__ = ["log_softmax", "softmax", "cross_entropy"]


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """``log(softmax(logits))`` along the last axis, computed stably (the largest logit subtracted first).

    >>> np.round(log_softmax(np.array([1000.0, 1000.0])), 6)
    array([-0.693147, -0.693147])
    """
    z = logits - logits.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities from scores, along the last axis (each row sums to 1).

    >>> softmax(np.array([[0.0, np.log(3.0)]]))
    array([[0.25, 0.75]])
    """
    return np.exp(log_softmax(logits))


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``(N, K)`` scores against integer ``labels``, and its gradient by the scores.

    The gradient is ``(softmax(logits) - one_hot(labels)) / N``.
    """
    n = logits.shape[0]
    logp = log_softmax(logits)
    rows = np.arange(n)
    loss = -float(logp[rows, labels].mean())
    grad = np.exp(logp)
    grad[rows, labels] -= 1
    grad /= n
    return loss, grad
