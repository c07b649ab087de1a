"""The guided lesson's helpers: links into the pages set up for a step, and the numbers it quotes.

A link's values are what the target page keeps in its URL: numbers as text and, for select
widgets, the option's id (``sobel_x``, see :mod:`ui.common.choice`), the same in every language;
links also carry ``lang``. The numbers come from fixed presets: counted once per process
(``st.cache_resource``, one small entry per preset), not on every visit.
"""
from __future__ import annotations

import streamlit as st

from convviz import ARCHITECTURES, compare_dense, format_count, summarize
from convviz.nets import FIELD_STACKS, receptive_field, trend
from ui.common import keys
from ui.common.i18n import current_language, t

KERNELS = "views/image_kernels.py"
STRIDE = "views/stride_padding.py"
PARAMS = "views/parameter_counts.py"
INSIDE = "views/inside_conv.py"
RECEPTIVE = "views/receptive_field.py"
LEARN = "views/learn.py"


def link(page: str, label_key: str, params: dict[str, str] | None = None) -> None:
    """A link into ``page`` with ``params`` (widget key -> URL value, and the current language) in its URL."""
    st.page_link(page, label=t(label_key), icon=":material/arrow_forward:",
                 query_params={keys.LANG: current_language(), **(params or {})})


def step(number: int, name: str, **values: object) -> None:
    """Heading (with a stable ``#step-<name>`` anchor for links) and explanation of one step."""
    st.subheader(f"{number}. {t(f'home.steps.{name}.title')}", anchor=f"step-{name}")
    st.markdown(t(f"home.steps.{name}.text", **values))


# One small entry per preset: max_entries says so (tests/test_memory_bounds.py).
@st.cache_resource(max_entries=len(FIELD_STACKS), show_spinner=False)
def field_size(name: str) -> int:
    """Receptive field (height) of the last layer of a preset stack of the Receptive fields page."""
    stack = FIELD_STACKS[name]
    return receptive_field(stack.layers, stack.input_shape).last.size[0]


@st.cache_resource(max_entries=len(ARCHITECTURES), show_spinner=False)
def dense_weights(name: str) -> str:
    """The weights a preset would need with every conv replaced by a dense layer, written out."""
    a = ARCHITECTURES[name]
    return format_count(compare_dense(a.layers, a.input_shape).dense.total_weights)


@st.cache_resource(max_entries=1, show_spinner=False)
def networks() -> dict[str, object]:
    """The trend's networks by name, counted once per process (six summaries, ResNet-50's among them)."""
    return {row.name: row for row in trend()}


@st.cache_resource(max_entries=len(ARCHITECTURES), show_spinner=False)
def counts(name: str) -> dict[str, int]:
    """Parameters per category (``conv``, ``dense``, ...) of a preset architecture, and their ``total``."""
    a = ARCHITECTURES[name]
    summary = summarize(a.layers, a.input_shape)
    return {**summary.params_by_category(), "total": summary.total_params}
