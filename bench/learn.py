"""convviz.learn against PyTorch on one CPU core: the default experiment's training time and accuracy.

Timing: each round trains the experiment's two networks with ``convviz.learn.train`` and with an
equivalent PyTorch loop (``torch.set_num_threads(1)``; the same ``nn.Sequential``, built from
``convviz.nets.to_torch.to_pytorch``; the same data, epochs, batch size, Adam settings and float32; the
same evaluation of every training and test image after each epoch), interleaved and alternating
who goes first, for several rounds; the table shows medians and the convviz / torch ratio of
the same rounds. BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1`` etc., set before numpy loads).

Accuracy: every experiment of ``convviz.learn.EXPERIMENTS`` over seeds 0-4 (data split, positions,
initialisation and shuffling all follow the seed), with PyTorch's accuracy for the default
experiment on the same data as a check.

    python bench/learn.py                      # timing (5 rounds) + accuracy table (5 seeds)
    python bench/learn.py --rounds 3 --no-accuracy
    python bench/learn.py --no-accuracy --before 1573597   # also time convviz.learn as of that commit
    python bench/learn.py --validate           # how the conv net's last pooling was chosen

``--before REV`` extracts ``convviz/`` and ``assets/`` of git revision REV into a temporary
directory and times its ``convviz.learn.train`` in a child process (started once, one BLAS
thread, seconds measured around ``train`` only), as a third contender in the same interleaved
rounds: before / after of a change on the same machine at the same moments.
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core, for convviz's BLAS and torch's alike (before numpy is imported)

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402  (benchmark-only: requirements-torch.txt)

from convviz import learn  # noqa: E402
from convviz.nets import layers  # noqa: E402
from convviz.nets.to_torch import to_pytorch  # noqa: E402

OUT = ROOT / "bench" / "out"
SEEDS = (0, 1, 2, 3, 4)


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def torch_model(stack) -> torch.nn.Module:
    scope: dict = {}
    exec(to_pytorch(stack), scope)  # noqa: S102  (convviz's own code export)
    return scope["model"]


def torch_train(stack, data, *, epochs: int, batch_size: int, lr: float, seed: int) -> dict:
    """The PyTorch loop doing convviz.learn.train's work: Adam steps, then evaluation of both sets per epoch."""
    torch.manual_seed(seed)
    model = torch_model(stack)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    x, y = torch.tensor(data.x_train, dtype=torch.float32), torch.tensor(data.y_train)
    xt, yt = torch.tensor(data.x_test, dtype=torch.float32), torch.tensor(data.y_test)
    gen = torch.Generator().manual_seed(seed)
    history = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x), generator=gen)
        for first in range(0, len(x), batch_size):
            idx = order[first:first + batch_size]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            row = []
            for xs, ys in ((x, y), (xt, yt)):
                scores = model(xs)
                row += [torch.nn.functional.cross_entropy(scores, ys).item(),
                        (scores.argmax(1) == ys).double().mean().item()]
        history.append(row)
    return {"train_accuracy": history[-1][1], "test_accuracy": history[-1][3]}


#: The child process that times another revision's convviz.learn: reads a network key, prints the seconds.
BEFORE_CHILD = """
import sys, time
from convviz import learn
exp = learn.EXPERIMENTS["shifted"]
data, nets = exp.data(0), {n.key: n for n in exp.networks}
for line in sys.stdin:
    start = time.perf_counter()
    learn.train(nets[line.strip()].layers, data, seed=0, **exp.train_settings())
    print(time.perf_counter() - start, flush=True)
"""


