"""ui.server.training: a session's job is cancelled when the session's state lets go of its handle."""
from __future__ import annotations

import gc

from ui.server.training import JobHandle


class FakeJob:
    request = "the request"

    def __init__(self) -> None:
        self.cancels = 0

    def cancel(self) -> None:
        self.cancels += 1


def test_a_freed_handle_cancels_its_job_once():
    job = FakeJob()
    state = {"job": JobHandle(job, "conv", context=("shifted", {}))}
    assert state["job"].request == "the request" and state["job"].guess == "conv"
    state.clear()  # the session ended: its state is freed
    gc.collect()
    assert job.cancels == 1


def test_a_detached_handle_leaves_its_job_running():
    job = FakeJob()
    handle = JobHandle(job, None)
    handle.detach()  # finished, or taken over by a new handle
    del handle
    gc.collect()
    assert job.cancels == 0


def test_cancel_is_idempotent():
    job = FakeJob()
    handle = JobHandle(job, None)
    handle.cancel()
    handle.cancel()
    del handle
    gc.collect()
    assert job.cancels == 1
