"""convviz.nets.links: round trips, short links for the presets, bounded and coded decoding."""
from __future__ import annotations

import base64
import json
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError
from convviz.nets.blocks import has_blocks
from convviz.nets.links import LINK_LIMIT, MAX_JSON_BYTES, MAX_ROWS, decode_table, encode_table, fits_in_link
from convviz.nets.records import MAX_COUNT, MAX_TEXT, RECORD_COLUMNS, RECORD_TYPES, cell_problem, layer_to_record


def _token(obj, *, raw: bytes | None = None, prefix: str = "t1.") -> str:
    data = raw if raw is not None else json.dumps(obj).encode()
    return prefix + base64.urlsafe_b64encode(zlib.compress(data)).decode().rstrip("=")


@pytest.mark.parametrize("name", [n for n, a in ARCHITECTURES.items() if not has_blocks(a.layers)])
def test_presets_round_trip_within_the_link_limit(name):
    # a branching preset is shown read-only (no table, no link); its plain-stack records are what links carry
    records = [layer_to_record(layer) for layer in ARCHITECTURES[name].layers]
    token = encode_table(records)
    assert decode_table(token) == records
    assert fits_in_link(token) and len(token) < LINK_LIMIT / 4
    assert all(c.isalnum() or c in "-_." for c in token)  # no escaping in a URL


#: Every cell the page's table can hold, column by column (convviz.nets.records.cell_problem).
GOOD_CELLS = {
    "type": st.one_of(st.none(), st.sampled_from(RECORD_TYPES)),
    "in": st.one_of(st.none(), st.integers(1, MAX_COUNT)),
    "out": st.one_of(st.none(), st.integers(1, MAX_COUNT)),
    "groups": st.one_of(st.none(), st.integers(1, MAX_COUNT)),
    "kernel": st.one_of(st.none(), st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
                                           max_size=MAX_TEXT)),
    "stride": st.one_of(st.none(), st.sampled_from(["1", "2", "1x2", "(3, 3)", "same", "", " ", "합성곱"])),
    "padding": st.one_of(st.none(), st.sampled_from(["0", "same", "valid", "2x1", "x"])),
    "bias": st.one_of(st.none(), st.booleans()),
    "p": st.one_of(st.none(), st.floats(0, 1), st.integers(0, 1)),
}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries(GOOD_CELLS), max_size=30))
def test_any_table_the_page_holds_round_trips(records):
    assert decode_table(encode_table(records)) == records


#: Anything JSON can carry in a cell: wrong types, big and odd numbers, surrogates, nesting.
ANY_CELL = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
              st.sampled_from([10**30, -(10**30), 0, 10**6 + 1]),
              st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([2.5, 8.0, 1e308, -0.0, 1e-300]),
              st.text(max_size=40), st.sampled_from(["\ud800", "a\udfff", "\x00", "3\n3", "Conv2d", "ReLU", "same"]),
              st.sampled_from(RECORD_TYPES)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4)


