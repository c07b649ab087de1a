"""The Learn page's training: one server-wide :class:`convviz.learn.TrainingService`, one job per session.

Training runs in the service's worker processes (outside the page-run queue and outside the
server's GIL, see :mod:`convviz.learn.jobs`); a page only submits a request and polls the job.

* :func:`service`: the process-wide service (:func:`convviz.learn.default_service`: its workers start
  when the Learn page is shown and stop after two idle minutes, identical requests are trained once
  and shared by the whole class);
* :func:`submit`: submit this session's request. The owner is an id kept in the session's state, so
  a session holds one job at a time (a new Train cancels its previous job, the same Train twice
  joins it);
* :class:`JobHandle`: how the session keeps its job. When the session ends (the tab was closed and
  ``ui.server.runtime``'s reaper shut it down after ``server.disconnectedSessionTTL``), its state
  is freed and the handle with it: a finalizer then cancels the job, so a run nobody waits for any
  more stops after its current epoch.
"""
from __future__ import annotations

import uuid
import weakref
from typing import Any

import streamlit as st

from convviz.learn import Job, TrainingService, TrainRequest, default_service
from ui.common import keys

__all__ = ["JobHandle", "service", "submit", "current", "forget"]


def service() -> TrainingService:
    """The server's one training service, its workers started: a page that may train calls this when shown,
    so the class's first Train does not wait for them (they stop again after two idle minutes)."""
    svc = default_service()
    svc.start()
    return svc


class JobHandle:
    """A session's job, with what the page needs when it finishes: the request and the guess typed before.

    The job is cancelled when the handle is garbage (the session ended) or :meth:`cancel` is called.
    """

    def __init__(self, job: Job, guess: str | None, context: Any = None) -> None:
        self.job = job
        self.request: TrainRequest = job.request
        self.guess = guess
        self.context = context  # what the page wants back when the job is done (its experiment, names)
        # weakref.finalize holds the job, not the handle: a freed session state cancels the job.
        self._finalizer = weakref.finalize(self, job.cancel)

    def cancel(self) -> None:
        self._finalizer()

    def detach(self) -> None:
        """Keep the job running after the handle goes (it finished, or another handle took it)."""
        self._finalizer.detach()


def _owner() -> str:
    owner = st.session_state.get(keys.LEARN_OWNER)
    if owner is None:
        owner = st.session_state[keys.LEARN_OWNER] = uuid.uuid4().hex  # per session, never shown or sent
    return owner


def submit(request: TrainRequest, *, guess: str | None, context: Any = None) -> JobHandle:
    """Submit this session's ``request`` and keep its handle in the session's state.

    Raises the service's coded :class:`~convviz.errors.TrainingError` (``learn_too_costly``,
    ``learn_too_much_memory``, ``learn_busy``) when it refuses the request.
    """
    job = service().submit(request, owner=_owner())
    previous = st.session_state.get(keys.LEARN_JOB)
    if previous is not None and previous.job is job:
        previous.guess, previous.context = guess, context
        return previous
    if previous is not None:
        previous.detach()  # the service already cancelled (or finished) it
    handle = st.session_state[keys.LEARN_JOB] = JobHandle(job, guess, context)
    return handle


def current() -> JobHandle | None:
    """This session's job, if one was submitted and not yet taken by :func:`forget`."""
    return st.session_state.get(keys.LEARN_JOB)


def forget() -> None:
    """Drop this session's (finished) job without cancelling anything (its results are shared)."""
    handle = st.session_state.pop(keys.LEARN_JOB, None)
    if handle is not None:
        handle.detach()
