"""Training for a whole class at once: a small pool of worker processes, shared results, live progress, bounds.

A web server (or a notebook) hands :class:`TrainRequest`\\ s to one :class:`TrainingService` and
gets a :class:`Job` back at once; the training runs elsewhere:

* **outside the server's processes**: a pool of worker processes (one per core by default),
  started on the first job, each a fresh interpreter (:mod:`.worker`: never a fork of the
  multithreaded server) with one BLAS thread and a lower priority (``nice``), so a class pressing
  Train does not freeze everyone else's clicks;
* **once per setting**: each network of a request is one run, keyed by a frozen
  :class:`RunSpec`; an identical run already going is joined (its epochs so far included), a
  finished one is served from a bounded LRU, so forty students pressing Train with the default
  settings cost two runs; the two networks of a comparison are two runs, trained in parallel;
* **streamed**: every epoch's :class:`~.train.EpochRecord` reaches the service as soon as it is
  measured (a background thread reads the workers' pipes), so ``job.progress()`` can be polled
  by a page without waiting;
* **bounded**, each bound a coded, translated :class:`~convviz.errors.TrainingError`: the
  estimated cost (:mod:`.cost`) against a budget (``learn_too_costly``) and the estimated memory
  (``learn_too_much_memory``), refused before anything runs; a time limit per run, checked by the
  worker after every epoch (``learn_time_limit``, carrying the epochs that finished); a memory
  cap in each worker (``learn_out_of_memory``); a limit on the runs waiting or running
  (``learn_busy``); and one request per owner (a session): a new submit cancels the owner's
  previous job (``learn_cancelled``) unless it is the same request;
* **robust**: a worker that dies (killed, crashed) fails its run with ``learn_worker_crashed`` and
  is replaced; an unexpected exception in a worker arrives as ``learn_worker_failed``; errors
  cross the process boundary with their class, code and params (:func:`.worker.pack_error`); the
  service closes its workers at exit.

>>> request = TrainRequest.from_experiment("shifted", seed=3, epochs=10)
>>> [key for key, _ in request.networks], request.epochs, request.seed
(['conv', 'dense'], 10, 3)
>>> service = TrainingService(workers=1)
>>> round(service.cost_ratio(request), 2), service.started        # a third of the default's work; no process yet
(0.33, False)
"""
from __future__ import annotations

import atexit
import collections
import itertools
import os
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..checks import check_choice, check_float, check_int
from ..errors import ConvVizError, TrainingError
from ._worker import BLAS_ONE_THREAD, crash_error, unpack_error
from .cost import Cost, training_cost
from .digits import DIGIT_COUNT, PLACEMENTS
from .experiments import DEFAULT_EXPERIMENT, EXPERIMENTS
from .network import Network, check_scores
from .optim import OPTIMIZERS
from .training import DTYPES, MAX_BATCH, MAX_EPOCHS, MAX_LR, EpochRecord, TrainResult

__all__ = ["RunSpec", "TrainRequest", "Job", "TrainingService", "default_service", "default_workers"]

#: The canvas sizes a request may use (the digits are 8 x 8).
MIN_CANVAS, MAX_CANVAS = 8, 64


# ---------------------------------------------------------------- what to train

@dataclass(frozen=True)
class RunSpec:
    """One network, its data and its training settings: the unit of work, and the key of shared results.

    Two equal specs train to equal results (training is deterministic per seed), so the service
    runs each spec once. The data are :func:`~.digits.digits_data` ``(placement, n_train,
    canvas, seed)``; the seed also seeds training, as in :meth:`~.experiments.Experiment.run`.
    """

    layers: tuple[Any, ...]
    placement: str
    n_train: int
    canvas: int
    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    seed: int
    dtype: str

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return (1, self.canvas, self.canvas)

    def cost(self) -> Cost:
        """The estimated cost of this run (:func:`~.cost.training_cost`)."""
        return training_cost(self.layers, self.input_shape, n_train=self.n_train, n_test=DIGIT_COUNT - self.n_train,
                             epochs=self.epochs, batch_size=self.batch_size, dtype=self.dtype)


