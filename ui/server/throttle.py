"""Process-wide limits on how much work runs at once.

Forty students changing kernels at the same moment would otherwise run forty script runs at
once. Python runs one thread at a time (the GIL), so forty runnable threads share it round
robin: every run finishes late, at about the same moment, each holds its buffers the whole
time, and the server's event loop (uploads, image downloads, websocket messages, health
checks) waits behind all of them. Queueing runs keeps memory flat, lets the first clicks
finish first, and keeps the server answering, at the same total throughput.
"""
from __future__ import annotations

import os
import threading


#: Page runs at once (app.py runs each page inside it): one per two cores, so one on the 2-core box.
#: A run is Python holding the GIL almost throughout (its heavy parts, filtering and encoding,
#: spread over the cores by themselves), so a second runnable run only takes turns with the
#: first, and with the event loop that receives uploads. Measured in the 40-session burst
#: (docs/BENCHMARKS.md section 4, same run): p95 3.2-3.4 s with 1, 3.4-3.6 s with 2, 4.0-4.7 s
#: with 4. Downloads computed on click (``st.download_button(data=callable)``) run outside it.
#: ``CONVVIZ_SCRIPT_RUNS`` overrides it (measuring, or a box with more cores than it may use).
def run_width(cores: int | None, override: str | None = None) -> int:
    """How many page runs may go at once on a box with ``cores`` cores (``override``: the env value).

    >>> run_width(2), run_width(1), run_width(8), run_width(64), run_width(2, "3")
    (1, 1, 4, 8, 3)
    """
    if override:
        return max(1, int(override))
    return max(1, min(8, (cores or 1) // 2))


SCRIPT_RUNS = threading.BoundedSemaphore(run_width(os.cpu_count(), os.environ.get("CONVVIZ_SCRIPT_RUNS")))
#: Concurrent heavy computations: one per core (the filter engine itself uses both cores).
HEAVY_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Decoding uploads (a 12 MP JPEG decodes in draft mode to ~2 MB, but briefly needs more).
DECODE_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Full-resolution downloads (a 12 MP result needs ~300 MB for a moment): one at a time.
FULL_SIZE_WORK = threading.BoundedSemaphore(1)
