"""A class pressing Train at once, against ``convviz.learn.jobs.TrainingService`` (no web server yet).

N sessions (threads, one owner each) submit their request at the same moment to one service with
its default bounds and one worker per core; each waits for its result. Latency = submit ->
result, per session. The pool is started (and its workers' imports done) before the burst, as
the first Train of the day would have done. Meanwhile a foreground probe, at normal priority as
the web server's page runs are, runs a fixed numpy task (a 5 x 5 filter over a 1 MP image with
``convviz.filter_image``) every 0.25 s: its time during the burst against before it shows what
the niced workers leave to everyone else's clicks.

Scenarios:

* ``default``: every session sends the default experiment's request (seed 0): one run per network.
* ``own``: "settings of their own", :func:`own_request`: each session changes one or two of the
  page's settings from the default (learning rate, training images, epochs, the dense net's
  hidden widths, the seed), each to one of three values the page offers, drawn from a seeded
  generator; identical picks share runs.
* ``distinct``: the worst case of ``own``: also a different seed for every session, so no two
  runs are alike.

Before running, the cost model (``convviz.learn.cost``) predicts each scenario's runs, total CPU
seconds and the p95 latency of a first-in-first-out queue on the workers; the table puts the
measurement next to it.

    python bench/learn_class.py                              # 40 sessions, all three scenarios
    python bench/learn_class.py --sessions 40 --scenario own --predict-only
    python bench/learn_class.py --scenario distinct --max-cost 0.5   # a smaller budget per request
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python bench/learn_class.py --calibrate

``--max-cost X`` gives the service that budget (times the default's work per request); a request
above it trains fewer epochs instead, as a student told so would do.
"""
from __future__ import annotations

import argparse
import dataclasses
import heapq
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convviz  # noqa: E402
from convviz import learn  # noqa: E402
from convviz.learn.jobs import TrainingService, TrainRequest  # noqa: E402

OUT = ROOT / "bench" / "out"

#: The values the page offers for each setting a student may change (the default's value aside).
CHOICES = {
    "lr": (3e-4, 3e-3, 1e-2),
    "n_train": (250, 500, 1500),
    "epochs": (10, 20, 50),
    "hidden": ((64,), (256, 128), (512, 256)),
    "seed": (1, 2, 3),
}


def own_request(session: int, *, distinct: bool = False) -> TrainRequest:
    """Session ``session``'s settings of their own: one or two settings changed, drawn from a seeded generator."""
    rng = np.random.default_rng([25, session])
    names = list(CHOICES)
    changed = rng.choice(names, size=int(rng.integers(1, 3)), replace=False)
    picks = {name: CHOICES[name][int(rng.integers(len(CHOICES[name])))] for name in changed}
    hidden = picks.pop("hidden", None)
    networks = {"dense": learn.dense_net(hidden)} if hidden else None
    if distinct:
        picks["seed"] = 1000 + session
    return TrainRequest.from_experiment(networks=networks, **picks)


def requests(scenario: str, sessions: int, max_cost: float | None = None) -> list[TrainRequest]:
    """The sessions' requests; with ``max_cost``, one above it gets fewer epochs, as a student told so would do."""
    if scenario == "default":
        return [TrainRequest.from_experiment()] * sessions
    reqs = [own_request(i, distinct=scenario == "distinct") for i in range(sessions)]
    if max_cost is not None:
        budget = TrainingService(max_cost=max_cost)
        reqs = [r if budget.cost_ratio(r) <= max_cost or r in budget.ready_requests()
                else dataclasses.replace(r, epochs=max(1, int(r.epochs * max_cost / budget.cost_ratio(r))))
                for r in reqs]
    return reqs


def predict(reqs: list[TrainRequest], workers: int) -> dict:
    """Runs after sharing, their estimated CPU seconds, and the latencies of a FIFO queue on ``workers``."""
    runs: dict = {}
    for index, req in enumerate(reqs):
        for spec in req.runs().values():
            runs.setdefault(spec, (index, spec.cost().seconds))
    free = [0.0] * workers  # when each worker is next free
    finish = {}
    for spec, (_, seconds) in sorted(runs.items(), key=lambda kv: kv[1][0]):  # in submission order
        start = heapq.heappop(free)
        finish[spec] = start + seconds
        heapq.heappush(free, finish[spec])
    latencies = [max(finish[s] for s in req.runs().values()) for req in reqs]
    return {"runs": len(runs), "cpu_seconds": sum(s for _, s in runs.values()),
            "p50": statistics.median(latencies), "p95": float(np.percentile(latencies, 95)),
            "max": max(latencies), "ratios": [TrainingService().cost_ratio(r) for r in reqs]}


