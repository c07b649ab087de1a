"""A layer table (the Parameter Counts page's rows) packed into one URL parameter, and back.

``encode_table`` writes the records (:data:`convviz.nets.records.RECORD_COLUMNS`, one list per row,
trailing empty cells dropped) as compact JSON, compresses it with zlib and writes it in
URL-safe base64 after a version prefix: ``t1.eJyL...``. :func:`decode_table` reverses it
without trusting the text: the token's length, the decompressed size (a zip bomb stops at
:data:`MAX_JSON_BYTES`), the JSON's shape and every cell are checked, each against exactly what
the page's table holds in its column (:func:`convviz.nets.records.cell_problem`: a layer type,
whole numbers ``1..1,000,000``, short printable text, True/False, ``p`` in ``0..1``); anything
else is a :class:`~convviz.errors.LayerError` (codes ``table_link_version``,
``table_link_corrupt``, ``table_link_too_large``). Whether the rows make a valid stack is
then the table's own business (:func:`convviz.nets.summary.summarize_records`).

A browser and a server accept URLs of a few thousand characters, chat apps and QR codes less:
:data:`LINK_LIMIT` (1,800 characters for the value) is what a page puts in a link; VGG-16's
39 rows take about 240.

>>> records = [{"type": "Conv2d", "in": None, "out": 8, "kernel": "3", "stride": None, "padding": "1",
...             "groups": None, "bias": True, "p": None}, {"type": "ReLU"}]
>>> token = encode_table(records)
>>> token.startswith("t1."), decode_table(token)[0]["out"], decode_table(token)[1]["type"]
(True, 8, 'ReLU')
"""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Iterable
from typing import Any

from ..errors import LayerError
from .records import RECORD_COLUMNS, cell_problem

__all__ = ["VERSION", "LINK_LIMIT", "MAX_TOKEN_CHARS", "MAX_JSON_BYTES", "MAX_ROWS", "encode_table",
           "decode_table", "fits_in_link"]

#: The prefix of every token this version writes (a later format gets ``t2.``).
VERSION = "t1."
#: Longest token a page puts into a link (characters of the parameter's value).
LINK_LIMIT = 1_800
#: Longest token :func:`decode_table` reads at all (a hand-made URL can be longer than a link we write).
MAX_TOKEN_CHARS = 16_000
#: Most bytes the compressed JSON may expand to (a decompression bomb stops here).
MAX_JSON_BYTES = 64_000
#: Most rows in a table.
MAX_ROWS = 500


def _error(code: str, message: str, **params: Any) -> LayerError:
    return LayerError(f"params_table: {message}", code, param="params_table", **params)


def _row(record: dict[str, Any]) -> list[Any]:
    row = [record.get(column) for column in RECORD_COLUMNS]
    while row and row[-1] is None:
        row.pop()
    return row


def encode_table(records: Iterable[dict[str, Any]]) -> str:
    """The token of a table: ``"t1."`` then zlib-compressed JSON in URL-safe base64 without padding.

    Cells must be what :func:`decode_table` reads back: what the page's table holds in each
    column (:func:`convviz.nets.records.cell_problem`); anything else (a pasted ``1e999``, a
    paragraph in a cell) raises ``table_link_corrupt`` naming the row and column, so no link
    is ever written that would not open.

    >>> encode_table([])
    't1.eNqLjgUAARUAuQ'
    >>> encode_table([{"type": "Dropout", "p": float("inf")}])
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: params_table: row 1, p: inf is not a number 0..1
    """
    rows = [_row(r) for r in records]
    for number, row in enumerate(rows, start=1):
        for value, column in zip(row, RECORD_COLUMNS):
            _cell(value, column, number)
    text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return VERSION + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def fits_in_link(token: str) -> bool:
    """Whether a token is short enough for a link (:data:`LINK_LIMIT`).

    >>> fits_in_link(encode_table([{"type": "ReLU"}] * 10)), fits_in_link("t1." + "A" * 2000)
    (True, False)
    """
    return len(token) <= LINK_LIMIT


def _cell(value: Any, column: str, row: int) -> Any:
    """``value`` when the page's table can hold it in ``column`` (:func:`~convviz.nets.records.cell_problem`)."""
    problem = cell_problem(column, value)
    if problem is not None:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise _error("table_link_corrupt", f"row {row}, {column}: {shown} is {problem}", row=row, column=column)
    return value


def decode_table(token: Any) -> list[dict[str, Any]]:
    """The records of a token made by :func:`encode_table`; bounded work on any text.

    Parameters
    ----------
    token : str
        The URL parameter's value.

    Returns
    -------
    list of dict
        One record per row, keys :data:`~convviz.nets.records.RECORD_COLUMNS`, missing cells ``None``.

    Raises
    ------
    LayerError
        ``table_link_version`` (no ``t1.`` prefix), ``table_link_too_large`` (a token, its
        decompressed text or its row count beyond the limits), ``table_link_corrupt`` (not
        base64, not zlib, not JSON, or not rows of table cells).

    Examples
    --------
    >>> decode_table("t1.eNqLjgUAARUAuQ")
    []
    >>> decode_table("t1.not-a-table")
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: params_table: the link's table is damaged (cut short or changed by hand)
    """
    if not isinstance(token, str):
        raise _error("table_link_corrupt", "the link's table is not text", row=0)
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise _error("table_link_too_large", f"the link's table is {len(token):,} characters long "
                     f"(at most {MAX_TOKEN_CHARS:,} are read)", chars=len(token), limit=MAX_TOKEN_CHARS)
    if not token.startswith(VERSION):
        raise _error("table_link_version", f"the link's table starts with {token[:3]!r}, not {VERSION!r} "
                     "(made by another version of ConvViz?)", found=token[:3], expected=VERSION)
    body = token[len(VERSION):]
    damaged = "the link's table is damaged (cut short or changed by hand)"
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise _error("table_link_corrupt", damaged, row=0) from None
    if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise _error("table_link_too_large", f"the link's table expands past {MAX_JSON_BYTES:,} bytes",
                     chars=len(token), limit=MAX_JSON_BYTES)
    if not inflater.eof:
        raise _error("table_link_corrupt", damaged, row=0)
    try:
        rows = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _error("table_link_corrupt", damaged, row=0) from None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _error("table_link_corrupt", damaged, row=0)
    if len(rows) > MAX_ROWS:
        raise _error("table_link_too_large", f"the link's table has {len(rows):,} rows (at most {MAX_ROWS})",
                     chars=len(rows), limit=MAX_ROWS)
    records = []
    for number, row in enumerate(rows, start=1):
        if len(row) > len(RECORD_COLUMNS):
            raise _error("table_link_corrupt", f"row {number} has {len(row)} cells", row=number)
        cells = [_cell(v, column, number) for v, column in zip(row, RECORD_COLUMNS)]
        records.append(dict(zip(RECORD_COLUMNS, cells + [None] * (len(RECORD_COLUMNS) - len(cells)))))
    return records
