"""``convviz.filters.display.filter_display``: the shown result made strip by strip is the whole-image one."""
from __future__ import annotations

import numpy as np
import pytest

import convviz
from convviz.filters.display import SIGNED_DISPLAYS, filter_display, to_display
from convviz.filters.filtering import filter_signed

MODES = ("reflect", "constant", "nearest", "mirror", "wrap")
RNG = np.random.default_rng(7)
COLOUR = RNG.integers(0, 256, (61, 47, 3), dtype=np.uint8)
GREY = RNG.integers(0, 256, (40, 33), dtype=np.uint8)


@pytest.mark.parametrize("preset", ["emboss", "sharpen", "outline", "sobel_x", "box_blur", "gaussian_blur"])
@pytest.mark.parametrize("mode", MODES)
def test_presets_give_the_same_bytes_whatever_the_strips(preset, mode):
    k = convviz.make_kernel(preset)
    for how in SIGNED_DISPLAYS:
        whole = to_display(filter_signed(COLOUR, k, mode=mode, cval=17.0, flip=True), how=how)
        # 1 row per strip, strips that do not divide the height, one strip larger than the image
        for rows in (1, 7, 30, 500):
            got = filter_display(COLOUR, k, mode=mode, cval=17.0, flip=True, how=how, strip_rows=rows)
            assert got.dtype == np.uint8 and np.array_equal(got, whole), (preset, mode, how, rows)


@pytest.mark.parametrize("mode", MODES)
def test_tall_odd_kernels_reach_across_several_strips(mode):
    # 11 rows of reach with 3-row strips: every strip takes rows from its neighbours (and wraps).
    k = RNG.normal(size=(23, 5))
    whole = to_display(filter_signed(GREY, k, mode=mode), how="midgrey")
    got = filter_display(GREY, k, mode=mode, how="midgrey", strip_rows=3)
    # Sums in another order may round a value at .5 the other way: at most one grey level.
    assert np.abs(got.astype(int) - whole).max() <= 1
    assert (got != whole).mean() < 0.01


def test_bad_arguments_are_refused_like_filter_signed():
    with pytest.raises(convviz.ConvVizError):
        filter_display(COLOUR, np.ones((2, 2)))
    with pytest.raises(convviz.ConvVizError):
        filter_display(COLOUR, np.ones((3, 3)), how="rainbow")
    with pytest.raises(convviz.ConvVizError):
        filter_display(COLOUR, np.ones((3, 3)), strip_rows=0)
