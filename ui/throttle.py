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

#: Page runs at once (app.py runs each page inside it). Two per core: one computing while the
#: other waits on I/O or a lock; the rest wait without holding the GIL.
#: ``CONVVIZ_SCRIPT_RUNS`` overrides it (measuring, or a box with more cores than it may use).
SCRIPT_RUNS = threading.BoundedSemaphore(int(os.environ.get("CONVVIZ_SCRIPT_RUNS", 0))
                                         or max(2, min(8, 2 * (os.cpu_count() or 1))))
#: Concurrent heavy computations: one per core (the filter engine itself uses both cores).
HEAVY_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Decoding uploads (a 12 MP JPEG decodes in draft mode to ~2 MB, but briefly needs more).
DECODE_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Full-resolution downloads (a 12 MP result needs ~300 MB for a moment): one at a time.
FULL_SIZE_WORK = threading.BoundedSemaphore(1)