@dataclass(frozen=True)
class TrainRequest:
    """What a student asked to train: one or two networks (by key) on the digits, with one set of settings.

    Frozen and hashable; checked when made (the same coded errors as :func:`~.train.train` and
    :func:`~.digits.digits_data`, and a :class:`~convviz.errors.LayerError` for a stack that does not
    fit the images or does not end in 10 scores).

    >>> from convviz.nets.layers import Flatten, Linear
    >>> r = TrainRequest((("mine", (Flatten(), Linear(256, 10))),), epochs=3)
    >>> r.runs()["mine"].epochs, r == TrainRequest((("mine", [Flatten(), Linear(256, 10)]),), epochs=3.0)
    (3, True)
    """

    networks: tuple[tuple[str, tuple[Any, ...]], ...]
    placement: str = "shifted"
    n_train: int = 1000
    canvas: int = 16
    epochs: int = 30
    batch_size: int = 32
    lr: float = 1e-3
    optimizer: str = "adam"
    seed: int = 0
    dtype: str = "float32"

    def __post_init__(self) -> None:
        err = TrainingError
        checked = {
            "placement": check_choice(self.placement, "placement", PLACEMENTS, error=err),
            "n_train": check_int(self.n_train, "n_train", minimum=1, maximum=DIGIT_COUNT - 1, error=err),
            "canvas": check_int(self.canvas, "canvas", minimum=MIN_CANVAS, maximum=MAX_CANVAS, error=err),
            "epochs": check_int(self.epochs, "epochs", minimum=1, maximum=MAX_EPOCHS, error=err),
            "batch_size": check_int(self.batch_size, "batch_size", minimum=1, maximum=MAX_BATCH, error=err),
            "lr": check_float(self.lr, "lr", positive=True, maximum=MAX_LR, error=err),
            "optimizer": check_choice(self.optimizer, "optimizer", tuple(OPTIMIZERS), error=err),
            "seed": check_int(self.seed, "seed", minimum=0, error=err),
            "dtype": check_choice(self.dtype, "dtype", DTYPES, error=err),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        networks = tuple((str(key), tuple(stack)) for key, stack in dict(self.networks).items())
        if not 1 <= len(networks) <= 2 or len(networks) != len(tuple(self.networks)):
            raise TrainingError(f"a request trains one or two networks with different keys, got "
                                f"{len(tuple(self.networks))}", "out_of_range", param="networks",
                                value=len(tuple(self.networks)), minimum=1, maximum=2)
        for _, stack in networks:  # a stack that does not fit, or does not end in 10 scores: refused now
            check_scores(Network(stack, (1, checked["canvas"], checked["canvas"])), 10)
        object.__setattr__(self, "networks", networks)

    @classmethod
    def from_experiment(cls, key: str = DEFAULT_EXPERIMENT, *, seed: int = 0,
                        networks: Mapping[str, Iterable[Any]] | None = None, **settings: Any) -> TrainRequest:
        """The request of a ready experiment (:data:`~.experiments.EXPERIMENTS`), with any setting changed.

        ``networks`` replaces some of the experiment's stacks by key (``{"dense": dense_net((512,))}``).
        """
        exp = EXPERIMENTS[check_choice(key, "experiment", tuple(EXPERIMENTS), error=TrainingError)]
        stacks = {net.key: net.layers for net in exp.networks}
        stacks.update({k: tuple(v) for k, v in (networks or {}).items()})
        base = {"placement": exp.placement, "n_train": exp.n_train, "canvas": exp.canvas, **exp.train_settings()}
        return cls(tuple(stacks.items()), seed=seed, **{**base, **settings})

    def runs(self) -> dict[str, RunSpec]:
        """One :class:`RunSpec` per network, by key."""
        settings = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "networks"}
        return {key: RunSpec(layers=stack, **settings) for key, stack in self.networks}

    def cost(self) -> dict[str, Cost]:
        """The estimated cost of each network's run, by key."""
        return {key: spec.cost() for key, spec in self.runs().items()}


