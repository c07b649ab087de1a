"""Two replicas behind a real HAProxy (deploy/local.sh), driven by a real Chromium.

One student uploads a photo and changes the kernel through the balancer: the upload (HTTP PUT)
and the result images (HTTP GET /media/...) must reach the replica that holds the websocket
session, which only the balancer's SERVERID cookie guarantees. Then that replica is killed
with SIGKILL: new students are still served in full, and the first student's tab reconnects
to the live replica, keeps its view (from the URL), says that the upload is gone, and takes a
new upload. local.sh is stopped with SIGTERM and must leave no process behind.
"""
from __future__ import annotations

import http.client
import signal
import time
import urllib.parse

import pytest

from deploy.cluster import Cluster, state_path
from tests.browser.conftest import wait_for_app
from tests.browser.test_kernels_browser import choose, phone_photo

pytestmark = [pytest.mark.deploy, pytest.mark.browser, pytest.mark.timeout(180)]

#: What a session that lost its upload with its replica says (the new replica has no photo for it).
LOST = "No photo on this server yet"


def _cookies(context) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies()}


def _put(url: str, path: str, cookies: dict[str, str], length: int) -> int:
    """Status of a PUT whose headers announce ``length`` body bytes (none are sent)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.putrequest("PUT", path)
        conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        conn.putheader("X-Xsrftoken", cookies.get("_streamlit_xsrf", ""))
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def _new_page(context, url: str, path: str = "/"):
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(url + path)
    wait_for_app(pg)
    return pg


def _assert_no_error(pg) -> None:
    assert pg.get_by_text("Exception").count() == 0
    assert pg.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
    assert pg.get_by_text("Page not found").count() == 0


def test_two_replicas_affinity_and_a_lost_replica(haproxy, chromium_browser, tmp_path):
    photo = tmp_path / "my_phone_photo.jpg"
    phone_photo(photo, 2000, 1500)
    t0 = time.monotonic()
    step = lambda what: print(f"{time.monotonic() - t0:6.1f} s  {what}", flush=True)  # noqa: E731
    cluster = Cluster(2, logdir=tmp_path / "logs", ready_timeout=90)
    cluster.start()
    step(f"ready: {cluster.url}, replicas {cluster.replicas}")
    try:
        assert [r["name"] for r in cluster.replicas] == ["r1", "r2"]
        assert {s["status"][:2] for n, s in cluster.stats().items() if n != "BACKEND"} == {"UP"}

        # ---- one student, through the balancer: upload + kernel change stay on one replica
        alice = chromium_browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        statuses: list[tuple[str, int]] = []
        alice.on("response", lambda r: statuses.append((urllib.parse.urlsplit(r.url).path, r.status)))
        # Open / and follow the sidebar link: Streamlit's first session on a fresh server that
        # deep-links a page gets a spurious "Page not found" dialog (streamlit/streamlit#9992).
        pg = _new_page(alice, cluster.url)
        pg.get_by_role("link", name="Image kernels").click()
        pg.get_by_role("img", name="The picture filtered with the Emboss kernel").wait_for()
        wait_for_app(pg)
        _assert_no_error(pg)
        sticky = _cookies(alice)["SERVERID"]
        assert sticky in ("r1", "r2")
        pg.get_by_role("radio", name="Upload", exact=True).click()
        wait_for_app(pg)
        pg.locator('input[type="file"]').set_input_files(str(photo))
        pg.get_by_text("Before: my_phone_photo.jpg").first.wait_for()
        wait_for_app(pg)
        pg.get_by_text("Working on my_phone_photo.jpg").wait_for()  # the upload is in; the uploader gave way
        choose(pg, "Preset", "Outline")
        after = pg.get_by_role("img", name="The picture filtered with the Outline kernel")
        after.wait_for()
        assert after.evaluate("img => img.complete && img.naturalWidth > 400")
        uploads = [s for p, s in statuses if p.startswith("/_stcore/upload_file/")]
        media = {p: s for p, s in statuses if p.startswith("/media/")}
        assert uploads and all(s in (200, 204) for s in uploads), statuses
        # Every picture on screen was served (by the sticky replica: the cookie check below). A
        # picture replaced by a rerun may still be fetched once after Streamlit dropped it (404):
        # that is Streamlit's media lifetime, not affinity, and the student never sees it.
        shown = set(pg.eval_on_selector_all('[data-testid="stMain"] img[src*="/media/"]',
                                            "els => els.map(e => new URL(e.src).pathname)"))
        assert shown and all(media.get(p) == 200 for p in shown), (shown, statuses)
        assert _cookies(alice)["SERVERID"] == sticky  # every request went to one replica
        assert LOST not in pg.locator('[data-testid="stMain"]').inner_text()

        step(f"uploaded and changed the kernel on {sticky}")
        # The same upload URL sent to the other replica (by its cookie) is refused: affinity matters.
        upload_path = next(p for p, s in statuses if p.startswith("/_stcore/upload_file/"))
        other = "r2" if sticky == "r1" else "r1"
        assert _put(cluster.url, upload_path, {**_cookies(alice), "SERVERID": other}, 10) == 400
        # Bodies up to the 25 MB upload limit pass the balancer (Streamlit answers, here 400 for
        # the wrong session); clearly larger ones are refused by HAProxy itself.
        assert _put(cluster.url, upload_path, {**_cookies(alice), "SERVERID": other}, 25 * 1024 * 1024) == 400
        assert _put(cluster.url, upload_path, _cookies(alice), 40 * 1024 * 1024) == 413

        # ---- the replica holding that session dies
        victim = cluster.replica_for(sticky)
        cluster.kill(sticky, signal.SIGKILL)
        t_kill = time.monotonic()
        step(f"killed {sticky} (pid {victim['pid']})")

        # New students (new browser contexts, no cookie) are served in full right away, before
        # and after HAProxy's health check has marked the dead replica DOWN.
        for i in range(2):
            ctx = chromium_browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
            new = _new_page(ctx, cluster.url)
            new.get_by_role("heading", name="How a convolutional network computes").wait_for()
            _assert_no_error(new)
            assert _cookies(ctx)["SERVERID"] == other, f"new session {i} not on the live replica"
            ctx.close()
            step(f"new session {i} served by {other}")
        step(f"{sticky} DOWN after another {cluster.wait_status(sticky, 'DOWN', timeout=30):.1f} s")

        # The first student's tab reconnects to the live replica by itself...
        deadline = time.monotonic() + 30
        while _cookies(alice).get("SERVERID") != other:
            assert time.monotonic() < deadline, "the tab never reconnected through the balancer"
            pg.wait_for_timeout(250)
        wait_for_app(pg)
        step("the first tab reconnected")
        # Its first rerun there opens the view its URL holds (the new replica has no session
        # state yet, and the link wins over a widget it has never seen) with a clear note that
        # the upload is gone (not a silent fallback); nothing hangs; the next click works.
        choose(pg, "Preset", "Sharpen")
        pg.get_by_text(LOST).wait_for(timeout=30_000)
        pg.get_by_role("img", name="The picture filtered with the Outline kernel").wait_for()
        wait_for_app(pg)
        choose(pg, "Preset", "Emboss")
        pg.get_by_role("img", name="The picture filtered with the Emboss kernel").wait_for()
        assert "kernels_source=upload" in pg.url.lower() and "kernels_preset=" not in pg.url  # emboss: the default
        _assert_no_error(pg)
        # Uploading (a copy of) the photo again works on the live replica and clears the note.
        # (A copy: Chromium may fire no "change" for the very file an input already held.)
        again = tmp_path / "my_phone_photo_again.jpg"
        again.write_bytes(photo.read_bytes())
        pg.locator('input[type="file"]').set_input_files(str(again))
        pg.get_by_text("Before: my_phone_photo_again.jpg").first.wait_for()
        wait_for_app(pg)
        assert pg.get_by_text(LOST).count() == 0
        step("the first tab uploaded again")
        assert time.monotonic() - t_kill < 90
        alice.close()

        stats = cluster.stats()
        assert stats[sticky]["status"].startswith("DOWN") and stats[other]["status"].startswith("UP")
        assert int(stats[victim["name"]]["stot"]) > 0 and int(stats[other]["stot"]) > 0
    finally:
        rc = cluster.stop()
    assert rc == 143, f"local.sh exit code {rc}:\n" + "\n".join(cluster.output[-20:])
    assert cluster.leftover_pids() == [], "processes left behind after SIGTERM to local.sh"
    assert not state_path(cluster.port).exists(), "local.sh left its state file"
