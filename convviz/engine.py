"""How a 2-D correlation is computed: the method is chosen per kernel, the result is the same.

:func:`convviz.filtering.filter_image` promises the semantics of ``scipy.ndimage.correlate``
(float64, every boundary mode). Computing it that way is slow: scipy's generic N-D loop does a
3 x 3 kernel on a 12 MP colour photo in about 300 ms. This module gets the same numbers (within
float32 rounding, far below one grey level) several times faster with numpy and scipy alone:

``direct``
    Small kernels. The image is cut into strips of a few rows that fit in the CPU cache; each
    strip is padded once (boundary mode applied by index maps) and the kernel's taps are
    accumulated with whole-strip numpy operations on shifted views. Taps that share a weight
    are summed first and multiplied once (a box blur costs one multiply, not nine).
``separable``
    Rank-1 kernels (box, Gaussian, Sobel), detected with an SVD: a vertical then a horizontal
    1-D pass, ``kh + kw`` taps instead of ``kh * kw``.
``fft``
    Large kernels: overlap-save FFT convolution (``scipy.fft``) on strips, so memory stays at
    a few strip-sized buffers instead of full-image complex spectra.

Strips run on a small thread pool: numpy's ufuncs and ``scipy.fft`` release the GIL, so two
cores filter two strips at once. Intermediates are float32 and strip-sized; the only
image-sized allocation is the result (uint8 for :func:`correlate` with ``output=np.uint8``).

>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 9
>>> correlate(img, np.ones((3, 3)) / 9, output=np.uint8)[1:4, 1:4].tolist()
[[1, 1, 1], [1, 1, 1], [1, 1, 1]]
>>> choose_method(np.ones((3, 3)), (3000, 4000, 3)), choose_method(np.eye(31), (3000, 4000, 3))
('separable', 'fft')
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

import numpy as np
import scipy.fft as sfft

from .errors import ConvVizError

#: Methods :func:`correlate` knows; ``None`` / ``"auto"`` picks one with :func:`choose_method`.
METHODS = ("direct", "separable", "fft")
#: A strip's working set (padded input + accumulator + scratch) aims at this many bytes, so it
#: stays in the per-core L2 cache (1-2 MB on current x86 server cores).
STRIP_BYTES = 1 << 20
#: Below this many output samples a call runs in the calling thread (pool overhead dominates).
MIN_PARALLEL_SAMPLES = 150_000
#: Relative size of the second singular value below which a kernel counts as rank 1.
RANK_TOL = 1e-9

# Cost model, in "passes": one whole-image numpy operation over float32 samples. Calibrated
# with bench/filters.py on a 2-core AMD EPYC (AVX-512); only the ratios matter.
_FFT_PASSES = 40.0  # one overlap-save strip FFT round trip per sample, independent of kernel size
_DIRECT_SETUP = 4.0  # pad/convert + round/clip passes, shared by all spatial methods

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def default_threads() -> int:
    """Worker threads used for strips: the CPUs this process may run on, at most 8.

    >>> default_threads() >= 1
    True
    """
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def _executor() -> ThreadPoolExecutor:
    # One process-wide pool: concurrent Streamlit sessions queue their strips on the same few
    # threads instead of each starting its own and oversubscribing the cores.
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=default_threads(), thread_name_prefix="convviz-strip")
        return _pool


# --------------------------------------------------------------------------- boundary modes
def index_map(start: int, stop: int, n: int, mode: str) -> np.ndarray:
    """Source index of each position ``start..stop-1`` of a line of length ``n``, extended by ``mode``.

    Positions outside ``0..n-1`` map back inside exactly as ``scipy.ndimage`` extends a line;
    with ``mode='constant'`` they map to ``-1`` (meaning "use cval").

    >>> index_map(-3, 5, 3, "reflect").tolist()   # scipy 'reflect' = numpy 'symmetric'
    [2, 1, 0, 0, 1, 2, 2, 1]
    >>> index_map(-3, 5, 3, "mirror").tolist()    # scipy 'mirror' = numpy 'reflect'
    [1, 2, 1, 0, 1, 2, 1, 0]
    >>> index_map(-2, 4, 3, "wrap").tolist(), index_map(-1, 4, 3, "constant").tolist()
    ([1, 2, 0, 1, 2, 0], [-1, 0, 1, 2, -1])
    """
    i = np.arange(start, stop, dtype=np.intp)
    if mode == "constant":
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "reflect":
        j = np.mod(i, 2 * n)
        return np.where(j < n, j, 2 * n - 1 - j)
    if mode == "mirror":
        if n == 1:
            return np.zeros_like(i)
        j = np.mod(i, 2 * n - 2)
        return np.where(j < n, j, 2 * n - 2 - j)
    raise ConvVizError(f"mode must be one of reflect, constant, nearest, mirror, wrap; got {mode!r}")


# --------------------------------------------------------------------------- kernel analysis
def separable_factors(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(column, row)`` with ``kernel == np.outer(column, row)`` if ``kernel`` has rank 1, else ``None``.

    Rank is decided by an SVD; the factors are then read off the kernel itself (its largest
    entry's row and column), so a kernel of exact fractions keeps exact factors.

    >>> col, row = separable_factors(np.array([[1., 2, 1], [2, 4, 2], [1, 2, 1]]) / 16)
    >>> (col * 16).tolist(), row.tolist()
    ([1.0, 2.0, 1.0], [0.0625, 0.125, 0.0625])
    >>> separable_factors(np.eye(3)) is None
    True
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or k.size == 0 or not np.any(k):
        return None
    if 1 in k.shape:
        # a single row or column is trivially separable
        return (k[:, 0].copy(), np.ones(1)) if k.shape[1] == 1 else (np.ones(1), k[0].copy())
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
    """Non-zero weights grouped by value: ``[(w, [tap indices]), ...]``, ±1 groups first."""
    flat = np.asarray(weights, dtype=np.float64).ravel()
    found: dict[float, list[int]] = {}
    for idx, w in enumerate(flat.tolist()):
        if w != 0.0:
            found.setdefault(w, []).append(idx)
    # Unit weights need no multiply; starting with them lets the accumulator be a plain sum.
    return sorted(found.items(), key=lambda item: (abs(item[0]) != 1.0, -len(item[1])))


def _group_passes(weights: np.ndarray) -> float:
    """Whole-strip numpy operations :func:`_accumulate` needs for these taps."""
    passes = 0.0
    for w, taps in _groups(weights):
        passes += len(taps) - 1 + (abs(w) != 1.0) + 1
    return max(passes - 1, 1.0)


def _fft_rows(kh: int) -> int:
    """FFT length along rows for overlap-save strips: short enough for cache, long enough to
    keep the ``kh - 1`` rows of overlap a small fraction."""
    return sfft.next_fast_len(max(128, 4 * (kh - 1)), real=True)


def estimate_passes(kernel: np.ndarray, method: str) -> float:
    """Rough cost of ``method`` for ``kernel``, in whole-image float32 numpy passes.

    >>> estimate_passes(np.ones((3, 3)), "direct") > estimate_passes(np.ones((3, 3)), "separable")
    True
    """
    k = np.asarray(kernel, dtype=np.float64)
    if method == "direct":
        return _DIRECT_SETUP + _group_passes(k)
    if method == "separable":
        factors = separable_factors(k)
        if factors is None:
            return float("inf")
        col, row = factors
        return _DIRECT_SETUP + 1.0 + _group_passes(col) + _group_passes(row)
    if method == "fft":
        ny = _fft_rows(k.shape[0])
        return _DIRECT_SETUP + _FFT_PASSES * ny / (ny - k.shape[0] + 1)
    raise ConvVizError(f"method must be one of {', '.join(METHODS)}; got {method!r}")


def choose_method(kernel: np.ndarray, shape: Sequence[int] | None = None) -> str:
    """The method :func:`correlate` uses for ``kernel`` on an image of ``shape``: the cheapest estimate.

    >>> choose_method(np.array([[-2., -1, 0], [-1, 1, 1], [0, 1, 2]]))
    'direct'
    """
    k = np.asarray(kernel, dtype=np.float64)
    costs = {m: estimate_passes(k, m) for m in METHODS}
    if shape is not None and (shape[0] < k.shape[0] or shape[1] < k.shape[1]):
        costs["fft"] = float("inf")  # tiny image: nothing to gain, avoid needless transforms
    return min(costs, key=costs.__getitem__)


# --------------------------------------------------------------------------- strip machinery
class _Job:
    """One correlation: image, boundary maps, output, and how strips are written."""

    def __init__(self, image: np.ndarray, kh: int, kw: int, mode: str, cval: float, output: type) -> None:
        self.image = image if image.ndim == 3 else image[:, :, None]
        self.h, self.w, self.c = self.image.shape
        self.hy, self.hx = kh // 2, kw // 2
        self.mode, self.cval = mode, float(cval)
        self.rows = index_map(-self.hy, self.h + self.hy, self.h, mode)
        self.cols = index_map(-self.hx, self.w + self.hx, self.w, mode)
        self.uint8 = np.dtype(output) == np.uint8
        self.out = np.empty(image.shape, np.uint8 if self.uint8 else np.float32)
        self.out3 = self.out if self.out.ndim == 3 else self.out[:, :, None]
        self.out2 = self.out3.reshape(self.h, self.w * self.c)

    def fill(self, buf: np.ndarray, r0: int, n_rows: int) -> None:
        """Write padded input rows ``r0 - hy .. r0 + n_rows + hy`` (as float32) into ``buf``.

        ``buf`` has shape ``(>= n_rows + 2hy, >= w + 2hx, c)``; columns are padded by the mode.
        """
        hy, hx, w = self.hy, self.hx, self.w
        rows = self.rows[r0:r0 + n_rows + 2 * hy]
        m = len(rows)
        lo = int(rows[0])
        if lo >= 0 and int(rows[-1]) == lo + m - 1 and (m < 3 or np.all(np.diff(rows) == 1)):
            src = self.image[lo:lo + m]  # interior strip: a view, no gather
        else:
            src = self.image[np.maximum(rows, 0)]
        centre = buf[:m, hx:hx + w]
        np.copyto(centre, src, casting="unsafe")
        if self.mode == "constant":
            outside = rows < 0
            if outside.any():
                centre[outside] = self.cval
        if hx:
            for dst, idx in ((slice(0, hx), self.cols[:hx]), (slice(hx + w, 2 * hx + w), self.cols[hx + w:])):
                if self.mode == "constant":
                    buf[:m, dst] = self.cval  # every padded column lies outside the image
                else:
                    buf[:m, dst] = buf[:m, hx + idx]

    def target(self, r0: int, r1: int, scratch: np.ndarray) -> np.ndarray:
        """Where a direct/separable strip accumulates: the output itself when it is float32."""
        return scratch[:r1 - r0] if self.uint8 else self.out2[r0:r1]

    def commit(self, r0: int, r1: int, acc: np.ndarray) -> None:
        """Store a finished strip ``acc`` (``(rows, w * c)`` or ``(rows, w, c)`` float32, may be modified)."""
        if self.uint8:
            np.rint(acc, out=acc)
            np.clip(acc, 0, 255, out=acc)
            dst = self.out2[r0:r1] if acc.ndim == 2 else self.out3[r0:r1]
            np.copyto(dst, acc, casting="unsafe")
        elif acc.ndim == 3:
            np.copyto(self.out3[r0:r1], acc)
        # a 2-D acc of a float32 job already is the output (see ``target``)


def _accumulate(acc: np.ndarray, tmp: np.ndarray, view: Callable[[int], np.ndarray], weights: np.ndarray) -> None:
    """``acc = sum_t weights[t] * view(t)`` with few whole-strip numpy operations.

    Taps that share a weight are summed before the one multiply; unit weights are added or
    subtracted directly. ``tmp`` is scratch of ``acc``'s shape.
    """
    groups = _groups(weights)
    if not groups:
        acc.fill(0.0)
        return
    started = False
    for w, taps in groups:
        unit = abs(w) == 1.0
        if not started:
            # the first group writes acc directly
            if len(taps) == 1:
                if w == 1.0:
                    np.copyto(acc, view(taps[0]))
                else:
                    np.multiply(view(taps[0]), np.float32(w), out=acc)
            else:
                np.add(view(taps[0]), view(taps[1]), out=acc)
                for t in taps[2:]:
                    np.add(acc, view(t), out=acc)
                if w != 1.0:
                    np.multiply(acc, np.float32(w), out=acc)
            started = True
            continue
        if len(taps) == 1 and unit:
            (np.add if w > 0 else np.subtract)(acc, view(taps[0]), out=acc)
            continue
        if len(taps) == 1:
            np.multiply(view(taps[0]), np.float32(w), out=tmp)
            np.add(acc, tmp, out=acc)
            continue
        np.add(view(taps[0]), view(taps[1]), out=tmp)
        for t in taps[2:]:
            np.add(tmp, view(t), out=tmp)
        if not unit:
            np.multiply(tmp, np.float32(abs(w)), out=tmp)
        (np.add if w > 0 else np.subtract)(acc, tmp, out=acc)


def _strip_rows(job: _Job, per_row_floats: int, strip_rows: int | None) -> int:
    if strip_rows:
        return max(1, int(strip_rows))
    # padded input + accumulator + scratch, each ~ one padded row per strip row
    return max(2, min(64, STRIP_BYTES // (4 * 3 * max(per_row_floats, 1))))


def _run_strips(job: _Job, rows_per_strip: int, worker: Callable[[int, int], None], threads: int) -> None:
    """Run ``worker(r0, r1)`` over blocks of whole strips, on the pool when worthwhile."""
    h = job.h
    n_strips = -(-h // rows_per_strip)
    samples = h * job.w * job.c
    if threads <= 1 or n_strips < 2 or samples < MIN_PARALLEL_SAMPLES:
        worker(0, h)
        return
    # A few blocks per thread balance uneven progress (other processes share the cores).
    n_blocks = min(n_strips, 4 * threads)
    per_block = -(-n_strips // n_blocks) * rows_per_strip
    bounds = [(r0, min(r0 + per_block, h)) for r0 in range(0, h, per_block)]
    futures = [_executor().submit(worker, r0, r1) for r0, r1 in bounds]
    for f in futures:
        f.result()


# --------------------------------------------------------------------------- methods
def _direct(job: _Job, k: np.ndarray, threads: int, strip_rows: int | None) -> None:
    kh, kw = k.shape
    c, w = job.c, job.w
    wp = (w + 2 * job.hx) * c
    rows = _strip_rows(job, wp, strip_rows)
    offsets = [(dy, dx * c) for dy in range(kh) for dx in range(kw)]

    def worker(b0: int, b1: int) -> None:
        buf = np.empty((rows + kh - 1, w + 2 * job.hx, c), np.float32)
        flat = buf.reshape(buf.shape[0], wp)
        scratch = np.empty((rows, w * c), np.float32)
        tmp = np.empty((rows, w * c), np.float32)
        for r0 in range(b0, b1, rows):
            r1 = min(r0 + rows, b1)
            n = r1 - r0
            job.fill(buf, r0, n)
            acc = job.target(r0, r1, scratch)

            def view(t: int, n: int = n) -> np.ndarray:
                dy, dx = offsets[t]
                return flat[dy:dy + n, dx:dx + w * c]

            _accumulate(acc, tmp[:n], view, k)
            job.commit(r0, r1, acc)

    _run_strips(job, rows, worker, threads)


def _separable(job: _Job, col: np.ndarray, row: np.ndarray, threads: int, strip_rows: int | None) -> None:
    kh, kw = len(col), len(row)
    c, w = job.c, job.w
    wp = (w + 2 * job.hx) * c
    rows = _strip_rows(job, wp, strip_rows)
    if strip_rows is None and kh > 1:
        rows = max(rows, 2 * (kh - 1))  # keep the vertical halo a modest share of each strip

    def worker(b0: int, b1: int) -> None:
        buf = np.empty((rows + kh - 1, w + 2 * job.hx, c), np.float32)
        flat = buf.reshape(buf.shape[0], wp)
        vert = np.empty((rows, wp), np.float32)
        vtmp = np.empty((rows, wp), np.float32)
        scratch = np.empty((rows, w * c), np.float32)
        tmp = np.empty((rows, w * c), np.float32)
        for r0 in range(b0, b1, rows):
            r1 = min(r0 + rows, b1)
            n = r1 - r0
            job.fill(buf, r0, n)
            # vertical first: it runs on the strip's own rows, the horizontal halo is only hx columns
            if kh == 1:
                v = flat[:n]
                if col[0] != 1.0:
                    v = np.multiply(flat[:n], np.float32(col[0]), out=vert[:n])
            else:
                v = vert[:n]
                _accumulate(v, vtmp[:n], lambda t, n=n: flat[t:t + n], col)
            acc = job.target(r0, r1, scratch)
            if kw == 1:
                if row[0] == 1.0:
                    np.copyto(acc, v)
                else:
                    np.multiply(v, np.float32(row[0]), out=acc)
            else:
                _accumulate(acc, tmp[:n], lambda t, v=v: v[:, t * c:t * c + w * c], row)
            job.commit(r0, r1, acc)

    _run_strips(job, rows, worker, threads)


def _fft(job: _Job, k: np.ndarray, threads: int, strip_rows: int | None) -> None:
    kh, kw = k.shape
    c, w = job.c, job.w
    ny = _fft_rows(kh) if not strip_rows else sfft.next_fast_len(strip_rows + kh - 1, real=True)
    ny = min(ny, sfft.next_fast_len(job.h + kh - 1, real=True))
    nx = sfft.next_fast_len(w + kw - 1, real=True)
    rows = min(ny - kh + 1, int(strip_rows)) if strip_rows else ny - kh + 1
    # correlation = convolution with the kernel rotated 180 degrees
    spectrum = sfft.rfft2(np.ascontiguousarray(k[::-1, ::-1], dtype=np.float32), s=(ny, nx))

    def worker(b0: int, b1: int) -> None:
        # Zeroed once: the valid outputs never read past the filled rows/columns, but stale
        # values there must be finite or the transform would spread NaN everywhere.
        x = np.zeros((c, ny, nx), np.float32)
        pad = np.empty((rows + kh - 1, w + 2 * job.hx, c), np.float32)
        for r0 in range(b0, b1, rows):
            r1 = min(r0 + rows, b1)
            n = r1 - r0
            job.fill(pad, r0, n)
            m = n + kh - 1
            np.copyto(x[:, :m, :w + kw - 1], np.moveaxis(pad[:m], 2, 0))
            f = sfft.rfft2(x, axes=(1, 2), workers=1)
            f *= spectrum
            y = sfft.irfft2(f, s=(ny, nx), axes=(1, 2), workers=1, overwrite_x=True)
            block = np.moveaxis(y[:, kh - 1:kh - 1 + n, kw - 1:kw - 1 + w], 0, 2)
            job.commit(r0, r1, block)

    _run_strips(job, rows, worker, threads)


def correlate(image: np.ndarray, kernel: np.ndarray, *, mode: str = "reflect", cval: float = 0.0,
              output: type = np.float32, method: str | None = None, threads: int | None = None,
              strip_rows: int | None = None) -> np.ndarray:
    """``scipy.ndimage.correlate`` of a uint8 image, per channel, computed the fastest way we know.

    Parameters
    ----------
    image : ndarray
        ``(H, W)`` or ``(H, W, C)`` uint8 (C-contiguous or not; never copied as a whole).
    kernel : ndarray
        2-D, odd-sized, finite weights (already validated, already flipped for convolution).
    mode, cval
        Boundary handling, as in ``scipy.ndimage``.
    output : {numpy.float32, numpy.uint8}, keyword-only
        ``float32``: the raw response. ``uint8``: rounded to nearest and clipped to 0..255,
        strip by strip, so no image-sized float array is ever made.
    method : {None, 'auto', 'direct', 'separable', 'fft'}, keyword-only
        Force a method (tests, benchmarks); ``None`` chooses with :func:`choose_method`.
        ``'separable'`` on a kernel that is not rank 1 falls back to ``'direct'``.
    threads : int or None, keyword-only
        Strips filtered at once; ``None`` uses :func:`default_threads`, ``1`` the caller's thread.
    strip_rows : int or None, keyword-only
        Output rows per strip (tests use it to put strip boundaries anywhere).

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
        raise ConvVizError(f"kernel must be 2-D with odd sides, got shape {k.shape}")
    if np.dtype(output) not in (np.dtype(np.float32), np.dtype(np.uint8)):
        raise ConvVizError(f"output must be numpy.float32 or numpy.uint8, got {output!r}")
    if method in (None, "auto"):
        method = choose_method(k, image.shape)
    elif method not in METHODS:
        raise ConvVizError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}")
    threads = default_threads() if threads is None else max(1, int(threads))
    job = _Job(image, k.shape[0], k.shape[1], mode, cval, output)
    if method == "separable":
        factors = separable_factors(k)
        if factors is not None:
            _separable(job, factors[0], factors[1], threads, strip_rows)
            return job.out
        method = "direct"
    if method == "fft":
        _fft(job, k, threads, strip_rows)
    else:
        _direct(job, k, threads, strip_rows)
    return job.out
