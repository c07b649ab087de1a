"""Small Streamlit-side helpers of the Stride and Padding page (counting, not maths), so the page has no arithmetic."""
from __future__ import annotations

import streamlit as st

from ui.common import keys


def reroll() -> None:
    """Button callback: the next seed for the random values and weights."""
    st.session_state[keys.STRIDE_SEED] += 1


def zero_based(number: int) -> int:
    """A 1-based step or size as the 0-based index of the last item (step 1 -> frame 0).

    >>> zero_based(4)
    3
    """
    return int(number) - 1
