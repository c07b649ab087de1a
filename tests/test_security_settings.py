"""The public-demo security settings, and that no user-controlled text reaches HTML unescaped.

* ``.streamlit/config.toml``: XSRF protection on, a small upload limit, no tracebacks for users.
* No ``unsafe_allow_html`` / ``unsafe_allow_javascript`` in the app; the HTML the app builds
  itself (``st.html``, the ``st.iframe`` players) escapes anything a user can influence:
  file names, URL values, custom kernel cells, 1-D signals.
* Uploads are never written to disk: watched with patched write functions during a real
  upload through the Image Kernels page, and by searching new files for the upload's bytes.
"""
from __future__ import annotations

import builtins
import io
import os
import re
import tempfile
import time
import tomllib
import uuid
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT
from tests.corpus import encode
from tests.pages.test_ui_hostile import KERNELS, exceptions, fresh

XSS = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
APP_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


def _config() -> dict:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as fh:
        return tomllib.load(fh)


# ---------------------------------------------------------------- config.toml


def test_xsrf_protection_is_on():
    assert _config()["server"]["enableXsrfProtection"] is True


def test_upload_limit_is_small_and_matches_the_help_text():
    limit = _config()["server"]["maxUploadSize"]
    assert isinstance(limit, int) and 1 <= limit <= 50
    # The uploader's help tells students the limit: it must be the configured one.
    for lang in ("en", "ko"):
        with (ROOT / "locales" / lang / "kernels.toml").open("rb") as fh:
            help_text = tomllib.load(fh)["upload_help"]
        assert re.search(rf"\b{limit}\s*MB\b", help_text), (lang, help_text)


def test_error_details_are_hidden_from_users():
    assert _config()["client"]["showErrorDetails"] in ("none", False)


def test_no_development_features_on_a_public_server():
    cfg = _config()
    assert cfg["server"].get("runOnSave", False) is False
    assert cfg["server"].get("fileWatcherType") == "none"
    assert cfg["server"].get("enableStaticServing", False) is False  # no files served from static/
    assert cfg["server"].get("enableCORS", True) is True  # required with XSRF; never switched off
    assert cfg.get("global", {}).get("developmentMode", False) is False
    assert cfg["client"].get("toolbarMode") in ("viewer", "minimal")
    assert cfg["browser"]["gatherUsageStats"] is False


def test_streamlit_reads_these_settings():
    # Streamlit itself, started where `streamlit run` starts, reads these values (a misspelt
    # key would be silently ignored): asked in a fresh interpreter so this process's config
    # is left alone.
    import json
    import subprocess
    import sys

    code = ("import json; from streamlit import config; print(json.dumps([config.get_option(k) for k in "
            "('server.enableXsrfProtection', 'server.maxUploadSize', 'client.showErrorDetails', "
            "'server.fileWatcherType')]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    xsrf, upload, details, watcher = json.loads(out.stdout.strip().splitlines()[-1])
    assert xsrf is True and upload == _config()["server"]["maxUploadSize"]
    assert details in ("none", False) and watcher == "none"


# ---------------------------------------------------------------- HTML


def test_no_unsafe_html_or_javascript_flags_in_the_app():
    offenders = []
    for path in APP_FILES:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"unsafe_allow_html\s*=\s*True", r"unsafe_allow_javascript\s*=\s*True",
                        r"components\.v1\.html", r"components\.html\("):
            for m in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}: {m.group()}")
    assert not offenders, offenders


def test_players_insert_data_as_text_never_as_markup():
    # The players' scripts put labels and numbers into the page with textContent; innerHTML
    # (or document.write / eval) on data would let a crafted label run script.
    for path in APP_FILES:
        text = path.read_text(encoding="utf-8")
        for pattern in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert pattern not in text, f"{path.relative_to(ROOT)} uses {pattern}"


def _grid_player():
    return pytest.importorskip("ui.grid_player", reason="the animation player (issue 3) is not there yet")


def test_grid_player_escapes_labels_and_lang():
    gp = _grid_player()
    import convviz

    fs = convviz.conv_frames(np.ones((3, 3), int), np.ones((2, 2), int))
    page = gp.grid_player_html(fs, {k: XSS for k in gp.GRID_LABELS}, lang='en"><script>alert(3)</script>')
    _assert_no_injection(page)


def test_signal_player_escapes_labels():
    gp = _grid_player()
    import convviz

    frames = convviz.conv1d_frames([1, 2, 3], [1, -1])
    page = gp.signal_player_html(frames, [1, 2, 3], [1, -1], {k: XSS for k in gp.SIGNAL_LABELS}, lang=XSS)
    _assert_no_injection(page)


def _assert_no_injection(page: str) -> None:
    # Exactly the player's own scripts, and the hostile text only in escaped form.
    assert page.count("<script") == 2, "an extra <script> element got into the page"
    assert "<img src=x" not in page and "alert(1)</script>" not in page
    assert "\\u003c/script\\u003e" in page or "&lt;/script&gt;" in page  # it is there, escaped


def test_share_copy_button_escapes_the_url():
    from ui.copy_button import copy_button_html

    page = copy_button_html("https://x/?a=" + XSS, label=XSS, done=XSS, failed=XSS)
    assert page.count("<script") == 1 and "<img src=x" not in page and "alert(1)</script>" not in page


def test_share_notice_shows_url_values_as_code():
    share = pytest.importorskip("ui.share", reason="the share link (issue 6) is not there yet")
    text = share.describe_problems([share.Problem("k", XSS + "`**bold**` [x](javascript:alert(1))", "invalid")])
    # Inside one code span per item: Markdown renders none of it, and no backtick can end the span early.
    assert text.startswith("`") and text.endswith("`") and text.count("`") == 2, text


