"""What was alive at the server's memory peak: a memray capture summed by where it was allocated.

``bench/capacity.py --memray PATH`` runs the server under ``memray run``; this reads the capture's
high-water mark (``memray.FileReader.get_high_watermark_allocation_records``) and sums the live
bytes by the innermost frame of this project (``convviz/``, ``ui/``, ``views/``, ``app.py``), or
else by the first frame of a library, so that "who holds the memory at the peak" fits a table.

    pip install memray
    python bench/capacity.py --scenario burst --sessions 40 --memray bench/out/mem
    python bench/memray_peak.py bench/out/mem.n40.bin [--top 25]
"""
from __future__ import annotations

import argparse
import collections

OURS = ("/convviz/", "/ui/", "/views/", "app.py")


def where(stack: list[tuple[str, str, int]]) -> str:
    """The frame to blame: ours if any (innermost first), else the innermost library frame."""
    for func, path, line in stack:
        if any(o in path for o in OURS):
            return f"{path.split('/main/')[-1]}:{line} {func}"
    if not stack:
        return "(no Python frame: C or interpreter)"
    func, path, line = stack[0]
    short = path.split("site-packages/")[-1].split("python3.11/")[-1]
    return f"{short}:{line} {func}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("capture")
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args()
    from memray import FileReader

    reader = FileReader(args.capture)
    sums: collections.Counter = collections.Counter()
    for rec in reader.get_high_watermark_allocation_records(merge_threads=True):
        sums[where(rec.stack_trace())] += rec.size
    total = sum(sums.values())
    print(f"alive at the peak: {total / 2**20:.0f} MB (memray's count of live allocations; "
          f"RSS also holds interpreter, libraries' code and allocator slack)\n")
    print("| allocated at | MB | share |\n|---|---:|---:|")
    for name, size in sums.most_common(args.top):
        print(f"| `{name}` | {size / 2**20:.1f} | {100 * size / total:.1f}% |")


if __name__ == "__main__":
    main()
