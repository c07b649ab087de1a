"""The Inside page's worked examples (convviz.features.worked): the numbers its sentences and pictures show."""
import numpy as np
import pytest

from convviz.features.planes import MIX_PRESETS, demo_weights, mix_channels, split_rgb
from convviz.features.worked import demo_layer, mix_example, mix_picture
from convviz.sliding.ops import conv2d

PHOTO = np.random.default_rng(3).integers(0, 256, (9, 12, 3), dtype=np.uint8)


@pytest.mark.parametrize("k", [3, 5])
def test_demo_layer_is_the_conv_layer_taken_apart(k):
    planes = split_rgb(PHOTO)
    layer = demo_layer(planes, 4, k, out_channel=2)
    weight, names = demo_weights(4, k)
    np.testing.assert_array_equal(layer.weight, weight)
    assert layer.names == names and layer.padding == k // 2
    np.testing.assert_allclose(layer.outputs, conv2d(planes.astype(float), weight, padding=k // 2))
    assert layer.maps.shape == (4, 9, 12)
    np.testing.assert_allclose(layer.maps[:3].sum(axis=0), layer.maps[3])
    np.testing.assert_allclose(layer.maps[3], layer.outputs[2])


@pytest.mark.parametrize("preset", sorted(MIX_PRESETS))
def test_mix_example_is_the_centre_pixel_of_the_mixed_maps(preset):
    matrix = MIX_PRESETS[preset]
    mixed = mix_channels(PHOTO, matrix)
    ex = mix_example(PHOTO, matrix, mixed)
    assert (ex.row, ex.col) == (4, 6) and ex.pixel == tuple(int(v) for v in PHOTO[4, 6])
    assert ex.values == tuple(mixed[:, 4, 6])
    np.testing.assert_allclose(ex.values, np.asarray(ex.weights) @ np.asarray(ex.pixel))


def test_mix_picture_only_for_one_or_three_channels():
    mixed = mix_channels(PHOTO, MIX_PRESETS["swap"])
    np.testing.assert_array_equal(mix_picture(mixed), PHOTO[..., ::-1])
    assert mix_picture(mixed[:2]) is None and mix_picture(mixed[:1]).shape == (9, 12)
