"""Output sizes: hand-worked and conv_arithmetic cases, validation, and properties."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.errors import ERROR_CODES
from convviz.sliding.windows import (
    as_pair,
    output_shape,
    output_size,
    resolve_padding,
    same_padding,
    size_numerator,
    transposed_output_shape,
    transposed_output_size,
    unused_input,
)
from convviz.sliding.worked import output_size_latex, transposed_size_latex, transposed_steps


# Dumoulin & Visin, "A guide to convolution arithmetic" (the conv_arithmetic GIFs).
@pytest.mark.parametrize("n, k, s, p, d, expected", [
    (4, 3, 1, 0, 1, 2),   # no padding, unit strides
    (5, 4, 1, 2, 1, 6),   # arbitrary padding, unit strides
    (5, 3, 1, 1, 1, 5),   # half (same) padding
    (5, 3, 1, 2, 1, 7),   # full padding
    (5, 3, 2, 0, 1, 2),   # no padding, strides
    (5, 3, 2, 1, 1, 3),   # padding, strides
    (6, 3, 2, 1, 1, 3),   # padding, strides (odd): the last row is never used
    (7, 3, 1, 0, 2, 3),   # dilation
    (7, 3, 2, 1, 1, 4),   # the classroom case
    (1, 1, 1, 0, 1, 1),
])
def test_conv_arithmetic_cases(n, k, s, p, d, expected):
    assert output_size(n, k, stride=s, padding=p, dilation=d) == expected


@pytest.mark.parametrize("n, k, s, p, op, d, expected", [
    (2, 3, 1, 0, 0, 1, 4),   # transposed of "no padding, unit strides"
    (6, 4, 1, 2, 0, 1, 5),   # transposed of "arbitrary padding, unit strides"
    (5, 3, 1, 1, 0, 1, 5),   # transposed of half padding
    (7, 3, 1, 2, 0, 1, 5),   # transposed of full padding
    (2, 3, 2, 0, 0, 1, 5),   # transposed of "no padding, strides"
    (3, 3, 2, 1, 0, 1, 5),   # transposed of "padding, strides"
    (3, 3, 2, 1, 1, 1, 6),   # transposed of "padding, strides (odd)": output_padding 1
    (3, 3, 1, 0, 1, 2, 8),   # output_padding allowed because it is below the dilation
    (4, 3, 2, 1, 0, 1, 7),
])
def test_transposed_conv_arithmetic_cases(n, k, s, p, op, d, expected):
    assert transposed_output_size(n, k, stride=s, padding=p, output_padding=op, dilation=d) == expected


def test_same_padding_matches_the_notes():
    assert same_padding(3) == (1, 1)
    assert same_padding(5) == (2, 2)
    assert same_padding(7) == (3, 3)
    assert same_padding(1) == (0, 0)
    assert same_padding(4) == (1, 2)          # PyTorch: the odd cell goes after
    assert same_padding(3, dilation=2) == (2, 2)


def test_same_and_valid_padding_strings():
    assert output_size(9, 5, padding="same") == 9
    assert output_size(9, 4, padding="same", dilation=3) == 9
    assert output_size(9, 5, padding="valid") == 5
    assert resolve_padding("same", (3, 4)) == ((1, 1), (1, 2))
    assert resolve_padding((1, 2), 3) == ((1, 1), (2, 2))
    assert output_shape((6, 9), (3, 4), padding="same") == (6, 9)
    with pytest.raises(convviz.GeometryError) as info:
        output_size(9, 3, stride=2, padding="same")
    assert info.value.code == "same_needs_stride_1" and info.value.params["param"] == "stride"
    with pytest.raises(convviz.GeometryError, match="padding must be an int"):
        resolve_padding("full", 3)


def test_as_pair():
    assert as_pair(3, "stride") == (3, 3)
    assert as_pair((1, 2), "stride") == (1, 2)
    assert as_pair([2, 0], "padding") == (2, 0)
    assert as_pair(2.0, "stride") == (2, 2)
    assert as_pair((np.int64(2), 1.0), "stride") == (2, 1)
    for bad in ((1, 2, 3), "2", True, 1.5, None, float("nan"), float("inf")):
        with pytest.raises(convviz.GeometryError):
            as_pair(bad, "stride")


@pytest.mark.parametrize("kwargs, param, fragment", [
    ({"n": 0, "kernel_size": 3}, "n", "n must be >= 1, got 0"),
    ({"n": 5, "kernel_size": 0}, "kernel_size", "kernel_size must be >= 1, got 0"),
    ({"n": 5, "kernel_size": 3, "stride": 0}, "stride", "stride must be >= 1, got 0"),
    ({"n": 5, "kernel_size": 3, "padding": -1}, "padding", "padding must be >= 0, got -1"),
    ({"n": 5, "kernel_size": 3, "dilation": 0}, "dilation", "dilation must be >= 1, got 0"),
    ({"n": 5, "kernel_size": 3, "stride": 1.5}, "stride", "stride must be an integer, got 1.5"),
    ({"n": 5, "kernel_size": 3, "stride": True}, "stride", "stride must be an integer, got True"),
    ({"n": 3, "kernel_size": 5}, "kernel_size", "kernel_size 5 with dilation 1 spans 5 cells"),
    ({"n": 5, "kernel_size": 3, "dilation": 3}, "kernel_size", "spans 7 cells"),
])
def test_errors_name_the_parameter_and_echo_the_value(kwargs, param, fragment):
    with pytest.raises(convviz.GeometryError) as info:
        output_size(kwargs.pop("n"), kwargs.pop("kernel_size"), **kwargs)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)
    assert info.value.params["param"] == param
    assert info.value.code in ERROR_CODES


def test_kernel_too_large_error_has_numbers_for_the_page():
    with pytest.raises(convviz.GeometryError) as info:
        output_shape((7, 3), (3, 5), padding=0)
    err = info.value
    assert err.code == "kernel_too_large"
    assert err.params["axis"] == "width" and err.params["span"] == 5 and err.params["padded"] == 3
    # padding makes it fit
    assert output_shape((7, 3), (3, 5), padding=1) == (7, 1)


def test_transposed_validity_rules():
    with pytest.raises(convviz.GeometryError) as info:
        transposed_output_size(3, 3, stride=2, output_padding=2)
    assert info.value.code == "output_padding_too_large"
    assert "output_padding=2" in str(info.value)
    with pytest.raises(convviz.GeometryError) as info:
        transposed_output_size(1, 1, padding=1)
    assert info.value.code == "transposed_empty" and info.value.params["param"] == "padding"
    with pytest.raises(convviz.GeometryError, match="padding must be >= 0, got -1"):
        transposed_output_size(3, 3, padding=-1)
    assert transposed_output_shape((2, 3), (3, 1), stride=(2, 1)) == (5, 3)


def test_unused_input_and_numerator():
    assert size_numerator(7, 3, padding=1) == 6
    assert unused_input(7, 3, stride=2, padding=1) == 0
    assert unused_input(6, 3, stride=2, padding=1) == 1    # the odd conv_arithmetic case
    assert unused_input(10, 3, stride=4) == 3


def test_latex_has_the_numbers_and_result():
    tex = output_size_latex(7, 3, stride=2, padding=1)
    assert r"\frac{7 + 2\cdot 1 - 1\cdot(3-1) - 1}{2}" in tex and tex.endswith("= 4")
    assert output_size_latex(5, 4, padding=(1, 2)).endswith("= 5")
    # an impossible geometry still gives a formula, showing why: a non-positive size
    assert output_size_latex(2, 5).endswith(r"\frac{-3}{1} \right\rfloor + 1 = -2")
    assert transposed_size_latex(3, 3, stride=2, padding=1, output_padding=1).endswith("= 6")
    assert transposed_steps(3, 3, stride=2, padding=1) == {
        "zeros": 1, "spread": 5, "pad": 1, "extra": 0, "grid": 7, "span": 3, "out": 5}


def _brute_force_positions(n, k, s, p, d):
    """Count window positions by sliding one cell at a time over the padded input."""
    return sum(1 for start in range(0, n + 2 * p, s) if start + d * (k - 1) <= n + 2 * p - 1)


sizes = st.integers(1, 30)


@settings(max_examples=150, deadline=None)
@given(n=sizes, k=st.integers(1, 9), s=st.integers(1, 5), p=st.integers(0, 5), d=st.integers(1, 4))
def test_output_size_counts_window_positions(n, k, s, p, d):
    count = _brute_force_positions(n, k, s, p, d)
    if count == 0:
        with pytest.raises(convviz.GeometryError):
            output_size(n, k, stride=s, padding=p, dilation=d)
    else:
        assert output_size(n, k, stride=s, padding=p, dilation=d) == count


@settings(max_examples=150, deadline=None)
@given(n=sizes, k=st.integers(1, 9), s=st.integers(1, 5), p=st.integers(0, 5), d=st.integers(1, 4))
def test_transposed_size_inverts_conv_size(n, k, s, p, d):
    # The transposed convolution maps the output size back to the input size once
    # output_padding restores the rows the stride skipped (always < stride).
    try:
        o = output_size(n, k, stride=s, padding=p, dilation=d)
    except convviz.GeometryError:
        return
    extra = unused_input(n, k, stride=s, padding=p, dilation=d)
    assert transposed_output_size(o, k, stride=s, padding=p, output_padding=extra, dilation=d) == n


def test_docstring_examples():
    import doctest

    import convviz.sliding.ops
    import convviz.sliding.windows
    for module in (convviz.sliding.windows, convviz.sliding.ops):
        assert doctest.testmod(module).failed == 0, module.__name__
