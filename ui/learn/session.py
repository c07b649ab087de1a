"""What a session keeps of its trainings: the last finished one, and every run (bounded) for the chart.

A finished job becomes a :class:`Finished` (its results are the service's shared
:class:`~convviz.learn.TrainResult` objects, not copies); each network that trained adds a
:class:`RunPoint` to the session's runs, the last :data:`MAX_RUNS` kept (a pressed-again identical
training adds nothing).
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from convviz import ConvVizError
from convviz.learn import EpochRecord, TrainRequest, TrainResult
from ui.common import keys
from ui.server.training import JobHandle

__all__ = ["MAX_RUNS", "Finished", "RunPoint", "finish", "last", "runs"]

#: Runs kept per session for the parameters-against-accuracy chart.
MAX_RUNS = 50


@dataclass(frozen=True)
class Finished:
    """A training that ended: its experiment, names, results (networks that finished), progress and errors."""

    experiment: str
    request: TrainRequest
    names: dict[str, str]
    results: dict[str, TrainResult]
    progress: dict[str, tuple[EpochRecord, ...]]
    error: ConvVizError | None
    guess: str | None

    @property
    def complete(self) -> bool:
        """Every network finished all its epochs without an error."""
        return self.error is None and set(self.results) == {key for key, _ in self.request.networks}


@dataclass(frozen=True)
class RunPoint:
    """One trained network of the session, for the chart: what it was, its size and its accuracies."""

    experiment: str
    key: str
    name: str
    params: int
    train_accuracy: float
    test_accuracy: float
    n_train: int
    epochs: int
    lr: float
    optimizer: str


def finish(handle: JobHandle) -> Finished:
    """Turn a done job into the session's last :class:`Finished` and its runs.

    ``handle.context`` is ``(experiment, names)`` as the page submitted it.
    """
    experiment, names = handle.context
    job = handle.job
    outcomes = job.outcomes()
    results = {key: result for key, (result, error) in outcomes.items() if result is not None and error is None}
    done = Finished(experiment=experiment, request=handle.request, names=dict(names), results=results,
                    progress=job.progress(), error=job.error, guess=handle.guess)
    st.session_state[keys.LEARN_FINISHED] = done
    book: list[RunPoint] = st.session_state.setdefault(keys.LEARN_RUNS, [])
    r = handle.request
    for key, result in results.items():
        last_epoch = result.final
        if last_epoch is None:
            continue
        point = RunPoint(experiment=experiment, key=key, name=names.get(key, key), params=result.param_count,
                         train_accuracy=last_epoch.train_accuracy, test_accuracy=last_epoch.test_accuracy,
                         n_train=r.n_train, epochs=r.epochs, lr=r.lr, optimizer=r.optimizer)
        if point not in book:
            book.append(point)
    del book[:-MAX_RUNS]  # the last MAX_RUNS
    return done


def last() -> Finished | None:
    """The session's last finished training."""
    return st.session_state.get(keys.LEARN_FINISHED)


def runs() -> list[RunPoint]:
    """Every run of the session, oldest first (at most :data:`MAX_RUNS`)."""
    return list(st.session_state.get(keys.LEARN_RUNS, []))
