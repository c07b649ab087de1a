"""Feature maps of the hand-set CNN: shapes equal output_size, stages are what they claim to be."""
from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz.features.maps import CHANNEL_NAMES, CONV1, CONV2, POOL, display_maps, feature_maps, network
from convviz.sliding.windows import output_size

ROOT = Path(__file__).resolve().parents[3]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 300), st.integers(1, 300), st.sampled_from([16, 37, 64, 160]), st.booleans())
def test_stage_shapes_equal_output_size(h, w, size, colour):
    img = np.zeros((h, w, 3), np.uint8)
    try:
        stages = feature_maps(img, colour=colour, size=size)
    except convviz.GeometryError:
        # Only a photo so thin that the pooled maps are narrower than conv2's kernel may fail.
        assert min(h, w) * size / max(h, w) < 2 * (CONV2["kernel_size"] + 1)
        return
    names = [s.name for s in stages]
    assert names == ["input", "conv1", "relu1", "pool1", "conv2", "relu2"]
    c_in, h0, w0 = stages[0].shape
    assert c_in == (3 if colour else 1) and max(h0, w0) == size
    dims = []
    for n in (h0, w0):
        n1 = output_size(n, CONV1["kernel_size"], padding=CONV1["padding"])
        n2 = output_size(n1, POOL["kernel_size"], stride=POOL["kernel_size"])
        n3 = output_size(n2, CONV2["kernel_size"], padding=CONV2["padding"])
        dims.append((n1, n2, n3))
    (h1, h2, h3), (w1, w2, w3) = dims
    net = network(colour)
    c1, c2 = net["conv1_weight"].shape[0], net["conv2_weight"].shape[0]
    assert [s.shape for s in stages[1:]] == [(c1, h1, w1), (c1, h1, w1), (c1, h2, w2), (c2, h3, w3), (c2, h3, w3)]
    assert c2 > c1 > c_in                                 # the channel count grows
    for s in stages:
        assert len(s.labels) == s.shape[0]


def test_stages_are_relu_and_max_pool_of_each_other():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (50, 70, 3), dtype=np.uint8)
    inp, conv1, relu1, pool1, conv2, relu2 = feature_maps(img, colour=True, size=64)
    assert conv1.signed and conv2.signed and not relu1.signed
    assert (conv1.values < 0).any()
    np.testing.assert_array_equal(relu1.values, np.maximum(conv1.values, 0))
    np.testing.assert_array_equal(relu2.values, np.maximum(conv2.values, 0))
    c, h, w = relu1.shape
    blocks = relu1.values[:, : h // 2 * 2, : w // 2 * 2].reshape(c, h // 2, 2, w // 2, 2)
    np.testing.assert_array_equal(pool1.values, blocks.max(axis=(2, 4)))
    assert 0 <= inp.values.min() and inp.values.max() <= 1


@pytest.mark.torch
def test_network_matches_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    img = np.random.default_rng(5).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    for colour in (False, True):
        stages = feature_maps(img, colour=colour, size=48)
        net = network(colour)
        x = torch.tensor(stages[0].values)[None]
        y = F.conv2d(x, torch.tensor(net["conv1_weight"]), torch.tensor(net["conv1_bias"]), padding=CONV1["padding"])
        np.testing.assert_allclose(stages[1].values, y[0].numpy(), atol=1e-12)
        y = F.max_pool2d(F.relu(y), POOL["kernel_size"])
        y = F.relu(F.conv2d(y, torch.tensor(net["conv2_weight"]), torch.tensor(net["conv2_bias"]),
                            padding=CONV2["padding"]))
        np.testing.assert_allclose(stages[5].values, y[0].numpy(), atol=1e-12)


def test_kernels_respond_to_what_their_names_say():
    img = np.zeros((64, 64), np.uint8)
    img[:, 32:] = 255                                  # vertical edge, lighter on the right
    _, conv1, *_ , relu2 = feature_maps(img, size=64)
    i1 = {n: k for k, n in enumerate(conv1.labels)}
    inner = (slice(4, -4), slice(4, -4))               # away from the zero padding at the border
    v = conv1.values[i1["v_pos"]][inner]
    assert v.max() == pytest.approx(1.0) and conv1.values[i1["v_neg"]][inner].max() <= 1e-12
    assert np.abs(conv1.values[i1["h_pos"]][inner]).max() < 1e-12
    i2 = {n: k for k, n in enumerate(relu2.labels)}
    inner2 = (slice(3, -3), slice(3, -3))
    assert relu2.values[i2["edges_v"]][inner2].max() > 0.3
    assert relu2.values[i2["edges_h"]][inner2].max() < 1e-12
    dark = relu2.values[i2["dark"]][inner2]
    assert dark[:, :5].min() > 0.9 and dark[:, -5:].max() == 0     # left half dark, right half not


def test_every_channel_is_named_in_both_languages():
    names = set()
    for colour in (False, True):
        net = network(colour)
        names |= set(net["conv1_labels"]) | set(net["conv2_labels"])
    names |= {"grey", "red", "green", "blue"}
    assert names <= set(CHANNEL_NAMES)
    for lang in ("en", "ko"):
        with open(ROOT / "locales" / lang / "inside.toml", "rb") as fh:
            labels = tomllib.load(fh)["maps"]["channels"]
        assert names <= set(labels), (lang, names - set(labels))


def test_display_maps_scales_and_legends():
    v = np.array([[[-2.0, 0.0, 1.0, 4.0]], [[0.0, 0.1, 0.2, 0.2]]])
    pics, legends = display_maps(v, how="clip", scale=4.0)
    assert pics[0].tolist() == [[0, 0, 64, 255]] and legends == [(0.0, 4.0)] * 2
    pics, _ = display_maps(v, how="abs", scale=4.0)
    assert pics[0].tolist() == [[128, 0, 64, 255]]
    pics, legends = display_maps(v, how="midgrey", scale=4.0)
    assert pics[0, 0, 1] == 128 and legends[0] == (-4.0, 4.0)
    pics, legends = display_maps(v, per_channel=True)
    assert pics[1].max() == 255 and legends[1][1] == pytest.approx(0.2)
    with pytest.raises(convviz.ConvVizError, match="how"):
        display_maps(v, how="log")
    with pytest.raises(convviz.ConvVizError, match="scale"):
        display_maps(v, scale=0.0)


def test_bad_input():
    with pytest.raises(convviz.ImageError):
        feature_maps(np.zeros((4, 4), np.float32))
    with pytest.raises(convviz.LayerError, match="size must be between 8 and 512, got 4"):
        feature_maps(np.zeros((4, 4), np.uint8), size=4)
