"""The one process-wide thread pool of convviz: filtering blocks and image resampling share it.

numpy's ufuncs, BLAS, ``scipy.fft`` and Pillow's resampling release the GIL, so two cores work on
two blocks (or two bands of a resized photo) at once. One pool for the whole process means that
concurrent Streamlit sessions queue their blocks on the same few threads instead of each starting
its own and oversubscribing the cores (:mod:`convviz.filters.engine`, :mod:`convviz.pictures.images`).

>>> executor().submit(pow, 2, 10).result()
1024
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["default_threads", "executor"]

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _cgroup_cpus() -> float | None:
    """CPUs granted by a cgroup v2 quota (containers, hosted apps), or ``None`` if unlimited."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        return None


def default_threads() -> int:
    """Worker threads of the pool: the CPUs this process may use (affinity and cgroup quota: a
    hosted app may see many cores but be granted a fraction of one), at most 8.

    >>> default_threads() >= 1
    True
    """
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        n = min(n, max(1, int(quota + 0.5)))
    return max(1, min(n, 8))


def executor() -> ThreadPoolExecutor:
    """The process-wide pool (:func:`default_threads` workers), started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=default_threads(), thread_name_prefix="convviz-block")
        return _pool
