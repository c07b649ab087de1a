"""How a 2-D correlation is computed: the method is chosen per kernel, the result is the same.

:func:`convviz.filters.filtering.filter_image` promises the semantics of ``scipy.ndimage.correlate``
(float64, every boundary mode). Computing it that way is slow: scipy's generic N-D loop needs
about 300 ms for a 3 x 3 kernel on a 12 MP colour photo. This module gets the same numbers
several times faster with numpy and scipy, and promises every result within :data:`MAX_ERROR`
(1/64 of a grey level) of the exact sum of products:

* integer kernels (times one scale: presets, typed integers) are summed exactly;
* the other methods work in float32, whose rounding stays below ``2e-6 * 255 * sum(|k|)``; where
  that could exceed the promise (large weights), they work in float64 instead
  (:func:`precision`), and :data:`convviz.filters.kernels.MAX_KERNEL_VALUE` keeps float64 inside it.

A float32 output also rounds the stored number itself (relative ``2**-24``): the promise is
about grey levels, which only matter between 0 and 255.

``direct``
    The image is cut into blocks of rows, each padded once (boundary mode applied through
    index maps) into a float32 buffer that stays in cache. A vertical correlation of a few
    rows is a product with a small banded (Toeplitz) matrix, so one BLAS call per kernel column
    does the multiply-adds of a whole block; the columns' products are summed.
``separable``
    Rank-1 kernels (box, Gaussian, Sobel), detected with an SVD: one vertical pass (banded
    matrix products, as above) and one horizontal pass of shifted, weighted views, where taps
    sharing a weight (symmetric kernels) are added before their one multiply.
``integer``
    Kernels that are small integers times a scale (emboss, sharpen, Sobel, Laplacian): the
    taps are summed exactly in int16 blocks (half the bytes of float32, twice the SIMD lanes)
    and scaled once at the end.
``fft``
    Large dense kernels: overlap-save FFT convolution (``scipy.fft``) on tiles of a few hundred
    pixels, so memory stays at a few tile-sized buffers instead of image-sized complex spectra.

Blocks run on the small process-wide thread pool of :mod:`convviz.workers`: BLAS, numpy's ufuncs and ``scipy.fft``
release the GIL, so two cores filter two blocks at once. Intermediates are float32 (int16)
and block-sized; the only image-sized allocation is the result (uint8 when ``output=np.uint8``,
rounded block by block).

>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 9
>>> correlate(img, np.ones((3, 3)) / 9, output=np.uint8)[1:4, 1:4].tolist()
[[1, 1, 1], [1, 1, 1], [1, 1, 1]]
>>> choose_method(np.ones((3, 3)) / 9), choose_method(np.array([[0., 1, 0], [1, -4, 1], [0, 1, 0]]))
('separable', 'integer')
>>> choose_method(np.random.default_rng(0).normal(size=(31, 31)))
'fft'
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import scipy.fft as sfft
from numpy.lib.stride_tricks import as_strided

from ..errors import ConvVizError
from ..workers import default_threads, executor
from .boundary import index_map

__all__ = ["METHODS", "MAX_ERROR", "precision", "integer_form", "separable_factors", "estimate_ns", "choose_method",
           "correlate"]

#: Methods :func:`correlate` knows; ``None`` / ``"auto"`` picks one with :func:`choose_method`.
METHODS = ("direct", "separable", "fft", "integer")
#: Output rows per block of the spatial methods: a block's padded input (about 40 rows of a
#: 4000-pixel colour row, 2 MB) stays in cache while every kernel column is applied to it.
BLOCK_ROWS = 32
#: Below this many output samples a call runs in the calling thread (pool overhead dominates).
MIN_PARALLEL_SAMPLES = 150_000
#: Relative size of the second singular value below which a kernel counts as rank 1.
RANK_TOL = 1e-9
#: The promise: every result within this many grey levels of the exact real-number result.
MAX_ERROR = 1 / 64
#: Bound on the error of the float32 methods, relative to ``255 * sum(|k|)``: five times the
#: worst seen against float64 over 400 random kernels of 1x1 to 63x63 and every method (3.7e-7).
FLOAT32_ERROR = 2e-6
#: The same for the float64 methods (rounding 2**-53 grown by sums and FFTs), with margin.
FLOAT64_ERROR = 2.0 ** -45
#: Largest m * n * k of one matrix product. OpenBLAS starts threads of its own above
#: 65536 * 4; below, each call stays on its block's thread and the pool alone sets parallelism.
GEMM_MNK = 200_000

# Cost model in nanoseconds per output sample on one core; only ratios between methods matter.
# Calibrated with `python bench/filters.py --calibrate` (CPU time; 2-core AMD EPYC, AVX-512).
_PASS_NS = 0.10  # one float32 numpy operation (add, multiply) over a cache-resident block
_MAC_NS = 0.028  # one multiply-add inside a banded matrix product (BLAS)
_FFT_NS = 8.5  # one overlap-save FFT round trip (forward, multiply, inverse, copies)
_INT_PASS_NS = 0.05  # one int16 numpy operation (half the bytes, twice the SIMD lanes)
_INT_SETUP_NS = 0.55  # pad + convert to int16 + clip/convert the result
_INT_SCALE_NS = 0.35  # multiply by the common scale and round, when the kernel is not all integers
_SETUP_NS = 0.75  # pad + convert to float32 + round/clip: about the same for every method

_local = threading.local()
#: Largest block buffer a thread keeps for its next call. Fresh memory costs a page fault per
#: 4 KB, which for a 3 x 3 kernel is a fifth of the filtering itself.
SCRATCH_BYTES = 4 << 20


def _scratch(slot: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """A thread's reusable block buffer named ``slot`` (uninitialised)."""
    cache = getattr(_local, "buffers", None)
    if cache is None:
        cache = _local.buffers = {}
    a = cache.get(slot)
    if a is None or a.shape != shape or a.dtype != np.dtype(dtype):
        a = np.empty(shape, dtype)
        if a.nbytes <= SCRATCH_BYTES:
            cache[slot] = a
    return a


