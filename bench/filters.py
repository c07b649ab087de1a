"""convviz.filter_image against OpenCV, scipy and Pillow on 1 MP and 12 MP photos.

Every peer runs once per round, interleaved, for several rounds; the tables show medians and
the ratio to ``cv2.filter2D`` from the same rounds (the machine may be shared, so only
same-run ratios mean anything). Peak extra memory of each call is measured in a fresh
subprocess (peak RSS ``VmHWM`` during the call, reset just before it, minus the RSS before it),
so native allocations (OpenCV, Pillow) count too.

    pip install -r requirements-bench.txt
    python bench/filters.py                  # full run, markdown tables + bench/out/filters.json
    python bench/filters.py --rounds 3 --no-memory
    python bench/filters.py --calibrate      # single-core ns/sample per engine method (cost model)
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cv2  # noqa: E402  (benchmark-only dependency: requirements-bench.txt)
from PIL import Image, ImageFilter  # noqa: E402
from scipy import ndimage  # noqa: E402
from upload import photo_bytes  # noqa: E402

import convviz  # noqa: E402
from convviz.filters import engine  # noqa: E402

SIZES = (3, 5, 9, 15, 31)
TARGETS = {3: 3.0, 5: 3.0, 9: 2.0, 15: 1.0, 31: 1.0}  # max convviz / cv2 time at 12 MP
OUT = ROOT / "bench" / "out"


def images() -> dict[str, np.ndarray]:
    """The 12 MP synthetic photo and a 1 MP (1155 x 866) version of it."""
    with Image.open(io.BytesIO(photo_bytes("JPEG"))) as im:
        full = np.asarray(im.convert("RGB"))
    small = np.asarray(Image.fromarray(full).resize((1155, 866), Image.Resampling.LANCZOS))
    return {"1MP": np.ascontiguousarray(small), "12MP": np.ascontiguousarray(full)}


def kernels(size: int) -> dict[str, np.ndarray]:
    """The app's kernel at this size (emboss at 3x3, Gaussian blur above) and a dense random one."""
    preset = convviz.make_kernel("emboss") if size == 3 else convviz.make_kernel("gaussian_blur", size)
    dense = np.random.default_rng(size).normal(size=(size, size)) / size
    return {"preset": preset, "dense": dense}


def old_scipy(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """What filter_image did before the engine: float32 copy, scipy.ndimage.correlate per channel."""
    src = image.astype(np.float32)
    out = np.empty(image.shape, np.float32)
    k = kernel.astype(np.float32)
    for c in range(3):
        ndimage.correlate(src[:, :, c], k, output=out[:, :, c], mode="reflect")
    return convviz.filters.filtering.to_uint8(out)


def peers(image: np.ndarray, kernel: np.ndarray) -> dict[str, object]:
    """name -> zero-argument callable; all use scipy 'reflect' (= OpenCV BORDER_REFLECT) borders."""
    k32 = kernel.astype(np.float32)
    pil = Image.fromarray(image)
    out = {
        "convviz": lambda: convviz.filter_image(image, kernel),
        "cv2.filter2D": lambda: cv2.filter2D(image, -1, k32, borderType=cv2.BORDER_REFLECT),
    }
    size = kernel.shape[0]
    # scipy's N-D loop costs ~ taps x samples; beyond ~5 s a call it adds nothing but waiting
    if image.size * size * size < 1.5e9:
        out["scipy.ndimage"] = lambda: old_scipy(image, kernel)
    if size in (3, 5):  # Pillow's Kernel filter exists for 3x3 and 5x5 only (it leaves borders unfiltered)
        flat = kernel[::-1, ::-1].ravel().tolist()  # Pillow convolves; flip to correlate
        pk = ImageFilter.Kernel((size, size), flat, scale=1)
        out["Pillow Kernel"] = lambda: pil.filter(pk)
    return out


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def run_timings(rounds: int, names: list[str]) -> dict:
    imgs = images()
    results: dict = {}
    for name in names:
        image = imgs[name]
        for size in SIZES:
            for kind, kernel in kernels(size).items():
                fns = peers(image, kernel)
                ref = fns["cv2.filter2D"]()
                got = fns["convviz"]()
                inner = (slice(size, -size), slice(size, -size))  # cv2 and scipy agree on borders too
                diff = int(np.abs(got[inner].astype(int) - ref[inner]).max())
                times: dict[str, list[float]] = {p: [] for p in fns}
                for _ in range(rounds):
                    for p, fn in fns.items():
                        t0 = time.perf_counter()
                        fn()
                        times[p].append(time.perf_counter() - t0)
                med = {p: statistics.median(v) * 1000 for p, v in times.items()}
                results[f"{name} {size}x{size} {kind}"] = {
                    "image": name, "size": size, "kind": kind, "ms": med,
                    "method": engine.choose_method(kernel, image.shape),
                    "max_diff_vs_cv2": diff, "rounds": rounds,
                }
                print(f"{name} {size}x{size} {kind:7s} " + "  ".join(f"{p} {m:8.1f}" for p, m in med.items())
                      + f"  | load {load()}", file=sys.stderr, flush=True)
    return results


# --------------------------------------------------------------------------- memory (subprocess)
def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _memory_child(peer: str, size: int, kind: str) -> None:
    with Image.open(io.BytesIO(photo_bytes("JPEG"))) as im:
        image = np.ascontiguousarray(np.asarray(im.convert("RGB")))
    kernel = kernels(size)[kind]
    fn = peers(image, kernel)[peer]
    fn()  # warm-up: imports, thread pools, FFT plans
    import gc
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak-RSS high-water mark (VmHWM) to the current RSS
    before = _status_kb("VmRSS")
    fn()
    peak = _status_kb("VmHWM")
    print(json.dumps({"extra_mb": max(peak - before, 0) / 1024, "image_mb": image.nbytes / 2**20}))


def run_memory(sizes: tuple[int, ...]) -> dict:
    out: dict = {}
    for size in sizes:
        for kind in ("preset", "dense"):
            for peer in ("convviz", "cv2.filter2D", "scipy.ndimage", "Pillow Kernel"):
                if peer == "Pillow Kernel" and size not in (3, 5):
                    continue
                if peer == "scipy.ndimage" and size > 5:  # see peers(): beyond 5x5 it runs for minutes
                    continue
                proc = subprocess.run([sys.executable, __file__, "--memory-child", peer, str(size), kind],
                                      capture_output=True, text=True, timeout=600)
                if proc.returncode:
                    print(proc.stderr, file=sys.stderr)
                    continue
                out[f"12MP {size}x{size} {kind} {peer}"] = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"memory {size} {kind} {peer}: {out[f'12MP {size}x{size} {kind} {peer}']}",
                      file=sys.stderr, flush=True)
    return out


