"""Layer specs: hand-worked counts, shapes, torch-like argument checks (table records: test_layer_table.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from convviz import LayerError

from convviz.nets.layers import (LAYER_TYPES, AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d,  # isort: skip
                                 Dropout, Flatten, Linear, MaxPool2d, ReLU, Tanh, Unflatten)
from convviz.nets.operations import layer_ops


def test_course_example_conv():
    conv = Conv2d(128, 64, kernel_size=3, padding=1)
    assert (conv.weights, conv.biases, conv.params) == (73_728, 64, 73_792)
    assert conv.output_shape((128, 40, 50)) == (64, 40, 50)
    # one multiply-add per kernel tap per output value
    assert conv.macs((128, 40, 50)) == 64 * 40 * 50 * 3 * 3 * 128 == 147_456_000
    f = conv.formula()
    assert [(t.name, t.value) for t in f.weight_terms] == [
        ("kernel_h", 3), ("kernel_w", 3), ("in_channels", 128), ("out_channels", 64)]
    assert f.weights == 73_728 and f.biases == 64


@settings(max_examples=40, deadline=None)
@given(k=st.integers(1, 7), cin=st.integers(1, 64), cout=st.integers(1, 64), stride=st.integers(1, 4),
       padding=st.integers(0, 3), bias=st.booleans())
def test_conv_count_ignores_padding_and_stride(k, cin, cout, stride, padding, bias):
    conv = Conv2d(cin, cout, k, stride=stride, padding=padding, bias=bias)
    assert conv.weights == k * k * cin * cout
    assert conv.params == k * k * cin * cout + (cout if bias else 0)
    assert conv.weights == Conv2d(cin, cout, k).weights


def test_grouped_and_depthwise_conv():
    grouped = Conv2d(64, 128, 3, groups=4)  # each output channel sees 64 / 4 = 16 input channels
    assert grouped.weights == 3 * 3 * 16 * 128 == 18_432
    assert [t.name for t in grouped.formula().weight_terms][2] == "in_per_group"
    depthwise = Conv2d(32, 32, 3, padding=1, groups=32)
    assert (depthwise.weights, depthwise.biases) == (288, 32)
    assert depthwise.macs((32, 10, 10)) == 32 * 10 * 10 * 9
    pointwise = Conv2d(32, 64, 1, bias=False)
    assert pointwise.params == 2_048


def test_non_square_and_dilated_conv_shapes():
    conv = Conv2d(6, 12, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=3)
    assert conv.weights == 3 * 5 * 2 * 12
    # effective kernel 5 x 9: (17 + 2 - 5) // 2 + 1 = 8, (13 + 4 - 9) // 1 + 1 = 9
    assert conv.output_shape((6, 17, 13)) == (12, 8, 9)


def test_padding_same_and_valid():
    assert Conv2d(3, 8, 4, padding="same").output_shape((3, 10, 7)) == (8, 10, 7)
    assert Conv2d(3, 8, 3, padding="valid").output_shape((3, 10, 7)) == (8, 8, 5)
    with pytest.raises(LayerError, match=r"padding='same' needs stride 1.*got stride 2") as err:
        Conv2d(3, 8, 3, stride=2, padding="same")
    assert err.value.code == "same_needs_stride_1"


def test_linear_batchnorm_dropout():
    assert Linear(9216, 4096).params == 9216 * 4096 + 4096
    assert Linear(10, 5, bias=False).biases == 0
    bn = BatchNorm2d(64)
    assert (bn.weights, bn.biases, bn.params) == (64, 64, 128)  # running mean / var are buffers
    assert BatchNorm2d(64, affine=False).params == 0
    assert bn.output_shape((64, 7, 7)) == (64, 7, 7)
    # no weight-times-input products; its scale and shift are the count "with bias & BatchNorm"
    assert bn.macs((64, 7, 7)) == 0 and layer_ops(bn, (64, 7, 7)) == (0, 64 * 49)
    assert Dropout(0.25).output_shape((100,)) == (100,) and Dropout().params == 0


def test_pool_shapes():
    assert MaxPool2d(3, stride=2).output_shape((64, 55, 55)) == (64, 27, 27)
    assert MaxPool2d(2).stride == (2, 2)  # torch: stride defaults to the kernel size
    assert AvgPool2d(2).output_shape((6, 28, 28)) == (6, 14, 14)
    assert MaxPool2d(3, stride=2, ceil_mode=True).output_shape((1, 6, 6)) == (1, 3, 3)
    assert MaxPool2d(3, stride=2).output_shape((1, 6, 6)) == (1, 2, 2)
    assert AdaptiveAvgPool2d((6, 6)).output_shape((256, 13, 13)) == (256, 6, 6)
    assert AdaptiveAvgPool2d((None, 1)).output_shape((8, 5, 9)) == (8, 5, 1)
    assert AdaptiveAvgPool2d(1).output_shape((8, 5, 9)) == (8, 1, 1)
    for layer in (MaxPool2d(2), AvgPool2d(2), AdaptiveAvgPool2d(1), Flatten(), ReLU(), Tanh(), Dropout()):
        assert layer.params == 0 and layer.formula().note == layer.type_name


def test_flatten_unflatten():
    assert Flatten().output_shape((256, 6, 6)) == (9216,)
    assert Unflatten(1, (64, 40, 50)).output_shape((128_000,)) == (64, 40, 50)
    with pytest.raises(LayerError, match="Unflatten expected 128000 input features"):
        Unflatten(1, (64, 40, 50)).output_shape((10,))


@pytest.mark.parametrize("make, code, message", [
    (lambda: Conv2d(0, 64, 3), "too_small", "in_channels must be >= 1, got 0"),
    (lambda: Conv2d(3, 64, 2.5), "not_int", "kernel_size must be an integer, got 2.5"),
    (lambda: Conv2d(3, 64, (3, 3, 3)), "not_pair", "kernel_size must be an int or an (h, w) pair, got (3, 3, 3)"),
    (lambda: Conv2d(3, 64, 3, padding=-1), "too_small", "padding must be >= 0, got -1"),
    (lambda: Conv2d(3, 64, 3, padding="full"), "bad_padding", "got 'full'"),
    (lambda: Conv2d(3, 64, 3, groups=2), "groups_divide", "in_channels must be divisible by groups=2, got 3"),
    (lambda: Conv2d(3, 64, 3, bias="yes"), "not_bool", "bias must be True or False, got 'yes'"),
    (lambda: Conv2d(3, 64, True), "not_int", "kernel_size must be an integer, got True"),
    (lambda: Linear(10, 0), "too_small", "out_features must be >= 1, got 0"),
    (lambda: MaxPool2d(2, padding=2), "pool_padding_too_large",
     "pooling padding must be at most half the kernel size (2 // 2 = 1), got padding=2"),
    (lambda: AvgPool2d(3, stride=0), "too_small", "stride must be >= 1, got 0"),
    (lambda: AdaptiveAvgPool2d((1, 2, 3)), "not_pair", "output_size must be an int or an (h, w) pair"),
    (lambda: BatchNorm2d(-4), "too_small", "num_features must be >= 1, got -4"),
    (lambda: Dropout(1.5), "out_of_range", "p must be between 0 and 1, got 1.5"),
    (lambda: Unflatten(2, (4, 4)), "unflatten_dim", "dim must be 1"),
    (lambda: Dropout(float("nan")), "not_float", "p must be a finite number, got nan"),
    (lambda: Conv2d(3, 64, 3, padding="same", stride=(2, 1)), "same_needs_stride_1", "got stride (2, 1)"),
])
def test_argument_errors_name_the_parameter_and_echo_the_value(make, code, message):
    with pytest.raises(LayerError) as err:
        make()
    assert message in str(err.value)
    assert err.value.code == code
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("layer, shape, code, message", [
    (Conv2d(3, 8, 3), (4, 10, 10), "channels", "expected in_channels = 3 but its input has 4 channels"),
    (Conv2d(3, 8, 5), (3, 4, 9), "kernel_too_large",
     "Conv2d: kernel_size 5 with dilation 1 spans 5 cells along the height"),
    (MaxPool2d(2), (3, 9, 1), "kernel_too_large", "spans 2 cells along the width"),
    (Conv2d(3, 8, 3), (27,), "needs_image", "needs a (C, H, W) input, got a flat vector of 27 features"),
    (Linear(27, 2), (3, 3, 3), "needs_flat", "add Flatten before it (in_features would then be 27)"),
    (Linear(20, 2), (27,), "features", "expected in_features = 27"),
    (BatchNorm2d(8), (4, 2, 2), "channels", "expected num_features = 4"),
])
def test_shape_errors(layer, shape, code, message):
    with pytest.raises(LayerError) as err:
        layer.output_shape(shape)
    assert message in str(err.value) and err.value.code == code


def test_layer_types_cover_the_spec():
    assert {"Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "ReLU",
            "BatchNorm2d", "Dropout"} <= set(LAYER_TYPES)
