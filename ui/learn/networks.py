"""The Learn page's two networks, each edited in the Parameter counts page's layer table.

Each network of the experiment (``conv``, ``dense``) has a line (its name, its parameters as
:func:`convviz.summarize` counts them, its layers) and an "Edit the layers" expander holding the
table of :mod:`ui.common.layer_table`: the same columns, rows and messages as on the Parameter
counts page, so a network reads the same on both pages. The table starts from the experiment's
network; for the dense net, from the hidden widths typed in the box under its line (the quick
way to make it bigger: typing widths starts its table afresh). The table is what trains: one source of truth
per network.

* A table that is not where it started travels in the link, one token per network
  (``?learn_net_dense=t1....``, :func:`convviz.nets.encode_table`); a damaged or hostile token
  gives the translated ``table_link_*`` notice and the experiment's network.
* A table that cannot train (a row that does not fit, a stack that shrinks below 1 x 1, an output
  that is not 10 scores) gets its translated message, after the row it is about, and no request.
* "Back to the experiment's network" starts a new editor (its edits gone) and, for the dense
  net, puts the experiment's widths back.
* The edits survive a switch of experiment or a visit to another page: a table drawn afresh
  starts from the rows it had last.

The state is ``st.session_state[keys.LEARN_NETS_STATE]``: per ``(experiment, network)`` where the
table started (a link's rows, or None: its base), its base's rows (the experiment's network or the
widths' dense net), its editor's generation and its last rows; per network the token this session
wrote to the URL (``"written"``); per experiment the dense net of the last widths that could be
read (``"widths_net"``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from convviz import ConvVizError
from convviz.learn import Contender, Experiment, TrainRequest
from convviz.nets import LINK_LIMIT, Layer, decode_table, encode_table, fits_in_link, summarize_records
from convviz.numbers import format_count
from ui.common import keys, share
from ui.common.i18n import t
from ui.common.layer_table import editor_column_config, editor_frame, error_text, records_frame, records_from_editor
from ui.common.messages import describe
from ui.learn.settings import dense_widths, widths_text

__all__ = ["Table", "edit", "stacks"]

Records = list[dict[str, Any]]


@dataclass(frozen=True)
class Table:
    """One network as its table made it: its layers (None when the table cannot train) and why not."""

    key: str
    layers: tuple[Layer, ...] | None
    params: int | None
    problem: str | None
    edited: bool  # not the experiment's own network


def _book() -> dict[Any, Any]:
    return st.session_state.setdefault(keys.LEARN_NETS_STATE, {"written": {}})


def _records(layers: tuple[Layer, ...]) -> Records:
    """The table rows of a stack, as the editor gives them back (``in`` empty: it follows the layer before)."""
    return records_from_editor(editor_frame(layers))[0]


def _reset(experiment: str, net: str, widths: str | None) -> None:
    """"Back to the experiment's network": a new editor from the experiment's own rows (and widths)."""
    state = _book()[(experiment, net)]
    state.update(start=None, kept=None, base=None, generation=state.get("generation", 0) + 1)
    if widths is not None:
        st.session_state[keys.learn_dense(experiment)] = widths


def _start(experiment: str, net: str, base: Records) -> tuple[dict[str, Any], Records]:
    """The network's state and the rows its editor starts from (a link's, the last ones, or ``base``)."""
    book = _book()
    state = book.setdefault((experiment, net), {"start": None, "kept": None, "base": None, "generation": 0})
    if state["base"] is not None and state["base"] != base:  # other widths typed: the table starts from them
        state.update(start=None, kept=None)
    state["base"] = base
    editor = keys.learn_net_editor(experiment, net, state["generation"])
    if editor not in st.session_state and state["kept"] is not None:  # back from another experiment or page
        state["start"] = state["kept"]
    written = book["written"]
    raw = share.query_param(keys.learn_net(net), str, None)
    if raw is not None and raw != written.get(net):  # a link's table (not the token this session wrote)
        try:
            state.update(start=decode_table(raw), kept=None)
            written[net] = raw
        except ConvVizError as err:
            state.update(start=None, kept=None)
            written[net] = None
            del st.query_params[keys.learn_net(net)]
            state["link_error"] = err
    return state, base if state["start"] is None else state["start"]


