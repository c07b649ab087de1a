"""Generated hostile text for the Parameter counts page: table links and pasted PyTorch source.

Seeded (``random.Random(seed)``), so every run draws the same cases; the convviz tests and the
page tests (``tests/views/test_ui_hostile.py``) share them. Each generator mixes cells or
tokens a real table or model holds with the kinds that once crashed a page (issue 22): floats
where whole numbers belong, huge numbers, ``null``, text of the wrong kind, lone surrogates,
nested lists and bools, brackets that never close, ``1e308`` channels.
"""
from __future__ import annotations

import base64
import json
import random
import zlib
from typing import Any

from convviz import ARCHITECTURES, to_pytorch
from convviz.nets.records import RECORD_COLUMNS, RECORD_TYPES

#: A cell the page's table holds, per column (about half the generated cells).
_GOOD = {
    "type": lambda r: r.choice(RECORD_TYPES),
    "in": lambda r: r.choice([1, 3, 8, 64, 10**6]),
    "out": lambda r: r.choice([1, 2, 10, 120, 10**6]),
    "kernel": lambda r: r.choice(["1", "3", "5", "1x7", "(3, 3)", "11", "x", ""]),
    "stride": lambda r: r.choice(["1", "2", "2x1", "0", "-1"]),
    "padding": lambda r: r.choice(["0", "1", "same", "valid", "999999999"]),
    "groups": lambda r: r.choice([1, 2, 3]),
    "bias": lambda r: r.choice([True, False]),
    "p": lambda r: r.choice([0, 0.5, 1, 0.25]),
}


def _bad_cell(r: random.Random, depth: int = 0) -> Any:
    kind = r.randrange(10 if depth < 2 else 8)
    if kind == 0:
        return r.choice([2.5, 8.0, -0.0, 1e308, 1e-300, 1e20, 3.0])
    if kind == 1:
        return r.choice([10**7, 10**30, -1, 0, 2**63, -(2**63) - 1, 10**6 + 1])
    if kind == 2:
        return None
    if kind == 3:
        return r.choice(["x", "\ud800", "a\udfff", "3\n3", "\x00", "<b>", "__import__", "합성곱", "9" * 40, ""])
    if kind == 4:
        return r.choice([True, False])
    if kind == 5:
        return r.choice(["Conv2d", "Unflatten", "Residual", "conv2d", "ReLU ", "Linear"])
    if kind == 6:
        return r.randint(-5, 5)
    if kind == 7:
        return r.choice(["3", "same", "1x2x3", "(3, 5)", " 3 "])
    if kind == 8:
        return [_bad_cell(r, depth + 1) for _ in range(r.randrange(3))]
    return {"k": _bad_cell(r, depth + 1)}


def random_rows(r: random.Random) -> list[list[Any]]:
    """A JSON table as a link carries it: rows of cells in :data:`RECORD_COLUMNS` order."""
    rows = []
    for _ in range(r.randrange(1, 6)):
        width = r.choice([1, 2, 4, len(RECORD_COLUMNS), len(RECORD_COLUMNS), len(RECORD_COLUMNS) + 1])
        good = r.random() < 0.6  # a row of mostly good cells, or mostly hostile ones
        row = []
        for column in (RECORD_COLUMNS + ("extra",))[:width]:
            plausible = column in _GOOD and r.random() < (0.9 if good else 0.3)
            row.append(_GOOD[column](r) if plausible else (None if r.random() < 0.3 else _bad_cell(r)))
        rows.append(row)
    return rows


def table_token(rows: Any) -> str:
    """``rows`` as a ``?params_table=`` value: ``"t1." + urlsafe_b64(zlib(json))``, lone surrogates escaped."""
    text = json.dumps(rows, ensure_ascii=True)
    return "t1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


#: Text a student might paste, or a mutation could make: numbers, brackets, names, odd characters.
_INSERTS = ["1e7", "1e308", "2.5", "1.0", "(", ")", "[", "]", ",", "__import__('os')", "\x0c", "\u2028",
            "\ud800", "\0", "\t", "\n", "  ", "'", '"', "#", "*(1)" * 30, "nn.", "torch.", "import torch as nn\n",
            "x = 1\n", "lambda: 3", "Residual(", "\\", "$x$", "**kw", "-", "10**9", "99999999"]


def random_source(r: random.Random) -> str:
    """A model from :data:`convviz.ARCHITECTURES` written by ``to_pytorch``, or a line typed by hand,
    with a few random cuts and inserts."""
    if r.random() < 0.3:
        head = r.choice(["", "import torch\n", "from torch import nn\n", "import torch.nn as nn\n"])
        layers = [r.choice(["nn.Conv2d(3, 8, 3)", "nn.ReLU()", "nn.Linear(1e7, 2)", "nn.Conv2d(3, 1e308, 3)",
                            "nn.Unflatten(1.0, (2, 2))", "nn.MaxPool2d(2)", "nn.Flatten()", "nn.Linear(8, 2)",
                            "nn.BatchNorm2d(8)", "nn.Dropout(0.5)", "nn.Conv2d(3, 8, (3, 3.0))"])
                  for _ in range(r.randrange(1, 5))]
        source = head + "model = nn.Sequential(" + ", ".join(layers) + ")\n"
    else:
        arch = ARCHITECTURES[r.choice(sorted(ARCHITECTURES))]
        source = to_pytorch(arch.layers, input_shape=arch.input_shape if r.random() < 0.5 else None)
    for _ in range(r.randrange(0, 4)):
        at = r.randrange(len(source) + 1)
        if r.random() < 0.3:
            source = source[:at] + source[at + r.randrange(1, 20):]
        else:
            source = source[:at] + r.choice(_INSERTS) + source[at:]
    return source
