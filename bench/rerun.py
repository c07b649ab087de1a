"""Server time of one interaction (a kernel change) on each page, next to Streamlit's floor.

Each rerun runs in-process through Streamlit's AppTest (the same script runner the server
uses, without the network), after the Image Kernels page received the 12 MP synthetic photo
as an upload. The floor is a page that does nothing but show the same two images (the page's
working copy and its filtered result) with ``st.image``, rerun by a widget change.
Interactions are interleaved with floor reruns; medians over the rounds.

    python bench/rerun.py [--rounds 15]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.chdir(ROOT)

from streamlit.testing.v1 import AppTest  # noqa: E402
from upload import photo_bytes  # noqa: E402

OUT = ROOT / "bench" / "out"
FLOOR_ARRAYS = OUT / "floor.npz"


def floor_script() -> None:
    import numpy as np
    import streamlit as st

    @st.cache_resource
    def arrays():
        data = np.load("bench/out/floor.npz")
        return data["before"], data["after"]

    before, after = arrays()
    st.selectbox("kernel", ["a", "b", "c"], key="floor_pick")
    left, right = st.columns(2)
    left.image(before, caption="before")
    right.image(after, caption="after")


def open_page(page: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def cycler(at: AppTest, kind: str, key: str, values: list):
    """A rerun that sets widget ``key`` to the next of ``values``; raises if the page lacks it."""
    state = {"i": 0}
    widget = getattr(at, kind)(key=key)

    def step() -> None:
        state["i"] = (state["i"] + 1) % len(values)
        getattr(at, kind)(key=key).set_value(values[state["i"]]).run()
        if at.exception:
            raise RuntimeError(f"{key}: {at.exception[0].message}")

    assert widget is not None
    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--json", default=str(OUT / "rerun.json"))
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    def kernels_page() -> AppTest:
        """The Image Kernels page with the 12 MP photo uploaded (decoded once, then cached)."""
        at = open_page("views/image_kernels.py")
        at.segmented_control(key="kernels_source").set_value("upload").run()
        at.file_uploader(key="kernels_upload").upload("photo.jpg", photo_bytes("JPEG"), "image/jpeg").run()
        if at.exception:
            raise SystemExit(f"upload failed: {at.exception[0].message}")
        return at

    kern = kernels_page()
    working = kern.session_state["cv_picture"].image

    import convviz
    from convviz.filters.filtering import filter_signed

    after = convviz.to_display(filter_signed(working, convviz.make_kernel("emboss")), how="clip")
    np.savez(FLOOR_ARRAYS, before=working, after=after)
    floor = AppTest.from_function(floor_script, default_timeout=60)
    floor.run()

    interactions = {
        "floor: two st.image": cycler(floor, "selectbox", "floor_pick", ["a", "b", "c"]),
        "kernels: preset (emboss/sharpen/outline/sobel_x)":
            cycler(kern, "selectbox", "kernels_preset", ["emboss", "sharpen", "outline", "sobel_x"]),
    }
    # a blur with sizes: the page's size slider, 3 -> 15
    blur = kernels_page()
    blur.selectbox(key="kernels_preset").set_value("gaussian_blur").run()
    interactions["kernels: Gaussian size (3/9/15)"] = cycler(blur, "select_slider", "kernels_size", [3, 9, 15])
    others = {
        "stride: kernel height": ("views/stride_padding.py", "number_input", "stride_k_h", [3, 5, 2]),
        "inside: kernel size": ("views/inside_conv.py", "segmented_control", "inside_k", [3, 5, 1]),
        "receptive: preset stack": ("views/receptive_field.py", "selectbox", "rf_stack",
                                    ["three_3x3", "vgg_like", "alexnet_features"]),
        "params: dense-layer toggle": ("views/parameter_counts.py", "toggle", "params_dense", [False, True]),
    }
    skipped = {}
    for name, (page, kind, key, values) in others.items():
        try:
            at = open_page(page)
            if values is None:
                values = list(getattr(at, kind)(key=key).options)[:3]
            interactions[name] = cycler(at, kind, key, values)
        except Exception as exc:  # a page still in development: report, do not fail the run
            skipped[name] = f"{type(exc).__name__}: {exc}"
    home = open_page(None)
    interactions["home: rerun"] = lambda: home.run()

    for name, fn in list(interactions.items()):  # warm-up: caches, imports
        try:
            fn()
            fn()
        except Exception as exc:  # a page still in development: report, do not fail the run
            if name.startswith(("floor", "kernels")):
                raise
            skipped[name] = f"{type(exc).__name__}: {exc}"[:120]
            del interactions[name]
    times: dict[str, list[float]] = {k: [] for k in interactions}
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    for _ in range(args.rounds):
        for name, fn in interactions.items():
            times[name].append(timed(fn))
    load_after = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    # Where the Image Kernels page's time goes: the same preset interaction again, with the
    # page's building blocks wrapped in timers (the page looks them up on every rerun).
    from streamlit.delta_generator import DeltaGenerator

    import convviz.filters.filtering
    import ui.kernels.inspector
    import ui.kernels.source
    import ui.kernels.widgets

    spent: dict[str, float] = {}
    targets = [(ui.kernels.source, "pick_picture", "pick_picture (image source, cache lookups)"),
               (convviz.filters.filtering, "filter_signed", "filter_signed"),
               (convviz, "to_display", "to_display"),
               (DeltaGenerator, "image", "st.image x2 (JPEG q100 encoding)"),
               (ui.kernels.widgets, "kernel_table", "kernel_table"),
               (ui.kernels.inspector, "inspector_panel", "inspector_panel (closed: nothing built)")]
    originals = []
    for owner, attr, label in targets:
        if not hasattr(owner, attr):
            continue
        fn = getattr(owner, attr)
        originals.append((owner, attr, fn))

        def wrapper(*a, _fn=fn, _label=label, **kw):
            t0 = time.perf_counter()
            try:
                return _fn(*a, **kw)
            finally:
                spent[_label] = spent.get(_label, 0.0) + (time.perf_counter() - t0) * 1000

        setattr(owner, attr, wrapper)
    step = interactions["kernels: preset (emboss/sharpen/outline/sobel_x)"]
    total = 0.0
    try:
        for _ in range(args.rounds):
            total += timed(step)
    finally:
        for owner, attr, fn in originals:
            setattr(owner, attr, fn)
    part_ms = {k: v / args.rounds for k, v in spent.items()}
    part_ms["everything else (app.py, widgets, AppTest)"] = total / args.rounds - sum(part_ms.values())
    part_ms["whole rerun"] = total / args.rounds

    med = {k: statistics.median(v) for k, v in times.items()}
    floor_ms = med["floor: two st.image"]
    Path(args.json).write_text(json.dumps({"median_ms": med, "parts_ms": part_ms, "skipped": skipped,
                                           "working_shape": list(working.shape), "rounds": args.rounds,
                                           "load": [load_before, load_after]}, indent=1))
    print(f"Working copy {working.shape[1]} x {working.shape[0]} (from a 4000 x 3000 JPEG upload); "
          f"{args.rounds} interleaved rounds, medians; load average {load_before} -> {load_after}\n")
    print("| interaction | server time, ms | / floor |")
    print("|---|---:|---:|")
    for name, ms in med.items():
        print(f"| {name} | {ms:.1f} | {ms / floor_ms:.2f} |")
    for name, why in skipped.items():
        print(f"| {name} | not measured: {why} | |")
    print("\nInside a kernel change on the Image Kernels page (mean ms per rerun; same working copy):\n")
    print("| step | ms |")
    print("|---|---:|")
    for name, ms in part_ms.items():
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    main()
