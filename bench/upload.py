"""Upload to first render: ConvViz's decode path against the naive decode + ``thumbnail``.

Also home of :func:`photo_bytes`, the synthetic 12 MP test photo every benchmark uses (made
here, cached under ``bench/out/``, never committed).

    python bench/upload.py [--rounds 7] [--json bench/out/upload.json]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def make_photo(width: int = 4000, height: int = 3000, seed: int = 0) -> Image.Image:
    """A photo-like RGB image: smooth lighting gradients, shapes with edges, sensor noise."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    base = np.empty((height, width, 3), np.float32)
    base[..., 0] = 150 + 70 * np.sin(3.1 * x + 1.3 * y)
    base[..., 1] = 110 + 60 * np.cos(2.3 * y - 1.7 * x)
    base[..., 2] = 90 + 80 * x * y
    im = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(60):  # objects: hard edges for the edge kernels to find
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        size = int(rng.integers(40, 700))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = (x0, y0, x0 + size, y0 + int(size * rng.uniform(0.4, 1.6)))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    for _ in range(200):  # thin lines, like branches or text strokes
        pts = [tuple(int(v) for v in rng.integers(0, (width, height))) for _ in range(2)]
        draw.line(pts, fill=tuple(int(v) for v in rng.integers(0, 256, 3)), width=int(rng.integers(1, 6)))
    arr = np.asarray(im).astype(np.int16)
    arr += rng.normal(0, 4, arr.shape).astype(np.int16)  # sensor noise, so JPEG sizes are realistic
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def photo_bytes(fmt: str = "JPEG", width: int = 4000, height: int = 3000) -> bytes:
    """Encoded synthetic photo (``"JPEG"`` quality 90 with EXIF orientation 1, or ``"PNG"``), cached."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"photo_{width}x{height}.{fmt.lower()}"
    if not path.exists():
        im = make_photo(width, height)
        buf = io.BytesIO()
        if fmt == "JPEG":
            exif = Image.Exif()
            exif[0x0112] = 1  # orientation, as phones write it
            im.save(buf, "JPEG", quality=90, exif=exif)
        else:
            im.save(buf, fmt)
        path.write_bytes(buf.getvalue())
    return path.read_bytes()


_base_photo: np.ndarray | None = None


def student_photo(seed: int) -> bytes:
    """A 12 MP JPEG of its own for student ``seed``: distinct bytes *and* pixels, so no cache shares it.

    The synthetic photo of :func:`photo_bytes` with 40 more shapes drawn from ``seed`` and its
    colours shifted by ``seed``; the same JPEG settings (quality 90, EXIF orientation), so every
    student's photo is ~3 MB and decodes like the class burst's. Cached under ``bench/out/day_photos/``
    (~0.5 s to make one, once).
    """
    global _base_photo
    path = OUT / "day_photos" / f"student_{seed:04d}.jpg"
    if not path.exists():
        if _base_photo is None:
            _base_photo = np.asarray(Image.open(io.BytesIO(photo_bytes("JPEG"))).convert("RGB"))
        rng = np.random.default_rng(10_000 + seed)
        im = Image.fromarray(np.roll(_base_photo, int(rng.integers(0, 256)), axis=2 if seed % 2 else 1))
        draw = ImageDraw.Draw(im)
        height, width = _base_photo.shape[:2]
        for _ in range(40):
            x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
            size = int(rng.integers(40, 500))
            colour = tuple(int(v) for v in rng.integers(0, 256, 3))
            box = (x0, y0, x0 + size, y0 + int(size * rng.uniform(0.4, 1.6)))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        buf = io.BytesIO()
        exif = Image.Exif()
        exif[0x0112] = 1
        im.save(buf, "JPEG", quality=90, exif=exif)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(buf.getvalue())
        tmp.replace(path)
    return path.read_bytes()


# --------------------------------------------------------------------------- benchmark
def _st_image_bytes(array: np.ndarray) -> bytes:
    """What ``st.image`` does with a uint8 array: a JPEG at quality 100 (streamlit image_utils)."""
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="JPEG", quality=100)
    return buf.getvalue()


def naive_decode(data: bytes, size: tuple[int, int]) -> np.ndarray:
    """Decode everything, then ``Image.thumbnail`` with its default arguments."""
    im = Image.open(io.BytesIO(data)).convert("RGB")  # convert() decodes all pixels
    im.thumbnail((size[1], size[0]))
    return np.asarray(im)


def naive_first_render(decode, data: bytes) -> None:
    """Upload received -> first paint, done plainly: decode, filter, ``st.image`` of both arrays."""
    import convviz

    image = decode(data)
    raw = convviz.filters.filtering.filter_signed(image, convviz.make_kernel("emboss"))
    _st_image_bytes(image)
    _st_image_bytes(convviz.to_display(raw, how="clip"))


def convviz_first_render(data: bytes) -> None:
    """Upload received -> what the Image Kernels page computes before its first paint (its own path)."""
    import hashlib

    import convviz
    from ui.common.photo import WORKING_PIXELS, WORKING_SLACK
    from ui.kernels.results import jpeg_bytes, result_jpeg

    hashlib.sha256(data).hexdigest()  # the page keys the picture on the upload's digest
    image = convviz.load_image(data, target_pixels=WORKING_PIXELS, target_slack=WORKING_SLACK)
    jpeg_bytes(image)  # the "before" picture
    result_jpeg(image, convviz.make_kernel("emboss"), mode="reflect", flip=False, how="clip")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", default=str(OUT / "upload.json"))
    args = ap.parse_args()
    import os

    import convviz
    from convviz.pictures.images import working_size
    from ui.common.photo import WORKING_PIXELS, WORKING_SLACK

    cases = {"JPEG 4000x3000": photo_bytes("JPEG"), "JPEG 4032x3024 (phone)": photo_bytes("JPEG", 4032, 3024),
             "PNG 4000x3000": photo_bytes("PNG")}
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = {}
    for name, data in cases.items():
        w, h = Image.open(io.BytesIO(data)).size
        size = working_size((h, w), WORKING_PIXELS)
        ours = lambda d: convviz.load_image(d, target_pixels=WORKING_PIXELS, target_slack=WORKING_SLACK)  # noqa: E731
        naive = lambda d, size=size: naive_decode(d, size)  # noqa: E731
        fns = {
            "naive decode": lambda: naive(data), "convviz decode": lambda: ours(data),
            "naive first render": lambda: naive_first_render(naive, data),
            "convviz first render": lambda: convviz_first_render(data),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for _ in range(args.rounds):
            for k, fn in fns.items():
                t0 = time.perf_counter()
                fn()
                times[k].append(time.perf_counter() - t0)
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        rows[name] = {"ms": med, "bytes": len(data), "working": list(ours(data).shape),
                      "naive_working": list(naive(data).shape)}
        print(name, {k: round(v, 1) for k, v in med.items()}, file=sys.stderr, flush=True)
    load_after = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    Path(args.json).write_text(json.dumps({"rows": rows, "load": [load_before, load_after],
                                           "rounds": args.rounds}, indent=1))
    print(f"WORKING_PIXELS = {WORKING_PIXELS:,}; {args.rounds} interleaved rounds, medians; "
          f"load average {load_before} -> {load_after}\n")
    print("| upload | size | working copy | naive decode + thumbnail | convviz decode | speed-up "
          "| naive first render | convviz first render | speed-up | decode + thumbnail / convviz first render |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        m = r["ms"]
        print(f"| {name} | {r['bytes'] / 1e6:.1f} MB | {r['working'][1]} x {r['working'][0]} "
              f"| {m['naive decode']:.1f} | {m['convviz decode']:.1f} | {m['naive decode'] / m['convviz decode']:.1f}x "
              f"| {m['naive first render']:.1f} | {m['convviz first render']:.1f} "
              f"| {m['naive first render'] / m['convviz first render']:.1f}x "
              f"| {m['naive decode'] / m['convviz first render']:.1f}x |")


if __name__ == "__main__":
    main()
