"""``convviz.learn.jobs``: the training service a class shares (worker processes, shared runs, progress, bounds).

No timing assertions: waits have generous deadlines (a failure, never a flaky pass), and the
order of events is read from the service's own records.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from convviz import learn
from convviz.errors import ConvVizError, LayerError, TrainingError
from convviz.learn import _worker as worker
from convviz.learn._worker import crash_error, failure_error, pack_error, unpack_error
from convviz.learn.cost import training_cost
from convviz.learn.jobs import TrainingService, TrainRequest
from convviz.nets import layers as L

ROOT = Path(__file__).resolve().parents[3]

WAIT = 60  # seconds: a deadline for a failing test, never reached by a passing one

TINY = (L.Flatten(), L.Linear(256, 10))
SMALL_CONV = (L.Conv2d(1, 4, 3, padding=1), L.ReLU(), L.MaxPool2d(4), L.Flatten(), L.Linear(64, 10))


def _request(seed, *, epochs=3, n_train=200, networks=None, **settings):
    networks = networks or (("conv", SMALL_CONV), ("dense", learn.dense_net((32,))))
    return TrainRequest(networks, n_train=n_train, epochs=epochs, seed=seed, **settings)


def _long(seed):
    """A run of many short epochs: seconds in all, so a test can act on it while it trains."""
    return _request(seed, epochs=1000, networks=(("dense", learn.dense_net((32,))),))


def _until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT} s for {what}"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def service():
    with TrainingService(workers=2) as svc:
        yield svc


# ---------------------------------------------------------------- requests and estimates

def test_requests_are_checked_frozen_and_equal_by_content():
    a = TrainRequest.from_experiment("shifted", seed=1)
    b = TrainRequest.from_experiment("shifted", seed=1.0, lr=0.001)
    assert a == b and hash(a) == hash(b) and a != TrainRequest.from_experiment("shifted", seed=2)
    assert a.runs()["conv"].layers == learn.conv_net() and a.runs()["dense"].n_train == 1000
    bigger = TrainRequest.from_experiment(networks={"dense": learn.dense_net((512, 256))})
    default = TrainRequest.from_experiment()
    assert bigger.runs()["conv"] == default.runs()["conv"] and bigger.runs()["dense"] != default.runs()["dense"]
    with pytest.raises(AttributeError):
        a.epochs = 3
    cases = [
        (lambda: _request(0, epochs=0), "out_of_range"),
        (lambda: _request(0, lr=1e9), "out_of_range"),
        (lambda: _request(0, n_train=0), "out_of_range"),
        (lambda: _request(0, optimizer="rmsprop"), "bad_choice"),
        (lambda: _request(0, networks=(("a", TINY), ("b", TINY), ("c", TINY))), "out_of_range"),
        (lambda: _request(0, networks=(("a", (L.Flatten(), L.Linear(256, 3))),)), "learn_classes"),
        (lambda: _request(0, networks=(("a", (L.Conv2d(1, 2, 5), L.MaxPool2d(4), L.Conv2d(2, 2, 5))),)),
         "kernel_too_large"),
    ]
    for call, code in cases:
        with pytest.raises(ConvVizError) as info:
            call()
        assert info.value.code == code


def test_the_cost_estimate_grows_with_the_work_and_the_batch():
    base = dict(n_train=1000, n_test=797, epochs=30, batch_size=32)
    conv = training_cost(learn.conv_net(), (1, 16, 16), **base)
    assert training_cost(learn.conv_net(), (1, 16, 16), **{**base, "epochs": 60}).macs == 2 * conv.macs
    assert training_cost(learn.conv_net(), (1, 16, 16), **{**base, "n_train": 500, "n_test": 1297}).macs < conv.macs
    assert training_cost(learn.conv_net(), (1, 16, 16), **{**base, "batch_size": 1000}).memory > 4 * conv.memory
    assert training_cost(learn.conv_net(), (1, 16, 16), **{**base, "batch_size": 8}).seconds > conv.seconds
    dense = training_cost(learn.dense_net(), (1, 16, 16), **base)
    assert dense.seconds < conv.seconds  # a seventh of the multiply-adds, though 7 times the parameters


def test_requests_past_the_budgets_are_refused_before_anything_runs():
    svc = TrainingService(workers=1)
    default = TrainRequest.from_experiment()
    assert svc.cost_ratio(default) == pytest.approx(1.0)
    with pytest.raises(TrainingError) as info:
        svc.submit(TrainRequest.from_experiment(epochs=150))  # 5 times the default's work
    assert info.value.code == "learn_too_costly" and info.value.params == {"ratio": "5.0", "limit": "4"}
    wide = (L.Conv2d(1, 64, 3, padding=1), L.ReLU(), L.Conv2d(64, 64, 3, padding=1), L.ReLU(), L.MaxPool2d(16),
            L.Flatten(), L.Linear(64, 10))
    with pytest.raises(TrainingError) as info:
        svc.submit(_request(0, epochs=1, n_train=1000, batch_size=1000, networks=(("wide", wide),)))
    assert info.value.code == "learn_too_much_memory" and info.value.params["limit"] == 128
    with pytest.raises(TrainingError) as info:
        TrainingService(workers=1, max_pending=1).submit(_request(0))  # two networks, one place
    assert info.value.code == "learn_busy"
    assert not svc.started  # the pool does not start for a refused request
    svc.close()
    class_budget = TrainingService(max_cost=0.5)  # settings of one's own at half the default's work
    class_budget.check(TrainRequest.from_experiment("shifted"))  # the shared default is always allowed
    class_budget.check(TrainRequest.from_experiment("shifted", epochs=15))
    with pytest.raises(TrainingError) as info:
        class_budget.check(TrainRequest.from_experiment("shifted", seed=1))
    assert info.value.params == {"ratio": "1.0", "limit": "0.5"}


def test_the_pool_does_not_start_until_the_first_job():
    with TrainingService(workers=1) as svc:
        svc.check(_request(0))
        assert not svc.started and svc.stats()["workers"] == 0
        job = svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),)))
        assert svc.started
        assert job.result(WAIT)["tiny"].final.epoch == 1


def test_the_cache_is_bounded_by_bytes_too():
    # One tiny result is 2 x (256 x 10 + 10) float32 values = 20,560 bytes: 0.03 MB holds one, not two.
    with TrainingService(workers=1, cache_mb=0.03) as svc:
        first = svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),)))
        first.result(WAIT)
        assert svc.stats()["cached"] == 1 and svc.stats()["cached_bytes"] == 20_560
        second = svc.submit(_request(1, epochs=1, networks=(("tiny", TINY),)))
        second.result(WAIT)
        assert svc.stats()["cached"] == 1 and svc.stats()["cached_bytes"] == 20_560
        again = svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),)))  # dropped: trained again
        again.result(WAIT)
        assert svc.stats()["cache_hits"] == 0 and svc.stats()["finished"] == 3


def test_idle_workers_retire_and_the_next_job_brings_them_back():
    with TrainingService(workers=1, idle_timeout=0.5) as svc:
        svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),))).result(WAIT)
        process = svc._pool[0].process
        deadline = time.monotonic() + WAIT
        while svc.started and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not svc.started and svc.stats()["retired"] == 1 and svc.stats()["workers"] == 0
        assert process.wait(WAIT) == 0  # stopped, not killed
        job = svc.submit(_request(1, epochs=1, networks=(("tiny", TINY),)))
        assert job.result(WAIT)["tiny"].final.epoch == 1 and svc.started
        assert svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),))).done  # the cache outlives the pool


def test_start_brings_the_workers_up_before_any_job():
    with TrainingService(workers=2) as svc:
        svc.start()
        svc.start()  # once
        assert svc.started and svc.stats()["workers"] == 2
        assert all(w.process.poll() is None for w in svc._pool)  # running, waiting for work
        job = svc.submit(_request(0, epochs=1, networks=(("tiny", TINY),)))
        assert job.result(WAIT)["tiny"].final.epoch == 1
    with pytest.raises(RuntimeError, match="closed"):
        svc.start()


# ---------------------------------------------------------------- sharing, parallel networks, progress

def test_identical_requests_train_once_and_share_the_result(service):
    before = service.stats()
    request = _request(11)
    first = service.submit(request, owner="ana")
    second = service.submit(TrainRequest.from_experiment("shifted", seed=11, n_train=200, epochs=3,
                                                         networks=dict(request.networks)), owner="ben")
    a, b = first.result(WAIT), second.result(WAIT)
    after = service.stats()
    assert after["queued"] - before["queued"] == 2 and after["joined"] - before["joined"] == 2
    assert a["conv"] is b["conv"] and a["dense"] is b["dense"]
    third = service.submit(request, owner="cleo")  # finished: served from the cache at once
    assert third.done and third.result(0)["conv"] is a["conv"]
    assert service.stats()["queued"] == after["queued"]


def test_the_two_networks_of_a_comparison_train_in_parallel(service):
    job = service.submit(_request(12, epochs=5))
    job.result(WAIT)
    conv, dense = job._runs["conv"], job._runs["dense"]
    assert conv.worker_pid != dense.worker_pid
    # both were given to a worker before either finished
    assert max(conv.started_at, dense.started_at) < min(conv.finished_at, dense.finished_at)


def test_progress_arrives_epoch_by_epoch_in_order_and_matches_the_history(service):
    job = service.submit(_request(13, epochs=12))
    seen = []
    while not job.done:
        seen.append(job.progress())
        time.sleep(0.005)
    results = job.result(WAIT)
    for key, result in results.items():
        assert job.progress()[key] == result.history
        assert [r.epoch for r in result.history] == list(range(1, 13))
        for snapshot in seen:  # every snapshot is a prefix of the final history
            assert snapshot[key] == result.history[:len(snapshot[key])]


def test_the_result_equals_training_in_this_process(service):
    request = _request(14, epochs=2)
    remote = service.submit(request).result(WAIT)["conv"]
    spec = request.runs()["conv"]
    local = learn.train(spec.layers, learn.digits_data(spec.placement, n_train=spec.n_train, seed=spec.seed),
                        epochs=2, batch_size=spec.batch_size, lr=spec.lr, seed=spec.seed)
    assert remote.history == local.history
    assert all(np.array_equal(p, q) for p, q in zip(remote.params, local.params))


# ---------------------------------------------------------------- cancelling and owners

def test_cancel_stops_the_run_and_frees_the_worker(service):
    job = service.submit(_long(21))
    _until(lambda: job.progress()["dense"], "the first epoch")
    job.cancel()
    assert job.done and job.cancelled
    with pytest.raises(TrainingError) as info:
        job.result(0)
    assert info.value.code == "learn_cancelled"
    run = job._runs["dense"]
    _until(lambda: run.finished, "the worker to stop the run")
    assert len(run.records) < 1000 and run.error.code == "learn_cancelled"
    assert service.submit(_request(22, epochs=1)).result(WAIT)["conv"].final.epoch == 1


def test_a_new_submit_by_the_same_owner_replaces_the_previous_one(service):
    first = service.submit(_long(31), owner="dana")
    again = service.submit(_long(31), owner="dana")  # Train pressed twice: the same job
    assert again is first
    second = service.submit(_request(32), owner="dana")
    assert first.cancelled and first.error.code == "learn_cancelled"
    assert not second.cancelled and set(second.result(WAIT)) == {"conv", "dense"}
    _until(lambda: first._runs["dense"].finished, "the replaced run to stop")


def test_a_run_another_job_still_waits_for_keeps_going_when_one_cancels(service):
    mine = service.submit(_request(41, epochs=6), owner="eve")
    theirs = service.submit(_request(41, epochs=6), owner="finn")
    mine.cancel()
    assert mine.cancelled and theirs.result(WAIT)["conv"].final.epoch == 6


# ---------------------------------------------------------------- errors across the process boundary

def test_an_error_raised_in_the_worker_arrives_with_its_class_code_and_params(service):
    diverging = (L.Flatten(), *[L.Linear(256, 256)] * 3, L.Linear(256, 10))
    job = service.submit(_request(51, networks=(("big", diverging),), lr=10, optimizer="sgd", epochs=3))
    with pytest.raises(TrainingError) as info:
        job.result(WAIT)
    err = info.value
    assert type(err) is TrainingError and err.code == "learn_diverged" and job.error is err
    assert set(err.params) == {"epoch", "loss", "lr"} and err.params["lr"] == 10.0
    assert isinstance(err.history, tuple)


def test_errors_keep_their_layer_position_when_packed():
    err = LayerError("in_features is wrong", "features", param="in_features", expected=4, got=5).at_layer(2, "Linear")
    back = unpack_error(pack_error(err))
    assert (type(back), str(back), back.code, back.params, back.position) == (
        LayerError, str(err), "features", err.params, 2)
    assert crash_error(-9).code == "learn_worker_crashed" and failure_error("x").params == {"detail": "x"}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_worker_gives_a_coded_error_and_is_replaced(service):
    job = service.submit(_long(61))
    _until(lambda: job.progress()["dense"], "the first epoch")
    os.kill(job.worker_pids()["dense"], signal.SIGKILL)
    with pytest.raises(TrainingError) as info:
        job.result(WAIT)
    assert info.value.code == "learn_worker_crashed" and info.value.params == {"exitcode": str(-signal.SIGKILL)}
    assert service.submit(_request(62, epochs=1)).result(WAIT)["dense"].final.epoch == 1
    assert service.stats()["workers"] == 2


# ---------------------------------------------------------------- bounds enforced in the workers

def test_the_time_limit_stops_after_the_epoch_that_passes_it_and_keeps_what_finished():
    with TrainingService(workers=1, time_limit=0) as svc:
        job = svc.submit(_request(71, epochs=5, networks=(("tiny", TINY),)))
        with pytest.raises(TrainingError) as info:
            job.result(WAIT)
        err = info.value
        assert err.code == "learn_time_limit" and err.params == {"finished": 1, "epochs": 5, "limit": "0"}
        assert [r.epoch for r in err.result.history] == [1] and err.result.stopped
        assert err.history == err.result.history
        again = svc.submit(_request(71, epochs=5, networks=(("tiny", TINY),)))  # not cached: trained again
        assert svc.stats()["queued"] == 2
        with pytest.raises(TrainingError):
            again.result(WAIT)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc")
def test_a_worker_past_its_memory_cap_reports_a_coded_error():
    wide = (L.Conv2d(1, 64, 3, padding=1), L.ReLU(), L.MaxPool2d(16), L.Flatten(), L.Linear(64, 10))
    with TrainingService(workers=1, max_memory_mb=1024, worker_memory_mb=50) as svc:
        job = svc.submit(_request(81, epochs=1, n_train=1000, batch_size=1000, networks=(("wide", wide),)))
        with pytest.raises(TrainingError) as info:
            job.result(WAIT)
        assert info.value.code == "learn_out_of_memory" and info.value.params == {"limit": 1024}
        # the worker survives its MemoryError and trains the next request
        assert svc.submit(_request(82, epochs=1, networks=(("tiny", TINY),))).result(WAIT)["tiny"].final.epoch == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_workers_run_niced_with_one_blas_thread(service):
    job = service.submit(_request(91, epochs=1))
    job.result(WAIT)
    for pid in set(job.worker_pids().values()):
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
        environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        assert b"OPENBLAS_NUM_THREADS=1" in environ and b"OMP_NUM_THREADS=1" in environ
        assert len(os.listdir(f"/proc/{pid}/task")) == 1  # no BLAS thread pool


class _Outbox:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


class _Broken:
    """A spec whose data settings fail with ``exc`` (what a bug, or numpy out of memory, looks like)."""

    def __init__(self, exc):
        self.exc = exc

    @property
    def placement(self):
        raise self.exc


@pytest.mark.parametrize(("exc", "code", "params"), [
    (MemoryError(), "learn_out_of_memory", {"limit": 64}),
    (KeyError("x"), "learn_worker_failed", {"detail": "KeyError: 'x'"}),
])
def test_the_worker_reports_memory_errors_and_bugs_as_coded_errors(exc, code, params):
    outbox = _Outbox()
    worker._train(7, _Broken(exc), None, 64, inbox=None, outbox=outbox)
    [(kind, run_id, packed)] = outbox.sent
    err = unpack_error(packed)
    assert (kind, run_id, type(err), err.code, err.params) == ("error", 7, TrainingError, code, params)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_workers_end_with_the_program_that_started_them():
    """A program that exits without closing its service (atexit closes it) leaves no worker behind."""
    script = ("from convviz import learn; from convviz.learn.jobs import TrainingService, TrainRequest; "
              "svc = TrainingService(workers=2); "
              "job = svc.submit(TrainRequest(((\"d\", learn.dense_net((32,))),), epochs=1000, n_train=200)); "
              "import time\n"
              "while not job.progress()['d']: time.sleep(0.01)\n"
              "print(*[w.process.pid for w in svc._pool])")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 2, out.stderr
    _until(lambda: not any(_alive(pid) for pid in pids), "the workers to exit")


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has exited
    except OSError:
        return False
