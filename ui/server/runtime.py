"""Process-wide settings for a server that many students share.

Streamlit's own end-of-run ``gc.collect(2)`` (``runner.postScriptGC``) walks every object of
the process after every script run: with pandas, Altair, pyarrow and scipy loaded that is a
few hundred thousand objects, ~40% of a busy server's time in a class burst
(docs/BENCHMARKS.md). ``.streamlit/config.toml`` turns it off. Python's own generational
collector still runs, and :func:`settle` keeps its full collections cheap by moving the
long-lived objects of imported modules into the permanent generation (:func:`gc.freeze`).
Nothing image-sized depends on the cycle collector: the pages hold arrays in plain locals
and session state, which reference counting frees at once.

A server that teaches class after class also closes what a class leaves behind: a closed tab's
session waits ``server.disconnectedSessionTTL`` for a reconnect, then :func:`streamlit_internals.start_session_reaper`
shuts it down and :func:`after_sessions_closed` frees it at once (docs/BENCHMARKS.md, section 6).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
import threading

from ui.server import streamlit_internals

#: glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
#: Blocks from this size up are mmapped and go back to the system when freed.
MMAP_THRESHOLD = 256 * 1024
#: malloc arenas: fewer than glibc's 8 per core, so freed memory is reused, not spread thin.
ARENA_MAX = 2

_lock = threading.Lock()
_frozen_modules = 0


def tune_malloc() -> bool:
    """Make glibc give large freed buffers back to the system at once; ``False`` if not glibc.

    Every kernel change allocates image-sized buffers (a 9 MB float result, JPEG buffers) in
    whichever of the server's many threads runs that session. glibc serves blocks above a
    *dynamic* threshold with ``mmap`` and returns them when freed, but raises that threshold to
    the largest block freed so far (up to 32 MB), after which such buffers come from per-thread
    arenas that keep their pages: under a class burst the process then keeps the peak of every
    arena. A fixed threshold (which also turns the dynamic one off) and fewer arenas keep the
    resident size near what is actually alive (docs/BENCHMARKS.md). Same effect as starting
    the server with ``MALLOC_MMAP_THRESHOLD_=262144 MALLOC_ARENA_MAX=2``, which a hosted
    demo cannot always set.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl or another libc: nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_ARENA_MAX, ARENA_MAX))


def keep_uploads_in_memory(limit_mb: float | None = None) -> bool:
    """Let the server parse an upload in memory, never in a temporary file; ``False`` if it cannot.

    Streamlit's HTTP layer (Starlette) spools every uploaded part over 1 MB to a temporary file
    while it parses the request, then reads it back: a student's photo would touch the server's
    disk (SECURITY.md promises it never does) and cost a write and a read per upload. Raising the
    spool size to the upload limit (``server.maxUploadSize``) keeps it in memory, which the
    upload needs anyway.
    """
    try:
        from starlette.formparsers import MultiPartParser
        from streamlit import config
    except ImportError:
        return False
    if limit_mb is None:
        limit_mb = float(config.get_option("server.maxUploadSize"))
    # The part holds the file plus its multipart headers: a margin above the limit.
    MultiPartParser.spool_max_size = int((limit_mb + 1) * 1024 * 1024)
    return True


def trim_malloc() -> bool:
    """Give glibc's free heap pages back to the system (``malloc_trim(0)``); ``False`` if not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def after_sessions_closed(closed: int) -> None:
    """Free what the ``closed`` sessions held, at once (called on the server's event loop).

    Their uploads, images and arrays go with reference counting; the session objects themselves
    (Streamlit's ``AppSession`` and its script runner refer to each other) wait for a full
    collection, which Python would otherwise run only after many more allocations. Then glibc
    returns the heap pages that freed (docs/BENCHMARKS.md, section 6).
    """
    if closed:
        gc.collect()
        trim_malloc()


#: Seconds between two looks for sessions whose reconnect window is over (ui/server/streamlit_internals.py).
REAP_EVERY = 5.0

_tuned = tune_malloc()  # once per process: this module is imported once
_in_memory = keep_uploads_in_memory()
# Closed tabs' sessions are shut down when server.disconnectedSessionTTL ends, not at the next
# tab's close (a class later): see streamlit_internals.start_session_reaper.
_reaping = streamlit_internals.start_session_reaper(REAP_EVERY, after_sessions_closed)
if os.environ.get("CONVVIZ_MEMORY_PROBE"):
    # Opt-in, for bench/capacity.py --probe: a thread that reports what holds the server's memory.
    # Benchmark code (it writes its reports to disk, the app never does), loaded from bench/.
    import importlib.util
    from pathlib import Path

    _spec = importlib.util.spec_from_file_location(
        "convviz_memory_probe", Path(__file__).resolve().parents[2] / "bench" / "memory_probe.py")
    if _spec is not None and _spec.loader is not None:
        _probe = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_probe)
        _probe.start()


def settle() -> None:
    """Freeze what the imports of this run created, once per newly imported set of modules.

    Call at the end of a script run. Pages import their modules on first use, so the set of
    modules grows during the first visits of each page and then stays put; freezing only when
    it grew costs nothing on ordinary reruns.

    >>> settle(); frozen = gc.get_freeze_count(); settle(); gc.get_freeze_count() == frozen
    True
    """
    global _frozen_modules
    if len(sys.modules) == _frozen_modules:
        return
    with _lock:
        if len(sys.modules) != _frozen_modules:
            # Collect first so that garbage of this run is not made immortal by the freeze.
            gc.collect()
            gc.freeze()
            _frozen_modules = len(sys.modules)
