"""A stack of :mod:`convviz.nets.layers` specs as a trainable network: parameters, forward, backward, loss.

The network is built from the same specs the Parameter counts page counts (and checked by
:func:`convviz.summarize`, so a stack that does not fit raises the same coded errors), so the
count shown next to a trained network is the count of the network that was trained.

``params`` is a list of numpy arrays in the order and layout of torch's ``model.parameters()``
for the same ``nn.Sequential``: each layer's weight, then its bias (``(C_out, C_in/groups, kH, kW)``
and ``(C_out,)`` for Conv2d; ``(out, in)`` and ``(out,)`` for Linear; BatchNorm2d's weight and
bias). ``buffers`` is the list of ``model.buffers()``: each BatchNorm2d's ``running_mean``,
``running_var`` and ``num_batches_tracked``.

>>> from convviz.nets.layers import Conv2d, Flatten, Linear, ReLU
>>> stack = [Conv2d(1, 2, 3), ReLU(), Flatten(), Linear(8, 3)]
>>> params = init_params(stack, (1, 4, 4), seed=0)
>>> [p.shape for p in params]
[(2, 1, 3, 3), (2,), (3, 8), (3,)]
>>> x, y = np.ones((5, 1, 4, 4)), np.array([0, 1, 2, 0, 1])
>>> loss, grads, grad_x = loss_and_grads(stack, params, x, y)
>>> round(loss, 4), [g.shape for g in grads] == [p.shape for p in params], grad_x.shape
(1.0645, True, (5, 1, 4, 4))
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..errors import ConvVizError, LayerError
from ..nets import layers
from ..nets.summary import check_input_shape, summarize
from .base import Op, Pass, Shape
from .batchnorm import BatchNormOp
from .conv import ConvOp
from .dense import LinearOp, ReshapeOp
from .loss import cross_entropy, softmax
from .pointwise import DropoutOp, ReLU6Op, ReLUOp, TanhOp
from .pooling import AdaptiveAvgPoolOp, AvgPoolOp, MaxPoolOp

__all__ = ["OPS", "SUPPORTED", "Network", "init_params", "init_buffers", "loss_and_grads", "predict",
           "activations", "check_labels"]

#: The numpy implementation of each layer spec training supports.
OPS: dict[type, type[Op]] = {
    layers.Conv2d: ConvOp, layers.Linear: LinearOp, layers.MaxPool2d: MaxPoolOp, layers.AvgPool2d: AvgPoolOp,
    layers.AdaptiveAvgPool2d: AdaptiveAvgPoolOp, layers.Flatten: ReshapeOp, layers.Unflatten: ReshapeOp,
    layers.ReLU: ReLUOp, layers.ReLU6: ReLU6Op, layers.Tanh: TanhOp, layers.Dropout: DropoutOp,
    layers.BatchNorm2d: BatchNormOp,
}

#: The torch names of the layers training supports, in the order of :data:`convviz.nets.layers.LAYER_TYPES`.
SUPPORTED: tuple[str, ...] = tuple(name for name, cls in layers.LAYER_TYPES.items() if cls in OPS)

#: Images per forward pass when a whole set is evaluated (bounds the im2col buffers).
EVAL_CHUNK = 128


class Network:
    """A checked stack of layer specs for one input shape, with an :class:`~.base.Op` per layer.

    Parameters
    ----------
    stack : iterable of convviz.nets.layers.Layer
    input_shape : sequence of int
        One sample's shape: ``(C, H, W)`` or ``(features,)``.

    Raises
    ------
    LayerError
        ``learn_unsupported`` for a layer training does not support (a Residual or Concat block),
        or any error :func:`convviz.summarize` raises for a stack that does not fit (a stack that
        shrinks below 1 x 1 is ``kernel_too_large``), naming the layer by position.

    >>> from convviz.nets.layers import Flatten, Linear
    >>> net = Network([Flatten(), Linear(16, 10)], (1, 4, 4))
    >>> net.output_shape, net.param_shapes, net.params
    ((10,), [(10, 16), (10,)], 170)
    """

    def __init__(self, stack: Iterable[Any], input_shape: Sequence[int]) -> None:
        self.layers = list(stack)
        for position, layer in enumerate(self.layers, start=1):
            if isinstance(layer, layers.Layer) and type(layer) not in OPS:
                raise LayerError(
                    f"{layer.type_name} cannot be trained here; the layers that can are "
                    f"{', '.join(SUPPORTED)}", "learn_unsupported",
                    supported=", ".join(SUPPORTED)).at_layer(position, layer.type_name)
        self.input_shape = check_input_shape(input_shape)
        self.summary = summarize(self.layers, self.input_shape)  # every shape checked, errors by position
        self.ops: list[Op] = [OPS[type(row.layer)](row.layer, row.input_shape) for row in self.summary.rows]
        self.param_shapes: list[Shape] = [s for op in self.ops for s in op.param_shapes]
        self.buffer_shapes: list[Shape] = [s for op in self.ops for s in op.buffer_shapes]
        #: ``(op, params slice, buffers slice)`` per layer, and the same with ReLU + MaxPool2d fused (training)
        self.layer_steps = _steps(self.ops)
        self.steps = _steps(_fuse(self.ops))

    @property
    def output_shape(self) -> Shape:
        return self.summary.output_shape

    @property
    def params(self) -> int:
        """Learnable parameters (:attr:`convviz.Summary.total_params`, the page's count)."""
        return self.summary.total_params

    # ------------------------------------------------------------ parameters and buffers

    def init_params(self, *, seed: int, dtype: Any = np.float64) -> list[np.ndarray]:
        """torch's default initialisation, drawn from ``numpy.random.default_rng(seed)`` layer by layer."""
        rng = np.random.default_rng(seed)
        return [p for op in self.ops for p in op.init_params(rng, np.dtype(dtype))]

    def init_buffers(self, dtype: Any = np.float64) -> list[np.ndarray]:
        """Fresh buffers: every BatchNorm2d's running mean 0, running variance 1, no batches tracked."""
        return [b for op in self.ops for b in op.init_buffers(np.dtype(dtype))]

    def check_params(self, params: Any, *, what: str = "params") -> list[np.ndarray]:
        """``params`` as a list of numeric arrays of the expected shapes (code ``learn_params`` otherwise).

        ``what="buffers"`` checks a list of buffers instead.
        """
        shapes = self.param_shapes if what == "params" else self.buffer_shapes
        if isinstance(params, np.ndarray) or not isinstance(params, (list, tuple)) or len(params) != len(shapes):
            got = f"{len(params)} arrays" if isinstance(params, (list, tuple)) else type(params).__name__
            raise LayerError(f"{what} must be a list of {len(shapes)} arrays (init_{what} gives them), got {got}",
                             "learn_params", what=what, expected=f"{len(shapes)} arrays", got=got)
        out = []
        for index, (p, shape) in enumerate(zip(params, shapes)):
            arr = np.asarray(p)
            if arr.shape != tuple(shape) or arr.dtype.kind not in "fiu":
                raise LayerError(f"{what}[{index}] must be a numeric array of shape {tuple(shape)}, "
                                 f"got {arr.dtype} {arr.shape}", "learn_params", what=f"{what}[{index}]",
                                 expected=str(tuple(shape)), got=f"{arr.dtype} {arr.shape}")
            out.append(arr)
        return out

    # ------------------------------------------------------------ passes

    def forward(self, params: Sequence[np.ndarray], x: np.ndarray, *, ctx: Pass,
                buffers: Sequence[np.ndarray] | None = None, keep: bool = True,
                every_layer: bool = False) -> tuple[np.ndarray, list[Any]]:
        """Scores for ``x`` and, with ``keep``, every step's cache (for :meth:`backward`).

        ``every_layer`` returns every layer's output instead of the caches (layer by layer, no
        step fused). ``buffers`` defaults to fresh ones (BatchNorm2d as just built).
        """
        bufs = self.init_buffers(x.dtype) if buffers is None else buffers
        caches: list[Any] = []
        for op, p, b in (self.layer_steps if every_layer else self.steps):
            x, cache = op.forward(x, list(params[p]), list(bufs[b]), ctx)
            if keep:
                caches.append(x if every_layer else cache)
        return x, caches

    def backward(self, params: Sequence[np.ndarray], caches: list[Any], grad: np.ndarray, *, need_dx: bool = True
                 ) -> tuple[list[np.ndarray], np.ndarray | None]:
        """Gradients of the parameters (torch's order) and of the input, from the gradient of the scores."""
        grads: list[list[np.ndarray]] = []
        for index in range(len(self.steps) - 1, -1, -1):
            op, p, _ = self.steps[index]
            grad, g = op.backward(grad, list(params[p]), caches[index], need_dx=need_dx or index > 0)
            grads.append(g)
        return [g for layer in reversed(grads) for g in layer], grad

    def loss_and_grads(self, params: Sequence[np.ndarray], x: np.ndarray, labels: np.ndarray, *, ctx: Pass,
                       buffers: Sequence[np.ndarray] | None = None, need_dx: bool = True
                       ) -> tuple[float, list[np.ndarray], np.ndarray | None]:
        """Unchecked :func:`loss_and_grads` (arguments already validated and of one dtype)."""
        scores, caches = self.forward(params, x, ctx=ctx, buffers=buffers)
        loss, grad = cross_entropy(scores, labels)
        grads, grad_x = self.backward(params, caches, grad.astype(scores.dtype, copy=False), need_dx=need_dx)
        return loss, grads, grad_x

    def scores(self, params: Sequence[np.ndarray], x: np.ndarray, *, buffers: Sequence[np.ndarray] | None = None
               ) -> np.ndarray:
        """Evaluation-mode scores (logits) for a whole set, :data:`EVAL_CHUNK` images at a time."""
        parts = [self.forward(params, x[i:i + EVAL_CHUNK], ctx=Pass(train=False), buffers=buffers, keep=False)[0]
                 for i in range(0, len(x), EVAL_CHUNK)]
        return np.concatenate(parts) if parts else np.zeros((0,) + self.output_shape, x.dtype)


class MaxPoolThenReLU(Op):
    """``ReLU`` then ``MaxPool2d``, computed as ``MaxPool2d`` then ``ReLU``: the same numbers, bit for bit.

    ``max(relu(a), relu(b)) == relu(max(a, b))``, so the ReLU runs on the pooled maps (a quarter
    of the values after ``MaxPool2d(2)``). The gradients agree too: both orders send it to the
    first largest input of the window (ReLU keeps the order of positive values) and pass it only
    when that input is above 0. Used only for poolings without padding (a window of padding
    alone would give ``-inf`` in one order and 0 in the other).
    """

    def __init__(self, relu: ReLUOp, pool: MaxPoolOp) -> None:
        self.spec, self.pool = pool.spec, pool
        self.relu = ReLUOp(relu.spec, pool.output_shape)
        self.input_shape, self.output_shape = relu.input_shape, pool.output_shape
        self.param_shapes, self.buffer_shapes = (), ()

    def forward(self, x: np.ndarray, params: list[np.ndarray], buffers: list[np.ndarray], ctx: Pass
                ) -> tuple[np.ndarray, Any]:
        pooled, pool_cache = self.pool.forward(x, [], [], ctx)
        y, relu_cache = self.relu.forward(pooled, [], [], ctx)
        return y, (pool_cache, relu_cache)

    def backward(self, dy: np.ndarray, params: list[np.ndarray], cache: Any, *, need_dx: bool
                 ) -> tuple[np.ndarray | None, list[np.ndarray]]:
        pool_cache, relu_cache = cache
        grad, _ = self.relu.backward(dy, [], relu_cache, need_dx=True)
        return self.pool.backward(grad, [], pool_cache, need_dx=need_dx)[0], []


def _fuse(ops: list[Op]) -> list[Op]:
    """``ops`` with every ReLU directly followed by an unpadded MaxPool2d replaced by :class:`MaxPoolThenReLU`."""
    out: list[Op] = []
    for op in ops:
        if out and type(out[-1]) is ReLUOp and type(op) is MaxPoolOp and op.pads == ((0, 0), (0, 0)):
            out[-1] = MaxPoolThenReLU(out[-1], op)
        else:
            out.append(op)
    return out


def _steps(ops: list[Op]) -> list[tuple[Op, slice, slice]]:
    """Each op with the slices of the network's parameter and buffer lists that are its own."""
    out, p, b = [], 0, 0
    for op in ops:
        out.append((op, slice(p, p + len(op.param_shapes)), slice(b, b + len(op.buffer_shapes))))
        p, b = p + len(op.param_shapes), b + len(op.buffer_shapes)
    return out


# ---------------------------------------------------------------- checks shared by the public functions

def _dtype_of(params: Sequence[np.ndarray]) -> np.dtype:
    """float32 when every parameter is float32, else float64."""
    return np.dtype(np.float32) if params and all(p.dtype == np.float32 for p in params) else np.dtype(np.float64)


def _images(x: Any) -> np.ndarray:
    """``x`` as a non-empty ``(N, C, H, W)`` or ``(N, features)`` numeric array (code ``bad_shape``)."""
    arr = np.asarray(x)
    if arr.ndim not in (2, 4) or arr.dtype.kind not in "fiub" or 0 in arr.shape:
        raise LayerError(f"x must be a non-empty (N, C, H, W) or (N, features) array of numbers, got "
                         f"{arr.dtype} {arr.shape}", "bad_shape", param="x", shape=str(arr.shape))
    return arr


def _prepare(stack: Iterable[Any], params: Any, x: Any, buffers: Any
             ) -> tuple[Network, list[np.ndarray], np.ndarray, list[np.ndarray] | None]:
    """The checked network, params, images and buffers of a public call, in one dtype."""
    x_arr = _images(x)
    net = Network(stack, x_arr.shape[1:])
    checked = net.check_params(params)
    dtype = _dtype_of(checked)
    bufs = None if buffers is None else net.check_params(buffers, what="buffers")
    if bufs is not None and not all(isinstance(b, np.ndarray) for b in buffers):
        raise LayerError("buffers must be numpy arrays (a training pass updates them in place)", "learn_params",
                         what="buffers", expected="numpy arrays", got="other values")
    return net, [p.astype(dtype, copy=False) for p in checked], x_arr.astype(dtype, copy=False), \
        (None if bufs is None else list(buffers))


def check_labels(labels: Any, count: int, classes: int, *, error: type[ConvVizError] = LayerError) -> np.ndarray:
    """``labels`` as an int array of ``count`` class numbers in ``0..classes-1`` (code ``learn_labels``).

    >>> check_labels([0, 2.0], 2, 3)
    array([0, 2])
    """
    arr = np.asarray(labels)
    whole = arr.dtype.kind in "iu" or (arr.dtype.kind == "f" and bool(np.all(np.isfinite(arr)))
                                       and bool(np.all(arr == np.round(arr))))
    if arr.shape != (count,) or not whole or (count and (arr.min() < 0 or arr.max() >= classes)):
        raise error(f"labels must be {count} whole numbers from 0 to {classes - 1} (one per image), "
                         f"got {arr.dtype} {arr.shape}", "learn_labels", count=count, classes=classes,
                         last=classes - 1)
    return arr.astype(np.intp)


def check_scores(net: Network, classes: int, *, exact: bool = True) -> int:
    """The number of scores the network ends in: ``classes`` of them (code ``learn_classes`` otherwise).

    With ``exact=False`` any flat output of at least ``classes`` (and 2) scores will do.

    >>> from convviz.nets.layers import Flatten, Linear
    >>> check_scores(Network([Flatten(), Linear(4, 3)], (4,)), 2, exact=False)
    3
    >>> check_scores(Network([Flatten(), Linear(4, 3)], (4,)), 10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: the network must end in one score per class (10 numbers), ...
    """
    out = net.output_shape
    fits = len(out) == 1 and (out[0] == classes if exact else out[0] >= max(classes, 2))
    if not fits:
        raise LayerError(f"the network must end in one score per class ({classes} numbers), but its output "
                         f"has shape {out}; end it with Flatten() and Linear(..., {classes})", "learn_classes",
                         shape=" x ".join(map(str, out)), classes=classes)
    return out[0]


# ---------------------------------------------------------------- the public functions

def init_params(stack: Iterable[Any], input_shape: Sequence[int], *, seed: int, dtype: Any = np.float64
                ) -> list[np.ndarray]:
    """Fresh parameters for ``stack``, initialised as torch initialises a new ``nn.Sequential``.

    Conv2d and Linear weights: ``kaiming_uniform_(a=sqrt(5))``, i.e. uniform in
    ``+-1/sqrt(fan_in)``; their biases uniform in the same bound; BatchNorm2d weight 1 and bias 0.
    The numbers come from ``numpy.random.default_rng(seed)``, so they are not torch's numbers,
    but they have torch's distribution, order and layout.

    Parameters
    ----------
    stack : iterable of convviz.nets.layers.Layer
    input_shape : sequence of int
        One sample's ``(C, H, W)`` (or ``(features,)``).
    seed : int
    dtype : numpy dtype, default float64

    Returns
    -------
    list of numpy.ndarray
        Torch's ``model.parameters()`` order: each layer's weight, then its bias.

    Examples
    --------
    >>> from convviz.nets.layers import Conv2d, Flatten, Linear
    >>> p = init_params([Conv2d(1, 8, 3), Flatten(), Linear(8 * 4 * 4, 10)], (1, 6, 6), seed=1)
    >>> [a.shape for a in p], bool(np.abs(p[0]).max() <= 1 / 3)
    ([(8, 1, 3, 3), (8,), (10, 128), (10,)], True)
    """
    return Network(stack, input_shape).init_params(seed=_seed(seed), dtype=dtype)


def init_buffers(stack: Iterable[Any], input_shape: Sequence[int], *, dtype: Any = np.float64) -> list[np.ndarray]:
    """Fresh buffers for ``stack`` (torch's ``model.buffers()``: BatchNorm2d's running statistics).

    >>> from convviz.nets.layers import BatchNorm2d
    >>> init_buffers([BatchNorm2d(2)], (2, 3, 3))
    [array([0., 0.]), array([1., 1.]), array(0)]
    """
    return Network(stack, input_shape).init_buffers(dtype)


def _seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise LayerError(f"seed must be a whole number >= 0, got {seed!r}", "not_int", param="seed", value=seed)
    return int(seed)


def loss_and_grads(stack: Iterable[Any], params: Sequence[Any], x: Any, y: Any, *, train: bool = True,
                   buffers: Sequence[np.ndarray] | None = None, seed: int = 0
                   ) -> tuple[float, list[np.ndarray], np.ndarray]:
    """Mean softmax cross-entropy of the network on ``(x, y)``, its gradient by every parameter and by ``x``.

    The contract compared with ``torch.autograd`` (``tests/convviz/learn/test_torch_grads.py``).

    Parameters
    ----------
    stack : iterable of convviz.nets.layers.Layer
        Ending in one score per class (``Linear(..., classes)``).
    params : list of numpy.ndarray
        In torch's order and layout (see :func:`init_params`). The pass runs in float32 when every
        parameter is float32, else in float64.
    x : numpy.ndarray
        ``(N, C, H, W)`` images (or ``(N, features)``).
    y : array of int
        ``N`` class numbers.
    train : bool, default True
        torch's ``model.train()`` (the default mode of a torch module): Dropout zeroes values with
        masks drawn from ``numpy.random.default_rng(seed)``, BatchNorm2d normalises with the batch's
        statistics. ``False`` is ``model.eval()``: Dropout is the identity, BatchNorm2d uses ``buffers``.
    buffers : list of numpy.ndarray, optional
        torch's ``model.buffers()`` (see :func:`init_buffers`); updated in place by a training
        pass, as torch updates them. Default: fresh ones.
    seed : int, default 0
        Seed of the Dropout masks.

    Returns
    -------
    loss : float
    grads : list of numpy.ndarray
        One per parameter, same shapes.
    grad_x : numpy.ndarray
        The gradient with respect to ``x``, same shape.

    Raises
    ------
    LayerError
        A stack that does not fit ``x`` (codes of :func:`convviz.summarize`), an unsupported layer
        (``learn_unsupported``), params of the wrong shapes (``learn_params``), a network that does
        not end in class scores (``learn_classes``), labels out of range (``learn_labels``),
        BatchNorm2d training on one value per channel (``learn_batch_stats``).

    Examples
    --------
    >>> from convviz.nets.layers import Flatten, Linear
    >>> stack = [Flatten(), Linear(4, 2)]
    >>> params = [np.zeros((2, 4)), np.zeros(2)]
    >>> loss, grads, gx = loss_and_grads(stack, params, np.ones((1, 1, 2, 2)), [1])
    >>> round(loss, 6), grads[1], gx.shape
    (0.693147, array([ 0.5, -0.5]), (1, 1, 2, 2))
    """
    net, checked, x_arr, bufs = _prepare(stack, params, x, buffers)
    labels = np.asarray(y)
    # as many classes as the labels name (at least 2); the scores may have more
    named = int(labels.max()) + 1 if labels.size and labels.dtype.kind in "iuf" and np.isfinite(labels).all() else 2
    classes = check_scores(net, max(named, 2), exact=False)
    labels = check_labels(labels, len(x_arr), classes)
    rng = np.random.default_rng(_seed(seed))
    loss, grads, grad_x = net.loss_and_grads(checked, x_arr, labels, ctx=Pass(train=bool(train), rng=rng),
                                             buffers=bufs)
    return loss, grads, np.ascontiguousarray(grad_x)


def predict(stack: Iterable[Any], params: Sequence[Any], x: Any, *, buffers: Sequence[np.ndarray] | None = None
            ) -> np.ndarray:
    """Class probabilities ``(N, classes)`` for ``x``, in evaluation mode (``model.eval()``).

    >>> from convviz.nets.layers import Flatten, Linear
    >>> predict([Flatten(), Linear(1, 2)], [np.array([[1.0], [-1.0]]), np.zeros(2)], np.zeros((1, 1, 1, 1)))
    array([[0.5, 0.5]])
    """
    net, checked, x_arr, bufs = _prepare(stack, params, x, buffers)
    check_scores(net, 2, exact=False)
    return softmax(net.scores(checked, x_arr, buffers=bufs))


def activations(stack: Iterable[Any], params: Sequence[Any], x: Any, *, buffers: Sequence[np.ndarray] | None = None
                ) -> list[np.ndarray]:
    """Every layer's output for ``x`` in evaluation mode (the feature maps of each layer, then the scores).

    >>> from convviz.nets.layers import Conv2d, ReLU
    >>> maps = activations([Conv2d(1, 1, 1, bias=False), ReLU()], [np.array([[[[-1.0]]]])], np.ones((1, 1, 2, 2)))
    >>> [m.tolist() for m in maps]
    [[[[[-1.0, -1.0], [-1.0, -1.0]]]], [[[[0.0, 0.0], [0.0, 0.0]]]]]
    """
    net, checked, x_arr, bufs = _prepare(stack, params, x, buffers)
    _, outputs = net.forward(checked, x_arr, ctx=Pass(train=False), buffers=bufs, every_layer=True)
    return [np.ascontiguousarray(o) for o in outputs]