# ---------------------------------------------------------------- errors the service gives

def _cancelled_error() -> TrainingError:
    return TrainingError("this training was cancelled (a newer one from the same session replaced it, or it "
                         "was stopped)", "learn_cancelled")


def _time_error(finished: int, epochs: int, limit: float, result: TrainResult | None,
                history: tuple[EpochRecord, ...]) -> TrainingError:
    err = TrainingError(f"training stopped after {finished} of {epochs} epochs: each training may run for "
                        f"{limit:g} s; try fewer epochs or fewer training images", "learn_time_limit",
                        finished=finished, epochs=epochs, limit=f"{limit:g}")
    err.result = result  # type: ignore[attr-defined]  # what finished, for a page to draw
    err.history = history  # type: ignore[attr-defined]
    return err


#: Outcomes that depend on the moment, not on the settings: never served from the cache.
_TRANSIENT = {"learn_cancelled", "learn_time_limit", "learn_worker_crashed", "learn_worker_failed",
              "learn_out_of_memory"}


# ---------------------------------------------------------------- runs and jobs

class _Run:
    """One :class:`RunSpec` in the service: queued, running or finished, with its epochs so far."""

    _ids = itertools.count(1)

    def __init__(self, spec: RunSpec) -> None:
        self.id = next(self._ids)
        self.spec = spec
        self.records: list[EpochRecord] = []
        self.subscribers = 0  # unfinished jobs waiting for this run
        self.worker: _Worker | None = None
        self.worker_pid: int | None = None
        self.cancel_requested = False
        self.cancel_sent = False
        self.finished = False
        self.result: TrainResult | None = None
        self.error: ConvVizError | None = None
        self.queued_at = time.monotonic()
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.nbytes = 0  # of the result's arrays, once cached


class Job:
    """A submitted :class:`TrainRequest`: its runs' progress, outcome and cancellation.

    Every method is safe to call from any thread at any time and returns at once, except
    :meth:`result`, which waits (up to ``timeout``).
    """

    def __init__(self, service: TrainingService, request: TrainRequest, owner: str | None,
                 runs: dict[str, _Run], cost: dict[str, Cost]) -> None:
        self._service = service
        self.request = request
        self.owner = owner
        self.cost = cost
        self._runs = runs
        self._cancel_error: TrainingError | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._runs)

    def progress(self) -> dict[str, tuple[EpochRecord, ...]]:
        """Each network's epoch records so far, in order (the final history once it finished)."""
        return {key: tuple(run.records) for key, run in self._runs.items()}

    @property
    def done(self) -> bool:
        """True once every run finished (or failed), or the job was cancelled."""
        return self._cancel_error is not None or all(run.finished for run in self._runs.values())

    @property
    def cancelled(self) -> bool:
        return self._cancel_error is not None

    @property
    def error(self) -> ConvVizError | None:
        """The job's error: ``learn_cancelled`` when cancelled, else the first network's error, else None."""
        if self._cancel_error is not None:
            return self._cancel_error
        return next((run.error for run in self._runs.values() if run.finished and run.error is not None), None)

    def outcomes(self) -> dict[str, tuple[TrainResult | None, ConvVizError | None]]:
        """``(result, error)`` per network so far (``(None, None)`` while a network trains)."""
        return {key: (run.result, run.error) for key, run in self._runs.items()}

    def result(self, timeout: float | None = None) -> dict[str, TrainResult]:
        """Each network's :class:`~.train.TrainResult`, by key, once all finished.

        Raises
        ------
        TimeoutError
            Not finished within ``timeout`` seconds.
        ConvVizError
            :attr:`error`, if there is one (its ``code`` and ``params`` as raised in the worker).
        """
        self._service._wait(self, timeout)
        if self.error is not None:
            raise self.error
        return {key: run.result for key, run in self._runs.items()}  # type: ignore[misc]

    def cancel(self) -> None:
        """Stop waiting for this job; a run nobody else waits for is stopped (after its current epoch)."""
        self._service._cancel(self)

    def worker_pids(self) -> dict[str, int | None]:
        """The worker process each network's run was given (None while queued, or served from the cache)."""
        return {key: run.worker_pid for key, run in self._runs.items()}