def _sync_link(net: str, records: Records, base: Records) -> None:
    """Keep ``?learn_net_<net>=`` in step with the table: absent while it is where it started."""
    try:
        token = None if records == base else encode_table(records)
    except ConvVizError:  # a cell no link can hold (1e999, a paragraph): the table shows its own error
        token = None
    if token is not None and not fits_in_link(token):
        st.caption(t("learn.edit.too_long", n=format_count(len(token)), limit=format_count(LINK_LIMIT)))
        token = None
    _book()["written"][net] = token
    key = keys.learn_net(net)
    if token is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != token:
        st.query_params[key] = token


def _checked(records: Records, labels: list[str], exp: Experiment, net: str
             ) -> tuple[tuple[Layer, ...] | None, int | None, str | None]:
    """``(layers, params, problem)``: the table's stack if it can train on the experiment's images."""
    try:
        summary, layers, err = summarize_records(records, exp.input_shape)
        if err is None:
            # as one network of the experiment's request: fits the images, ends in 10 scores, trains here
            TrainRequest(((net, tuple(layers)),), placement=exp.placement, canvas=exp.canvas)
            return tuple(layers), summary.total_params, None
    except ConvVizError as caught:
        err = caught
    return None, None, error_text(err, labels)


def _one(experiment: str, exp: Experiment, contender: Contender, name: str) -> tuple[Table, ConvVizError | None]:
    """One network: its line, (the dense net's widths box,) its table; the :class:`Table` and a widths problem."""
    net = contender.key
    line = st.container()  # filled once the table is read
    problem, base_layers = None, contender.layers
    if net == "dense":  # the quick path: typed widths make the net its table starts from
        typed = _book().setdefault("widths_net", {})  # the dense net of the last widths that could be read
        dense, problem = dense_widths(experiment, exp)
        if dense is not None:
            typed[experiment] = dense
        base_layers = typed.get(experiment, contender.layers)
    widths_note = st.container()  # under the widths box: says when the table no longer is what they make
    base = _records(base_layers)
    own = base if base_layers == contender.layers else _records(contender.layers)
    state, start = _start(experiment, net, base)
    link_error = state.pop("link_error", None)
    if link_error is not None:
        st.warning(t("learn.edit.link_error", name=name, message=describe(link_error)), icon=":material/link_off:")
    with st.expander(t("learn.edit.title", name=name), icon=":material/edit:"):
        st.caption(t("learn.edit.help"))
        edited = st.data_editor(records_frame(start), key=keys.learn_net_editor(experiment, net, state["generation"]),
                                num_rows="dynamic", hide_index=True, column_config=editor_column_config(),
                                placeholder="")
        records, labels = records_from_editor(edited)
        st.button(t("learn.edit.reset"), key=keys.learn_net_reset(net), icon=":material/undo:",
                  on_click=_reset, args=(experiment, net, widths_text(exp) if net == "dense" else None),
                  disabled=records == own and state["start"] is None, help=t("learn.edit.reset_help"))
        _sync_link(net, records, base)
    state["kept"] = records
    if net == "dense" and records != base:
        widths_note.caption(t("learn.edit.widths_stale"))
    layers, params, trouble = _checked(records, labels, exp, net)
    edited_net = records != own
    with line:
        if trouble is not None:
            st.error(t("learn.edit.problem", name=name, message=trouble), icon=":material/error:")
        else:
            kinds = ", ".join(type(layer).__name__ for layer in layers or ())
            template = "learn.network_line_edited" if edited_net else "learn.network_line"
            st.markdown(t(template, name=name, params=format_count(params), layers=kinds))
    return Table(net, layers, params, trouble, edited_net), problem


def edit(experiment: str, exp: Experiment, names: dict[str, str]) -> tuple[dict[str, Table], ConvVizError | None]:
    """Draw each network's line and layer table (the dense net's widths box between them): the
    :class:`Table` of each network by key, and why the typed widths cannot be read (None if they can).

    Widths that cannot be read leave the dense table where the last good ones put it.
    """
    tables, problems = {}, []
    for contender in exp.networks:
        tables[contender.key], problem = _one(experiment, exp, contender, names[contender.key])
        problems.append(problem)
    return tables, next((p for p in problems if p is not None), None)


def stacks(tables: dict[str, Table]) -> dict[str, tuple[Layer, ...]] | None:
    """Each network's layers, or None when a table cannot train."""
    if any(table.layers is None for table in tables.values()):
        return None
    return {key: table.layers for key, table in tables.items()}  # type: ignore[misc]
