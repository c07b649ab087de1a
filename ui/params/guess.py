"""Predict, then reveal on the Parameter Counts page: the total first, one layer's count, then the worked sum.

The state, the judging and the verdict are the app's one implementation (:mod:`ui.common.predict`,
judged by :mod:`convviz.predict`); this module says what is guessed and what the worked answer is.
"""
from __future__ import annotations

import streamlit as st

from convviz.nets import Summary
from convviz.numbers import format_count, format_percent, format_shape
from convviz.predict import CLOSE
from ui.common import keys
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.predict import count_guess
from ui.params.options import Options
from ui.params.words import formula_numbers


def worked_total(summary: Summary) -> str:
    """Markdown: each layer with parameters and its formula, then the sum of their counts."""
    rows = [r for r in summary.leaves if r.params]
    lines = [t("params.predict.row", name=r.name, formula=formula_numbers(r.formula), n=format_count(r.params))
             for r in rows]
    terms = " + ".join(format_count(r.params) for r in rows) or "0"
    return "\n".join(lines) + "\n\n" + t("params.predict.total", terms=terms, total=format_count(summary.total_params))


def row_guess(summary: Summary, opts: Options) -> None:
    """In predict mode: guess one layer's count first, then see its formula (:mod:`ui.common.predict`)."""
    rows = {r.path: r for r in summary.leaves if r.params}  # path: a layer inside a block has its own
    if not opts.predict or not rows:
        return
    with st.expander(t("params.predict.row_title"), icon=":material/help:"):
        path = choice("selectbox", t("params.predict.row_pick"), list(rows), key=keys.PARAMS_GUESS_ROW,
                      format_func=lambda p: rows[p].name)
        row = rows[path]
        st.caption(t("params.predict.row_hint", shape=format_shape(row.input_shape)))
        judgement = count_guess(keys.PARAMS_GUESS_ROW_VALUE, (path, row.layer, row.input_shape), row.params,
                                label=t("params.predict.row_guess", name=row.name), prefix="params.predict")
        if judgement is not None:
            st.markdown(t("params.predict.row", name=row.name, formula=formula_numbers(row.formula),
                          n=format_count(row.params)))


def reveal(summary: Summary, opts: Options) -> bool:
    """In predict mode: the guess box, then right / close / wrong (:mod:`ui.common.predict`). Whether the
    counts may be shown: always outside predict mode, else once a guess of this table is in."""
    if not opts.predict:
        return True
    # The guess belongs to the counted stack: another preset, shape or table edit asks again.
    return count_guess(keys.PARAMS_GUESS, (summary.input_shape, tuple(r.layer for r in summary.rows)),
                       summary.total_params, label=t("params.predict.guess"), prefix="params.predict",
                       help=t("params.predict.guess_help", close=format_percent(CLOSE)),
                       waiting=t("params.predict.waiting")) is not None


def worked(summary: Summary, opts: Options, *, shown: bool) -> None:
    """In predict mode, once a guess is in: the worked sum under the revealed totals."""
    if opts.predict and shown:
        with st.expander(t("params.predict.worked"), expanded=True):
            st.markdown(worked_total(summary))