# ---------------------------------------------------------------- the worker processes

def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


class _Worker:
    """One worker process (:mod:`.worker`) and the two pipes to it."""

    def __init__(self, memory_mb: int, headroom_mb: int, niceness: int) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        env.update(BLAS_ONE_THREAD)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_root(), env.get("PYTHONPATH")) if p)
        # (-c, not -m: the package imports this module, and runpy warns when a module it runs is imported)
        args = [sys.executable, "-c", "import sys; from convviz.learn._worker import main; sys.exit(main(sys.argv))",
                str(to_child_r), str(from_child_w), str(memory_mb), str(headroom_mb), str(niceness)]
        try:
            # a fresh interpreter (fork + exec at once): safe from a multithreaded server
            self.process = subprocess.Popen(args, env=env, pass_fds=(to_child_r, from_child_w),
                                            stdin=subprocess.DEVNULL, close_fds=True)
        except BaseException:
            os.close(to_child_w)
            os.close(from_child_r)
            raise
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.outbox = Connection(to_child_w, readable=False)
        self.inbox = Connection(from_child_r, writable=False)
        self.run: _Run | None = None
        self.killed_for_time = False
        self.dead = False

    def send(self, message: tuple) -> bool:
        """Send a message; False when the worker is gone."""
        try:
            self.outbox.send(message)
            return True
        except OSError:
            return False

    def close(self) -> None:
        for conn in (self.outbox, self.inbox):
            try:
                conn.close()
            except OSError:
                pass


