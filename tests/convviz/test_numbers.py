"""The number and shape formatters every page writes through (convviz.numbers)."""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from convviz.errors import ConvVizError
from convviz.numbers import (
    format_count,
    format_factor,
    format_number,
    format_percent,
    format_shape,
    format_significant,
    format_values,
)


def test_format_number():
    assert [format_number(v) for v in (0, 7, -3, 2.5, 1 / 3, -0.004, 1e6)] == \
        ["0", "7", "−3", "2.5", "0.33", "0", "1000000"]
    assert format_number(float("inf")) == "∞" and format_number(float("nan")) == "?"
    assert format_factor(-0.5) == "(−0.5)" and format_factor(3) == "3"


@given(st.floats(-1e6, 1e6))
def test_four_places_with_an_ascii_minus_is_the_old_sum_text(v):
    # The pixel inspector's sums were written f"{v:.4f}".rstrip("0").rstrip("."), which left "-0".
    old = f"{v:.4f}".rstrip("0").rstrip(".")
    assert format_number(v, places=4, minus="-") == ("0" if old == "-0" else old)


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(1, 6))
def test_format_significant_is_the_old_inspector_fmt(v, digits):
    old = str(int(v)) if v == int(v) and abs(v) < 1e9 else f"{v:.{digits}g}"
    assert format_significant(v, digits) == old


def test_format_values_and_counts():
    assert format_values(np.array([[255.0]])) == "255"
    assert format_values([1, -2.5, 0.123456]) == "(1, -2.5, 0.1235)"
    assert format_count(np.int64(4096)) == "4,096" and format_count(10**20) == "100,000,000,000,000,000,000"
    assert format_count(2.5) == "2" and format_count(math.inf) == "inf"
    assert format_percent(0.0005) == "0.1%"


@given(st.lists(st.integers(1, 10**7), min_size=1, max_size=4))
def test_format_shape_styles(shape):
    # screen: what the Parameter Counts tables wrote; csv: what Summary.to_csv wrote.
    assert format_shape(shape) == " × ".join(f"{s:,}" for s in shape)
    assert format_shape(tuple(np.int64(s) for s in shape), style="csv") == "x".join(str(s) for s in shape)
    assert format_shape(shape, style="tuple") == str(tuple(shape))


def test_format_shape_refuses_unknown_styles():
    with pytest.raises(ConvVizError):
        format_shape((1, 2), style="latex")
    with pytest.raises(TypeError):
        format_shape((1.5, 2))
