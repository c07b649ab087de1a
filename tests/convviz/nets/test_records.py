"""The Parameter Counts table format: a layer as a row and back (convviz.nets.records)."""
from __future__ import annotations

import pytest

from convviz import ARCHITECTURES, LayerError
from convviz.nets.layers import AdaptiveAvgPool2d, Conv2d, Unflatten
from convviz.nets.records import layer_from_record, layer_to_record


def test_records_round_trip_every_preset_layer():
    for arch in ARCHITECTURES.values():
        if arch.branching:  # a tree is not table rows (the page shows it read-only)
            continue
        shape = arch.input_shape
        for layer in arch.layers:
            rebuilt = layer_from_record(layer_to_record(layer), shape)
            assert rebuilt.type_name == layer.type_name
            assert rebuilt.params == layer.params
            assert rebuilt.output_shape(shape) == layer.output_shape(shape)
            shape = layer.output_shape(shape)


def test_records_fill_in_from_the_input_and_parse_text():
    conv = layer_from_record({"type": "Conv2d", "out": 16.0, "kernel": "1x7", "padding": "0, 3", "bias": False},
                             (8, 20, 20))
    assert (conv.in_channels, conv.kernel_size, conv.padding, conv.bias) == (8, (1, 7), (0, 3), False)
    assert layer_from_record({"type": "Linear", "out": 10}, (84,)).in_features == 84
    assert layer_from_record({"type": "BatchNorm2d"}, (12, 3, 3)).num_features == 12
    assert layer_from_record({"type": "MaxPool2d", "kernel": "3", "stride": None}, None).stride == (3, 3)
    assert layer_from_record({"type": "Dropout", "p": float("nan")}).p == 0.5
    assert layer_to_record(Conv2d(3, 8, (1, 7), padding="same"))["kernel"] == "1x7"


@pytest.mark.parametrize("record, shape, code, message", [
    ({"type": "Conv3d"}, (1, 4, 4), "unknown_type", "type must be one of Conv2d"),
    ({"type": None}, (1, 4, 4), "unknown_type", "got None"),
    ({"type": "Conv2d", "kernel": "3"}, (1, 4, 4), "missing", "Conv2d needs a value in column 'out'"),
    ({"type": "Conv2d", "out": 4, "kernel": "three"}, (1, 4, 4), "size_text", "kernel_size must be a number"),
    ({"type": "Conv2d", "out": 4, "kernel": "3", "padding": "lots"}, (1, 4, 4), "size_text", "'same' / 'valid'"),
    ({"type": "Conv2d", "out": 4.5, "kernel": "3"}, (1, 4, 4), "not_int", "out_channels must be an integer"),
    ({"type": "BatchNorm2d"}, (16,), "needs_image", "flat vector of 16 features"),
])
def test_record_errors(record, shape, code, message):
    with pytest.raises(LayerError) as err:
        layer_from_record(record, shape)
    assert message in str(err.value) and err.value.code == code


@pytest.mark.parametrize("layer", [Unflatten(1, (4, 2, 2)), AdaptiveAvgPool2d((2, 3))])
def test_layers_without_a_row_say_so(layer):
    with pytest.raises(LayerError) as err:
        layer_to_record(layer)
    assert err.value.code == "not_tabular"


def test_sizes_are_written_as_they_are_read():
    rec = layer_to_record(Conv2d(3, 8, (3, 3), stride=(1, 2), padding=(2, 2)))
    assert (rec["kernel"], rec["stride"], rec["padding"]) == ("3", "1x2", "2")
    assert layer_from_record(rec, (3, 9, 9)) == Conv2d(3, 8, 3, stride=(1, 2), padding=2)