# --------------------------------------------------------------------------- boundary modes
# --------------------------------------------------------------------------- kernel analysis
#: Largest magnitude an int16 accumulator may reach.
INT16_LIMIT = 32767
#: The same for int32, used when weights are too large for int16 and for float32 rounding.
INT32_LIMIT = 2**31 - 1


def precision(kernel: np.ndarray) -> type:
    """``numpy.float32`` if float32 rounding keeps ``kernel``'s results within :data:`MAX_ERROR`,
    else ``numpy.float64``.

    >>> precision(np.ones((3, 3)) / 9).__name__, precision(np.array([[10.5, 20, -3]])).__name__
    ('float32', 'float64')
    """
    bound = 255.0 * float(np.abs(np.asarray(kernel, dtype=np.float64)).sum())
    return np.float32 if bound * FLOAT32_ERROR <= MAX_ERROR else np.float64


def integer_form(kernel: np.ndarray, cval: float = 0.0, *,
                 limit: int = INT16_LIMIT) -> tuple[np.ndarray, float] | None:
    """``(ints, scale)`` with ``kernel == scale * ints`` (up to a negligible rounding of the
    weights) and every partial sum of a uint8 image (or ``cval``) fitting in ``limit``, else ``None``.

    Presets are like this (emboss, Sobel, Laplacian; box and Gaussian blurs up to a scale), so
    they can be summed exactly in int16: half the memory traffic of float32, twice the lanes.
    ``limit=INT32_LIMIT`` admits larger integers (summed in int32).

    >>> ints, scale = integer_form(np.array([[1., 2, 1], [2, 4, 2], [1, 2, 1]]) / 16)
    >>> ints.astype(int).tolist(), scale
    ([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 0.0625)
    >>> integer_form(np.array([[0.3, 0.7]])) is None
    True
    >>> integer_form(np.array([[1e-10]]))[1]   # never rounded to an all-zero kernel
    1e-10
    """
    k = np.asarray(kernel, dtype=np.float64)
    nz = np.abs(k[k != 0])
    if nz.size == 0 or cval != round(cval) or not 0 <= cval <= 255:
        return None
    for scale in (1.0, float(nz.min())):
        if not 1e-30 <= scale <= 1e30 or float(nz.max()) / scale > 1e30:
            continue  # k / scale would overflow (a student may type 1e-300 into a cell)
        ints = np.rint(k / scale)
        # Exact enough: the weights' rounding to scale * ints moves no result by more than a
        # fraction of the promise, and no weight becomes zero (1e-10 is not 0 times 1).
        moved = 255.0 * float(np.abs(k - scale * ints).sum())
        if (moved <= MAX_ERROR / 16 and np.array_equal(ints != 0, k != 0)
                and 255 * np.abs(ints).sum() <= limit):
            return ints, scale
    return None


