"""Opt-in memory report of a running server: what holds its memory, store by store.

Off unless the server starts with ``CONVVIZ_MEMORY_PROBE=<directory>`` (``ui/server/runtime.py``
reads it and loads this file; it is benchmark code: it writes its reports to disk, the app never
does). Then a daemon thread watches that directory: for every ``<label>.request`` file that
appears (``bench/capacity.py --probe`` writes them during and after each class) it writes
``<label>.json`` with

* the process: ``VmRSS``/``VmHWM``, glibc's ``mallinfo2`` (bytes in use, free in the heap and
  arenas, mmapped) and Python's small-object allocator (``sys._debugmallocstats`` goes to the
  server's log);
* every store that outlives a script run (read through :func:`ui.server.streamlit_internals.server_stores`):
  connected and disconnected sessions and the image-sized data of their state, the uploaded-file
  store, the media-file store and deferred downloads (with what their callables hold), each
  ``st.cache_data`` / ``st.cache_resource`` function;
* with ``PYTHONTRACEMALLOC=<frames>`` in the server's environment: the 25 biggest allocation sites
  alive, and the growth since the previous report.

"Big" data is counted as numpy buffers and ``bytes`` reachable from a value (see :func:`big_bytes`);
a buffer shared by two stores counts in both, and once in the ``distinct`` total.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from ui.server import streamlit_internals  # the server's stores are read there, as every Streamlit internal

#: Only buffers from this size up are counted (a small array or string is not what fills a box).
BIG = 16 * 1024
_started: set[str] = set()
_lock = threading.Lock()


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def mallinfo() -> dict[str, int] | None:
    """glibc's view of the heap (``mallinfo2``), in bytes; ``None`` without glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        fn = libc.mallinfo2
    except (OSError, AttributeError):
        return None
    fn.restype = _Mallinfo2
    m = fn()
    return {"heap_and_arenas": m.arena, "mmapped": m.hblkhd, "in_use": m.uordblks, "free_in_heap": m.fordblks,
            "top_releasable": m.keepcost}


def proc_status() -> dict[str, int]:
    """``VmRSS``, ``VmHWM`` and the anonymous/file parts of the resident set, in kB."""
    out: dict[str, int] = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                name = line.split(":")[0]
                if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    out[name] = int(line.split()[1])
    except OSError:
        pass
    return out


def big_bytes(value: Any, seen: set[int] | None = None, depth: int = 6) -> int:
    """Bytes of the numpy buffers and ``bytes`` objects (>= :data:`BIG`) reachable from ``value``.

    Follows containers, dataclasses, ``functools.partial`` and plain objects' ``__dict__`` a few
    levels deep; a buffer already in ``seen`` (ids) is not counted again.

    >>> a = np.zeros(100_000, np.uint8)
    >>> big_bytes({"x": a, "y": [a, b"0" * 20_000]})
    120000
    """
    seen = set() if seen is None else seen
    if depth < 0 or value is None or isinstance(value, (int, float, bool, str)):
        return 0
    if isinstance(value, np.ndarray):
        base = value
        while isinstance(base.base, np.ndarray):
            base = base.base
        if id(base) in seen or base.nbytes < BIG:
            return 0
        seen.add(id(base))
        return int(base.nbytes)
    if isinstance(value, (bytes, bytearray, memoryview)):
        if id(value) in seen or len(value) < BIG:
            return 0
        seen.add(id(value))
        return len(value)
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, dict):
        children: Any = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif isinstance(value, functools.partial):
        children = [value.func, *value.args, *value.keywords.values()]
    elif dataclasses.is_dataclass(value):
        children = [getattr(value, f.name, None) for f in dataclasses.fields(value)]
    elif hasattr(value, "getbuffer") and hasattr(value, "getvalue"):  # BytesIO, UploadedFile
        try:
            return big_bytes(value.getbuffer(), seen, depth - 1)
        except (BufferError, ValueError):
            return 0
    else:
        children = list(getattr(value, "__dict__", {}).values())
        slots = [name for cls in type(value).__mro__
                 for name in ((lambda v: (v,) if isinstance(v, str) else v)(getattr(cls, "__slots__", ())))
                 if name not in ("__weakref__", "__dict__")]
        children += [getattr(value, name, None) for name in slots]
    return sum(big_bytes(c, seen, depth - 1) for c in children)


def _mb(n: float) -> float:
    return round(n / 2**20, 2)


