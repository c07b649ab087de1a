"""Parameter Counts page, the parts added for issue 16 (kept apart from ``ui.param_charts``).

* :func:`count_options` -- batch size, multiply-adds or FLOPs, "count bias & BatchNorm", predict mode;
  :func:`conventions` states the counting conventions once, in words;
* :func:`memory_metrics`, :func:`ops_metric`, :func:`summary_frame`, :func:`summary_column_config` --
  memory (:mod:`convviz.nets.memory`) and operations (:mod:`convviz.nets.operations`) in the headline and the table;
* :func:`paste_box`, :func:`start`, :func:`sync_link` -- where the editor's table starts
  (the preset, a link's ``?params_table=``, or pasted PyTorch code read by :func:`convviz.from_pytorch`),
  or the branching network shown read-only instead, and the link that carries an edited table
  (:mod:`convviz.nets.links`);
* :func:`reveal`, :func:`worked`, :func:`row_guess` -- predict-then-reveal of the total parameter
  count, and of one layer's (through :mod:`ui.predict`, as every page; judged by :mod:`convviz.predict`).

No counting happens here: numbers come from ``convviz`` and are written by ``convviz.numbers``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd
import streamlit as st

from convviz import ARCHITECTURES, ConvVizError, from_pytorch
from convviz.nets.blocks import has_blocks, input_channels
from convviz.nets.from_torch import MAX_SOURCE_CHARS
from convviz.nets.records import layer_to_record
from convviz.nets.layers import Layer
from convviz.nets.memory import MAX_BATCH, MemoryReport, layer_memory
from convviz.numbers import format_bytes, format_count, format_percent, format_shape
from convviz.nets.operations import UNITS, OpCounts, op_counts
from convviz.predict import CLOSE
from convviz.nets.summary import Summary
from convviz.nets.links import LINK_LIMIT, decode_table, encode_table, fits_in_link
from ui import keys, param_charts as pc, share
from ui.bounded import bounded_int
from ui.choice import choice
from ui.i18n import t
from ui.messages import describe
from ui.predict import count_guess, masked

#: The batch size the activation memory starts with (a common training batch).
DEFAULT_BATCH = 32
#: The largest input size (C, H or W) the shape fields take.
MAX_INPUT = 4096
#: The input shape the pasted example is written for (MNIST digits).
EXAMPLE_SHAPE = (1, 28, 28)


@dataclass(frozen=True)
class Options:
    """The counting options chosen on the page."""

    batch: int
    unit: str
    extras: bool
    predict: bool


def count_options() -> Options:
    """One row of controls: batch size, MACs/FLOPs, bias & BatchNorm, predict-then-reveal (all in the URL)."""
    batch_col, unit_col, extras_col, predict_col = st.columns([1.1, 1.4, 1.7, 1.7], vertical_alignment="bottom")
    batch = bounded_int(t("params.more.batch"), 1, MAX_BATCH, DEFAULT_BATCH, key=keys.PARAMS_BATCH,
                        where=batch_col, bind="query-params", help=t("params.more.batch_help"))
    unit = choice("segmented_control", t("params.more.unit"), UNITS, default="macs", required=True,
                  format_func=lambda u: t(f"params.more.unit_{u}"), key=keys.PARAMS_UNIT, where=unit_col,
                  help=t("params.more.unit_help"))
    extras = extras_col.toggle(t("params.more.extras"), key=keys.PARAMS_EXTRAS, bind="query-params",
                               help=t("params.more.extras_help"))
    predict = predict_col.toggle(t("params.more.predict"), key=keys.PARAMS_PREDICT, bind="query-params",
                                 help=t("params.more.predict_help", close=format_percent(CLOSE)))
    return Options(batch=int(batch), unit=unit, extras=bool(extras), predict=bool(predict))


def conventions(opts: Options) -> None:
    """The counting conventions, stated once under the controls."""
    st.caption(t("params.more.conventions", counted=t(f"params.more.counted_{'extras' if opts.extras else 'plain'}")))


def counts(summary: Summary, opts: Options) -> tuple[MemoryReport, OpCounts]:
    """Memory and operations of every row under the chosen options."""
    return layer_memory(summary, batch_size=opts.batch), op_counts(summary, unit=opts.unit, extras=opts.extras)


# ---------------------------------------------------------------- headline

def ops_metric(where: Any, summary: Summary, ops: OpCounts, opts: Options, *, shown: bool = True) -> None:
    """The operations total under the chosen convention; the other convention's total in the help.

    ``shown=False`` (a guess pending) writes ``?``: a dense stack's multiply-adds are its weights."""
    other = op_counts(summary, unit=opts.unit, extras=not opts.extras).total
    where.metric(t(f"params.more.metric_{opts.unit}"), masked(format_count(ops.total), shown),
                 masked(pc.in_words(ops.total), shown), delta_color="gray", delta_arrow="off",
                 help=t(f"params.more.metric_help_{'extras' if opts.extras else 'plain'}",
                        other=masked(format_count(other), shown)))


