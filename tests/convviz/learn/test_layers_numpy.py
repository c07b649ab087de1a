"""The numpy layers one by one: against convviz's own reference convolution and pooling, hand-worked
values, and the properties their backward passes rest on."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convviz
from convviz import learn
from convviz.errors import LayerError
from convviz.learn._im2col import add_windows, patches, windows
from convviz.learn.base import Pass
from convviz.learn.batchnorm import BatchNormOp
from convviz.learn.conv import ConvOp
from convviz.learn.loss import cross_entropy, log_softmax, softmax
from convviz.learn.pointwise import DropoutOp, ReLU6Op, ReLUOp
from convviz.learn.pooling import AdaptiveAvgPoolOp, AvgPoolOp, MaxPoolOp, adaptive_bins
from convviz.nets import blocks, layers as L

small = st.integers(1, 3)


# ---------------------------------------------------------------- windows and their adjoint

@settings(max_examples=40, deadline=None)
@given(n=small, c=small, h=st.integers(3, 9), w=st.integers(3, 9), k=st.tuples(small, small),
       s=st.tuples(small, small), d=st.tuples(st.integers(1, 2), st.integers(1, 2)), seed=st.integers(0, 99))
def test_add_windows_is_the_adjoint_of_windows(n, c, h, w, k, s, d, seed):
    """<windows(x), g> == <x, add_windows(g)>: what makes col2im the exact gradient of im2col."""
    if d[0] * (k[0] - 1) >= h or d[1] * (k[1] - 1) >= w:
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w))
    view = windows(x, k, stride=s, dilation=d)
    g = rng.normal(size=view.shape)
    assert np.isclose(np.sum(view * g), np.sum(x * add_windows(g, (h, w), stride=s, dilation=d)))
    # the im2col matrix holds the same values, one row per window
    assert np.array_equal(patches(x, k, stride=s, dilation=d), view.reshape(-1, k[0] * k[1] * c))


# ---------------------------------------------------------------- forward passes against convviz.sliding.ops

@settings(max_examples=40, deadline=None)
@given(c_in=st.sampled_from([1, 2, 4]), groups=st.sampled_from([1, 2]), per_group=small, h=st.integers(4, 9),
       w=st.integers(4, 9), k=st.tuples(small, small), s=st.tuples(small, small),
       p=st.one_of(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.just("same")),
       d=st.tuples(st.integers(1, 2), st.integers(1, 2)), bias=st.booleans(), seed=st.integers(0, 99))
def test_conv_forward_matches_convviz_conv2d(c_in, groups, per_group, h, w, k, s, p, d, bias, seed):
    if c_in % groups or (p == "same" and s != (1, 1)):
        return
    spec = L.Conv2d(c_in, groups * per_group, k, stride=s, padding=p, dilation=d, groups=groups, bias=bias)
    try:
        spec.output_shape((c_in, h, w))
    except LayerError:
        return
    op = ConvOp(spec, (c_in, h, w))
    rng = np.random.default_rng(seed)
    params = op.init_params(rng, np.float64)
    x = rng.normal(size=(2, c_in, h, w))
    y, _ = op.forward(x, params, [], Pass())
    for i in range(2):
        ref = convviz.conv2d(x[i], params[0], params[1] if bias else None, stride=s, padding=p, dilation=d,
                             groups=groups)
        np.testing.assert_allclose(y[i], ref, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(c=small, h=st.integers(2, 9), w=st.integers(2, 9), k=st.tuples(small, small),
       s=st.tuples(small, small), op_name=st.sampled_from(["max", "avg"]), seed=st.integers(0, 99))
def test_pool_forward_matches_convviz_pool2d(c, h, w, k, s, op_name, seed):
    pad = (k[0] // 2, k[1] // 2)
    spec = (L.MaxPool2d if op_name == "max" else L.AvgPool2d)(k, stride=s, padding=pad)
    try:
        spec.output_shape((c, h, w))
    except LayerError:
        return
    impl = (MaxPoolOp if op_name == "max" else AvgPoolOp)(spec, (c, h, w))
    x = np.random.default_rng(seed).normal(size=(2, c, h, w))
    y, _ = impl.forward(x, [], [], Pass())
    for i in range(2):
        np.testing.assert_allclose(y[i], convviz.pool2d(x[i], k, stride=s, padding=pad, op=op_name), rtol=1e-12)


# ---------------------------------------------------------------- hand-worked values

def test_max_pool_gives_the_gradient_to_the_first_largest_value_as_torch_does():
    x = np.array([[[[3.0, 3.0], [1.0, 3.0]]]])
    op = MaxPoolOp(L.MaxPool2d(2), (1, 2, 2))
    y, cache = op.forward(x, [], [], Pass())
    dx, _ = op.backward(np.ones_like(y), [], cache, need_dx=True)
    assert dx[0, 0].tolist() == [[1.0, 0.0], [0.0, 0.0]]


@settings(max_examples=30, deadline=None)
@given(n=small, c=small, k=st.tuples(small, small), cells=st.tuples(small, small), seed=st.integers(0, 99))
def test_max_pool_over_tiling_windows_gives_the_general_paths_gradient_ties_included(n, c, k, cells, seed):
    """The fast backward of windows that tile the input (stride = kernel) against the general one."""
    shape = (c, k[0] * cells[0], k[1] * cells[1])
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, size=(n, *shape)).astype(float)  # few distinct values: ties everywhere
    fast = MaxPoolOp(L.MaxPool2d(k), shape)
    general = MaxPoolOp(L.MaxPool2d(k), shape)
    general.tiles = False
    assert fast.tiles
    y, cache = fast.forward(x, [], [], Pass(train=True))
    dy = rng.normal(size=y.shape)
    np.testing.assert_array_equal(fast.backward(dy, [], cache, need_dx=True)[0],
                                  general.backward(dy, [], cache, need_dx=True)[0])


def test_max_pool_over_the_whole_map_gives_the_first_largest_value():
    x = np.array([[[[0.0, 2.0], [2.0, 1.0]], [[5.0, 5.0], [5.0, 5.0]]]])
    op = MaxPoolOp(L.MaxPool2d(2), (2, 2, 2))
    y, cache = op.forward(x, [], [], Pass(train=True))
    dx, _ = op.backward(np.array([[[[3.0]], [[4.0]]]]), [], cache, need_dx=True)
    assert dx[0].tolist() == [[[0.0, 3.0], [0.0, 0.0]], [[4.0, 0.0], [0.0, 0.0]]]


def test_avg_pool_divisors_follow_count_include_pad_and_ceil_mode():
    x = np.ones((1, 1, 3, 3))
    include = AvgPoolOp(L.AvgPool2d(2, stride=2, padding=1, ceil_mode=True), (1, 3, 3))
    exclude = AvgPoolOp(L.AvgPool2d(2, stride=2, padding=1, ceil_mode=True, count_include_pad=False), (1, 3, 3))
    # windows of the padded 5 x 5 input start at -1 and 1: each holds 1 or 2 real cells per axis
    assert include.forward(x, [], [], Pass())[0][0, 0].tolist() == [[0.25, 0.5], [0.5, 1.0]]
    assert exclude.forward(x, [], [], Pass())[0][0, 0].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_adaptive_bins_are_torchs_overlapping_bins():
    bins = adaptive_bins(5, 2)  # torch: [0, 3) and [2, 5)
    assert np.allclose(bins, [[1 / 3, 1 / 3, 1 / 3, 0, 0], [0, 0, 1 / 3, 1 / 3, 1 / 3]])
    x = np.arange(24.0).reshape(1, 1, 4, 6)
    op = AdaptiveAvgPoolOp(L.AdaptiveAvgPool2d((2, 3)), (1, 4, 6))
    blocks_mean = x.reshape(1, 1, 2, 2, 3, 2).mean(axis=(3, 5))
    assert np.allclose(op.forward(x, [], [], Pass())[0], blocks_mean)


def test_relu_and_relu6_pass_no_gradient_at_their_kinks():
    x = np.array([[-1.0, 0.0, 3.0, 6.0, 7.0]])
    for op, want in ((ReLUOp(L.ReLU(), (5,)), [0, 0, 1, 1, 1]), (ReLU6Op(L.ReLU6(), (5,)), [0, 0, 1, 0, 0])):
        _, cache = op.forward(x, [], [], Pass())
        assert op.backward(np.ones_like(x), [], cache, need_dx=True)[0][0].tolist() == want


def test_dropout_keeps_one_minus_p_scaled_and_is_seeded():
    op = DropoutOp(L.Dropout(0.25), (20000,))
    x = np.ones((1, 20000))
    y1, _ = op.forward(x, [], [], Pass(train=True, rng=np.random.default_rng(5)))
    y2, _ = op.forward(x, [], [], Pass(train=True, rng=np.random.default_rng(5)))
    assert np.array_equal(y1, y2)
    assert set(np.unique(y1)) == {0.0, 1 / 0.75}
    assert abs(np.mean(y1 == 0) - 0.25) < 0.02
    zero = DropoutOp(L.Dropout(1.0), (3,)).forward(np.ones((1, 3)), [], [], Pass(train=True, rng=None))[0]
    assert zero.tolist() == [[0.0, 0.0, 0.0]]


def test_batchnorm_running_statistics_and_evaluation_mode():
    op = BatchNormOp(L.BatchNorm2d(1, momentum=0.5), (1, 1, 4))
    params, buffers = op.init_params(None, np.float64), op.init_buffers(np.float64)
    x = np.array([[[[1.0, 2.0, 3.0, 6.0]]]])
    op.forward(x, params, buffers, Pass(train=True))
    # mean 3, unbiased variance 14/3, half-way from (0, 1)
    assert np.allclose(buffers[0], [1.5]) and np.allclose(buffers[1], [0.5 + 0.5 * 14 / 3]) and buffers[2] == 1
    y, _ = op.forward(x, params, buffers, Pass(train=False))
    assert np.allclose(y, (x - 1.5) / np.sqrt(buffers[1] + 1e-5))
    with pytest.raises(LayerError) as info:
        BatchNormOp(L.BatchNorm2d(1), (1, 1, 1)).forward(np.ones((1, 1, 1, 1)), params, buffers, Pass(train=True))
    assert info.value.code == "learn_batch_stats"


def test_softmax_and_cross_entropy_are_stable_for_large_scores():
    logits = np.array([[1000.0, 0.0, -1000.0]])
    assert np.allclose(softmax(logits), [[1, 0, 0]])
    assert np.isfinite(log_softmax(logits)).all()
    loss, grad = cross_entropy(logits, np.array([2]))
    assert loss == pytest.approx(2000.0) and np.allclose(grad, [[1, 0, -1]])


# ---------------------------------------------------------------- the network

def test_network_counts_what_the_parameter_counts_page_counts():
    for exp in learn.EXPERIMENTS.values():
        for net in exp.networks:
            network = learn.Network(net.layers, exp.input_shape)
            params = network.init_params(seed=0)
            assert sum(p.size for p in params) == network.params == convviz.summarize(net.layers,
                                                                                       exp.input_shape).total_params


@pytest.mark.parametrize("stack", [
    learn.conv_net(),
    (L.Conv2d(1, 3, 3), L.ReLU(), L.MaxPool2d(3, stride=2), L.ReLU(), L.MaxPool2d(2, padding=1), L.Flatten(),
     L.Linear(12, 10)),
], ids=["conv_net", "overlapping_and_padded"])
def test_relu_then_max_pool_runs_pooled_first_with_the_same_numbers_bit_for_bit(stack):
    """Training fuses ReLU + MaxPool2d (pooling first); every value and gradient equals the layer-by-layer pass."""
    net = learn.Network(stack, (1, 16, 16) if len(stack) > 7 else (1, 9, 9))
    fused = [type(op).__name__ for op, _, _ in net.steps]
    assert "MaxPoolThenReLU" in fused and len(net.steps) < len(net.layer_steps)
    if len(stack) <= 7:  # a padded pooling is not fused: -inf padding would become 0
        assert fused.count("MaxPoolThenReLU") == 1 and "MaxPoolOp" in fused
    rng = np.random.default_rng(0)
    x = np.zeros((6,) + net.input_shape)
    x[:3] = rng.integers(-1, 2, size=(3,) + net.input_shape)  # blank images and ties: the biases decide
    params = net.init_params(seed=1)
    y = rng.integers(0, 10, 6)
    ctx = Pass(train=True)
    loss, grads, gx = net.loss_and_grads(params, x, y, ctx=ctx)
    net.steps = net.layer_steps  # the same network without fusing
    loss_plain, grads_plain, gx_plain = net.loss_and_grads(params, x, y, ctx=ctx)
    assert loss == loss_plain and np.array_equal(gx, gx_plain)
    assert all(np.array_equal(a, b) for a, b in zip(grads, grads_plain))


def test_init_params_follow_torchs_bounds_and_layout():
    stack = [L.Conv2d(4, 6, 3, groups=2), L.BatchNorm2d(6), L.Flatten(), L.Linear(6 * 3 * 3, 5)]
    params = learn.init_params(stack, (4, 5, 5), seed=3)
    assert [p.shape for p in params] == [(6, 2, 3, 3), (6,), (6,), (6,), (5, 54), (5,)]
    conv_bound, linear_bound = 1 / np.sqrt(2 * 9), 1 / np.sqrt(54)
    assert np.abs(params[0]).max() <= conv_bound and np.abs(params[0]).max() > 0.8 * conv_bound
    assert np.abs(params[4]).max() <= linear_bound and np.abs(params[5]).max() <= linear_bound
    assert params[2].tolist() == [1.0] * 6 and params[3].tolist() == [0.0] * 6
    assert all(np.array_equal(a, b) for a, b in zip(params, learn.init_params(stack, (4, 5, 5), seed=3)))
    assert learn.init_params(stack, (4, 5, 5), seed=3, dtype=np.float32)[0].dtype == np.float32


def test_predict_and_activations_in_evaluation_mode():
    stack = list(learn.conv_net())
    params = learn.init_params(stack, (1, 16, 16), seed=0)
    x = np.random.default_rng(0).random((3, 1, 16, 16))
    probs = learn.predict(stack, params, x)
    assert probs.shape == (3, 10) and np.allclose(probs.sum(axis=1), 1)
    maps = learn.activations(stack, params, x)
    assert [m.shape[1:] for m in maps][:3] == [(8, 16, 16), (8, 16, 16), (8, 8, 8)]
    assert np.allclose(softmax(maps[-1]), probs)


def test_float32_parameters_run_in_float32_and_agree_with_float64():
    stack = list(learn.conv_net())
    params = learn.init_params(stack, (1, 16, 16), seed=1)
    x = np.random.default_rng(1).random((4, 1, 16, 16))
    loss64, grads64, _ = learn.loss_and_grads(stack, params, x, [1, 2, 3, 4])
    loss32, grads32, gx32 = learn.loss_and_grads(stack, [p.astype(np.float32) for p in params], x, [1, 2, 3, 4])
    assert gx32.dtype == np.float32 and all(g.dtype == np.float32 for g in grads32)
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    for g32, g64 in zip(grads32, grads64):
        assert np.abs(g32 - g64).max() <= 1e-4 * max(np.abs(g64).max(), 1e-6)


def test_unsupported_layers_and_bad_arguments_are_coded_errors():
    x, y = np.ones((2, 3, 4, 4)), [0, 1]
    stack = [blocks.Residual((L.Conv2d(3, 3, 1),)), L.Flatten(), L.Linear(48, 2)]
    with pytest.raises(LayerError) as info:
        learn.init_params(stack, (3, 4, 4), seed=0)
    assert (info.value.code, info.value.position, info.value.layer_type) == ("learn_unsupported", 1, "Residual")
    good = [L.Flatten(), L.Linear(48, 2)]
    params = learn.init_params(good, (3, 4, 4), seed=0)
    cases = [
        (lambda: learn.loss_and_grads(good, params[:1], x, y), "learn_params"),
        (lambda: learn.loss_and_grads(good, [params[0].T, params[1]], x, y), "learn_params"),
        (lambda: learn.loss_and_grads(good, params, x, [0, 2]), "learn_classes"),  # label 2: 3 classes
        (lambda: learn.loss_and_grads(good, params, x, [-1, 0]), "learn_labels"),
        (lambda: learn.loss_and_grads(good, params, x, [0]), "learn_labels"),
        (lambda: learn.loss_and_grads(good, params, x, [0.5, 1]), "learn_labels"),
        (lambda: learn.loss_and_grads([L.Conv2d(3, 2, 1)], learn.init_params([L.Conv2d(3, 2, 1)], (3, 4, 4), seed=0),
                                      x, y), "learn_classes"),
        (lambda: learn.loss_and_grads(good, params, np.ones((0, 3, 4, 4)), []), "bad_shape"),
        (lambda: learn.loss_and_grads(good, params, np.ones((2, 4, 4)), y), "bad_shape"),
        (lambda: learn.loss_and_grads(good, params, np.ones((2, 2, 4, 4)), y), "features"),
        (lambda: learn.loss_and_grads(good, params, x, y, seed=-1), "not_int"),
        (lambda: learn.init_params([L.Conv2d(3, 2, 3), L.MaxPool2d(2), L.Conv2d(2, 2, 3)], (3, 5, 5), seed=0),
         "kernel_too_large"),
    ]
    for call, code in cases:
        with pytest.raises(convviz.ConvVizError) as info:
            call()
        assert info.value.code == code, (code, str(info.value))
