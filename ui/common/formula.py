"""Formulas that always fit: each ``=`` step is its own piece of inline math, so a long formula
breaks over lines (between steps, and after ``+`` / ``-`` inside one) instead of being cut off.

``st.latex`` draws display math, which never wraps: "(3-1)·2 - 2·1 + 1·(3-1) + 1 + 1 = 6" ran
past a 1400-px column in presentation mode and on phones, and the lesson's convolution sums ran
past a phone's screen (issue 22).
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def formula_markdown(label: str, parts: Sequence[str], *, numbers: bool = True) -> str:
    """Markdown for ``label: part₀ = part₁ = …`` with every piece in its own ``$…$``.

    ``numbers=False`` keeps only the first (symbolic) piece: after an error no number that
    depends on the invalid setting may be shown.

    >>> formula_markdown("Height", ["o = a + b", "1 + 2", "3"])
    '**Height:** $\\\\displaystyle o = a + b$ $\\\\displaystyle = 1 + 2$ $\\\\displaystyle = 3$'
    >>> formula_markdown("Height", ["o = a + b", "1 + 2", "3"], numbers=False)
    '**Height:** $\\\\displaystyle o = a + b$'
    """
    pieces = list(parts) if numbers else list(parts[:1])
    maths = [f"$\\displaystyle {p}$" if i == 0 else f"$\\displaystyle = {p}$" for i, p in enumerate(pieces)]
    return f"**{label}:** " + " ".join(maths)


def show_formula(label: str, parts: Sequence[str], *, numbers: bool = True, key: str | None = None) -> None:
    """Draw :func:`formula_markdown` in a container styled as a formula (``.cv-formula``)."""
    with st.container(key=key or None):
        st.markdown(formula_markdown(label, parts, numbers=numbers))


def maths_markdown(pieces: Sequence[str]) -> str:
    """Markdown for one formula written in pieces, each its own ``$\\displaystyle …$``: a narrow
    screen breaks the line between them, never inside one (a piece is one group, so "K(i − m, j − n)"
    stays whole). A piece that continues the formula starts with its sign.

    >>> maths_markdown(["(f * g)(t)", "= a"])
    '$\\\\displaystyle {(f * g)(t)}$ $\\\\displaystyle {= a}$'
    """
    return " ".join(f"$\\displaystyle {{{p}}}$" for p in pieces)


def show_maths(pieces: Sequence[str], *, key: str) -> None:
    """A display formula that wraps (instead of ``st.latex``): centred, in a container styled as a
    formula (``key`` starts with ``cv_formula_``, see :func:`ui.common.keys.lesson_formula`)."""
    with st.container(key=key):
        st.markdown(maths_markdown(pieces))
