"""Where the layer table of the Parameter Counts page starts, and the link that carries it.

* :func:`start` -- the preset's own table, a link's ``?params_table=`` (:mod:`convviz.nets.links`),
  or pasted PyTorch code read by :func:`convviz.from_pytorch` (never run); a branching network is
  shown read-only instead (:mod:`ui.params.tree`);
* :func:`paste_box` -- "Paste your own model": the text area, an example, the buttons;
* :func:`sync_link` / :func:`clear_link` -- keep ``?params_table=`` in step with the edited table;
* :func:`about` -- the line under the network's name, which says when the table is no longer the preset's.

The state lives in ``st.session_state[keys.PARAMS_TABLE_STATE]``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from convviz import ARCHITECTURES, ConvVizError, from_pytorch
from convviz.nets import (
    LINK_LIMIT,
    MAX_SOURCE_CHARS,
    Layer,
    decode_table,
    encode_table,
    fits_in_link,
    has_blocks,
    input_channels,
    layer_to_record,
)
from convviz.numbers import format_count, format_shape
from ui.common import keys, share
from ui.common.i18n import t
from ui.common.layer_table import editor_frame, error_text, records_frame, records_from_editor
from ui.common.messages import describe
from ui.params.options import MAX_INPUT

#: The input shape the pasted example is written for (MNIST digits).
EXAMPLE_SHAPE = (1, 28, 28)


def _state() -> dict[str, Any]:
    return st.session_state.setdefault(keys.PARAMS_TABLE_STATE, {})


def _records_of(layers: Sequence[Layer]) -> list[dict[str, Any]]:
    """Table rows of pasted layers, ``in`` kept as written (a mismatch shows as the row's error)."""
    records = []
    for position, layer in enumerate(layers, start=1):
        try:
            records.append(layer_to_record(layer))
        except ConvVizError as err:
            raise err.at_layer(position, layer.type_name) from None
    return records


def _use_source(preset: str) -> None:
    """The "Count this model" button: read the text area with :func:`convviz.from_pytorch`, never running it.

    The input channels C are the model's (its first layer names them: ``Conv2d(3, ...)``), not the
    preset's: the course example's C = 128 under a pasted ``Conv2d(3, ...)`` only gave a channel
    error. H and W stay as they are (the code does not say them); the page says so.
    """
    state = _state()
    text = st.session_state.get(keys.PARAMS_SOURCE) or ""
    st.session_state[keys.PARAMS_SOURCE_SAVED] = text
    try:
        layers = from_pytorch(text)
        tree = has_blocks(layers)  # Residual / Concat: a tree the editor cannot hold, shown read-only
        records = None if tree else _records_of(layers)
    except ConvVizError as err:
        state["paste_error"] = err
        return
    channels = input_channels(layers)
    if channels is not None and 1 <= channels <= MAX_INPUT:
        st.session_state[keys.params_input("c", preset)] = channels
    else:
        channels = None
    state.update(preset=preset, records=records, tree=list(layers) if tree else None, origin="paste",
                 paste_error=None, input_c=channels)


def _load_example(shape_keys: Sequence[str]) -> None:
    """The "Load an example" button: a small LeNet-like model, and the input shape it is written for."""
    st.session_state[keys.PARAMS_SOURCE] = st.session_state[keys.PARAMS_SOURCE_SAVED] = t("params.paste.example")
    for key, size in zip(shape_keys, EXAMPLE_SHAPE):
        st.session_state[key] = size
    _state()["paste_error"] = None


def _save_source() -> None:
    st.session_state[keys.PARAMS_SOURCE_SAVED] = st.session_state.get(keys.PARAMS_SOURCE) or ""


def _reset(preset: str) -> None:
    _state().update(preset=preset, records=None, tree=None, origin="preset", paste_error=None)


def paste_box(preset: str, shape_keys: Sequence[str], input_shape: Sequence[int]) -> None:
    """"Paste your own model": a text area, an example, and the button that puts its layers in the table.

    ``shape_keys`` are the widget keys of the input-shape fields (C, H, W) the example sets;
    ``input_shape`` is what the pasted model is counted for (said under it: C from the model, or
    from the fields when its first layer does not name it; H and W always assumed).
    """
    state = _state()
    if keys.PARAMS_SOURCE not in st.session_state:  # back from another page: the text is kept
        st.session_state[keys.PARAMS_SOURCE] = st.session_state.get(keys.PARAMS_SOURCE_SAVED, "")
    with st.expander(t("params.paste.title"), icon=":material/content_paste:",
                     expanded=bool(state.get("paste_error")) or state.get("origin") == "paste"):
        st.caption(t("params.paste.help"))
        st.text_area(t("params.paste.label"), key=keys.PARAMS_SOURCE, height=220, max_chars=MAX_SOURCE_CHARS,
                     placeholder=t("params.paste.placeholder"), on_change=_save_source)
        use, example, reset = st.columns(3)
        use.button(t("params.paste.use"), key=keys.PARAMS_USE_SOURCE, on_click=_use_source, args=(preset,),
                   type="primary", icon=":material/calculate:", width="stretch")
        example.button(t("params.paste.example_button"), key=keys.PARAMS_EXAMPLE, on_click=_load_example,
                       args=(tuple(shape_keys),), icon=":material/lightbulb:", width="stretch",
                       help=t("params.paste.example_help", shape=format_shape(EXAMPLE_SHAPE)))
        reset.button(t("params.paste.reset"), key=keys.PARAMS_RESET_TABLE, on_click=_reset, args=(preset,),
                     icon=":material/undo:", width="stretch",
                     disabled=state.get("records") is None and state.get("tree") is None)
        err = state.get("paste_error")
        if err is not None:
            text = error_text(err) if err.position is not None and err.code == "not_tabular" else describe(err)
            st.error(text, icon=":material/error:")
            st.caption(t("params.paste.kept"))
        elif state.get("origin") == "paste" and (state.get("tree") is not None or state.get("records") is not None):
            if state.get("tree") is not None:
                st.success(t("params.paste.loaded_tree", n=len(state["tree"])), icon=":material/check:")
            else:
                st.success(t("params.paste.loaded", n=len(state["records"])), icon=":material/check:")
            shape = format_shape(input_shape)
            if state.get("input_c") == input_shape[0]:
                st.caption(t("params.paste.input_from_model", shape=shape, c=input_shape[0]))
            else:  # no channel-naming first layer, or C changed since by hand
                st.caption(t("params.paste.input_from_fields", shape=shape))


def start(preset: str, layers: Sequence[Layer], *, branching: bool = False
          ) -> tuple[list[Layer] | None, pd.DataFrame | None]:
    """``(tree, frame)``: the layers of a branching network to show read-only, or else the
    editor's starting table (a link's, the pasted model's, or the preset's own).

    A branching preset (``branching``) or pasted model with blocks gives ``tree``; a link or a
    pasted plain stack replaces a branching preset with an editable table. A link's
    ``?params_table=`` is read when it is new (not the token this session wrote), so the
    student's edits never restart the editor. Picking another preset starts from its table.
    """
    state = _state()
    raw = share.query_param(keys.PARAMS_TABLE, str, None)
    if raw is not None and raw != state.get("written"):
        try:
            state.update(preset=preset, records=decode_table(raw), tree=None, origin="link", written=raw)
        except ConvVizError as err:
            state.update(preset=preset, records=None, tree=None, origin="preset", written=None, link_error=err)
            clear_link()
    if state.get("preset") != preset:
        state.update(preset=preset, records=None, tree=None, origin="preset")
    link_error = state.pop("link_error", None)
    if link_error is not None:
        st.warning(describe(link_error), icon=":material/link_off:")
    if state.get("tree") is not None:
        return state["tree"], None
    records = state.get("records")
    if records is not None:
        return None, records_frame(records)
    return (list(layers), None) if branching else (None, preset_frame(preset))


@st.cache_data(max_entries=32, show_spinner=False)
def preset_frame(preset: str) -> pd.DataFrame:
    """A preset's own table, built once per process (a fresh copy per call): every rerun needs it."""
    return editor_frame(ARCHITECTURES[preset].layers)


@st.cache_data(max_entries=32, show_spinner=False)
def _preset_records(preset: str) -> list[dict[str, Any]]:
    return records_from_editor(preset_frame(preset))[0]


def about(where: Any, preset: str, description_key: str, *, shown: bool) -> None:
    """The line under the network's name: the preset's description, unless the table is no longer
    the preset's (a pasted model, a link's table) or it would give a guess away (its published total)."""
    state = _state()
    own = state.get("preset") == preset and state.get("origin") in ("paste", "link") and (
        state.get("records") is not None or state.get("tree") is not None)
    if own:
        where.caption(t("params.about_own"))
    elif not shown:
        where.caption(t("params.predict.about_hidden"))
    else:
        where.caption(t(description_key))


def clear_link() -> None:
    """Take ``?params_table=`` out of the URL (a branching network shown read-only has no table to share)."""
    _state()["written"] = None
    if keys.PARAMS_TABLE in st.query_params:
        del st.query_params[keys.PARAMS_TABLE]


def sync_link(records: list[dict[str, Any]], preset: str) -> None:
    """Keep ``?params_table=`` in step with the table (absent while it is the preset's own)."""
    try:
        token = None if records == _preset_records(preset) else encode_table(records)
    except ConvVizError:  # a cell no link can hold (1e999, a paragraph): the table shows its own error
        token = None
    if token is not None and not fits_in_link(token):
        st.caption(t("params.link.too_long", n=format_count(len(token)), limit=format_count(LINK_LIMIT)))
        token = None
    state = _state()
    state["written"] = token
    if token is None:
        if keys.PARAMS_TABLE in st.query_params:
            del st.query_params[keys.PARAMS_TABLE]
    elif st.query_params.get(keys.PARAMS_TABLE) != token:
        st.query_params[keys.PARAMS_TABLE] = token
