import numpy as np
import pytest

import convviz
from convviz import KERNEL_INFO, KERNELS, KernelError, make_kernel, validate_kernel
from convviz.filters.kernels import as_fraction, box_blur, gaussian_blur


def test_required_presets_exist_with_descriptions():
    required = {"identity", "box_blur", "gaussian_blur", "sharpen", "emboss", "outline",
                "sobel_x", "sobel_y", "laplacian"}
    assert required <= set(KERNELS)
    assert set(KERNELS) == set(KERNEL_INFO)
    for name, info in KERNEL_INFO.items():
        assert info.description and KERNELS[name].ndim == 2


def test_presets_are_read_only():
    with pytest.raises(ValueError):
        KERNELS["emboss"][0, 0] = 5
    k = make_kernel("emboss")
    k[0, 0] = 5  # copies are writable
    assert KERNELS["emboss"][0, 0] == -2


@pytest.mark.parametrize("size", [1, 3, 5, 7, 15])
def test_blur_builders_sum_to_one_and_are_symmetric(size):
    for k in (box_blur(size), gaussian_blur(size)):
        assert k.shape == (size, size)
        assert k.sum() == pytest.approx(1.0)
        np.testing.assert_allclose(k, k.T)
        np.testing.assert_allclose(k, k[::-1, ::-1])


def test_gaussian_5x5_is_binomial():
    d, ints = as_fraction(gaussian_blur(5))
    assert d == 256
    assert ints[0].tolist() == [1, 4, 6, 4, 1] and ints[2, 2] == 36


def test_named_kernels_match_course_values():
    assert KERNELS["outline"].tolist() == [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]
    assert KERNELS["sobel_y"].tolist() == np.array(KERNELS["sobel_x"]).T.tolist()
    assert KERNELS["laplacian"].sum() == 0 and KERNELS["sharpen"].sum() == 1


@pytest.mark.parametrize("bad, match", [
    ([[1, 2]], "width must be odd"),
    ([[1], [2]], "height must be odd"),
    ([1, 2, 3], "must be 2-D"),
    (np.zeros((3, 3, 3)), "must be 2-D"),
    (np.zeros((0, 3)), "must not be empty"),
    ([[1, float("nan"), 1]], r"finite.*nan.*row 1, column 2"),
    ([[1, 1, float("inf")]], r"finite.*inf.*row 1, column 3"),
    ([["a", "b", "c"]], "not numbers"),
    ([[1, 2, 3], [4, 5]], "not numbers"),
    (np.ones((65, 65)), "at most 63"),
])
def test_validate_kernel_errors(bad, match):
    with pytest.raises(KernelError, match=match):
        validate_kernel(bad)


def test_kernel_error_is_value_error_with_code():
    with pytest.raises(ValueError) as info:
        validate_kernel([[1, 2]])
    assert isinstance(info.value, convviz.ConvVizError) and info.value.code == "even"


@pytest.mark.parametrize("call, match", [
    (lambda: make_kernel("blurry"), "kernel name must be one of"),
    (lambda: make_kernel("box_blur", 4), "odd integer"),
    (lambda: make_kernel("box_blur", 0), "odd integer"),
    (lambda: make_kernel("emboss", 5), "fixed at 3"),
])
def test_make_kernel_errors(call, match):
    with pytest.raises(KernelError, match=match):
        call()


def test_as_fraction():
    assert as_fraction(KERNELS["box_blur"])[0] == 9
    assert as_fraction(KERNELS["emboss"])[0] == 1
    assert as_fraction([[np.pi]]) is None
