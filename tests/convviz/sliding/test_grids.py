"""The values and kernels the Stride and Padding page animates."""
import numpy as np
import pytest

import convviz
from convviz.sliding.grids import default_weights, sample_values


def test_sample_values():
    a = sample_values("random", (5, 6), seed=3)
    assert a.shape == (5, 6) and a.min() >= 0 and a.max() <= 9
    assert np.array_equal(a, sample_values("random", (5, 6), seed=3))
    assert not np.array_equal(a, sample_values("random", (5, 6), seed=4))
    p = sample_values("pattern", (7, 7))
    assert set(np.unique(p)) == {1, 5} and p[3, 3] == 5 and p[0, 0] == 1
    img = np.zeros((30, 60, 3), np.uint8)
    img[:, 30:] = 255                                  # dark left half, white right half
    patch = sample_values("image", (4, 4), image=img)
    # centre-cropped to square (columns 15..45): left half dark, right half bright
    assert patch[:, :2].max() == 0 and patch[:, 2:].min() == 9
    with pytest.raises(convviz.GeometryError):
        sample_values("image", (4, 4))
    with pytest.raises(convviz.GeometryError):
        sample_values("noise", (4, 4))


def test_default_weights():
    assert default_weights("edge_v", 3).tolist() == [[1, 0, -1]] * 3
    assert default_weights("edge_h", (2, 3)).tolist() == [[1, 1, 1], [-1, -1, -1]]
    assert default_weights("edge_v", (3, 4)).tolist() == [[1, 1, -1, -1]] * 3
    assert default_weights("edge_v", (3, 1)).tolist() == [[1]] * 3   # no left/right: ones
    r = default_weights("random", (4, 4), seed=1)
    assert r.min() >= -2 and r.max() <= 2
    with pytest.raises(convviz.GeometryError):
        default_weights("sharpen", 3)