class Before:
    """convviz.learn at another git revision, in a child process (see the module docstring)."""

    def __init__(self, rev: str) -> None:
        self.rev = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True,
                                  text=True).stdout.strip()
        self.dir = tempfile.TemporaryDirectory(prefix="convviz-before-")
        archive = subprocess.run(["git", "archive", self.rev, "convviz", "assets"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(self.dir.name, filter="data")
        env = {**os.environ, "PYTHONPATH": self.dir.name}
        self.child = subprocess.Popen([sys.executable, "-c", BEFORE_CHILD], cwd=self.dir.name, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self, key: str) -> float:
        self.child.stdin.write(key + "\n")
        self.child.stdin.flush()
        return float(self.child.stdout.readline())

    def close(self) -> None:
        self.child.stdin.close()
        self.child.wait()
        self.dir.cleanup()


def timing(exp: learn.Experiment, rounds: int, before: Before | None = None) -> dict:
    data = exp.data(0)
    settings = exp.train_settings()
    who_all = ("convviz", "torch") + (("before",) if before else ())
    times: dict[str, dict[str, list[float]]] = {n.key: {w: [] for w in who_all} for n in exp.networks}

    def timed(run):
        def go(net):
            start = time.perf_counter()
            run(net)
            return time.perf_counter() - start
        return go

    runs = {
        "convviz": timed(lambda net: learn.train(net.layers, data, seed=0, **settings)),
        "torch": timed(lambda net: torch_train(net.layers, data, epochs=exp.epochs, batch_size=exp.batch_size,
                                               lr=exp.lr, seed=0)),
    }
    if before:
        runs["before"] = lambda net: before(net.key)  # timed in the child, around train only
    for r in range(rounds):
        for net in exp.networks:
            order = who_all[r % len(who_all):] + who_all[:r % len(who_all)]  # who goes first rotates
            for who in order:
                times[net.key][who].append(runs[who](net))
        print(f"  round {r + 1}/{rounds}: " + ", ".join(
            f"{k} " + " / ".join(f"{w} {v[w][-1]:.2f} s" for w in who_all) for k, v in times.items()), flush=True)
    return times


def accuracy(exp: learn.Experiment, *, with_torch: bool) -> list[dict]:
    rows = []
    for seed in SEEDS:
        data = exp.data(seed)
        results = exp.run(seed, data=data)
        row = {"seed": seed}
        for key, res in results.items():
            row[key] = {"params": res.param_count, "train": res.final.train_accuracy, "test": res.final.test_accuracy}
        if with_torch:
            for net in exp.networks:
                row[f"torch_{net.key}"] = torch_train(net.layers, data, epochs=exp.epochs, batch_size=exp.batch_size,
                                                      lr=exp.lr, seed=seed)
        rows.append(row)
        print(f"  {exp.key} seed {seed}: " + ", ".join(
            f"{k} {v['train']:.3f}/{v['test']:.3f}" for k, v in row.items() if isinstance(v, dict) and "train" in v)
            + "".join(f", {k} {v['test_accuracy']:.3f}" for k, v in row.items() if k.startswith("torch_")),
            flush=True)
    return rows


def validate() -> list[dict]:
    """Global average against global max pooling for the conv net, on 800 / 200 of the training images."""
    exp = learn.EXPERIMENTS["shifted"]
    body = list(learn.conv_net())[:-3]  # up to the last ReLU
    candidates = {"AdaptiveAvgPool2d(1)": layers.AdaptiveAvgPool2d(1), "MaxPool2d(4)": layers.MaxPool2d(4)}
    rows = []
    for seed in SEEDS:
        val = learn.validation_split(exp.data(seed), n_validation=200, seed=seed)
        row = {"seed": seed}
        for name, pool in candidates.items():
            stack = [*body, pool, layers.Flatten(), layers.Linear(32, 10)]
            res = learn.train(stack, val, seed=seed, **exp.train_settings())
            row[name] = {"train": res.final.train_accuracy, "validation": res.final.test_accuracy}
        rows.append(row)
        print(f"  seed {seed}: " + ", ".join(f"{k} {v['validation']:.3f}" for k, v in row.items() if k != "seed"),
              flush=True)
    return rows


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--validate", action="store_true", help="only the validation-split choice of the last pooling")
    ap.add_argument("--before", metavar="REV", help="also time convviz.learn as of this git revision")
    args = ap.parse_args()
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    exp = learn.EXPERIMENTS[learn.DEFAULT_EXPERIMENT]
    report: dict = {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
                    "cpu_count": os.cpu_count(), "experiment": exp.key, "settings": exp.train_settings()}
    print(f"numpy {np.__version__}, torch {torch.__version__}, torch threads {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")

    if args.validate:
        report["load_before"] = load()
        rows = validate()
        report["load_after"] = load()
        report["validation"] = rows
        print(f"\nload average before: {report['load_before']}, after: {report['load_after']}\n")
        print("| seed | " + " | ".join(k for k in rows[0] if k != "seed") + " |")
        print("|---:|" + "---:|" * (len(rows[0]) - 1))
        for row in rows:
            cells = [pct(v["validation"]) for k, v in row.items() if k != "seed"]
            print(f"| {row['seed']} | " + " | ".join(cells) + " |")
        print("| mean | " + " | ".join(pct(statistics.mean(r[k]["validation"] for r in rows))
                                     for k in rows[0] if k != "seed") + " |")
        (OUT / "learn_validation.json").write_text(json.dumps(report, indent=1))
        return

    if not args.no_timing:
        report["timing_load_before"] = load()
        print(f"\ntiming, {args.rounds} rounds (load average before: {report['timing_load_before']})")
        before = Before(args.before) if args.before else None
        try:
            times = timing(exp, args.rounds, before)
        finally:
            if before:
                before.close()
        report["timing_load_after"] = load()
        report["timing"] = times
        if before:
            report["before_rev"] = before.rev
        print(f"\nload average before: {report['timing_load_before']}, after: {report['timing_load_after']}\n")
        extra = f" convviz@{before.rev} median | after / before |" if before else ""
        print("| network | params | convviz median | torch median | ratio (convviz / torch) | convviz range |" + extra)
        print("|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if before else ""))
        for net in exp.networks:
            t = times[net.key]
            ours, theirs = statistics.median(t["convviz"]), statistics.median(t["torch"])
            ratios = [a / b for a, b in zip(t["convviz"], t["torch"])]
            row = (f"| {net.name} | {net.params(exp.input_shape):,} | {ours:.2f} s | {theirs:.2f} s | "
                   f"{ours / theirs:.2f}x (per round {min(ratios):.2f}-{max(ratios):.2f}) | "
                   f"{min(t['convviz']):.2f}-{max(t['convviz']):.2f} s |")
            if before:
                old = statistics.median(t["before"])
                gains = [a / b for a, b in zip(t["convviz"], t["before"])]
                row += f" {old:.2f} s | {ours / old:.2f}x (per round {min(gains):.2f}-{max(gains):.2f}) |"
            print(row)

    if not args.no_accuracy:
        report["accuracy_load_before"] = load()
        report["accuracy"] = {}
        for e in learn.EXPERIMENTS.values():
            print(f"\naccuracy: {e.name}")
            report["accuracy"][e.key] = accuracy(e, with_torch=e.key == exp.key)
        report["accuracy_load_after"] = load()
        print(f"\nload average before: {report['accuracy_load_before']}, after: {report['accuracy_load_after']}\n")
        print("| experiment | network | params | train accuracy (mean of 5) | test accuracy (mean of 5) | "
              "test, per seed | PyTorch test (mean) |")
        print("|---|---|---:|---:|---:|---|---:|")
        for key, rows in report["accuracy"].items():
            e = learn.EXPERIMENTS[key]
            for net in e.networks:
                tests = [r[net.key]["test"] for r in rows]
                trains = [r[net.key]["train"] for r in rows]
                torch_col = (pct(statistics.mean(r[f"torch_{net.key}"]["test_accuracy"] for r in rows))
                             if f"torch_{net.key}" in rows[0] else "")
                print(f"| {e.name} | {net.name} | {rows[0][net.key]['params']:,} | {pct(statistics.mean(trains))} | "
                      f"**{pct(statistics.mean(tests))}** (sd {100 * statistics.stdev(tests):.1f}) | "
                      f"{', '.join(f'{100 * v:.1f}' for v in tests)} | {torch_col} |")
    (OUT / "learn.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
