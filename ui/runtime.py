"""Process-wide settings for a server that many students share.

Streamlit's own end-of-run ``gc.collect(2)`` (``runner.postScriptGC``) walks every object of
the process after every script run: with pandas, Altair, pyarrow and scipy loaded that is a
few hundred thousand objects, ~40% of a busy server's time in a class burst
(docs/BENCHMARKS.md). ``.streamlit/config.toml`` turns it off. Python's own generational
collector still runs, and :func:`settle` keeps its full collections cheap by moving the
long-lived objects of imported modules into the permanent generation (:func:`gc.freeze`).
Nothing image-sized depends on the cycle collector: the pages hold arrays in plain locals
and session state, which reference counting frees at once.
"""
from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_frozen_modules = 0


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
