"""Cross-check conv2d, conv_transpose2d, pool2d and the size functions against PyTorch (optional)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

import convviz  # noqa: E402  (after the skip: nothing to test without torch)

pytestmark = pytest.mark.torch

RNG_CASES = 80


def _cases(seed):
    rng = np.random.default_rng(seed)
    for _ in range(RNG_CASES):
        yield {
            "c_in": int(rng.integers(1, 4)), "c_out": int(rng.integers(1, 4)),
            "h": int(rng.integers(1, 10)), "w": int(rng.integers(1, 10)),
            "k": tuple(int(v) for v in rng.integers(1, 6, 2)),
            "s": tuple(int(v) for v in rng.integers(1, 4, 2)),
            "p": tuple(int(v) for v in rng.integers(0, 3, 2)),
            "d": tuple(int(v) for v in rng.integers(1, 3, 2)),
            "op": tuple(int(v) for v in rng.integers(0, 3, 2)),
            "rng": rng,
        }


def _torch_or_none(fn):
    """torch's result as numpy, or None when torch rejects the geometry (or returns nothing)."""
    try:
        out = fn()
    except RuntimeError:
        return None
    return None if out.numel() == 0 else out[0].detach().numpy()


def _ours_or_none(fn):
    try:
        return fn()
    except convviz.GeometryError:
        return None


#: Of the RNG_CASES random geometries of a test, at least this many are valid and compared number by number
#: (the rest must be refused by both): a generator that drifted into refusals only would compare nothing.
MIN_COMPARED = 25


def _agree(ours, theirs) -> int:
    """1 when both computed the same numbers, 0 when both refused; fails when they disagree."""
    assert (ours is None) == (theirs is None), (ours, theirs)
    if ours is None:
        return 0
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)
    return 1


def _compare(seed: int, calls) -> None:
    """Over the random cases of ``seed``, ``calls(case)`` gives ``(ours, theirs)``: both computed and equal, or
    both refused; and enough of them computed (:data:`MIN_COMPARED`)."""
    compared = sum(_agree(_ours_or_none(ours), _torch_or_none(theirs))
                   for ours, theirs in (calls(c) for c in _cases(seed)))
    assert compared >= MIN_COMPARED, f"only {compared} of {RNG_CASES} cases compared"


def _normal(c, *shapes):
    """Random arrays of ``shapes`` from the case's generator, in order."""
    return [c["rng"].normal(size=shape) for shape in shapes]


def test_conv2d_matches_torch():
    def calls(c):
        x, w, b = _normal(c, (c["c_in"], c["h"], c["w"]), (c["c_out"], c["c_in"], *c["k"]), c["c_out"])
        kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"])
        return (lambda: convviz.conv2d(x, w, b, **kw),
                lambda: F.conv2d(torch.tensor(x)[None], torch.tensor(w), torch.tensor(b), **kw))
    _compare(0, calls)


def test_grouped_conv2d_matches_torch():
    def calls(c):
        groups = int(c["rng"].integers(1, 4))
        c_in, c_out = groups * c["c_in"], groups * c["c_out"]
        x, w, b = _normal(c, (c_in, c["h"], c["w"]), (c_out, c["c_in"], *c["k"]), c_out)
        kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"], groups=groups)
        return (lambda: convviz.conv2d(x, w, b, **kw),
                lambda: F.conv2d(torch.tensor(x)[None], torch.tensor(w), torch.tensor(b), **kw))
    _compare(4, calls)


def test_depthwise_then_pointwise_matches_torch():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 6, 6))
    dw, pw = rng.normal(size=(3, 1, 3, 3)), rng.normal(size=(2, 3, 1, 1))
    ours = convviz.conv2d(convviz.conv2d(x, dw, padding=1, groups=3), pw)
    theirs = F.conv2d(F.conv2d(torch.tensor(x)[None], torch.tensor(dw), padding=1, groups=3), torch.tensor(pw))
    np.testing.assert_allclose(ours, theirs[0].numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_conv2d_same_padding_matches_torch():
    def calls(c):
        x, w = _normal(c, (c["c_in"], c["h"], c["w"]), (c["c_out"], c["c_in"], *c["k"]))
        return (lambda: convviz.conv2d(x, w, padding="same", dilation=c["d"]),
                lambda: F.conv2d(torch.tensor(x)[None], torch.tensor(w), padding="same", dilation=c["d"]))
    _compare(1, calls)


def test_conv_transpose2d_matches_torch():
    def calls(c):
        x, w, b = _normal(c, (c["c_in"], c["h"], c["w"]), (c["c_in"], c["c_out"], *c["k"]), c["c_out"])
        kw = dict(stride=c["s"], padding=c["p"], output_padding=c["op"], dilation=c["d"])
        return (lambda: convviz.conv_transpose2d(x, w, b, **kw),
                lambda: F.conv_transpose2d(torch.tensor(x)[None], torch.tensor(w), torch.tensor(b), **kw))
    _compare(2, calls)


@pytest.mark.parametrize("op, fn", [("max", "max_pool2d"), ("avg", "avg_pool2d")])
def test_pool2d_matches_torch(op, fn):
    def calls(c):
        (x,) = _normal(c, (c["c_in"], c["h"], c["w"]))
        stride = None if c["s"] == (3, 3) else c["s"]     # also the default stride = kernel_size
        return (lambda: convviz.pool2d(x, c["k"], stride=stride, padding=c["p"], op=op),
                lambda: getattr(F, fn)(torch.tensor(x)[None], c["k"], stride=stride, padding=c["p"]))
    _compare(3, calls)


def test_size_functions_match_torch_layers():
    compared = 0
    for c in _cases(4):
        n, k, s, p, d, op = c["h"], c["k"][0], c["s"][0], c["p"][0], c["d"][0], c["op"][0]
        x = torch.zeros(1, 1, n, n)
        conv = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
        theirs = _torch_or_none(lambda: conv(x))
        ours = _ours_or_none(lambda: convviz.output_size(n, k, stride=s, padding=p, dilation=d))
        assert (ours is None) == (theirs is None)
        if ours is not None:
            assert theirs.shape[-1] == ours
            compared += 1
        deconv = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d, bias=False)
        theirs = _torch_or_none(lambda: deconv(x))
        ours = _ours_or_none(lambda: convviz.transposed_output_size(n, k, stride=s, padding=p,
                                                                    output_padding=op, dilation=d))
        if op >= s and op >= d:
            assert ours is None    # torch raises as well (checked via the layer below)
            with pytest.raises((RuntimeError, ValueError)):
                deconv(x)
        else:
            assert (ours is None) == (theirs is None)
            if ours is not None:
                assert theirs.shape[-1] == ours
                compared += 1
    assert compared >= 2 * MIN_COMPARED, f"only {compared} sizes of {2 * RNG_CASES} compared"


def test_frames_output_matches_torch():
    # the page's numbers (frame results) are torch's numbers
    x = convviz.sample_values("random", (7, 7), seed=5)
    w = convviz.default_weights("random", (3, 3), seed=5)
    fs = convviz.conv_frames(x, w, stride=2, padding=1)
    theirs = F.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                      torch.tensor(w, dtype=torch.float64)[None, None], stride=2, padding=1)[0, 0].numpy()
    assert np.array_equal(np.array([f.result for f in fs.frames]).reshape(4, 4), theirs)
