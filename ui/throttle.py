"""A process-wide limit on how many sessions run heavy image work at once.

Forty students changing kernels at the same moment would otherwise run forty filters at once,
each allocating its own buffers (~20 MB for a working copy) while the two cores can only run
two of them anyway. Queueing them keeps peak memory flat at the same total throughput.
"""
from __future__ import annotations

import os
import threading

#: Concurrent heavy computations: one per core (the filter engine itself uses both cores).
HEAVY_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Decoding uploads (a 12 MP JPEG decodes in draft mode to ~2 MB, but briefly needs more).
DECODE_WORK = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
#: Full-resolution downloads (a 12 MP result needs ~300 MB for a moment): one at a time.
FULL_SIZE_WORK = threading.BoundedSemaphore(1)