def default_workers() -> int:
    """The cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _close_at_exit(ref: weakref.ref) -> None:
    service = ref()
    if service is not None:
        service.close()


# ---------------------------------------------------------------- the service

class TrainingService:
    """Runs :class:`TrainRequest`\\ s on a pool of worker processes, sharing identical runs (see the module docstring).

    Parameters
    ----------
    workers : int, optional
        Worker processes (default :func:`default_workers`: one per core). Started on the first job.
    max_cost : float, default 4.0
        Budget of one request: its estimated work (the sum of its networks' :meth:`RunSpec.cost`
        seconds) at most this many times the default experiment's (both networks, default
        settings). The ready experiments themselves are always allowed (:meth:`ready_requests`).
    max_memory_mb : int, default 128
        Budget of one run's estimated working memory. Each worker's address space is capped at its
        size after start plus ``worker_memory_mb`` (default twice this: the estimate is approximate).
    time_limit : float or None, default 30.0
        Seconds one run may train: the worker stops after the epoch that passes it (the job's
        error is then ``learn_time_limit``, carrying the epochs that finished). A worker still busy
        at twice the limit plus 10 s is killed. None: no limit.
    max_pending : int, default 128
        Runs queued or running at once; a submit that needs more is refused (``learn_busy``).
    cache_size : int, default 128
        Finished runs kept for identical requests (least recently used dropped first).
    cache_mb : float, default 8.0
        ... and at most this many megabytes of their arrays (parameters before and after training,
        buffers): the cache lives in the server's memory (docs/BENCHMARKS.md, the memory budget).
    niceness : int, default 10
        Added to the workers' ``nice`` value (0: same priority as the server).
    idle_timeout : float or None, default 120.0
        Seconds without any run before the workers are stopped (the next job starts them again,
        about a second): between classes the service holds no memory but its cache. None: never.
    """

    def __init__(self, *, workers: int | None = None, max_cost: float = 4.0, max_memory_mb: int = 128,
                 worker_memory_mb: int | None = None, time_limit: float | None = 30.0, max_pending: int = 128,
                 cache_size: int = 128, cache_mb: float = 8.0, niceness: int = 10,
                 idle_timeout: float | None = 120.0) -> None:
        err = TrainingError
        self.workers = check_int(default_workers() if workers is None else workers, "workers", minimum=1,
                                 maximum=256, error=err)
        self.max_cost = check_float(max_cost, "max_cost", positive=True, error=err)
        self.max_memory_mb = check_int(max_memory_mb, "max_memory_mb", minimum=1, error=err)
        self.worker_memory_mb = check_int(2 * self.max_memory_mb if worker_memory_mb is None else worker_memory_mb,
                                          "worker_memory_mb", minimum=0, error=err)
        self.time_limit = None if time_limit is None else check_float(time_limit, "time_limit", minimum=0, error=err)
        self.max_pending = check_int(max_pending, "max_pending", minimum=1, error=err)
        self.cache_size = check_int(cache_size, "cache_size", minimum=0, error=err)
        self.cache_mb = check_float(cache_mb, "cache_mb", minimum=0, error=err)
        self._cache_bytes = 0
        self.niceness = check_int(niceness, "niceness", minimum=0, maximum=19, error=err)
        self.idle_timeout = None if idle_timeout is None else check_float(idle_timeout, "idle_timeout", minimum=0,
                                                                          error=err)
        self._last_busy = time.monotonic()
        self._exit_hook = False
        self._reference: float | None = None
        self._ready: frozenset[TrainRequest] | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queue: collections.deque[_Run] = collections.deque()
        self._inflight: dict[RunSpec, _Run] = {}  # queued or running, not cancelled
        self._cache: collections.OrderedDict[RunSpec, _Run] = collections.OrderedDict()
        self._owners: dict[str, Job] = {}
        self._pool: list[_Worker] = []
        self._thread: threading.Thread | None = None
        self._wake_r = self._wake_w = -1
        self._closed = False
        self._crashes_in_a_row = 0
        self.counts: collections.Counter[str] = collections.Counter()

    # ------------------------------------------------------------ bounds, before anything runs

    def reference_seconds(self) -> float:
        """The estimated seconds of the default experiment's request (both networks, default settings)."""
        if self._reference is None:
            self._reference = sum(c.seconds for c in TrainRequest.from_experiment().cost().values())
        return self._reference

    def ready_requests(self) -> frozenset[TrainRequest]:
        """The ready experiments' requests (default settings, seed 0): never refused for their cost.

        A class shares them (one run per network for the whole server), so a budget meant for
        settings of one's own (``max_cost`` below 1) does not keep anyone from the default.
        """
        if self._ready is None:
            self._ready = frozenset(TrainRequest.from_experiment(key) for key in EXPERIMENTS)
        return self._ready

    def cost_ratio(self, request: TrainRequest) -> float:
        """The request's estimated work as a multiple of the default experiment's."""
        return sum(c.seconds for c in request.cost().values()) / self.reference_seconds()

    def check(self, request: TrainRequest) -> dict[str, Cost]:
        """The request's estimated cost per network, or the coded error that refuses it.

        Raises
        ------
        TrainingError
            ``learn_too_much_memory`` (a run's estimated memory above ``max_memory_mb``) or
            ``learn_too_costly`` (the request's work above ``max_cost`` times the default's).
        """
        if not isinstance(request, TrainRequest):
            raise TrainingError(f"a TrainRequest was expected, got {type(request).__name__}", "learn_data",
                                param="request", shape=type(request).__name__)
        cost = request.cost()
        for c in cost.values():
            if c.megabytes > self.max_memory_mb:
                raise TrainingError(f"this training needs about {c.megabytes:.0f} MB of memory; the limit is "
                                    f"{self.max_memory_mb} MB: use a smaller batch size or smaller networks",
                                    "learn_too_much_memory", megabytes=round(c.megabytes), limit=self.max_memory_mb)
        ratio = sum(c.seconds for c in cost.values()) / self.reference_seconds()
        if ratio > self.max_cost and request not in self.ready_requests():
            raise TrainingError(f"this training is about {ratio:.1f} times the work of the default experiment; the "
                                f"limit is {self.max_cost:g} times: use fewer epochs, fewer training images or "
                                "smaller networks", "learn_too_costly", ratio=f"{ratio:.1f}",
                                limit=f"{self.max_cost:g}")
        return cost

    # ------------------------------------------------------------ submitting

    @property
    def started(self) -> bool:
        """True once the worker processes were started (by the first job)."""
        return self._thread is not None

    def start(self) -> None:
        """Start the worker processes now rather than on the first job.

        A page calls it when it is first shown, so that the first Train pressed in a class does not
        wait for the workers' interpreters to start and import numpy (about a second each).
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the training service is closed")
            self._start_locked()

    def submit(self, request: TrainRequest, *, owner: str | None = None) -> Job:
        """Start training ``request`` (or join an identical run); returns at once.

        ``owner`` (a session id) holds one job at a time: submitting again cancels the owner's
        previous job, unless the request is the same, when that job is returned.

        Raises
        ------
        TrainingError
            ``learn_too_much_memory``, ``learn_too_costly`` (:meth:`check`), or ``learn_busy`` when
            the runs waiting or running would exceed ``max_pending``.
        """
        cost = self.check(request)
        specs = request.runs()
        with self._lock:
            if self._closed:
                raise RuntimeError("the training service is closed")
            self._owners = {o: j for o, j in self._owners.items() if not j.done}  # sessions come and go
            previous = self._owners.get(owner) if owner is not None else None
            if previous is not None and not previous.done:
                if previous.request == request:
                    return previous  # the same Train pressed twice
                self._cancel_locked(previous)
            new = {spec for spec in specs.values() if spec not in self._cache and spec not in self._inflight}
            waiting = len(self._queue) + sum(w.run is not None for w in self._pool)
            if waiting + len(new) > self.max_pending:
                raise TrainingError(f"the training queue is full ({waiting} trainings waiting or running); try "
                                    "again in a moment", "learn_busy", waiting=waiting, limit=self.max_pending)
            runs = {key: self._attach_locked(spec) for key, spec in specs.items()}
            job = Job(self, request, owner, runs, cost)
            if owner is not None:
                self._owners[owner] = job
            if new:
                self._start_locked()
                self._wake()
            self._changed.notify_all()
        return job

    def _attach_locked(self, spec: RunSpec) -> _Run:
        run = self._cache.get(spec)
        if run is not None:
            self._cache.move_to_end(spec)
            self.counts["cache_hits"] += 1
            return run
        run = self._inflight.get(spec)
        if run is not None:
            self.counts["joined"] += 1
        else:
            run = _Run(spec)
            self._inflight[spec] = run
            self._queue.append(run)
            self.counts["queued"] += 1
        run.subscribers += 1
        return run

    # ------------------------------------------------------------ cancelling and waiting

    def _cancel(self, job: Job) -> None:
        with self._lock:
            self._cancel_locked(job)
            self._wake()
            self._changed.notify_all()

    def _cancel_locked(self, job: Job) -> None:
        if job.done:
            return
        job._cancel_error = _cancelled_error()
        if job.owner is not None and self._owners.get(job.owner) is job:
            del self._owners[job.owner]
        for run in job._runs.values():
            if run.finished:
                continue
            run.subscribers -= 1
            if run.subscribers > 0:
                continue
            if self._inflight.get(run.spec) is run:
                del self._inflight[run.spec]  # a new identical request starts afresh
            if run.worker is None:  # still queued: drop it
                self._queue.remove(run)
                self._finish_locked(run, error=_cancelled_error())
            else:
                run.cancel_requested = True  # the dispatcher tells the worker
        self.counts["cancelled"] += 1

    def _wait(self, job: Job, timeout: float | None) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: job.done, timeout):
                raise TimeoutError(f"training not finished within {timeout} s")

    # ------------------------------------------------------------ state

    def stats(self) -> dict[str, int | bool]:
        """Counters (``queued``: runs created; ``started``, ``finished``, ``joined``, ``cache_hits``,
        ``cancelled``, ``crashed``, ``retired``: pools stopped when idle), what is waiting and running
        now, the workers, and the cache (``cached`` runs holding ``cached_bytes``)."""
        with self._lock:
            counts = {name: self.counts[name] for name in ("queued", "started", "finished", "joined", "cache_hits",
                                                          "cancelled", "crashed", "retired")}
            return {**counts, "waiting": len(self._queue), "running": sum(w.run is not None for w in self._pool),
                    "workers": len(self._pool), "cached": len(self._cache), "cached_bytes": self._cache_bytes,
                    "pool_started": self.started}

    def __enter__(self) -> TrainingService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers (unfinished jobs fail with ``learn_cancelled``); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for run in list(self._queue) + [w.run for w in self._pool if w.run is not None]:
                if not run.finished:
                    self._finish_locked(run, error=_cancelled_error())
            self._queue.clear()
            self._inflight.clear()
            pool = list(self._pool)
            thread = self._thread
            self._wake()
            self._changed.notify_all()
        if thread is not None:
            thread.join(timeout)
        self._stop_workers(pool, timeout)
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    # ------------------------------------------------------------ the dispatcher (a background thread)

    def _start_locked(self) -> None:
        """Start the workers and the dispatcher thread (once, or again after they retired when idle)."""
        if self._thread is not None:
            return
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        for _ in range(self.workers):
            self._pool.append(self._new_worker())
        self._last_busy = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="convviz-training", daemon=True)
        self._thread.start()
        if not self._exit_hook:
            self._exit_hook = True
            atexit.register(_close_at_exit, weakref.ref(self))

    def _retire_locked(self) -> tuple[list[_Worker], tuple[int, int]] | None:
        """When nothing ran for ``idle_timeout`` s: take the workers and the wake pipe out of service."""
        if self.idle_timeout is None or self._queue or any(w.run is not None for w in self._pool):
            self._last_busy = time.monotonic()
            return None
        if time.monotonic() - self._last_busy < self.idle_timeout:
            return None
        pool, self._pool = self._pool, []
        fds = (self._wake_r, self._wake_w)
        self._wake_r = self._wake_w = -1
        self._thread = None  # the next job starts a new pool (and dispatcher)
        self.counts["retired"] += 1
        return pool, fds

    @staticmethod
    def _stop_workers(pool: list[_Worker], timeout: float) -> None:
        for worker in pool:
            worker.send(("stop",))
            worker.inbox.close()  # nobody reads any more: a worker writing gets a broken pipe and ends
        deadline = time.monotonic() + timeout
        for worker in pool:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.close()

    def _new_worker(self) -> _Worker:
        return _Worker(self.max_memory_mb, self.worker_memory_mb, self.niceness)

    def _wake(self) -> None:
        if self._wake_w >= 0:
            try:
                os.write(self._wake_w, b"x")
            except (BlockingIOError, OSError):  # already awake (a full pipe), or closing
                pass

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._closed:
                    return
                self._dispatch_locked()
                retired = self._retire_locked()
                by_fd = {w.inbox: w for w in self._pool if not w.dead}
                wake = self._wake_r
            if retired is not None:
                pool, fds = retired
                self._stop_workers(pool, 5.0)
                for fd in fds:
                    os.close(fd)
                return
            ready = wait([*by_fd, wake], timeout=0.5)
            for obj in ready:
                if obj == wake:
                    try:
                        os.read(wake, 4096)
                    except OSError:
                        pass
                else:
                    self._read(by_fd[obj])

    def _dispatch_locked(self) -> None:
        """Give queued runs to idle workers; pass cancellations on; kill a worker far past the time limit."""
        now = time.monotonic()
        for worker in self._pool:
            run = worker.run
            if run is not None:
                if run.cancel_requested and not run.cancel_sent:
                    run.cancel_sent = worker.send(("cancel", run.id))
                elif (self.time_limit is not None and run.started_at is not None and not worker.killed_for_time
                      and now - run.started_at > 2 * self.time_limit + 10):
                    worker.killed_for_time = True
                    worker.process.kill()
            elif self._queue and not worker.dead:
                run = self._queue.popleft()
                if worker.send(("run", run.id, run.spec, self.time_limit)):
                    run.worker, run.worker_pid, run.started_at = worker, worker.process.pid, now
                    worker.run = run
                    self.counts["started"] += 1
                else:  # the worker died before taking it: the run waits for the next one
                    self._queue.appendleft(run)

    def _read(self, worker: _Worker) -> None:
        """Every message the worker sent; its death if its pipe closed."""
        try:
            while worker.inbox.poll():
                self._handle(worker, worker.inbox.recv())
        except (EOFError, OSError):
            self._died(worker)

    def _handle(self, worker: _Worker, msg: tuple) -> None:
        with self._lock:
            kind, run = msg[0], worker.run
            if kind == "ready":
                return
            if run is None or msg[1] != run.id:  # a late message of a run already closed
                return
            if kind == "epoch":
                run.records.append(msg[2])
                self._changed.notify_all()
                return
            worker.run = None
            self._crashes_in_a_row = 0
            if kind == "done":
                result, reason = msg[2], msg[3]
                if reason == "time":
                    error: ConvVizError | None = _time_error(len(result.history), run.spec.epochs, self.time_limit,
                                                             result, result.history)
                    result = None
                elif reason == "cancelled":
                    error, result = _cancelled_error(), None
                else:
                    error = None
                self._finish_locked(run, result=result, error=error)
            else:
                self._finish_locked(run, error=unpack_error(msg[2]))
            self._wake()  # the worker is free

    def _died(self, worker: _Worker) -> None:
        """A worker's pipe closed: fail its run, replace it (unless closing or crashing on start)."""
        try:
            exitcode = worker.process.wait(5)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            exitcode = worker.process.wait()
        worker.close()
        with self._lock:
            worker.dead = True
            if worker in self._pool:
                self._pool.remove(worker)
            run = worker.run
            worker.run = None
            self.counts["crashed"] += 1
            self._crashes_in_a_row += 1
            if run is not None and not run.finished:
                if worker.killed_for_time:
                    records = tuple(run.records)
                    error: ConvVizError = _time_error(len(records), run.spec.epochs, self.time_limit, None, records)
                else:
                    error = crash_error(exitcode)
                self._finish_locked(run, error=error)
            if self._closed:
                return
            if self._crashes_in_a_row > 3 * self.workers:  # workers die on start: stop retrying
                while self._queue:
                    self._finish_locked(self._queue.popleft(), error=crash_error(exitcode))
                if not self._pool:
                    return
            self._pool.append(self._new_worker())

    def _finish_locked(self, run: _Run, *, result: TrainResult | None = None, error: ConvVizError | None = None
                       ) -> None:
        run.finished, run.result, run.error = True, result, error
        run.finished_at = time.monotonic()
        run.worker = None
        run.subscribers = 0
        self.counts["finished"] += 1
        if self._inflight.get(run.spec) is run:
            del self._inflight[run.spec]
        if self.cache_size and (error is None or error.code not in _TRANSIENT):
            run.nbytes = _result_bytes(result)
            old = self._cache.pop(run.spec, None)
            self._cache_bytes += run.nbytes - (old.nbytes if old is not None else 0)
            self._cache[run.spec] = run
            while len(self._cache) > self.cache_size or (self._cache_bytes > self.cache_mb * 2**20 and self._cache):
                self._cache_bytes -= self._cache.popitem(last=False)[1].nbytes
        self._changed.notify_all()


def _result_bytes(result: TrainResult | None) -> int:
    """Bytes of a result's arrays: what one cached run holds in the server's memory."""
    if result is None:
        return 0
    return sum(int(a.nbytes) for a in (*result.params, *result.initial_params, *result.buffers))


# ---------------------------------------------------------------- one service per server

_default: TrainingService | None = None
_default_lock = threading.Lock()


def default_service() -> TrainingService:
    """The process-wide service (made on first use with the default bounds; its workers start on the first job)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = TrainingService()
        return _default