def separable_factors(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(column, row)`` with ``kernel == np.outer(column, row)`` if ``kernel`` has rank 1, else ``None``.

    The rank is decided by an SVD; the factors are then read off the kernel itself (the row
    and column of its largest entry), so a kernel of exact fractions keeps exact factors.

    >>> col, row = separable_factors(np.array([[1., 2, 1], [2, 4, 2], [1, 2, 1]]) / 16)
    >>> col.tolist(), (row * 16).tolist()
    ([0.5, 1.0, 0.5], [2.0, 4.0, 2.0])
    >>> separable_factors(np.eye(3)) is None
    True
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or k.size == 0 or not np.any(k):
        return None
    if k.shape[0] == 1:
        return np.ones(1), k[0].copy()
    if k.shape[1] == 1:
        return k[:, 0].copy(), np.ones(1)
    s = np.linalg.svd(k, compute_uv=False)
    if s[1] > RANK_TOL * s[0]:
        return None
    i, j = np.unravel_index(np.argmax(np.abs(k)), k.shape)
    row = k[i].copy()
    col = k[:, j] / k[i, j]
    if not np.allclose(np.outer(col, row), k, rtol=1e-9, atol=1e-12 * float(np.abs(k).max())):
        return None
    return col, row


def _groups(weights: np.ndarray) -> list[tuple[float, list[int]]]:
    """Non-zero weights grouped by value: ``[(w, [tap indices]), ...]``, unit weights first."""
    found: dict[float, list[int]] = {}
    for idx, w in enumerate(np.asarray(weights, dtype=np.float64).ravel().tolist()):
        if w != 0.0:
            found.setdefault(w, []).append(idx)
    # Unit weights need no multiply; starting with them lets the accumulator be a plain sum.
    return sorted(found.items(), key=lambda item: (abs(item[0]) != 1.0, -len(item[1])))


def _unit_row(col: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale separable factors so the row's most common weight is ±1.

    The vertical pass (a matrix product) costs the same for any weights, while each distinct
    non-unit weight of the horizontal pass costs a multiply: move the scale into the column.

    >>> _unit_row(np.array([0.5, 1, 0.5]), np.array([-2., 0, 2]))
    (array([1., 2., 1.]), array([-1.,  0.,  1.]))
    """
    groups = _groups(row)
    if not groups:
        return col, row
    counts: dict[float, int] = {}
    for w, taps in groups:
        counts[abs(w)] = counts.get(abs(w), 0) + len(taps)
    scale = max(counts, key=lambda a: (counts[a], a))
    top = float(np.abs(row).max())
    # Only within float32's comfortable range: a student may type 1e-300 next to 1 in a custom
    # kernel, and dividing by it would overflow (the weights are used as float32).
    if not (1e-30 <= scale <= 1e30 and top / scale <= 1e30):
        return col, row
    return col * scale, row / scale


def _group_passes(weights: np.ndarray) -> float:
    """Whole-block numpy operations :func:`_accumulate` needs for these taps."""
    passes = 0.0
    for w, taps in _groups(weights):
        passes += len(taps) - 1 + (abs(w) != 1.0) + 1
    return max(passes - 1, 1.0)


def _gemm_rows(kh: int) -> int:
    """Output rows per banded matrix product. Each costs ``rows + kh - 1`` multiply-adds per
    sample and kernel column, so few rows waste little; below 2 (4 for tall kernels) BLAS slows."""
    return 2 if kh <= 5 else 4


def _fft_rows(kh: int) -> int:
    """FFT tile height: small enough for cache, large enough that the ``kh - 1`` rows of overlap
    are a small fraction."""
    return sfft.next_fast_len(max(256, 4 * (kh - 1)), real=True)


def _fft_cols(kw: int) -> int:
    """FFT tile width (see :func:`_fft_rows`)."""
    return sfft.next_fast_len(max(512, 4 * (kw - 1)), real=True)


def _active_columns(k: np.ndarray) -> list[int]:
    return [dx for dx in range(k.shape[1]) if np.any(k[:, dx])]


def estimate_ns(kernel: np.ndarray, method: str) -> float:
    """Rough single-core cost of ``method`` for ``kernel``, in nanoseconds per output sample.

    >>> estimate_ns(np.ones((3, 3)), "direct") > estimate_ns(np.ones((3, 3)), "separable")
    True
    """
    k = np.asarray(kernel, dtype=np.float64)
    kh = k.shape[0]
    if method == "direct":
        cols = max(len(_active_columns(k)), 1)
        return _SETUP_NS + _MAC_NS * cols * (_gemm_rows(kh) + kh - 1) + _PASS_NS * (cols - 1)
    if method == "separable":
        factors = separable_factors(k)
        if factors is None:
            return float("inf")
        col, row = _unit_row(*factors)
        vertical = _MAC_NS * (_gemm_rows(kh) + kh - 1) if kh > 1 else 0.0
        horizontal = _PASS_NS * _group_passes(row) if len(row) > 1 else 0.0
        return _SETUP_NS + vertical + horizontal
    if method == "integer":
        form = integer_form(k)
        if form is None:
            return float("inf")
        return _INT_SETUP_NS + _INT_PASS_NS * _group_passes(form[0]) + (form[1] != 1.0) * _INT_SCALE_NS
    if method == "fft":
        ny, nx = _fft_rows(kh), _fft_cols(k.shape[1])
        return _SETUP_NS + _FFT_NS * ny * nx / ((ny - kh + 1) * (nx - k.shape[1] + 1))
    raise ConvVizError(f"method must be one of {', '.join(METHODS)}; got {method!r}", "bad_choice",
                       param="method", value=repr(method))


def choose_method(kernel: np.ndarray, shape: Sequence[int] | None = None, cval: float = 0.0) -> str:
    """The method :func:`correlate` uses for ``kernel`` (on an image of ``shape``): the cheapest estimate.

    >>> choose_method(np.array([[-2., -1, 0], [-1, 1, 1], [0, 1, 2]]))
    'integer'
    >>> choose_method(np.array([[-2., -1, 0], [-1, 1, 1], [0, 1, 2.5]]))
    'direct'
    """
    k = np.asarray(kernel, dtype=np.float64)
    wide = precision(k) is np.float64
    if wide and integer_form(k, cval, limit=INT32_LIMIT) is not None:
        return "integer"  # large integer weights: exact, where float32 would round visibly
    costs = {m: estimate_ns(k, m) for m in METHODS}
    if wide:
        costs["separable"] = float("inf")  # the float64 methods are direct and fft
    if integer_form(k, cval) is None:
        costs["integer"] = float("inf")  # e.g. constant mode with a cval that is no grey level
    if shape is not None and (shape[0] < k.shape[0] or shape[1] < k.shape[1]):
        costs["fft"] = float("inf")  # tiny image: nothing to gain, avoid needless transforms
    return min(costs, key=costs.__getitem__)


# --------------------------------------------------------------------------- blocks
class _Job:
    """One correlation: the image, its column map, the output, and how finished rows are stored."""

    def __init__(self, image: np.ndarray, kh: int, kw: int, mode: str, cval: float, output: type) -> None:
        self.image = image if image.ndim == 3 else image[:, :, None]
        self.h, self.w, self.c = self.image.shape
        self.hy, self.hx = kh // 2, kw // 2
        self.mode, self.cval = mode, float(cval)
        self.cols = index_map(-self.hx, self.w + self.hx, self.w, mode)
        self.uint8 = np.dtype(output) == np.uint8
        self.out = np.empty(image.shape, np.uint8 if self.uint8 else np.float32)
        self.out3 = self.out if self.out.ndim == 3 else self.out[:, :, None]
        self.out2 = self.out3.reshape(self.h, self.w * self.c)

    def fill(self, buf: np.ndarray, r0: int, n_rows: int) -> None:
        """Write padded input rows ``r0 - hy .. r0 + n_rows + hy - 1`` as float32 into ``buf``.

        ``buf`` has shape ``(>= n_rows + 2hy, w + 2hx, c)``. Rows and columns outside the image
        (also past its last row, for blocks that overhang it) are extended by the mode.
        """
        hy, hx, w = self.hy, self.hx, self.w
        m = n_rows + 2 * hy
        lo = r0 - hy
        centre = buf[:m, hx:hx + w]
        if lo >= 0 and lo + m <= self.h:
            np.copyto(centre, self.image[lo:lo + m], casting="unsafe")  # interior: a view, no gather
        else:
            rows = index_map(lo, lo + m, self.h, self.mode)
            np.copyto(centre, self.image[np.maximum(rows, 0)], casting="unsafe")
            if self.mode == "constant":
                centre[rows < 0] = self.cval
        if hx:
            for dst, idx in ((slice(0, hx), self.cols[:hx]), (slice(hx + w, 2 * hx + w), self.cols[hx + w:])):
                if self.mode == "constant":
                    buf[:m, dst] = self.cval  # every padded column lies outside the image
                else:
                    buf[:m, dst] = buf[:m, hx + idx]

    def fill_planar(self, dst: np.ndarray, r0: int, n_rows: int, c0: int, width: int) -> None:
        """Like :meth:`fill` for one tile, channel-planar: ``dst[:, :n_rows + 2hy, :width]`` gets
        padded rows ``r0 - hy ..`` and padded columns ``c0 .. c0 + width - 1`` (column ``hx`` is
        the image's first)."""
        m = n_rows + 2 * self.hy
        lo = r0 - self.hy
        cols = self.cols[c0:c0 + width]
        if lo >= 0 and lo + m <= self.h:
            src = self.image[lo:lo + m]
            rows = None
        else:
            rows = index_map(lo, lo + m, self.h, self.mode)
            src = self.image[np.maximum(rows, 0)]
        first = int(cols[0])
        if first >= 0 and int(cols[-1]) == first + width - 1 and (width < 3 or np.all(np.diff(cols) == 1)):
            src = src[:, first:first + width]
        else:
            src = src[:, np.maximum(cols, 0)]
        view = dst[:, :m, :width]
        np.copyto(view, np.moveaxis(src, 2, 0), casting="unsafe")
        if self.mode == "constant":
            if rows is not None:
                view[:, rows < 0] = self.cval
            view[:, :, cols < 0] = self.cval

    def target(self, r0: int, n: int, scratch: np.ndarray) -> np.ndarray:
        """Where a block of ``len(scratch)`` rows accumulates: the float32 output itself when
        the whole block lies inside it, else ``scratch``."""
        if not self.uint8 and n == len(scratch) and scratch.dtype == self.out2.dtype:
            return self.out2[r0:r0 + n]
        return scratch

    def commit_tile(self, r0: int, r1: int, c0: int, c1: int, block: np.ndarray) -> None:
        """Store a finished ``(r1 - r0, c1 - c0, c)`` float32 tile (rounded in place for uint8)."""
        dst = self.out3[r0:r1, c0:c1]
        if self.uint8:
            np.rint(block, out=block)
            np.clip(block, 0, 255, out=block)
            np.copyto(dst, block, casting="unsafe")
        else:
            np.copyto(dst, block)

    def commit(self, r0: int, r1: int, acc: np.ndarray) -> None:
        """Store finished rows ``r0..r1`` from ``acc``: ``(>= r1 - r0, w * c)`` or
        ``(r1 - r0, w, c)`` float32, rounded in place for a uint8 output."""
        n = r1 - r0
        if acc.ndim == 2:
            acc = acc[:n]
            dst = self.out2[r0:r1]
        else:
            dst = self.out3[r0:r1]
        if self.uint8:
            np.rint(acc, out=acc)
            np.clip(acc, 0, 255, out=acc)
            np.copyto(dst, acc, casting="unsafe")
        elif not np.shares_memory(dst, acc):
            np.copyto(dst, acc)


def _run_blocks(job: _Job, rows_per_block: int, worker: Callable[[int, int], None], threads: int) -> None:
    """Run ``worker(r0, r1)`` over runs of whole blocks, on the pool when worthwhile."""
    h = job.h
    n_blocks = -(-h // rows_per_block)
    if threads <= 1 or n_blocks < 2 or h * job.w * job.c < MIN_PARALLEL_SAMPLES:
        worker(0, h)
        return
    # A few runs per thread balance uneven progress (other processes share the cores).
    n_runs = min(n_blocks, 4 * threads)
    per_run = -(-n_blocks // n_runs) * rows_per_block
    futures = [executor().submit(worker, r0, min(r0 + per_run, h)) for r0 in range(0, h, per_run)]
    for f in futures:
        f.result()


def _accumulate(acc: np.ndarray, tmp: np.ndarray, view: Callable[[int], np.ndarray], weights: np.ndarray) -> None:
    """``acc = sum_t weights[t] * view(t)`` in few whole-block numpy operations.

    Taps that share a weight are summed before their one multiply; unit weights are added or
    subtracted directly. ``tmp`` is scratch of ``acc``'s shape. Works for float32 and, with
    integer weights, int16 blocks.
    """
    kind = acc.dtype.type
    groups = _groups(weights)
    if not groups:
        acc.fill(0.0)
        return
    for i, (w, taps) in enumerate(groups):
        unit = abs(w) == 1.0
        if i == 0:  # the first group writes acc directly
            if len(taps) == 1:
                if w == 1.0:
                    np.copyto(acc, view(taps[0]))
                else:
                    np.multiply(view(taps[0]), kind(w), out=acc)
                continue
            np.add(view(taps[0]), view(taps[1]), out=acc)
            for t in taps[2:]:
                np.add(acc, view(t), out=acc)
            if w != 1.0:
                np.multiply(acc, kind(w), out=acc)
        elif len(taps) == 1 and unit:
            (np.add if w > 0 else np.subtract)(acc, view(taps[0]), out=acc)
        elif len(taps) == 1:
            np.multiply(view(taps[0]), kind(w), out=tmp)
            np.add(acc, tmp, out=acc)
        else:
            np.add(view(taps[0]), view(taps[1]), out=tmp)
            for t in taps[2:]:
                np.add(tmp, view(t), out=tmp)
            if not unit:
                np.multiply(tmp, kind(abs(w)), out=tmp)
            (np.add if w > 0 else np.subtract)(acc, tmp, out=acc)


def _toeplitz(column: np.ndarray, rows: int, dtype: type = np.float32) -> np.ndarray:
    """``(rows, rows + kh - 1)`` ``T`` with ``T[i, i + dy] = column[dy]``: ``T @ x``
    correlates ``rows + kh - 1`` input rows ``x`` with ``column`` vertically, in one BLAS call.

    >>> _toeplitz(np.array([1., 2, 3]), 2).tolist()
    [[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0]]
    """
    kh = len(column)
    t = np.zeros((rows, rows + kh - 1), dtype)
    for i in range(rows):
        t[i, i:i + kh] = column
    return t


class _Vertical:
    """Vertical correlation of a padded block by banded matrix products.

    The block's rows are viewed (not copied) as overlapping groups of ``r + kh - 1`` rows; one
    ``matmul`` per column chunk multiplies every group by a :func:`_toeplitz` matrix. Column
    chunks keep each BLAS call below :data:`GEMM_MNK`.
    """

    def __init__(self, kh: int, block_rows: int, width: int) -> None:
        self.kh, self.r = kh, _gemm_rows(kh)
        self.groups = -(-block_rows // self.r)
        self.rows = self.groups * self.r  # rows computed per block (>= block_rows)
        step = max(64, GEMM_MNK // (self.r * (self.r + kh - 1)))
        self.chunks = [(c0, min(c0 + step, width)) for c0 in range(0, width, step)]

    def groups_of(self, flat: np.ndarray) -> np.ndarray:
        """``(groups, r + kh - 1, width)`` overlapping read-only view of a padded block ``flat``."""
        s0, s1 = flat.strides
        return as_strided(flat, shape=(self.groups, self.r + self.kh - 1, flat.shape[1]),
                          strides=(self.r * s0, s0, s1), writeable=False)


# --------------------------------------------------------------------------- methods
def _direct(job: _Job, k: np.ndarray, threads: int, block: int, dtype: type = np.float32) -> None:
    """2-D correlation: per kernel column, a vertical banded product of the shifted block; summed.

    ``dtype``: float32, or float64 where float32 would round visibly (:func:`precision`)."""
    kh = k.shape[0]
    c, w = job.c, job.w
    n, wp = w * c, (w + 2 * job.hx) * c
    vert = _Vertical(kh, block, n)
    cols = _active_columns(k)
    mats = {dx: _toeplitz(k[:, dx], vert.r, dtype) for dx in cols}

    def worker(b0: int, b1: int) -> None:
        buf = _scratch("buf", (vert.rows + kh - 1, w + 2 * job.hx, c), dtype)
        groups = vert.groups_of(buf.reshape(buf.shape[0], wp))
        scratch = _scratch("acc", (vert.rows, n), dtype)
        tmp = _scratch("tmp", (vert.groups, vert.r, n), dtype)
        for r0 in range(b0, b1, block):
            r1 = min(r0 + block, b1)
            job.fill(buf, r0, vert.rows)
            acc = job.target(r0, r1 - r0, scratch)
            a3 = acc.reshape(vert.groups, vert.r, n)
            if not cols:
                acc.fill(0.0)
            for c0, c1 in vert.chunks:
                for i, dx in enumerate(cols):
                    src = groups[:, :, dx * c + c0:dx * c + c1]
                    if i == 0:
                        np.matmul(mats[dx], src, out=a3[:, :, c0:c1])
                    else:
                        np.matmul(mats[dx], src, out=tmp[:, :, c0:c1])
                        np.add(a3[:, :, c0:c1], tmp[:, :, c0:c1], out=a3[:, :, c0:c1])
            job.commit(r0, r1, acc)

    _run_blocks(job, block, worker, threads)


def _separable(job: _Job, col: np.ndarray, row: np.ndarray, threads: int, block: int) -> None:
    """Rank-1 kernel: a vertical pass by banded matrix products, then horizontal taps."""
    kh, kw = len(col), len(row)
    c, w = job.c, job.w
    n, wp = w * c, (w + 2 * job.hx) * c
    vert = _Vertical(kh, block, wp if kw > 1 else n) if kh > 1 else None
    rows = vert.rows if vert else block
    mat = _toeplitz(col, vert.r) if vert else None

    def worker(b0: int, b1: int) -> None:
        buf = _scratch("buf", (rows + kh - 1, w + 2 * job.hx, c), np.float32)
        flat = buf.reshape(buf.shape[0], wp)
        groups = vert.groups_of(flat) if vert else None
        mid = _scratch("mid", (rows, wp), np.float32)
        scratch = _scratch("acc", (rows, n), np.float32)
        tmp = _scratch("tmp", (rows, n), np.float32)
        for r0 in range(b0, b1, block):
            r1 = min(r0 + block, b1)
            m = r1 - r0
            job.fill(buf, r0, rows)
            acc = job.target(r0, m, scratch)
            if vert is None:  # a single row: only the horizontal pass, scaled by the 1x1 column
                v = flat[:rows]
                if col[0] != 1.0 and kw > 1:
                    v = np.multiply(v, np.float32(col[0]), out=mid)
            else:
                v = mid if kw > 1 else acc
                v3 = v.reshape(vert.groups, vert.r, v.shape[1])
                for c0, c1 in vert.chunks:
                    np.matmul(mat, groups[:, :, c0:c1], out=v3[:, :, c0:c1])
            if kw > 1:
                # only the block's own rows: rows a block overhangs the image are never kept
                _accumulate(acc[:m], tmp[:m], lambda t: v[:m, t * c:t * c + n], row)  # noqa: B023 - called right here
            elif vert is None:  # 1 x 1 kernel
                np.multiply(v, np.float32(row[0] * col[0]), out=acc)
            elif row[0] != 1.0:
                np.multiply(acc, np.float32(row[0]), out=acc)
            job.commit(r0, r1, acc)

    _run_blocks(job, block, worker, threads)


def _integer(job: _Job, ints: np.ndarray, scale: float, threads: int, block: int) -> None:
    """Integer kernel: taps summed exactly in int16 blocks (int32 when int16 could overflow),
    scaled once at the end."""
    kh, kw = ints.shape
    kind = np.int16 if 255 * np.abs(ints).sum() <= INT16_LIMIT else np.int32
    c, w = job.c, job.w
    n, wp = w * c, (w + 2 * job.hx) * c
    offsets = [(dy, dx * c) for dy in range(kh) for dx in range(kw)]

    def worker(b0: int, b1: int) -> None:
        buf = _scratch("ibuf", (block + kh - 1, w + 2 * job.hx, c), kind)
        flat = buf.reshape(buf.shape[0], wp)
        acc_all = _scratch("iacc", (block, n), kind)
        tmp_all = _scratch("itmp", (block, n), kind)
        scaled = _scratch("acc", (block, n), np.float32) if job.uint8 and scale != 1.0 else None
        for r0 in range(b0, b1, block):
            r1 = min(r0 + block, b1)
            m = r1 - r0
            job.fill(buf, r0, m)
            acc = acc_all[:m]

            def view(t: int) -> np.ndarray:
                dy, dx = offsets[t]
                return flat[dy:dy + m, dx:dx + n]  # noqa: B023 - used in this iteration only

            _accumulate(acc, tmp_all[:m], view, ints)
            if not job.uint8:
                # int16 * float32 rounds once in float32; int32 * float32 once in float64, then
                # once more when stored: both far inside the promise.
                np.multiply(acc, np.float32(scale), out=job.out2[r0:r1], casting="same_kind")
            elif scale == 1.0:  # exact integers: clip and store, no rounding needed
                np.clip(acc, 0, 255, out=acc)
                np.copyto(job.out2[r0:r1], acc, casting="unsafe")
            else:
                np.multiply(acc, np.float32(scale), out=scaled[:m], casting="same_kind")
                job.commit(r0, r1, scaled)

    _run_blocks(job, block, worker, threads)


def _fft(job: _Job, k: np.ndarray, threads: int, strip_rows: int | None, dtype: type = np.float32) -> None:
    """Overlap-save on tiles: each tile's padded input is transformed, multiplied by the
    kernel's spectrum and transformed back; the part the circular wrap did not touch is kept.

    A strip of rows is cut into column tiles, each transformed (all channels at once) on its
    own: tiles of a few hundred samples a side keep the work in cache and the overlap small.
    """
    kh, kw = k.shape
    c, w = job.c, job.w
    ny = _fft_rows(kh) if not strip_rows else sfft.next_fast_len(strip_rows + kh - 1, real=True)
    ny = min(ny, sfft.next_fast_len(job.h + kh - 1, real=True))
    # float64 tiles half as wide: the same bytes per tile as float32
    tile_cols = _fft_cols(kw) if dtype is np.float32 else sfft.next_fast_len(max(256, 4 * (kw - 1)), real=True)
    nx = min(tile_cols, sfft.next_fast_len(w + kw - 1, real=True))
    rows = min(ny - kh + 1, int(strip_rows)) if strip_rows else ny - kh + 1
    cols = nx - kw + 1
    tiles = [(c0, min(c0 + cols, w)) for c0 in range(0, w, cols)]
    # correlation = convolution with the kernel rotated 180 degrees
    spectrum = sfft.rfft2(np.ascontiguousarray(k[::-1, ::-1], dtype=dtype), s=(ny, nx))

    def worker(b0: int, b1: int) -> None:
        # Zeroed once: valid outputs never read past the filled rows/columns, but stale values
        # there must be finite or the transform would spread NaN everywhere. Stale values of
        # a larger earlier tile are cleared too, so rounding never depends on the threads.
        x = np.zeros((c, ny, nx), dtype)
        filled = (0, 0)
        for r0 in range(b0, b1, rows):
            r1 = min(r0 + rows, b1)
            n = r1 - r0
            m = n + kh - 1
            for c0, c1 in tiles:
                width = c1 - c0 + kw - 1
                if m < filled[0]:
                    x[:, m:filled[0]] = 0.0
                if width < filled[1]:
                    x[:, :, width:filled[1]] = 0.0
                filled = (m, width)
                job.fill_planar(x, r0, n, c0, width)
                f = sfft.rfft2(x, workers=1)
                f *= spectrum
                y = sfft.irfft2(f, s=(ny, nx), workers=1, overwrite_x=True)
                job.commit_tile(r0, r1, c0, c1, np.moveaxis(y[:, kh - 1:kh - 1 + n, kw - 1:kw - 1 + c1 - c0], 0, 2))

    _run_blocks(job, rows, worker, threads)


def correlate(image: np.ndarray, kernel: np.ndarray, *, mode: str = "reflect", cval: float = 0.0,
              output: type = np.float32, method: str | None = None, threads: int | None = None,
              strip_rows: int | None = None) -> np.ndarray:
    """``scipy.ndimage.correlate`` of a uint8 image, per channel, computed the fastest way we know.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, C)`` uint8 (never copied or converted as a whole).
    kernel : ndarray
        2-D, odd-sized, finite weights (validated by the caller, already flipped for convolution).
    mode, cval
        Boundary handling, as in ``scipy.ndimage``.
    output : {numpy.float32, numpy.uint8}, keyword-only
        ``float32``: the raw response. ``uint8``: rounded to nearest (half to even) and clipped
        to 0..255 block by block, so no image-sized float array is made.
    method : {None, 'auto', 'direct', 'separable', 'fft', 'integer'}, keyword-only
        Force a method (tests, benchmarks); ``None`` chooses with :func:`choose_method`.
        ``'separable'`` on a kernel that is not rank 1 (or needs float64), and ``'integer'`` on
        one that is not integers times a scale (or with a ``cval`` that is no grey level), fall
        back to ``'direct'``. Precision is chosen by the weights (:func:`precision`), never by
        the method.
    threads : int or None, keyword-only
        Blocks filtered at once; ``None`` uses :func:`default_threads`, ``1`` the caller's thread.
    strip_rows : int or None, keyword-only
        Output rows per block or FFT strip (tests use it to put block boundaries anywhere).

    Returns
    -------
    ndarray
        ``image.shape``, float32 or uint8.

    Examples
    --------
    >>> img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    >>> correlate(img, np.array([[0., 0, 1]]), mode="wrap", output=np.uint8).tolist()
    [[1, 2, 3, 0], [5, 6, 7, 4], [9, 10, 11, 8]]
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or k.shape[0] % 2 == 0 or k.shape[1] % 2 == 0:
        raise ConvVizError(f"kernel must be 2-D with odd sides, got shape {k.shape}", "bad_shape",
                           param="kernel", shape=str(k.shape))
    if np.dtype(output) not in (np.dtype(np.float32), np.dtype(np.uint8)):
        raise ConvVizError(f"output must be numpy.float32 or numpy.uint8, got {output!r}", "bad_choice",
                           param="output", value=repr(output))
    if method in (None, "auto"):
        method = choose_method(k, image.shape, cval if mode == "constant" else 0.0)
    elif method not in METHODS:
        raise ConvVizError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}", "bad_choice",
                           param="method", value=repr(method))
    threads = default_threads() if threads is None else max(1, int(threads))
    block = max(1, int(strip_rows)) if strip_rows else BLOCK_ROWS
    job = _Job(image, k.shape[0], k.shape[1], mode, cval, output)
    dtype = precision(k)
    if method == "integer":
        limit = INT16_LIMIT if dtype is np.float32 else INT32_LIMIT
        form = integer_form(k, cval if mode == "constant" else 0.0, limit=limit)
        if form is not None:
            # int16 blocks are half the bytes: twice the rows for the same cache footprint
            _integer(job, form[0], form[1], threads, block if strip_rows else 2 * BLOCK_ROWS)
            return job.out
        method = "direct"
    if method == "separable" and dtype is np.float32:
        factors = separable_factors(k)
        if factors is not None:
            _separable(job, *_unit_row(*factors), threads, block)
            return job.out
        method = "direct"
    if method == "fft":
        _fft(job, k, threads, strip_rows, dtype)
    else:
        _direct(job, k, threads, block, dtype)
    return job.out
