"""Predict, then reveal: the one implementation behind every guess the app asks for.

The stride page (the output size), the Parameter counts page (the total, and one layer's count),
the lesson (AlexNet's count) and the Learn page (which network does better) all ask the same way:

* **state**: a guess belongs to the *setting* it was typed for (the stride page's geometry, the
  layer table, the layer). Each guess box remembers a digest of its setting
  (``st.session_state[keys.PREDICTIONS]``); when the setting changes, the guess is cleared and a
  note asks for a new one, so an old guess is never re-graded against a new answer;
* **judging**: :func:`convviz.predict.parse_guess` reads a typed count, :func:`convviz.predict.judge`
  compares it (nothing is judged here);
* **reveal**: :func:`count_guess` / :func:`shape_guess` return the :class:`~convviz.predict.Judgement`
  once a guess is in (``None`` while it is pending, and nothing answer-dependent may be drawn then;
  :func:`masked` writes ``?`` in its place) and show the verdict, right (or close) in green, wrong in red.

A guess never goes into a link: the boxes are not bound to the URL, ``ui.common.urls.NOT_SHARED``
leaves them out of the shared link and ``ui.common.share.begin_run`` drops them, without a notice, from
old links that still carry one (``?stride_guess_h=5``).
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import streamlit as st

from convviz import ConvVizError
from convviz.numbers import format_count, format_percent, format_shape
from convviz.predict import CLOSE, Answer, Judgement, judge, parse_guess
from ui.common import keys
from ui.common.i18n import t
from ui.common.messages import describe

__all__ = ["HIDDEN", "masked", "count_guess", "shape_guess", "option_guess", "option_verdict", "verdict"]

#: What stands in for a number while a guess is pending.
HIDDEN = "?"


def masked(text: str, shown: bool) -> str:
    """``text``, or :data:`HIDDEN` while the guess it would give away is pending.

    >>> masked("61,706", True), masked("61,706", False)
    ('61,706', '?')
    """
    return text if shown else HIDDEN


def _digest(setting: object) -> str:
    """A short, stable name for a setting (its ``repr``: tuples of numbers, names, layers)."""
    return hashlib.sha1(repr(setting).encode()).hexdigest()[:16]


def _clear_if_stale(widget_keys: Sequence[str], setting: object, empty: object) -> bool:
    """Clear the guess boxes ``widget_keys`` if their guess was typed for another setting.

    Called before the boxes are drawn (so their state may still be set). Returns whether a
    typed guess was cleared.
    """
    book: dict[str, str] = st.session_state.setdefault(keys.PREDICTIONS, {})
    digest, name = _digest(setting), widget_keys[0]
    before, book[name] = book.get(name), digest
    if before is None or before == digest:
        return False
    typed = [key for key in widget_keys if st.session_state.get(key) not in (None, "")]
    for key in typed:
        st.session_state[key] = empty
    return bool(typed)


def _text(value: Answer) -> str:
    return format_shape(value) if isinstance(value, tuple) else format_count(value)


def verdict(judgement: Judgement, prefix: str, *, where: Any = None) -> None:
    """Right / close / wrong as a coloured box: the text ``<prefix>.<verdict>`` with ``guess``,
    ``answer``, ``off`` (how far, as a percentage) and ``close`` (the margin) filled in."""
    where = st if where is None else where
    off = format_percent(judgement.off) if judgement.off != float("inf") else "∞"
    message = t(f"{prefix}.{judgement.verdict}", guess=_text(judgement.guess), answer=_text(judgement.answer),
                off=off, close=format_percent(CLOSE))
    if judgement.right:
        where.success(message, icon=":material/check_circle:")
    else:
        where.error(message, icon=":material/cancel:")


def _changed(where: Any) -> None:
    where.info(t("common.predict.changed"), icon=":material/restart_alt:")


def _waiting(where: Any, text: str | None) -> None:
    if text:
        where.info(text, icon=":material/lock:")


def count_guess(key: str, setting: object, answer: int, *, label: str, prefix: str, help: str | None = None,
                waiting: str | None = None, where: Any = None) -> Judgement | None:
    """Ask for a count (a text box read by :func:`~convviz.predict.parse_guess`), then judge and show it.

    Parameters
    ----------
    key : str
        The text box's widget key (never bound to the URL).
    setting : object
        What the guess is about (its ``repr`` is remembered): a different setting clears the guess.
    answer : int
        The true count.
    label, help : str
        The box's label and help.
    prefix : str
        Where the verdicts live: ``<prefix>.exact`` / ``.close`` / ``.low`` / ``.high``.
    waiting : str, optional
        Shown while no guess is in.

    Returns
    -------
    Judgement or None
        ``None`` while the guess is pending (empty, or not a count: a translated message says why).
    """
    where = st if where is None else where
    cleared = _clear_if_stale((key,), setting, "")
    text = where.text_input(label, key=key, help=help, max_chars=40)
    if cleared:
        _changed(where)
    if not (text or "").strip():
        _waiting(where, waiting)
        return None
    try:
        guess = parse_guess(text)
    except ConvVizError as err:
        where.warning(describe(err), icon=":material/edit:")
        return None
    judgement = judge(guess, answer)
    verdict(judgement, prefix, where=where)
    return judgement


def shape_guess(widget_keys: Sequence[str], setting: object, answer: Sequence[int], *, labels: Sequence[str],
                prefix: str, columns: Sequence[Any], waiting: str | None = None,
                where: Any = None) -> Judgement | None:
    """Ask for a shape (one whole-number box per size, in ``columns``), then judge and show it.

    As :func:`count_guess`; the verdicts are ``<prefix>.exact`` and ``<prefix>.wrong``.
    """
    where = st if where is None else where
    cleared = _clear_if_stale(widget_keys, setting, None)
    sizes = [column.number_input(label, min_value=1, max_value=99, value=None, step=1, key=key)
             for column, label, key in zip(columns, labels, widget_keys, strict=True)]
    if cleared:
        _changed(where)
    if any(size is None for size in sizes):
        _waiting(where, waiting)
        return None
    judgement = judge(tuple(int(s) for s in sizes), tuple(int(a) for a in answer))
    verdict(judgement, prefix, where=where)
    return judgement


def option_guess(key: str, setting: object, options: Sequence[Any], *, label: str, format_func: Any,
                 waiting: str | None = None, where: Any = None) -> Any | None:
    """Ask which of ``options`` (radio buttons, none chosen at first); return the choice, or None while pending.

    For an answer that is only known later (the Learn page's: after the training finished): the
    page keeps the returned guess with what it started, and judges it with :func:`option_verdict`
    once the answer is in. As :func:`count_guess`, a different ``setting`` clears the guess.
    """
    where = st if where is None else where
    cleared = _clear_if_stale((key,), setting, None)
    chosen = where.radio(label, list(options), index=None, format_func=format_func, key=key, horizontal=True)
    if cleared:
        _changed(where)
    if chosen is None:
        _waiting(where, waiting)
    return chosen


def option_verdict(guess: Any, answer: Any, prefix: str, *, format_func: Any, where: Any = None) -> bool:
    """Right or wrong as a coloured box: ``<prefix>.right`` / ``<prefix>.wrong`` with ``guess`` and
    ``answer`` (their :func:`format_func` texts) filled in; ``<prefix>.none`` when no guess was made.
    Returns whether the guess was right."""
    where = st if where is None else where
    if guess is None:
        where.info(t(f"{prefix}.none", answer=format_func(answer)), icon=":material/lightbulb:")
        return False
    right = guess == answer
    message = t(f"{prefix}.{'right' if right else 'wrong'}", guess=format_func(guess), answer=format_func(answer))
    if right:
        where.success(message, icon=":material/check_circle:")
    else:
        where.error(message, icon=":material/cancel:")
    return right
