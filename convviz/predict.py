"""Predict, then reveal: read a student's guessed count and judge it against the true one.

A guess is right when it is exact, and close when it is within :data:`CLOSE` (5%) of the
answer: a student who forgot the biases or rounded AlexNet to 60 million has the formula and
the scale; a guess off by a whole layer of VGG's dense part, or by an order of magnitude, is not
"close". The worked count is shown after any guess.

>>> judge(parse_guess("61,706"), 61_706).verdict, judge(60_000, 61_706).verdict, judge(6_000, 61_706).verdict
('exact', 'close', 'low')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import LayerError

__all__ = ["CLOSE", "MAX_GUESS", "Judgement", "parse_guess", "judge"]

#: Relative error that still counts as close (5%).
CLOSE = 0.05
#: Largest guess read (far above any network here: VGG-16 made dense is about 10^13).
MAX_GUESS = 10**18

_DIGITS = re.compile(r"\d{1,19}")


def parse_guess(text: str) -> int:
    """A typed count as an int: digits with optional thousands separators (``,``, ``_``, spaces, ``'``).

    Raises :class:`LayerError` (code ``guess_not_count``) for anything else.

    >>> parse_guess(" 61,706 "), parse_guess("1 000 000"), parse_guess("73_792")
    (61706, 1000000, 73792)
    >>> parse_guess("about 60k")
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: the guess must be a whole number >= 0 like 61706 or 61,706, got 'about 60k'
    """
    value = str(text)[:40]
    digits = re.sub(r"[,_' \u00a0]", "", value.strip())
    if not _DIGITS.fullmatch(digits) or int(digits) > MAX_GUESS:
        raise LayerError(f"the guess must be a whole number >= 0 like 61706 or 61,706, got {value!r}",
                         "guess_not_count", param="guess", value=value)
    return int(digits)


@dataclass(frozen=True)
class Judgement:
    """``verdict``: ``"exact"``, ``"close"`` (within :data:`CLOSE`), ``"low"`` or ``"high"``;
    ``error``: ``(guess - answer) / answer`` (0 for an exact guess, ``inf`` when the answer is 0)."""

    guess: int
    answer: int
    verdict: str
    error: float


def judge(guess: int, answer: int, *, close: float = CLOSE) -> Judgement:
    """How a guess compares with the answer.

    >>> j = judge(62_000, 61_706); j.verdict, round(j.error, 4)
    ('close', 0.0048)
    >>> judge(0, 0).verdict, judge(5, 0).verdict
    ('exact', 'high')
    """
    if guess == answer:
        return Judgement(guess, answer, "exact", 0.0)
    error = (guess - answer) / answer if answer else float("inf")
    if abs(error) <= close:
        return Judgement(guess, answer, "close", error)
    return Judgement(guess, answer, "low" if guess < answer else "high", error)