def _raw_token(rows) -> str:
    text = json.dumps(rows, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes, as in a hand-made link
    return "t1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(ANY_CELL, max_size=len(RECORD_COLUMNS) + 1), max_size=6))
def test_any_json_table_is_refused_or_holds_only_what_the_page_shows(rows):
    try:
        records = decode_table(_raw_token(rows))
    except LayerError as err:
        assert err.code == "table_link_corrupt" and err.params["param"] == "params_table"
        return
    for record in records:
        assert set(record) == set(RECORD_COLUMNS)
        assert all(cell_problem(column, value) is None for column, value in record.items()), record
    assert decode_table(encode_table(records)) == records  # and the page can write it back into a link


#: The payloads of issue 22 that decode_table used to accept and the page then crashed on.
ISSUE_22 = ['[["Conv2d",2.5,8,"3"]]', '[["Conv2d",null,"x","3"]]', '[["Conv2d",3,8,"3",null,null,null,3]]',
            '[["\\ud800"]]', '[["Conv2d",null,8,"\\ud800"]]', '[["Conv2d",8.0,8,"3"]]', '[["Conv2d",0,8,"3"]]',
            '[["Dropout",null,null,null,null,null,null,null,1.5]]',
            '[["Dropout",null,null,null,null,null,null,null,true]]',
            '[["Conv2d",null,8,3]]', '[["Conv2d",null,8,"3\\n3"]]', '[["Unflatten"]]', '[["Residual"]]', '[[1]]',
            '[["Linear",null,1000001]]', '[["Linear",null,1e999]]']


@pytest.mark.parametrize("text", ISSUE_22)
def test_cells_the_page_cannot_show_are_refused_with_the_row_and_column(text):
    token = "t1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")
    with pytest.raises(LayerError) as err:
        decode_table(token)
    assert err.value.code == "table_link_corrupt" and err.value.params["row"] == 1
    assert err.value.params["column"] in RECORD_COLUMNS


def test_a_lone_surrogate_is_refused_when_encoding_too():
    for record in ({"type": "\ud800"}, {"type": "Conv2d", "kernel": "3\udfff"}):
        with pytest.raises(LayerError) as err:
            encode_table([record])
        assert err.value.code == "table_link_corrupt"


@pytest.mark.parametrize("token, code", [
    ("t2.eNqLjgUAARUAuQ", "table_link_version"),
    ("eNqLjgUAARUAuQ", "table_link_version"),
    ("t1.!!!", "table_link_corrupt"),
    ("t1.eNqLjgUAAR", "table_link_corrupt"),  # cut short
    ("t1." + base64.urlsafe_b64encode(b"not zlib").decode(), "table_link_corrupt"),
    (_token(None, raw=b"{not json"), "table_link_corrupt"),
    (_token({"rows": []}), "table_link_corrupt"),
    (_token([["Conv2d", {"x": 1}]]), "table_link_corrupt"),
    (_token([["Conv2d", 10**12]]), "table_link_corrupt"),
    (_token([["Conv2d", None, 10**400]]), "table_link_corrupt"),  # past int()'s 4300 digits
    (_token([["Conv2d"] * 10]), "table_link_corrupt"),
    (_token([["x" * 33]]), "table_link_corrupt"),
    (_token(None, raw=b"[" * 50_000 + b"]" * 50), "table_link_corrupt"),
    (_token([["ReLU"]] * (MAX_ROWS + 1)), "table_link_too_large"),
    (_token(None, raw=b" " * (MAX_JSON_BYTES + 10) + b"[]"), "table_link_too_large"),  # a small bomb
    ("t1." + "A" * 20_000, "table_link_too_large"),
    (12, "table_link_corrupt"),
])
def test_bad_tokens_raise_coded_errors(token, code):
    with pytest.raises(LayerError) as err:
        decode_table(token)
    assert err.value.code == code and err.value.params["param"] == "params_table"


@pytest.mark.parametrize("cell", [float("inf"), float("nan"), 10**12, "x" * 33, [1], {"a": 1}, 1.5, -0.1, True])
def test_cells_no_link_could_hold_are_refused_when_encoding(cell):
    with pytest.raises(LayerError) as err:
        encode_table([{"type": "Conv2d"}, {"type": "Dropout", "p": cell}])
    assert err.value.code == "table_link_corrupt" and err.value.params["row"] == 2


def test_a_decompression_bomb_stops_early():
    bomb = _token(None, raw=b"[" + b" " * 50_000_000 + b"]")  # 50 MB of spaces in ~50 kB... compressed
    assert len(bomb) < 70_000
    with pytest.raises(LayerError) as err:
        decode_table(bomb[:16_000])  # what fits under MAX_TOKEN_CHARS: still cut before 64 kB are inflated
    assert err.value.code in ("table_link_too_large", "table_link_corrupt")