class Probe:
    """A fixed foreground task every 0.25 s, timed (what a page run gets while the workers train)."""

    def __init__(self) -> None:
        self.image = np.random.default_rng(0).integers(0, 256, (1000, 1000), dtype=np.uint8)
        self.kernel = np.ones((5, 5)) / 25
        self.times: list[tuple[float, float]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        while not self.stop.wait(0.25):
            start = time.perf_counter()
            convviz.filter_image(self.image, self.kernel)
            self.times.append((time.monotonic(), time.perf_counter() - start))

    def between(self, t0: float, t1: float) -> list[float]:
        return [d for t, d in self.times if t0 <= t <= t1]


def burst(service: TrainingService, reqs: list[TrainRequest], probe: Probe) -> dict:
    barrier = threading.Barrier(len(reqs) + 1)
    latencies = [0.0] * len(reqs)
    errors: list[str] = []

    results: dict = {}

    def session(i: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            for result in service.submit(reqs[i], owner=f"s{i}").result(timeout=600).values():
                results[id(result)] = result
        except Exception as err:  # noqa: BLE001  (a bench: count it)
            errors.append(f"{type(err).__name__}: {err}")
        latencies[i] = time.perf_counter() - start

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(reqs))]
    for t in threads:
        t.start()
    before = service.stats()
    t0 = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    t1 = time.monotonic()
    after = service.stats()
    return {"latencies": latencies, "errors": errors, "wall": t1 - t0, "window": (t0, t1),
            "worker_seconds": sum(r.history[-1].seconds for r in results.values()),
            "runs": after["started"] - before["started"], "joined": after["joined"] - before["joined"],
            "cache_hits": after["cache_hits"] - before["cache_hits"]}


