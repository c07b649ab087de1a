"""Process settings for a shared server (ui/server/runtime.py)."""
from __future__ import annotations

import gc


def test_uploads_are_parsed_in_memory_up_to_the_upload_limit():
    from starlette.datastructures import Headers
    from starlette.formparsers import MultiPartParser

    from ui.server import runtime

    assert runtime.keep_uploads_in_memory(25)
    assert MultiPartParser.spool_max_size > 25 * 1024 * 1024
    # A real parse of a 3 MB part: the file stays in memory (not rolled over to a temporary file).
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
            b"Content-Type: image/jpeg\r\n\r\n" + b"x" * (3 * 1024 * 1024) + b"\r\n--b--\r\n")

    async def stream():
        yield body

    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    parser = MultiPartParser(Headers({"content-type": "multipart/form-data; boundary=b"}), stream())
    # On a thread of its own: the browser tests' Playwright may leave an event loop running here.
    with ThreadPoolExecutor(1) as pool:
        form = pool.submit(asyncio.run, parser.parse()).result()
    upload = form["file"]
    assert not upload.file._rolled, "the upload was spooled to a temporary file"
    upload.file.seek(0)
    assert len(upload.file.read()) == 3 * 1024 * 1024


def test_malloc_tuning_reports_what_it_did():
    from ui.server import runtime

    assert runtime.tune_malloc() in (True, False)


def test_settle_freezes_once_per_new_set_of_modules():
    from ui.server import runtime

    runtime.settle()
    frozen = gc.get_freeze_count()
    runtime.settle()
    assert gc.get_freeze_count() == frozen


def test_the_server_parses_http_in_c():
    """Streamlit's uvicorn picks httptools when it is installed (requirements.txt): with pure-Python
    h11 a class's 40 simultaneous 3 MB uploads held the event loop ~2x longer (docs/BENCHMARKS.md)."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    assert AutoHTTPProtocol is HttpToolsProtocol