def test_html_helpers_escape_names_and_numbers():
    from streamlit.testing.v1 import AppTest

    def script(ROOT_DIR):  # noqa: N803 - runs as its own script; only its arguments reach it
        import sys

        sys.path.insert(0, ROOT_DIR)
        import numpy as np

        import ui.inside_view as iv
        from ui.kernel_widgets import kernel_table

        kernel_table(np.array([[-1e30, 1e30, -1e-30], [0, 1, 2], [3, 4, 5]]), flipped=True)
        kernel_table(np.array([[1 / 3, -2, 0.5]]), flipped=False)
        st = __import__("streamlit")
        st.html(iv.kernel_slices_html(np.ones((3, 3, 3)), names=("</b><script>alert(1)</script>", "G", "B")))

    at = AppTest.from_function(script, default_timeout=60, kwargs={"ROOT_DIR": str(ROOT)})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    bodies = [h.proto.body for h in at.get("html")]
    assert len(bodies) == 3
    for body in bodies:
        assert "<script" not in body and "onerror" not in body, body
    assert "&lt;/b&gt;&lt;script&gt;" in bodies[2]


def test_file_name_never_reaches_html():
    # The file name is shown in captions (rendered as Markdown, which escapes raw HTML) and used
    # for the download name (sanitised by Picture.stem); it must never be pasted into st.html.
    from ui.image_source import Picture

    name = XSS + "../../etc/passwd .png"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", Picture(np.zeros((1, 1, 3), np.uint8), name, b"", "").stem)
    at = fresh(KERNELS)
    at.segmented_control(key="kernels_source").set_value("upload")
    at.run()
    data = encode(Image.new("RGB", (4, 3), (9, 9, 9)), "PNG")
    at.file_uploader(key="kernels_upload").set_value((name, data, "image/png"))
    at.run()
    assert not exceptions(at), exceptions(at)
    assert at.session_state["cv_picture"].label == name
    for h in at.get("html"):
        assert "<img src=x" not in h.proto.body and "alert(1)</script>" not in h.proto.body


# ---------------------------------------------------------------- nothing written to disk


class WriteWatch:
    """Record every attempt to open a file for writing (or to save an image to a path)."""

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.writes: list[str] = []
        real_open, real_os_open, real_save = builtins.open, os.open, Image.Image.save

        def watched_open(file, mode="r", *args, **kwargs):
            if any(c in str(mode) for c in "wax+"):
                self.writes.append(f"open({file!r}, {mode!r})")
            return real_open(file, mode, *args, **kwargs)

        def watched_os_open(path, flags, *args, **kwargs):
            if flags & self.WRITE_FLAGS:
                self.writes.append(f"os.open({path!r}, {flags:#o})")
            return real_os_open(path, flags, *args, **kwargs)

        def watched_save(im, fp, *args, **kwargs):
            if isinstance(fp, (str, bytes, os.PathLike)):
                self.writes.append(f"Image.save({fp!r})")
            return real_save(im, fp, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", watched_open)
        monkeypatch.setattr(io, "open", watched_open)
        monkeypatch.setattr(os, "open", watched_os_open)
        monkeypatch.setattr(Image.Image, "save", watched_save)
        for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"):
            real = getattr(tempfile, name)

            def watched_tmp(*args, _real=real, _name=name, **kwargs):
                self.writes.append(f"tempfile.{_name}()")
                return _real(*args, **kwargs)

            monkeypatch.setattr(tempfile, name, watched_tmp)


def _new_files_containing(roots: list[Path], since: float, needle: bytes) -> list[str]:
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", "__pycache__", ".hypothesis", "node_modules")]
            for fname in filenames:
                path = Path(dirpath) / fname
                try:
                    st = path.stat()
                    if st.st_mtime < since or st.st_size > 50 * 2**20 or st.st_size < len(needle):
                        continue
                    if needle in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


def test_uploads_are_never_written_to_disk(monkeypatch):
    at = fresh(KERNELS)
    at.segmented_control(key="kernels_source").set_value("upload")
    at.run()
    # A photo with a unique payload (an incompressible random strip, stored raw in a BMP) so
    # that any copy of it on disk can be recognised byte for byte.
    rng = np.random.default_rng(uuid.uuid4().int % 2**32)
    pixels = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    data = encode(Image.fromarray(pixels), "BMP")
    needle = data[-3000:]
    name = f"secret_{uuid.uuid4().hex}.bmp"
    since = time.time() - 1
    watch = WriteWatch(monkeypatch)
    at.file_uploader(key="kernels_upload").set_value((name, data, "image/bmp"))
    at.run()
    at.selectbox(key="kernels_preset").set_value("sobel_y")  # a rerun with the upload in place
    at.run()
    monkeypatch.undo()
    assert not exceptions(at), exceptions(at)
    assert at.session_state["cv_picture"].label == name  # the upload really was used
    assert not watch.writes, f"files opened for writing during an upload: {watch.writes}"
    assert not _new_files_containing([ROOT, Path(tempfile.gettempdir())], since, needle)


def test_app_code_has_no_file_writes():
    # Static backstop for the test above: no write-mode open, no image saved to a path, no
    # temporary files anywhere in the app (pages, ui, convviz, app.py).
    code = [*APP_FILES, *sorted((ROOT / "convviz").rglob("*.py"))]  # subpackages (convviz.learn) too
    pattern = re.compile(r"open\([^)]*['\"][wax]b?\+?['\"]|\.write_bytes\(|\.write_text\(|tempfile\.|"
                         r"\.save\((?!buf\b|fh\b|out\b|io\.)[\"'A-Za-z_]*(path|file|name|dir)")
    offenders = []
    for path in code:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) and not line.lstrip().startswith(("#", ">>>")):
                offenders.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    assert not offenders, offenders
