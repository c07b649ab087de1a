"""Reading pasted nn.Sequential source (issue 16): round trips, torch's argument forms, and
hostile text refused quickly with the line and column."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from convviz import ARCHITECTURES, LayerError, summarize, to_pytorch
from convviz.nets.from_torch import MAX_LAYERS, MAX_SOURCE_CHARS, from_pytorch

from convviz.nets.layers import (AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten,  # isort: skip
                                 Linear, MaxPool2d, ReLU, Tanh, Unflatten)


def same_layers(a, b):
    """Spec equality, except that ``AdaptiveAvgPool2d((6, 6))`` is written (and read) as ``6``."""
    def norm(layer):
        if isinstance(layer, AdaptiveAvgPool2d) and isinstance(layer.output_size, tuple) \
                and layer.output_size[0] == layer.output_size[1] and layer.output_size[0] is not None:
            return AdaptiveAvgPool2d(layer.output_size[0])
        return layer
    return [norm(x) for x in a] == [norm(x) for x in b]


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("name", list(ARCHITECTURES))
@pytest.mark.parametrize("with_main", [True, False])
def test_presets_round_trip(name, with_main):
    arch = ARCHITECTURES[name]
    source = to_pytorch(arch.layers, input_shape=arch.input_shape if with_main else None)
    layers = from_pytorch(source)
    assert same_layers(layers, arch.layers)
    assert to_pytorch(layers, input_shape=arch.input_shape if with_main else None) == source
    assert summarize(layers, arch.input_shape).to_csv() == summarize(arch.layers, arch.input_shape).to_csv()


sizes = st.one_of(st.integers(1, 7), st.tuples(st.integers(1, 7), st.integers(1, 7)))
any_layer = st.one_of(
    st.builds(lambda cin, cout, k, s, p, d, g, b: Conv2d(cin * g, cout * g, k, s, p, d, g, b),
              st.integers(1, 64), st.integers(1, 64), sizes, sizes, st.one_of(sizes, st.integers(0, 3)), sizes,
              st.integers(1, 4), st.booleans()),
    st.builds(lambda cin, cout, k, d, pad, b: Conv2d(cin, cout, k, padding=pad, dilation=d, bias=b),
              st.integers(1, 64), st.integers(1, 64), sizes, sizes, st.sampled_from(["same", "valid"]), st.booleans()),
    st.builds(Linear, st.integers(1, 10**6), st.integers(1, 10**6), st.booleans()),
    st.builds(lambda k, s, d, c: MaxPool2d(k, s, (k // 2) if isinstance(k, int) else 0, d, c),
              sizes, st.one_of(st.none(), sizes), sizes, st.booleans()),
    st.builds(lambda k, s, c, i: AvgPool2d(k, s, 0, c, i), sizes, st.one_of(st.none(), sizes),
              st.booleans(), st.booleans()),
    st.builds(AdaptiveAvgPool2d, st.one_of(st.integers(1, 9), st.tuples(st.one_of(st.none(), st.integers(1, 9)),
                                                                           st.one_of(st.none(), st.integers(1, 9))))),
    st.just(Flatten()), st.just(Tanh()), st.builds(ReLU, st.booleans()),
    st.builds(Unflatten, st.just(1), st.lists(st.integers(1, 512), min_size=1, max_size=4).map(tuple)),
    st.builds(BatchNorm2d, st.integers(1, 4096), st.floats(1e-9, 0.1), st.one_of(st.none(), st.floats(0, 1)),
              st.booleans()),
    st.builds(Dropout, st.floats(0, 1), st.booleans()),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_layer, max_size=12))
def test_generated_stacks_round_trip(layers):
    source = to_pytorch(layers)
    back = from_pytorch(source)
    assert same_layers(back, layers)
    assert to_pytorch(back) == source


# ---------------------------------------------------------------- what torch users write

HEADER = "import torch\nimport torch.nn as nn\n\n"


@pytest.mark.parametrize("text, expected", [
    ("torch.nn.Conv2d(3, 8, 3)", Conv2d(3, 8, 3)),
    ("nn.Conv2d(3, 8, (3, 5), 2, 1, 1, 1, False)", Conv2d(3, 8, (3, 5), 2, 1, 1, 1, False)),
    ("nn.Conv2d(in_channels=3, out_channels=8, kernel_size=[3, 3], padding='same', padding_mode='zeros')",
     Conv2d(3, 8, 3, padding="same")),
    ("nn.Conv2d(3, 8, kernel_size=3, padding=\"valid\", device=None, dtype=None)", Conv2d(3, 8, 3, padding="valid")),
    # torch's MaxPool2d has return_indices before ceil_mode
    ("nn.MaxPool2d(3, 2, 1, 1, False, True)", MaxPool2d(3, 2, 1, ceil_mode=True)),
    ("nn.AvgPool2d(2, None, 0, False, False, None)", AvgPool2d(2, count_include_pad=False)),
    ("nn.Linear(16 * 5 * 5, 120)", Linear(400, 120)),
    ("nn.Linear(120 - 36, 10 // 2 + 0)", Linear(84, 5)),
    ("nn.Flatten(1, -1)", Flatten()),
    ("nn.Flatten(start_dim=1, end_dim=-1)", Flatten()),
    ("nn.Unflatten(1, [64, 4, 4])", Unflatten(1, (64, 4, 4))),
    ("nn.AdaptiveAvgPool2d((None, 7))", AdaptiveAvgPool2d((None, 7))),
    ("nn.ReLU(True)", ReLU(inplace=True)),
    ("nn.BatchNorm2d(64, 1e-3, None, True, True)", BatchNorm2d(64, 1e-3, None)),
    ("nn.Dropout(p=1)", Dropout(1.0)),
    ("nn.Dropout(+0.25)", Dropout(0.25)),
])
def test_torch_argument_forms(text, expected):
    source = HEADER + f"model = nn.Sequential(\n    {text},  # a comment\n)\n"
    assert from_pytorch(source) == [expected]


def test_other_variable_names_docstrings_and_an_empty_model():
    assert from_pytorch('"""My net."""\nfrom torch import nn\nnet = nn.Sequential()\n') == []


def test_the_main_block_is_not_read():
    source = "model = nn.Sequential(nn.ReLU())\nif __name__ == '__main__':\n    import os\n    os.system('x')\n"
    assert from_pytorch(source) == [ReLU()]


# ---------------------------------------------------------------- refused

def refuse(source):
    start = time.perf_counter()
    with pytest.raises(LayerError) as info:
        from_pytorch(source)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"took {elapsed:.2f} s"  # a sanity bound, not a benchmark
    return info.value


M = "model = nn.Sequential("   # 22 characters: the first layer starts at column 23

HOSTILE = [
    # (source, code, line, column, text in the message)
    ("x" * (MAX_SOURCE_CHARS + 1), "source_too_long", None, None, "the limit is 100,000"),
    ("# " + "x" * 10 * MAX_SOURCE_CHARS, "source_too_long", None, None, "characters long"),
    (M + "(" * 40 + ")" * 40 + ")", "source_too_deep", 1, 32, "nested more than 10"),
    (M + "nn.Conv2d(3, 8, " + "-" * 90_000 + "1))", "source_too_deep", 1, 89, "in a row"),
    (M + "nn.Linear(1" + "+1" * 40_000 + ", 2))", "source_too_deep", 1, 83, "in a row"),
    (M + "nn.Conv2d(3, 8, " + "lambda: " * 9_000 + "3))", "source_too_deep", 1, 239, "in a row"),
    (M + "nn.Conv2d(3, 8, " + "not " * 20_000 + "1))", "source_too_deep", 1, 239, "in a row"),
    (M + "f" + "()" * 30_000 + ")", "source_too_deep", 1, 40, "a chain"),
    (M + "a" + ".b" * 40_000 + ")", "source_too_deep", 1, 40, "a chain"),
    (M + "nn.Conv2d(3, 8, " + "9" * 50_000 + "))", "source_number_too_large", 1, 39, "too many digits"),
    (M + "nn.Conv2d(3, 8, 12345678))", "source_number_too_large", 1, 39, "too many digits"),
    (M + "nn.Conv2d(3, 1000001, 3))", "source_number_too_large", 1, 36, "1000001 is too large"),
    (M + "nn.Linear(1000000 * 1000000, 2))", "source_number_too_large", 1, 33, "is too large"),
    (M + "nn.Dropout(1e999))", "source_bad_number", 1, 34, "inf is not a finite number"),
    (M + "nn.Linear(2 // 0, 2))", "source_bad_number", 1, 33, "division by zero"),
    ("__import__('os').system('echo hi')", "source_not_supported", 1, 1, "found `__import__('os').system('echo hi')`"),
    ("import os\n" + M + ")", "source_not_supported", 1, 1, "found `import os`"),
    ("from os import system\n" + M + ")", "source_not_supported", 1, 1, "found `from os import system`"),
    (M + ")\nprint(1)", "source_not_supported", 2, 1, "found `print(1)`"),
    (M + ")\n" + M + ")", "source_not_supported", 2, 1, "found `model = nn.Sequential()`"),
    ("class Net(nn.Module):\n    pass\n", "source_not_supported", 1, 1, "found `class Net(nn.Module):`"),
    ("model = torch.load('x.pt')", "source_not_sequential", 1, 1, "`model = torch.load('x.pt')` assigns"),
    ("x = 1", "source_not_sequential", 1, 1, "no nn.Sequential(...) model here: `x = 1`"),
    (M + "*[nn.ReLU() for _ in range(10**9)])", "source_not_layer", 1, 23, "expected a layer"),
    (M + "nn.ReLU(), torch.nn.modules.conv.Conv2d(3, 8, 3))", "source_not_layer", 1, 34, "expected a layer"),
    (M + "layer)", "source_not_layer", 1, 23, "found `layer`"),
    (M + "nn.Conv2d(3, 8, __import__('os')))", "source_value", 1, 39, "a function call `__import__('os')`"),
    (M + "nn.Conv2d(3, 8, lambda: 3))", "source_value", 1, 39, "a lambda"),
    (M + "nn.Conv2d(3, 8, 3, padding=f'{x}'))", "source_value", 1, 50, "an f-string"),
    (M + "nn.Conv2d(3, 8, [k for k in (3, 3)]))", "source_value", 1, 39, "a comprehension"),
    (M + "nn.Conv2d(3, 8, k))", "source_value", 1, 39, "a name `k`"),
    (M + "nn.Conv2d(3, 8, 2 ** 10))", "source_value", 1, 39, "an expression `2 ** 10`"),
    (M + "nn.Conv2d(3, 8, ((3, 3), 3)))", "source_value", 1, 40, "a nested tuple"),
    (M + "nn.Unflatten(1, (1, 1, 1, 1, 1, 1, 1, 1, 1)))", "source_value", 1, 39, "more than 8"),
    (M + "nn.Conv2d(3, 8, 3, padding='" + "s" * 40 + "'))", "source_value", 1, 50, "expected a number"),
    (M + "nn.Conv2d(3, 8, *k))", "source_value", 1, 39, "expected a value"),
    (M + "nn.ReLU(),\n    nn.Conv3d(3, 8, 3))", "source_unknown_layer", 2, 5, "nn.Conv3d is not one of"),
    (M + "nn.ReLU(), " * (MAX_LAYERS + 1) + ")", "source_too_many_layers", 1, 23 + 11 * MAX_LAYERS, "more than 500"),
    (M + "nn.ReLU(False, False))", "source_too_many_arguments", 1, 38, "at most 1 positional"),
    (M + "nn.Linear(4, 2, bias=True, bias=False))", "source_duplicate_argument", 1, 50, "got `bias` twice"),
    (M + "nn.Linear(4, 2, True, bias=False))", "source_duplicate_argument", 1, 45, "got `bias` twice"),
    (M + "nn.Linear(4, 2, in_channels=4))", "source_unknown_argument", 1, 39, "has no argument `in_channels`"),
    (M + "nn.Linear(4, 2, **kw))", "source_unknown_argument", 1, 39, "has no argument `**`"),
    (M + "nn.Linear(4))", "source_missing_argument", 1, 23, "needs `out_features`"),
    (M + "nn.Conv2d(3, 8, 3, padding_mode='reflect'))", "source_unsupported_value", 1, 55, "padding_mode='zeros'"),
    (M + "nn.Flatten(2))", "source_unsupported_value", 1, 34, "start_dim=1"),
    (M + "nn.MaxPool2d(2, return_indices=True))", "source_unsupported_value", 1, 54, "return_indices=False"),
    (M + "nn.ReLU(inplace=1))", "source_unsupported_value", 1, 39, "inplace must be True or False"),
    (M + "nn.BatchNorm2d(8, eps='small'))", "source_unsupported_value", 1, 45, "eps must be a number"),
    # brackets inside strings and comments are not nesting
    (M + "nn.Conv2d(3, 8, 3, padding='((((((((((((')) # ]]]]]]]]]]]]]]", "bad_padding", 1, 23, "padding must be"),
    (M + "nn.Conv2d(0, 8, 3))", "too_small", 1, 23, "layer 1 (nn.Conv2d): in_channels must be >= 1, got 0"),
    (M + "nn.ReLU(), nn.Conv2d(6, 8, 3, groups=4))", "groups_divide", 1, 34, "divisible by groups=4"),
    (M + "nn.Conv2d(3, 8, 3, stride=2, padding='same'))", "same_needs_stride_1", 1, 23,
     "padding='same' needs stride 1"),
    (M + "nn.Dropout(1.5))", "out_of_range", 1, 23, "p must be between 0 and 1"),
    (M + "nn.ReLU()", "source_unclosed", 1, 22, "was never closed"),
    ("model = nn.Sequential(nn.ReLU())\0", "source_bad_character", 1, 33, "U+0000"),
    ("if True:\n  model = 1\n model = 2\n", "source_indentation", 3, None, "indentation"),
    (M + "nn.ReLU()))", "source_unmatched", 1, 33, "unmatched ')'"),
    (M + "nn.ReLU(])", "source_mismatched", 1, 31, "does not match"),
    (M + "nn.Conv2d(3, 8, 3, padding='same))", "source_unterminated_string", 1, 50, "unterminated string"),
    (M + "nn.Conv2d(3, 8, 3) nn.ReLU())", "source_missing_comma", 1, 23, "forgot a comma"),
    (M + "nn.ReLU(),\u00a0nn.ReLU())", "source_bad_character", 1, 33, "U+00A0"),
    (M + "nn.ReLU() + 1 $)", "source_syntax", 1, 37, "invalid syntax"),
    # Python's own line breaks only: a form feed or U+2028 neither starts a line nor shifts the quote
    ("import torch\f\nmodel = nn.Sequential(nn.ReLU(), __import__)", "source_not_layer", 2, 34,
     "found `__import__`"),
    ("# \u2028 x\n" + M + "nn.ReLU(),\f__import__)", "source_not_layer", 2, 34, "found `__import__`"),
    ("import torch\r" + M + "nn.ReLU(), k)", "source_not_layer", 2, 34, "found `k`"),
    # floats where torch needs whole numbers; torch under another name
    (M + "nn.Linear(1e7, 2))", "source_not_int", 1, 33, "in_features must be a whole number"),
    (M + "nn.Conv2d(3, 1e308, 3))", "source_not_int", 1, 36, "out_channels must be a whole number"),
    (M + "nn.Unflatten(1.0, (2, 2)))", "source_not_int", 1, 36, "dim must be a whole number"),
    (M + "nn.Conv2d(3, 8, (3, 3.0)))", "source_not_int", 1, 39, "kernel_size must be a whole number"),
    (M + "nn.MaxPool2d(2, stride=2.))", "source_not_int", 1, 46, "stride must be a whole number"),
    (M + "nn.BatchNorm2d(8.0))", "source_not_int", 1, 38, "num_features must be a whole number"),
    ("import torch as nn\n" + M + "nn.Linear(2, 2))", "source_import_alias", 1, 1, "`import torch as nn`"),
    ("from torch import nn as torch\n" + M + ")", "source_import_alias", 1, 1, "another name"),
    ("import torch.nn as F\n" + M + ")", "source_import_alias", 1, 1, "another name"),
    # each bracket used to reset the run: Python's parser then recursed 1,500 deep
    (M + "nn.Linear(" + "*".join(["(1)"] * 1500) + ", 2))", "source_too_deep", 1, 135, "in a row"),
    ("class Residual(nn.Module):\n    def forward(self, x):\n        return " + "*".join(["(x)"] * 1500)
     + "\n" + M + ")", "source_too_deep", 3, 115, "in a row"),
    (M + "nn.Linear(" + "+".join(["((((((((1))))))))"] * 200) + ", 2))", "source_too_deep", None, None, "in a row"),
    ("".join(" " * i + "if 1:\n" for i in range(20)) + " " * 20 + "pass\n", "source_not_supported", 1, 1, "if 1:"),
    ("".join(" " * i + "if 1:\n" for i in range(120)) + " " * 120 + "pass\n", "source_indentation", 101, None,
     "too many levels of indentation"),
    ("import torch\n", "source_no_model", 1, 1, "no `model = nn.Sequential(...)`"),
    ('"합성곱"; model = nn.Sequential(nn.Foo())', "source_unknown_layer", 1, 30, "nn.Foo is not one of"),
]


@pytest.mark.parametrize("source, code, line, column, text", HOSTILE,
                         ids=[f"{i}-{case[1]}" for i, case in enumerate(HOSTILE)])
def test_refused_quickly_with_line_and_column(source, code, line, column, text):
    err = refuse(source)
    assert err.code == code, str(err)
    assert text in str(err)
    if line is not None:
        assert err.params["line"] == line and str(err).startswith(f"line {line}, column "), str(err)
    if column is not None:
        assert err.params["column"] == column and str(err).startswith(f"line {line}, column {column}:"), str(err)


def test_not_text():
    with pytest.raises(LayerError, match="source must be text") as err:
        from_pytorch(b"model = nn.Sequential()")
    assert err.value.code == "source_type"


def test_nothing_runs():
    # would print, import or write a file if anything were executed
    source = ("import torch\nmodel = nn.Sequential(nn.Conv2d(3, 8, open('/tmp/convviz_pwned', 'w')))\n")
    with pytest.raises(LayerError):
        from_pytorch(source)
    import os
    assert not os.path.exists("/tmp/convviz_pwned")


def test_pasted_text_leaves_no_syntax_warning_in_the_server_log():
    # Python's parser warns on "1if x else 2"; a server (a fresh interpreter, warnings on) must stay quiet
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("from convviz import from_pytorch, LayerError\n"
            "try:\n    from_pytorch('model = nn.Sequential(nn.Linear(1if 1 else 2, 2))')\n"
            "except LayerError as err:\n    print(err.code)\n")
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "source_value" and done.stderr == "", done.stderr