def stores_report() -> dict[str, Any]:
    """What each store holds, in MB of big data (see the module docstring)."""
    errors: list[str] = []
    stores = streamlit_internals.server_stores(errors)
    if stores is None:
        return {"error": f"no running server, or Streamlit's internals moved: {errors}"}
    distinct: set[int] = set()  # buffers counted once over all stores, into total[0]
    total = [0]
    report: dict[str, Any] = {}

    def once(value: Any) -> None:
        total[0] += big_bytes(value, distinct)

    def sessions(group: dict) -> dict[str, Any]:
        by_key: dict[str, float] = {}
        total = 0
        for state in group.values():
            state = state[0] if isinstance(state, tuple) else state
            for key, value in state.items():
                n = big_bytes(value, set())
                once(value)
                if n:
                    by_key[key] = by_key.get(key, 0) + n
                    total += n
        return {"count": len(group), "big_mb": _mb(total),
                "by_key_mb": {k: _mb(v) for k, v in sorted(by_key.items(), key=lambda kv: -kv[1])}}

    report["sessions_active"] = sessions(stores["active"])
    stored = stores["stored"]
    report["sessions_disconnected"] = sessions({k: v for k, v in stored.items() if v[1] > 0})
    report["sessions_expired_not_dropped"] = sessions({k: v for k, v in stored.items() if v[1] <= 0})
    report["sessions_dropped_not_collected"] = sessions(stores["zombies"])
    known = set(stores["active"]) | set(stored)
    uploads = {sid: sum(len(d) for d in files) for sid, files in stores["uploads"].items()}
    for files in stores["uploads"].values():
        for d in files:
            once(d)
    report["uploaded_files"] = {"sessions": len(uploads), "mb": _mb(sum(uploads.values())),
                                "sessions_gone": sum(1 for s in uploads if s not in known),
                                "mb_of_sessions_gone": _mb(sum(v for s, v in uploads.items() if s not in known))}
    media = stores["media"]
    deferred_seen: set[int] = set()
    deferred_mb = sum(big_bytes(c, deferred_seen) for cs in media["deferred"].values() for c in cs)
    for cs in media["deferred"].values():
        for c in cs:
            once(c)
    report["media_files"] = {"files": media["files"], "mb": _mb(media["bytes"]),
                             "sessions_with_refs": len(media["sessions"]),
                             "sessions_gone": sum(1 for s in media["sessions"] if s not in known),
                             "deferred_downloads": sum(len(v) for v in media["deferred"].values()),
                             "deferred_downloads_hold_mb": _mb(deferred_mb),
                             "deferred_of_sessions_gone": sum(len(v) for s, v in media["deferred"].items()
                                                              if s not in known)}
    report["cache_data"] = {name: {"entries": n, "mb": _mb(size)} for name, n, size in
                            sorted(stores["cache_data"], key=lambda x: -x[2])}
    report["cache_data_total_mb"] = _mb(sum(x[2] for x in stores["cache_data"]))
    resources = {}
    for name, scope, values in stores["cache_resource"]:
        n = sum(big_bytes(v, set()) for v in values)
        for v in values:
            once(v)
        entry = resources.setdefault(f"{name} ({scope})", {"entries": 0, "big_mb": 0.0, "caches": 0})
        entry["entries"] += len(values)
        entry["caches"] += 1
        entry["big_mb"] = round(entry["big_mb"] + _mb(n), 2)
    report["cache_resource"] = resources
    # Every buffer once, plus what only one store holds (media files, pickled cache_data entries).
    report["distinct_big_mb"] = _mb(total[0] + media["bytes"] + sum(x[2] for x in stores["cache_data"]))
    return report


def tracemalloc_report(previous: list | None) -> tuple[dict[str, Any], Any]:
    """Top allocation sites alive now, and growth since ``previous`` (a snapshot)."""
    if not tracemalloc.is_tracing():
        return {"tracing": False}, None
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    top = [{"where": str(s.traceback[0]), "mb": _mb(s.size), "blocks": s.count}
           for s in snap.statistics("lineno")[:25]]
    out: dict[str, Any] = {"tracing": True, "traced_mb": _mb(tracemalloc.get_traced_memory()[0]), "top": top}
    if previous is not None:
        out["growth"] = [{"where": str(d.traceback[0]), "mb": _mb(d.size_diff), "now_mb": _mb(d.size)}
                         for d in snap.compare_to(previous, "lineno")[:15]]
    return out, snap


def report(previous_snapshot: Any = None, label: str = "") -> tuple[dict[str, Any], Any]:
    """The whole report (process, allocator, stores, tracemalloc) and the tracemalloc snapshot."""
    t0 = time.perf_counter()
    # No gc.collect() here: sessions waiting for the cycle collector are part of what is held.
    out: dict[str, Any] = {"time": time.time(), "status_kb": proc_status(), "mallinfo": mallinfo(),
                           "threads": threading.active_count(), "gc_objects": len(gc.get_objects())}
    try:
        out["stores"] = stores_report()
    except Exception as exc:  # noqa: BLE001 - a measuring aid must not take the server down
        out["stores"] = {"error": f"{type(exc).__name__}: {exc}"}
    out["tracemalloc"], snap = tracemalloc_report(previous_snapshot)
    # bench/capacity.py reads "# arenas allocated current" after this line back from the log.
    print(f"--- memory probe {label} {time.strftime('%H:%M:%S')}: sys._debugmallocstats ---", file=sys.stderr,
          flush=True)
    sys._debugmallocstats()  # pymalloc arenas and pools, to the server's log (stderr)
    out["took_s"] = round(time.perf_counter() - t0, 2)
    return out, snap


def _watch(directory: Path) -> None:
    previous = None
    while True:
        for request in sorted(directory.glob("*.request")):
            label = request.stem
            request.unlink(missing_ok=True)
            data, snap = report(previous, label)
            previous = snap if snap is not None else previous
            tmp = directory / f"{label}.json.tmp"
            tmp.write_text(json.dumps(data, indent=1, default=str))
            tmp.replace(directory / f"{label}.json")
        time.sleep(0.5)


def start(directory: str | None = None) -> bool:
    """Start the watcher thread once per process for ``directory`` (default: ``$CONVVIZ_MEMORY_PROBE``).

    Returns whether a probe is running. Never started unless asked for: it walks every session.

    >>> start("") or False
    False
    """
    directory = os.environ.get("CONVVIZ_MEMORY_PROBE", "") if directory is None else directory
    if not directory:
        return False
    with _lock:
        if directory not in _started:
            Path(directory).mkdir(parents=True, exist_ok=True)
            threading.Thread(target=_watch, args=(Path(directory),), name="convviz-memory-probe",
                             daemon=True).start()
            _started.add(directory)
    return True