# --------------------------------------------------------------------------- calibration
def calibrate(rounds: int) -> None:
    """Single-thread CPU time per sample of each engine method, for the cost model in engine.py."""
    image = images()["12MP"]
    for size in SIZES:
        for kind, kernel in kernels(size).items():
            row = [f"{size}x{size} {kind:6s}"]
            for method in engine.METHODS:
                if method == "separable" and engine.separable_factors(kernel) is None:
                    continue
                if method == "direct" and size > 15:
                    continue
                if method == "integer" and engine.integer_form(kernel) is None:
                    continue
                ts = []
                for _ in range(rounds):
                    t0 = time.thread_time()
                    engine.correlate(image, kernel, method=method, output=np.uint8, threads=1)
                    ts.append(time.thread_time() - t0)
                ns = statistics.median(ts) * 1e9 / image.size
                row.append(f"{method} {ns:6.2f} ns (model {engine.estimate_ns(kernel, method):6.2f})")
            print("  ".join(row), flush=True)


# --------------------------------------------------------------------------- report
def markdown(results: dict, memory: dict, meta: dict) -> str:
    lines = [f"Run {meta['when']} on {meta['machine']}; load average before / after: "
             f"{meta['load_before']} -> {meta['load_after']}; {meta['rounds']} interleaved rounds, medians.", ""]
    for name in ("12MP", "1MP"):
        rows = [r for r in results.values() if r["image"] == name]
        if not rows:
            continue
        peers_ = ["convviz", "cv2.filter2D", "scipy.ndimage", "Pillow Kernel"]
        lines.append(f"**{name}** ({'4000 x 3000' if name == '12MP' else '1155 x 866'} RGB, uint8 in and out), ms:")
        lines.append("")
        lines.append("| kernel | method | " + " | ".join(peers_) + " | convviz / cv2 | target | met |")
        lines.append("|---|---|" + "---:|" * len(peers_) + "---:|---:|:---:|")
        for r in rows:
            ms = r["ms"]
            ratio = ms["convviz"] / ms["cv2.filter2D"]
            target = TARGETS[r["size"]] if name == "12MP" else None
            within = ratio < target if target == 1.0 else ratio <= target
            met = "" if target is None else ("yes" if within else "**no**")
            cells = [f"{ms[p]:.1f}" if p in ms else "-" for p in peers_]
            tgt = "" if target is None else ("< 1" if target == 1.0 else f"<= {target:g}")
            lines.append(f"| {r['size']}x{r['size']} {r['kind']} | {r['method']} | " + " | ".join(cells)
                         + f" | {ratio:.2f} | {tgt} | {met} |")
        lines.append("")
    if memory:
        lines.append("**Peak extra memory of one call, 12 MP** (MB above the RSS before the call; the "
                     f"image itself is {next(iter(memory.values()))['image_mb']:.0f} MB, a float32 copy would be "
                     f"{4 * next(iter(memory.values()))['image_mb']:.0f} MB):")
        lines.append("")
        lines.append("| kernel | convviz | cv2.filter2D | scipy.ndimage | Pillow Kernel |")
        lines.append("|---|---:|---:|---:|---:|")
        for size in SIZES:
            for kind in ("preset", "dense"):
                cells = []
                for p in ("convviz", "cv2.filter2D", "scipy.ndimage", "Pillow Kernel"):
                    m = memory.get(f"12MP {size}x{size} {kind} {p}")
                    cells.append(f"{m['extra_mb']:.0f}" if m else "-")
                if any(c != "-" for c in cells):
                    lines.append(f"| {size}x{size} {kind} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--images", default="12MP,1MP")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--memory-child", nargs=3, metavar=("PEER", "SIZE", "KIND"), help=argparse.SUPPRESS)
    ap.add_argument("--json", default=str(OUT / "filters.json"))
    args = ap.parse_args()
    if args.memory_child:
        peer, size, kind = args.memory_child
        _memory_child(peer, int(size), kind)
        return
    if args.calibrate:
        calibrate(args.rounds)
        return
    meta = {"when": time.strftime("%Y-%m-%d %H:%M"), "rounds": args.rounds, "load_before": load(),
            "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, numpy {np.__version__}, "
                       f"OpenCV {cv2.__version__} ({cv2.getNumThreads()} threads), "
                       f"convviz {engine.default_threads()} threads"}
    results = run_timings(args.rounds, args.images.split(","))
    memory = {} if args.no_memory else run_memory(SIZES)
    meta["load_after"] = load()
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"meta": meta, "timings": results, "memory": memory}, indent=1))
    print(markdown(results, memory, meta))


if __name__ == "__main__":
    main()
