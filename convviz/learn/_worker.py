"""The training worker: a separate Python process that trains networks for a :class:`~.jobs.TrainingService`.

The service starts each worker as a fresh interpreter (``python -c "...worker.main(sys.argv)"``, never
a fork of a multithreaded server), with ``OPENBLAS_NUM_THREADS=1`` and friends in its environment
so numpy's BLAS uses one thread (one worker per core; the variables must be set before numpy is
imported, which only a fresh process guarantees). The worker lowers its own priority
(``os.nice``) so the web server's page runs come first, and caps its address space
(``RLIMIT_AS``: the size it has after its imports plus a headroom), so a run that needs more
memory than the service allows fails with a ``MemoryError``, reported as the coded error
``learn_out_of_memory``, instead of pushing the server into swap.

It talks to the service over two pipes with :mod:`multiprocessing.connection` messages:

* from the service: ``("run", run_id, spec, time_limit)``, ``("cancel", run_id)``, ``("stop",)``;
* to the service: ``("ready", pid)``, ``("epoch", run_id, EpochRecord)`` after every epoch,
  then ``("done", run_id, TrainResult, stop_reason)`` (``None``, ``"cancelled"`` or ``"time"``)
  or ``("error", run_id, packed_error)``.

A :class:`~convviz.errors.ConvVizError` does not survive pickling with its code (``ValueError``
pickles its message only), so errors travel as :func:`pack_error` tuples and are rebuilt by
:func:`unpack_error` with their class, message, code and params intact.

>>> from convviz.errors import TrainingError
>>> err = unpack_error(pack_error(TrainingError("lr too big", "out_of_range", param="lr", value=9.0, minimum=0,
...                                             maximum=1)))
>>> type(err).__name__, err.code, err.params["value"], str(err)
('TrainingError', 'out_of_range', 9.0, 'lr too big')
"""
from __future__ import annotations

import os
import re
import time
from typing import Any

__all__ = ["BLAS_ONE_THREAD", "pack_error", "unpack_error", "out_of_memory_error", "failure_error", "crash_error",
           "main"]

#: Environment of a worker: one BLAS / OpenMP thread per process (one process per core).
BLAS_ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                          "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}

#: Extra attributes of an error that travel with it (``learn_diverged`` carries the finished epochs).
_EXTRAS = ("history",)


def pack_error(err: BaseException) -> tuple[str, str, str | None, dict[str, Any], dict[str, Any]]:
    """A picklable description of a :class:`~convviz.errors.ConvVizError`: class name, message, code, params, extras."""
    extras = {name: getattr(err, name) for name in _EXTRAS if hasattr(err, name)}
    return type(err).__name__, str(err), getattr(err, "code", None), dict(getattr(err, "params", {})), extras


def unpack_error(packed: tuple[str, str, str | None, dict[str, Any], dict[str, Any]]) -> Exception:
    """The error :func:`pack_error` described, as an instance of the same :mod:`convviz.errors` class."""
    from .. import errors

    name, message, code, params, extras = packed
    cls = getattr(errors, name, errors.ConvVizError)
    if not (isinstance(cls, type) and issubclass(cls, errors.ConvVizError)):
        cls = errors.ConvVizError
    err = cls(message, code, **params)
    for key, value in extras.items():
        setattr(err, key, value)
    return err


def out_of_memory_error(limit_mb: int) -> Exception:
    """The error of a run that hit its worker's memory cap."""
    from ..errors import TrainingError

    return TrainingError(f"training ran out of memory (the limit is {limit_mb} MB); use a smaller batch size or "
                         "smaller networks", "learn_out_of_memory", limit=limit_mb)


def failure_error(detail: str) -> Exception:
    """The error of a run that failed with an exception that is not a ConvVizError (a bug)."""
    from ..errors import TrainingError

    return TrainingError(f"training failed with an unexpected error: {detail}", "learn_worker_failed",
                         detail=detail)