def memory_metrics(memory: MemoryReport, *, shown: bool = True) -> None:
    """Parameter memory and the batch's activation memory, under the other headline numbers."""
    left, right = st.columns(2)
    left.metric(t("params.more.param_memory"), masked(format_bytes(memory.total_param_bytes), shown),
                t("params.more.float32"), delta_color="gray", delta_arrow="off",
                help=t("params.more.param_memory_help"))
    right.metric(t("params.more.act_memory", n=format_count(memory.batch_size)),
                 format_bytes(memory.total_batch_activation_bytes),
                 t("params.more.per_image", size=format_bytes(memory.total_activation_bytes)),
                 delta_color="gray", delta_arrow="off", help=t("params.more.act_memory_help"))


# ---------------------------------------------------------------- table

#: Columns that give the parameter counts away: hidden in predict mode until a guess is in.
COUNT_COLUMNS = ("weights", "biases", "params", "share", "formula", "param_mem", "macs")  # a Linear's MACs = weights


def summary_frame(summary: Summary, memory: MemoryReport, ops: OpCounts, *, shown: bool = True) -> pd.DataFrame:
    """:func:`ui.param_charts.summary_frame` with operations under the chosen convention and memory columns.

    ``shown=False`` (predict mode before a guess) leaves out :data:`COUNT_COLUMNS`.
    """
    frame = pc.summary_frame(summary)
    frame["macs"] = pc._safe_ints([r.ops for r in ops.rows])
    at = list(frame.columns).index("macs") + 1
    frame.insert(at, "act", [format_bytes(r.activation_bytes) for r in memory.rows])
    frame.insert(at + 1, "act_batch", [format_bytes(r.batch_activation_bytes) for r in memory.rows])
    frame.insert(at + 2, "param_mem", [format_bytes(r.param_bytes) for r in memory.rows])
    return frame if shown else frame.drop(columns=list(COUNT_COLUMNS))


def summary_column_config(opts: Options, *, nested: bool = False) -> dict[str, Any]:
    cc = st.column_config
    config = pc.summary_column_config(nested=nested)
    config["macs"] = cc.NumberColumn(t(f"params.more.col_{opts.unit}"), format="localized", width=110,
                                     help=t(f"params.more.counted_{'extras' if opts.extras else 'plain'}"))
    config["act"] = cc.TextColumn(t("params.more.col_act"), help=t("params.more.act_memory_help"), width=120)
    config["act_batch"] = cc.TextColumn(t("params.more.col_act_batch", n=format_count(opts.batch)), width=120)
    config["param_mem"] = cc.TextColumn(t("params.more.col_param_mem"), help=t("params.more.param_memory_help"),
                                        width=120)
    return config


# ---------------------------------------------------------------- where the table starts

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
            text = pc.error_text(err) if err.position is not None and err.code == "not_tabular" else describe(err)
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
        return None, pc.records_frame(records)
    return (list(layers), None) if branching else (None, preset_frame(preset))


@st.cache_data(max_entries=32, show_spinner=False)
def preset_frame(preset: str) -> pd.DataFrame:
    """A preset's own table, built once per process (a fresh copy per call): every rerun needs it."""
    return pc.editor_frame(ARCHITECTURES[preset].layers)


@st.cache_data(max_entries=32, show_spinner=False)
def _preset_records(preset: str) -> list[dict[str, Any]]:
    return pc.records_from_editor(preset_frame(preset))[0]


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


# ---------------------------------------------------------------- predict, then reveal

def worked_total(summary: Summary) -> str:
    """Markdown: each layer with parameters and its formula, then the sum of their counts."""
    rows = [r for r in summary.leaves if r.params]
    lines = [t("params.predict.row", name=r.name, formula=pc.formula_numbers(r.formula), n=format_count(r.params))
             for r in rows]
    terms = " + ".join(format_count(r.params) for r in rows) or "0"
    return "\n".join(lines) + "\n\n" + t("params.predict.total", terms=terms, total=format_count(summary.total_params))


def row_guess(summary: Summary, opts: Options) -> None:
    """In predict mode: guess one layer's count first, then see its formula (:mod:`ui.predict`)."""
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
            st.markdown(t("params.predict.row", name=row.name, formula=pc.formula_numbers(row.formula),
                          n=format_count(row.params)))


def reveal(summary: Summary, opts: Options) -> bool:
    """In predict mode: the guess box, then right / close / wrong (:mod:`ui.predict`). Whether the
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
