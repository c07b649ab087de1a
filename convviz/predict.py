"""Predict, then reveal: read a student's guess and judge it against the true answer.

The one place that reads and judges guesses, for every page that asks for one (the stride page's
output size, the Parameter counts page's totals, the lesson's AlexNet question); the state and
the reveal on screen are :mod:`ui.common.predict`.

A guessed count is right when it is exact, and close when it is within :data:`CLOSE` (5%) of
the answer: a student who forgot the biases or rounded AlexNet to 60 million has the formula and
the scale; a guess off by a whole layer of VGG's dense part, or by an order of magnitude, is not
"close". A guessed shape (an output height and width) is right only when every size is exact.

A count may be typed the way people write large numbers (:func:`parse_guess`): ``61,100,840``,
``61 100 840``, ``61.1M``, ``60 million``, ``6.1e7``, ``6.1 x 10^7``, and in Korean ``6천만``,
``6100만``, ``6,110만``, ``6만 1706``.

>>> judge(parse_guess("61,706"), 61_706).verdict, judge(60_000, 61_706).verdict, judge(6_000, 61_706).verdict
('exact', 'close', 'low')
>>> judge((5, 5), (5, 4)).verdict, judge((5, 5), (5, 4)).axes
('wrong', (True, False))
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext

from .errors import LayerError

__all__ = ["CLOSE", "MAX_GUESS", "MAX_CHARS", "Answer", "Judgement", "parse_guess", "judge"]

#: Relative error that still counts as close (5%).
CLOSE = 0.05
#: Largest guess read (far above any network here: VGG-16 made dense is about 10^13).
MAX_GUESS = 10**18
#: Longest guess read, in characters (the text boxes hold 40).
MAX_CHARS = 60

#: A number as typed: digits, optionally grouped by three with ``,`` ``_`` ``'`` or a space, an
#: optional decimal part and an optional exponent (``6.1e7``, ``6.1 x 10^7``).
_NUMBER = (r"(?:[0-9]{1,3}(?:[,_' ][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
           r"(?:e[+-]?[0-9]{1,3}|\s*[x×*]\s*10\s*(?:\^|\*\*)\s*[+-]?[0-9]{1,3})?")
#: English (and SI) words for powers of ten after a number: ``60 million``, ``61.1M``, ``60k``.
_SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "mio": 6, "mil": 6, "million": 6, "millions": 6,
           "b": 9, "bn": 9, "billion": 9, "billions": 9, "t": 12, "tn": 12, "trillion": 12}
_ENGLISH = re.compile(rf"(?P<num>{_NUMBER})\s*(?P<scale>[a-z]+)?")
#: Korean number units: 십 백 천 count inside a group of four digits, 만 억 조 close a group.
_SMALL = {"십": 1, "백": 2, "천": 3}
_LARGE = {"만": 4, "억": 8, "조": 12}
_KOREAN_TERM = re.compile(rf"\s*(?P<num>{_NUMBER})?\s*(?P<unit>[십백천만억조])")
_KOREAN_TAIL = re.compile(rf"\s*(?P<num>{_NUMBER})\s*")
#: Words around a guess that do not change it ("about 60 million parameters", "약 6천만 개").
_BEFORE = re.compile(r"^(?:about|around|approx\.?|approximately|roughly|~|≈|약|대략)\s*")
_AFTER = re.compile(r"\s*(?:parameters|parameter|params|weights|개)$")
#: Spaces as typed or pasted: no-break, thin and narrow no-break spaces count as spaces.
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


def _refuse(code: str, message: str, value: str, **params: object) -> LayerError:
    return LayerError(f"{message}, got {value!r}", code, param="guess", value=value, **params)


def _number(text: str) -> Decimal:
    """One :data:`_NUMBER` as an exact decimal (``"6.1 x 10^7"`` -> ``Decimal('6.1E+7')``)."""
    text = re.sub(r"[,_' ]", "", text)
    power = re.search(r"[x×*]10(?:\^|\*\*)([+-]?[0-9]+)$", text)
    if power:
        return Decimal(text[:power.start()]).scaleb(int(power.group(1)))
    return Decimal(text)


def _korean(text: str) -> Decimal | None:
    """``6천만`` -> 60,000,000: groups closed by 만/억/조, each made of digits and 십/백/천.

    ``None`` when the text is not such a number, or its units are out of order (``만억``).
    """
    total = group = Decimal(0)
    last_large, last_small, pos = 99, 99, 0
    for m in _KOREAN_TERM.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        value = _number(m.group("num")) if m.group("num") else Decimal(1)
        unit = m.group("unit")
        if unit in _SMALL:
            if _SMALL[unit] >= last_small:
                return None
            last_small = _SMALL[unit]
            group += value.scaleb(_SMALL[unit])
        else:
            if _LARGE[unit] >= last_large:
                return None
            if m.group("num") or last_small == 99:  # "6100만", "만": the number before the unit
                group += value
            total += group.scaleb(_LARGE[unit])
            group, last_large, last_small = Decimal(0), _LARGE[unit], 99
    rest = text[pos:]
    if rest.strip():
        tail = _KOREAN_TAIL.fullmatch(rest)
        if tail is None or last_small != 99:  # "6천 5" is no number
            return None
        group += _number(tail.group("num"))
    return total + group


def parse_guess(text: str) -> int:
    """A typed count as an ``int``, written the way people write large numbers.

    Reads digits with thousands separators (``61,100,840``, ``61 100 840``, ``61_100_840``),
    decimals with a scale word (``61.1M``, ``60 million``, ``61.7 thousand``, ``1.2bn``),
    scientific notation (``6.1e7``, ``6.1 x 10^7``) and Korean units (``6천만``, ``6100만``,
    ``6,110만``, ``6만 1706``, ``1억 2천만``); "about" / "약" before and "parameters" / "개"
    after are ignored. Raises :class:`LayerError` with a code for a student:

    * ``guess_not_count``: not a number read here (``"lots"``, ``"1,5"``, ``"만억"``);
    * ``guess_negative``: below zero;
    * ``guess_not_whole``: a fraction of a parameter (``"2.5"``, ``"1.23456k"``);
    * ``guess_too_large``: above :data:`MAX_GUESS`.

    >>> parse_guess(" 61,706 "), parse_guess("61.1M"), parse_guess("6.1e7"), parse_guess("60 million")
    (61706, 61100000, 61000000, 60000000)
    >>> parse_guess("6천만"), parse_guess("6,110만"), parse_guess("6만 1706"), parse_guess("61 100 840")
    (60000000, 61100000, 61706, 61100840)
    >>> parse_guess("lots")
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: the guess must be a count like 12345, 12,345, 12.3k or 1.2e4, got 'lots'
    """
    raw = str(text)
    value = raw[:40]
    if len(raw) > MAX_CHARS:
        raise _refuse("guess_not_count", "the guess must be a count like 12345, 12,345, 12.3k or 1.2e4", value)
    s = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip().casefold()
    s = _AFTER.sub("", _BEFORE.sub("", s)).strip()
    negative = s[:1] in ("-", "−")
    if negative:
        s = s[1:].lstrip()
    try:
        with localcontext(Context(prec=MAX_CHARS + 20)):  # exact: no input has more digits
            number = _read(s)
    except (InvalidOperation, ValueError, OverflowError):
        number = None
    if number is None:
        raise _refuse("guess_not_count", "the guess must be a count like 12345, 12,345, 12.3k or 1.2e4", value)
    if negative and number != 0:
        raise _refuse("guess_negative", "the guess must be a count >= 0", value)
    if number > MAX_GUESS:
        raise _refuse("guess_too_large", f"the guess must be at most {MAX_GUESS:,}", value, limit=MAX_GUESS)
    if number != number.to_integral_value():
        raise _refuse("guess_not_whole", "the guess must be a whole number of parameters", value)
    return int(number)


def _read(s: str) -> Decimal | None:
    """The number :func:`parse_guess` reads from normalised text, or ``None``."""
    if any(unit in s for unit in (*_SMALL, *_LARGE)):
        return _korean(s)
    m = _ENGLISH.fullmatch(s)
    if m is None:
        return None
    scale = m.group("scale")
    if scale is not None and scale not in _SCALES:
        return None
    return _number(m.group("num")).scaleb(_SCALES.get(scale, 0))


Answer = int | tuple[int, ...]


@dataclass(frozen=True)
class Judgement:
    """How a guess compares with the answer.

    ``verdict``: for a count ``"exact"``, ``"close"`` (within :data:`CLOSE`), ``"low"`` or
    ``"high"``; for a shape ``"exact"`` or ``"wrong"``. ``error``: ``(guess - answer) / answer``
    (0 when exact, ``inf`` when the answer is 0; for a shape the largest such error over its
    sizes). ``axes``: for a shape, whether each size is right (empty for a count).
    """

    guess: Answer
    answer: Answer
    verdict: str
    error: float
    axes: tuple[bool, ...] = ()

    @property
    def right(self) -> bool:
        """Whether the guess counts as right (exact, or close for a count)."""
        return self.verdict in ("exact", "close")

    @property
    def off(self) -> float:
        """How far off the guess is, as a share of the answer (``abs(error)``: ``inf`` when the answer is 0)."""
        return abs(self.error)


def _relative(guess: int, answer: int) -> float:
    if guess == answer:
        return 0.0
    return (guess - answer) / answer if answer else float("inf")


def judge(guess: Answer, answer: Answer, *, close: float = CLOSE) -> Judgement:
    """How a guessed count (an ``int``) or shape (a tuple of sizes) compares with the answer.

    >>> j = judge(62_000, 61_706); j.verdict, round(j.error, 4), j.right
    ('close', 0.0048, True)
    >>> judge(0, 0).verdict, judge(5, 0).verdict
    ('exact', 'high')
    >>> judge((4, 4), (4, 4)).verdict, judge((4, 3), (4, 4)).axes
    ('exact', (True, False))
    """
    if isinstance(answer, tuple):
        guess = tuple(int(g) for g in guess)
        axes = tuple(g == a for g, a in zip(guess, answer, strict=True))
        error = max((abs(_relative(g, a)) for g, a in zip(guess, answer, strict=True)), default=0.0)
        return Judgement(guess, answer, "exact" if all(axes) else "wrong", error, axes)
    error = _relative(guess, answer)
    if error == 0:
        return Judgement(guess, answer, "exact", 0.0)
    if abs(error) <= close:
        return Judgement(guess, answer, "close", error)
    return Judgement(guess, answer, "low" if guess < answer else "high", error)