def crash_error(exitcode: int | None) -> Exception:
    """The error of a run whose worker process died (killed, or crashed in native code)."""
    from ..errors import TrainingError

    return TrainingError(f"the training process stopped unexpectedly (exit code {exitcode}); try again, "
                         "or with smaller networks", "learn_worker_crashed", exitcode=str(exitcode))


def _vm_size() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            found = re.search(r"^VmSize:\s+(\d+) kB", fh.read(), re.MULTILINE)
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


def _limit_memory(headroom: int) -> None:
    """Cap the address space at its current size plus ``headroom`` bytes (no cap where that is unsupported)."""
    try:
        import resource
    except ImportError:  # not on Linux / macOS: the estimate-based refusal is the only bound
        return
    size = _vm_size()
    if size is not None and headroom > 0:
        limit = size + headroom
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class _Stop(Exception):
    """The service closed the pipe or asked the worker to stop."""


def _train(run_id: int, spec: Any, time_limit: float | None, memory_mb: int, inbox: Any, outbox: Any) -> None:
    """Train ``spec`` (a :class:`~.jobs.RunSpec`), streaming every epoch, then send the result or the error."""
    from ..errors import ConvVizError
    from .digits import digits_data
    from .training import train

    start = time.monotonic()
    reason: list[str] = []  # why training stopped early ("cancelled", "time"), if it did
    quit_after = False

    def on_epoch(record: Any) -> bool:
        nonlocal quit_after
        outbox.send(("epoch", run_id, record))
        try:
            while inbox.poll():
                msg = inbox.recv()
                if msg[0] == "cancel" and msg[1] == run_id:
                    reason.append("cancelled")
                elif msg[0] == "stop":
                    reason.append("cancelled")
                    quit_after = True
        except (EOFError, OSError):  # the service is gone: stop at once
            reason.append("cancelled")
            quit_after = True
        if not reason and time_limit is not None and time.monotonic() - start > time_limit:
            reason.append("time")
        return not reason

    try:
        data = digits_data(spec.placement, n_train=spec.n_train, canvas=spec.canvas, seed=spec.seed)
        result = train(spec.layers, data, epochs=spec.epochs, batch_size=spec.batch_size, lr=spec.lr,
                       optimizer=spec.optimizer, seed=spec.seed, dtype=spec.dtype, on_epoch=on_epoch)
        outbox.send(("done", run_id, result, reason[0] if reason else None))
    except ConvVizError as err:
        outbox.send(("error", run_id, pack_error(err)))
    except MemoryError:
        outbox.send(("error", run_id, pack_error(out_of_memory_error(memory_mb))))
    except Exception as exc:  # a bug: reported as a coded error rather than a hang or a dead worker
        outbox.send(("error", run_id, pack_error(failure_error(f"{type(exc).__name__}: {exc}"[:300]))))
    if quit_after:
        raise _Stop


def main(argv: list[str]) -> int:
    """The worker's life: ``argv[1:6]`` are INBOX_FD OUTBOX_FD MEMORY_MB HEADROOM_MB NICENESS."""
    from multiprocessing.connection import Connection

    inbox_fd, outbox_fd, memory_mb, headroom_mb, niceness = (int(a) for a in argv[1:6])
    inbox, outbox = Connection(inbox_fd, writable=False), Connection(outbox_fd, readable=False)
    if niceness:
        try:
            os.nice(niceness)  # below the web server: its page runs keep priority
        except OSError:
            pass
    import convviz.learn  # noqa: F401  (numpy with one BLAS thread, before the memory cap)

    _limit_memory(headroom_mb * 2**20)
    try:
        outbox.send(("ready", os.getpid()))
    except (BrokenPipeError, OSError):  # the service closed while this worker started: end quietly
        return 0
    while True:
        try:
            msg = inbox.recv()
        except (EOFError, OSError):  # the service closed the pipe (or died)
            return 0
        if msg[0] == "stop":
            return 0
        if msg[0] == "run":
            try:
                _train(msg[1], msg[2], msg[3], memory_mb, inbox, outbox)
            except _Stop:
                return 0
            except (BrokenPipeError, EOFError, OSError):
                return 0
        # a "cancel" for a run that already finished: nothing to do