def calibrate() -> dict:
    """Fit ``convviz.learn.cost``'s three rates to measured runs (5 epochs each, best of 2, one BLAS thread)."""
    from scipy.optimize import nnls

    from convviz.learn import cost
    from convviz.nets import layers as L

    def conv(widths=(8, 16, 32), k=3):
        a, b, c = widths
        return (L.Conv2d(1, a, k, padding=k // 2), L.ReLU(), L.MaxPool2d(2), L.Conv2d(a, b, k, padding=k // 2),
                L.ReLU(), L.MaxPool2d(2), L.Conv2d(b, c, k, padding=k // 2), L.ReLU(), L.MaxPool2d(4), L.Flatten(),
                L.Linear(c, 10))

    configs = [("conv", conv(), 1000, 32), ("conv", conv(), 1000, 8), ("conv", conv(), 1000, 128),
               ("conv", conv(), 300, 32), ("conv", conv(), 1796, 64), ("conv 16-32-64", conv((16, 32, 64)), 1000, 32),
               ("conv 4-8-16", conv((4, 8, 16)), 1000, 32), ("conv 5x5", conv(k=5), 1000, 32),
               ("dense", learn.dense_net(), 1000, 32), ("dense", learn.dense_net(), 1000, 8),
               ("dense", learn.dense_net(), 1000, 256), ("dense 512-256", learn.dense_net((512, 256)), 1000, 32),
               ("dense 32", learn.dense_net((32,)), 1000, 32), ("linear", (L.Flatten(), L.Linear(256, 10)), 1000, 32),
               ("dense 1024-1024", learn.dense_net((1024, 1024)), 500, 32)]
    rows, terms = [], []
    saved = cost.SECONDS_PER_GMAC, cost.SECONDS_PER_GELEMENT, cost.SECONDS_PER_LAYER_STEP
    for name, stack, n, batch in configs:
        data = learn.digits_data("shifted", n_train=n, seed=0)
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            learn.train(stack, data, epochs=5, batch_size=batch, lr=1e-3, seed=0)
            best = min(best, time.perf_counter() - start)
        row = []
        for i in range(3):  # each term alone: the estimate with one rate at 1, the others at 0
            rates = [0.0, 0.0, 0.0]
            rates[i] = 1.0
            cost.SECONDS_PER_GMAC, cost.SECONDS_PER_GELEMENT, cost.SECONDS_PER_LAYER_STEP = rates
            row.append(cost.training_cost(stack, (1, 16, 16), n_train=n, n_test=learn.DIGIT_COUNT - n, epochs=5,
                                          batch_size=batch).seconds)
        cost.SECONDS_PER_GMAC, cost.SECONDS_PER_GELEMENT, cost.SECONDS_PER_LAYER_STEP = saved
        rows.append({"network": name, "n_train": n, "batch_size": batch, "seconds": best,
                     "estimate": cost.training_cost(stack, (1, 16, 16), n_train=n, n_test=learn.DIGIT_COUNT - n,
                                                    epochs=5, batch_size=batch).seconds})
        terms.append(row)
        print(f"  {name} n_train {n} batch {batch}: {best:.3f} s (estimate {rows[-1]['estimate']:.3f} s)", flush=True)
    a, y = np.array(terms), np.array([r["seconds"] for r in rows])
    fit, _ = nnls(a / y[:, None], np.ones(len(y)))  # least squares of the relative error
    spread = [r["estimate"] / r["seconds"] for r in rows]
    print(f"\nfitted: SECONDS_PER_GMAC = {fit[0]:.4f}, SECONDS_PER_GELEMENT = {fit[1]:.3f}, "
          f"SECONDS_PER_LAYER_STEP = {fit[2]:.3g} (in use: {saved[0]}, {saved[1]}, {saved[2]}); "
          f"estimate / measured with the rates in use: {min(spread):.2f}-{max(spread):.2f}")
    return {"rows": rows, "fit": fit.tolist()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--scenario", default="default,own,distinct")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--predict-only", action="store_true")
    ap.add_argument("--max-cost", type=float, default=None, help="the service's budget per request (x default)")
    ap.add_argument("--calibrate", action="store_true", help="only fit the cost model's rates to measured runs")
    args = ap.parse_args()
    if args.calibrate:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            if os.environ.get(var) != "1":
                sys.exit(f"set {var}=1 (one BLAS thread, as in the workers) before calibrating")
        print(f"load average {os.getloadavg()}")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "learn_cost.json").write_text(json.dumps(calibrate(), indent=1))
        return
    scenarios = args.scenario.split(",")
    workers = args.workers or learn.jobs.default_workers()
    report: dict = {"sessions": args.sessions, "workers": workers, "cpu_count": os.cpu_count(), "scenarios": {}}
    print(f"{args.sessions} sessions, {workers} workers; load average {os.getloadavg()}")
    for scenario in scenarios:
        p = predict(requests(scenario, args.sessions, args.max_cost), workers)
        report["scenarios"][scenario] = {"predicted": {k: v for k, v in p.items() if k != "ratios"}}
        ratios = p["ratios"]
        print(f"  {scenario}: predicted {p['runs']} runs, {p['cpu_seconds']:.1f} CPU-s, p50 {p['p50']:.1f} s, "
              f"p95 {p['p95']:.1f} s; work per request {min(ratios):.2f}-{max(ratios):.2f} x default "
              f"(mean {statistics.mean(ratios):.2f})")
    if args.predict_only:
        return
    probe = Probe()
    bounds = {} if args.max_cost is None else {"max_cost": args.max_cost}
    report["max_cost"] = args.max_cost
    with TrainingService(workers=workers, **bounds) as service:
        service.submit(TrainRequest.from_experiment(epochs=1, n_train=50)).result(timeout=120)  # workers up
        probe.thread.start()
        time.sleep(3)
        for scenario in scenarios:
            # a fresh cache per scenario: nothing left from the one before
            service._cache.clear()
            load_before = os.getloadavg()
            quiet = probe.between(time.monotonic() - 3, time.monotonic())
            m = burst(service, requests(scenario, args.sessions, args.max_cost), probe)
            busy = probe.between(*m["window"])
            lat = m["latencies"]
            row = {"load_before": load_before, "load_after": os.getloadavg(), "wall": m["wall"], "runs": m["runs"],
                   "worker_seconds": m["worker_seconds"],
                   "joined": m["joined"], "errors": m["errors"], "p50": statistics.median(lat),
                   "p95": float(np.percentile(lat, 95)), "max": max(lat),
                   "probe_quiet_median": statistics.median(quiet) if quiet else None,
                   "probe_busy_median": statistics.median(busy) if busy else None,
                   "probe_busy_p95": float(np.percentile(busy, 95)) if busy else None}
            report["scenarios"][scenario]["measured"] = row
            print(f"  {scenario}: {m['runs']} runs ({m['joined']} joined, {m['worker_seconds']:.1f} s in workers), "
                  f"wall {m['wall']:.1f} s, latency p50 "
                  f"{row['p50']:.1f} s, p95 {row['p95']:.1f} s, max {row['max']:.1f} s, errors {len(m['errors'])}; "
                  f"probe {1000 * (row['probe_quiet_median'] or 0):.0f} ms quiet -> median "
                  f"{1000 * (row['probe_busy_median'] or 0):.0f} ms, p95 {1000 * (row['probe_busy_p95'] or 0):.0f} ms "
                  f"busy; load {load_before[0]:.2f} -> {row['load_after'][0]:.2f}", flush=True)
            time.sleep(3)
        probe.stop.set()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "learn_class.json").write_text(json.dumps(report, indent=1, default=str))
    print("\n| scenario | runs (predicted) | CPU-s predicted | p95 predicted | runs | s in workers | wall | p50 | p95 "
          "| max | errors | probe quiet -> busy (median / p95) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for scenario, r in report["scenarios"].items():
        p, m = r["predicted"], r["measured"]
        print(f"| {scenario} | {p['runs']} | {p['cpu_seconds']:.0f} | {p['p95']:.1f} s | {m['runs']} | "
              f"{m['worker_seconds']:.0f} | "
              f"{m['wall']:.1f} s | {m['p50']:.1f} s | {m['p95']:.1f} s | {m['max']:.1f} s | {len(m['errors'])} | "
              f"{1000 * m['probe_quiet_median']:.0f} -> {1000 * m['probe_busy_median']:.0f} / "
              f"{1000 * m['probe_busy_p95']:.0f} ms |")


if __name__ == "__main__":
    main()
