"""Where the server's time went: a py-spy ``raw`` profile summed into a few named buckets.

``bench/capacity.py --py-spy PATH`` records the server with ``py-spy record -f raw`` while the
burst runs (busy samples only: py-spy leaves idle threads out). Each line of the file is one
stack, ``frame;frame;...;frame COUNT``; a sample goes to the first bucket whose pattern appears
in its stack (the buckets are ordered from the most specific), the rest to "other".

    python bench/spy_summary.py bench/out/burst.n40.txt [--top 25]
"""
from __future__ import annotations

import argparse
import collections
import sys

#: (bucket, substrings of a frame; any one matches). First match wins.
BUCKETS: list[tuple[str, tuple[str, ...]]] = [
    ("Streamlit gc.collect after each run (runner.postScriptGC)", ("script_runner.py:1055",)),
    ("garbage collection elsewhere", ("gc_collect", "(gc.",)),
    ("ui/kernels/inspector.py, ui/inside/panels.py (pixel inspector, Inside page map grids)",
     ("ui/kernels/inspector.py", "ui/inside/panels.py", "number_cells")),
    ("image decode (load_image)", ("convviz/pictures/images.py",)),
    ("filtering (convviz engine)", ("convviz/filters/engine.py", "convviz/filters/filtering.py")),
    ("display conversion + JPEG encode", ("convviz/filters/display.py", "jpeg_bytes", "before_jpeg")),
    ("st.image marshalling", ("image_utils.py",)),
    ("upload HTTP handler", ("upload_file_request_handler", "httputil.py")),
    ("share link / app shell (app.py)", ("ui/common/share.py", "ui/common/presentation.py", "<module> (app.py:1",
                                          "<module> (app.py:2",
                                          "<module> (app.py:3", "<module> (app.py:4", "<module> (app.py:6",
                                          "<module> (app.py:7")),
    ("page: stride", ("stride_padding.py",)),
    ("page: params", ("parameter_counts.py",)),
    ("page: inside", ("inside_conv.py",)),
    ("page: home", ("home.py",)),
    ("page: kernels (rest)", ("image_kernels.py",)),
    ("Streamlit script runner (widgets, deltas, caching)", ("scriptrunner", "streamlit/")),
    ("websocket / tornado / protobuf", ("tornado", "websocket", "protobuf")),
]


def summarize(path: str) -> tuple[collections.Counter, collections.Counter, int]:
    buckets: collections.Counter = collections.Counter()
    leaves: collections.Counter = collections.Counter()
    total = 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            for name, pats in BUCKETS:
                if any(p in stack for p in pats):
                    buckets[name] += n
                    break
            else:
                buckets["other"] += n
            leaves[stack.rsplit(";", 1)[-1]] += n
    return buckets, leaves, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile")
    ap.add_argument("--top", type=int, default=15, help="also list the busiest leaf frames")
    args = ap.parse_args()
    buckets, leaves, total = summarize(args.profile)
    if not total:
        sys.exit("no samples")
    print(f"{total} busy samples\n\n| where | share |\n|---|---:|")
    for name, n in buckets.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")
    if args.top:
        print("\n| leaf frame | share |\n|---|---:|")
        for name, n in leaves.most_common(args.top):
            print(f"| `{name}` | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main()
