"""convviz.table_link: round trips, short links for the presets, bounded and coded decoding."""
from __future__ import annotations

import base64
import json
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError
from convviz.layer_table import RECORD_COLUMNS, layer_to_record
from convviz.table_link import (LINK_LIMIT, MAX_JSON_BYTES, MAX_ROWS, decode_table, encode_table,
                                fits_in_link)


def _token(obj, *, raw: bytes | None = None, prefix: str = "t1.") -> str:
    data = raw if raw is not None else json.dumps(obj).encode()
    return prefix + base64.urlsafe_b64encode(zlib.compress(data)).decode().rstrip("=")


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_presets_round_trip_within_the_link_limit(name):
    records = [layer_to_record(layer) for layer in ARCHITECTURES[name].layers]
    token = encode_table(records)
    assert decode_table(token) == records
    assert fits_in_link(token) and len(token) < LINK_LIMIT / 4
    assert all(c.isalnum() or c in "-_." for c in token)  # no escaping in a URL


cells = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9),
                  st.floats(-1e9, 1e9, allow_nan=False), st.text(max_size=32))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: cells for c in RECORD_COLUMNS}), max_size=30))
def test_any_table_round_trips(records):
    assert decode_table(encode_table(records)) == records


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


@pytest.mark.parametrize("cell", [float("inf"), float("nan"), 10**12, "x" * 33, [1], {"a": 1}])
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

