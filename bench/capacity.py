"""A classroom against one server: N concurrent sessions, each uploading a 12 MP photo.

Starts ``streamlit run app.py`` on a free loopback port (127.0.0.1 only) and drives N
sessions without a browser, speaking Streamlit's own protocol: a websocket at
``/_stcore/stream`` carrying ``BackMsg`` / ``ForwardMsg`` protobufs (``streamlit.proto``), and
the upload endpoint ``PUT /_stcore/upload_file/<session>/<file>`` with the XSRF cookie and
``X-Xsrftoken`` header, as the web frontend does. Each session

1. opens the app, then every page (home, kernels, stride, receptive, params, inside),
2. on the Image Kernels page switches the source to "upload" and uploads the 12 MP JPEG
   (request upload URLs, PUT the file, rerun with the uploader's new state),
3. changes the kernel several times (emboss, sharpen, outline, box blur, Gaussian, Sobel x),

waiting a random "think time" between interactions like a student would, and fetching the
images each run shows. Every interaction's latency (message sent -> ``script_finished``)
is recorded; an error is an exception or error alert on the page, a failed upload, a
timeout or a dropped connection. The server's peak RSS is read from ``/proc/<pid>/status``
(``VmHWM``). A fresh server per N; the run stops itself (``--deadline`` per N) and stops
the server by its PID.

    pip install -r requirements-bench.txt
Scenarios:

- ``--scenario burst`` (the class scenario of docs/BENCHMARKS.md): every session starts at the
  same moment and acts with no think time; 3 kernel changes each. The headline figure is the
  p95 over all "upload -> first render" and "kernel change" interactions together.
- ``--scenario think``: 1-3 s of think time, sessions start within 5 s, 6 kernel changes each.
- ``--scenario day``: a school day on one server (:func:`run_day`): ``--classes`` K bursts of
  ``--sessions`` N students (default 5 x 40), each student uploading a 12 MP photo of their own,
  ``--reload-share`` of them reloading their tab mid-class, ``--break`` s between classes
  (default 130, longer than ``server.disconnectedSessionTTL``). Per class: errors, p95, the
  class's own peak RSS, RSS after it and after the break; ``--probe`` adds the server's memory
  reports (bench/memory_probe.py) to ``bench/out/probe/``.
- ``--scenario learn`` (:func:`run_learn`): ``--sessions`` N students (default 40) on the Learn page
  press Train both at the same moment, with the default settings and/or (``--learn default,own``)
  one or two settings of their own each, and follow the live curves (the page's ``run_every``
  fragment, rerun at the interval the server asks for, as the browser does) until the results
  show; meanwhile ``--others`` M students (default 10) keep changing the kernel on their photo
  (1-3 s think time between changes; ``--others-think-max 0``: none).
  A fresh server per mode; the training workers' peak RSS is reported beside the server's.

    pip install -r requirements-bench.txt
    python bench/capacity.py --scenario burst --sessions 10,20,40
    python bench/capacity.py --scenario think                 # N = 1, 10, 20, 40
    python bench/capacity.py --sessions 20 --scenario burst --py-spy bench/out/burst20.txt
    python bench/capacity.py --scenario day                   # 5 classes of 40, 130 s breaks (~15 min)
    python bench/capacity.py --scenario learn                 # 40 press Train (default, then own settings)
    python bench/capacity.py --scenario day --classes 3 --break 70 \
        --server-env STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL=60 --probe   # a shorter day, with reports
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from upload import photo_bytes, student_photo  # noqa: E402

OUT = ROOT / "bench" / "out"
PAGES = ("home", "kernels", "stride", "receptive", "params", "inside")
#: KERNEL_INFO order: identity, box_blur, gaussian_blur, sharpen, emboss, outline, sobel_x, ...
KERNEL_INDICES = (3, 5, 1, 2, 6, 4)  # sharpen, outline, box blur, Gaussian, Sobel x, emboss
XSRF_COOKIE = "_streamlit_xsrf"
UPLOAD = "upload 12 MP photo -> first render"
KERNEL = "kernel change"
#: The headline of the class scenario: every upload and kernel change, pooled.
CLICKS = "upload + kernel change"
SCENARIOS = {  # think time (min, max) s, ramp s, kernel changes
    "burst": (0.0, 0.0, 0.0, 3),
    "think": (1.0, 3.0, 5.0, 6),
    "day": (0.0, 0.0, 0.0, 3),  # every class is a burst
    "learn": (0.0, 0.0, 0.0, 0),  # the class presses Train (run_learn)
}
#: streamlit's default server.disconnectedSessionTTL (config.py, Streamlit 1.67): a closed tab's
#: session, uploads and images stay this long in case the browser reconnects.
DEFAULT_SESSION_TTL = 120


class Stats:
    """Latencies and errors of every interaction, by kind."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.with_images: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, images_seconds: float | None) -> None:
        self.latency.setdefault(kind, []).append(seconds)
        if images_seconds is not None:
            self.with_images.setdefault(kind, []).append(images_seconds)

    def error(self, session: int, what: str) -> None:
        self.errors.append(f"session {session}: {what}")


class Session:
    """One browser tab, as far as the server can tell."""

    def __init__(self, base: str, index: int, stats: Stats, http: requests.Session, timeout: float) -> None:
        self.base, self.index, self.stats, self.http, self.timeout = base, index, stats, http, timeout
        self.ws = None
        self.session_id = ""
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, object] = {}  # user key -> element proto (latest run)
        self.states: dict[str, object] = {}  # widget id -> WidgetState we set
        self.images: set[str] = set()
        self.run_errors: list[str] = []
        self.finished = asyncio.Event()
        self.file_urls: dict[str, object] = {}
        self.file_event = asyncio.Event()
        self.xsrf = ""
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval s (st.fragment(run_every=...))
        self.blocks: set[str] = set()  # user keys of keyed containers drawn by the latest run
        self.fragment_run = False

    # ------------------------------------------------------------------ transport
    async def connect(self) -> None:
        r = await asyncio.to_thread(self.http.get, f"{self.base}/_stcore/health", timeout=self.timeout)
        r.raise_for_status()
        self.xsrf = self.http.cookies.get(XSRF_COOKIE, "")
        ws_url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url, subprotocols=["streamlit", self.xsrf] if self.xsrf else ["streamlit"],
            # Every cookie the session holds, as a browser sends them: behind the balancer its
            # SERVERID cookie keeps the websocket on the replica that serves the uploads and images.
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.http.cookies.items()),
                                "Origin": self.base},
            max_size=None, open_timeout=self.timeout, ping_interval=None)
        self.reader = asyncio.create_task(self._read())

    async def close(self, code: int = 1000) -> None:
        """Close the websocket (1000: the tab is closed; 1001 "going away": the tab is reloaded)."""
        if self.ws is not None:
            await self.ws.close(code=code)
            self.reader.cancel()

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except (websockets.ConnectionClosed, asyncio.CancelledError):
            pass
        except Exception as exc:  # a bug in this client must not hang the run
            self.run_errors.append(f"client: {type(exc).__name__}: {exc}")
            self.finished.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
            if not self.fragment_run:  # every run starts with new_session, a fragment's too
                self.widgets.clear()
                self.blocks.clear()
                self.auto_reruns.clear()  # as the web frontend does when a full run starts
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment, None)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            block_id = msg.delta.add_block.id
            if block_id and "-" in block_id:
                self.blocks.add(block_id.rsplit("-", 1)[-1])
        elif kind == "navigation":
            for page in msg.navigation.app_pages:
                self.pages[page.url_pathname] = page.page_script_hash
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            body = getattr(el, etype) if etype else None
            if etype == "exception":
                self.run_errors.append(f"exception: {body.type}: {body.message[:200]}")
            elif etype == "alert" and body.format == body.ERROR:
                self.run_errors.append(f"st.error: {body.body[:200]}")
            elif etype == "imgs":
                for img in body.imgs:
                    if img.url.startswith("/"):
                        self.images.add(img.url)
            widget_id = getattr(body, "id", "") if body is not None else ""
            if widget_id and isinstance(widget_id, str) and "-" in widget_id:
                self.widgets[widget_id.rsplit("-", 1)[-1]] = body
        elif kind == "file_urls_response":
            self.file_urls[msg.file_urls_response.response_id] = msg.file_urls_response
            self.file_event.set()
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.run_errors.append("script compile error")
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.finished.set()

    # ------------------------------------------------------------------ interactions
    async def rerun(self, kind: str, page: str | None = None, t0: float | None = None,
                    fragment: str = "") -> None:
        """Send a rerun with our widget states; wait for the run to finish; fetch its images.

        ``fragment``: rerun only that fragment, as the frontend's timer does for ``run_every``.
        """
        if page is not None:
            self.page_hash = self.pages.get(page, self.page_hash)
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        if page is not None and page not in self.pages:
            state.page_name = page  # first load: the URL path names the page
        for ws in self.states.values():
            state.widget_states.widgets.append(ws)
        self.fragment_run = bool(fragment)
        if fragment:
            state.fragment_id = fragment
            state.is_auto_rerun = True
        self.finished.clear()
        self.run_errors = []
        self.images = set()
        start = time.perf_counter() if t0 is None else t0
        await self.ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self.finished.wait(), self.timeout)
        except TimeoutError:
            self.stats.error(self.index, f"{kind}: no script_finished within {self.timeout:.0f} s")
            return
        done = time.perf_counter() - start
        for e in self.run_errors:
            self.stats.error(self.index, f"{kind}: {e}")
        try:
            for url in sorted(self.images):
                r = await asyncio.to_thread(self.http.get, self.base + url, timeout=self.timeout)
                if r.status_code != 200:
                    self.stats.error(self.index, f"{kind}: GET {url} -> {r.status_code}")
        except requests.RequestException as exc:
            self.stats.error(self.index, f"{kind}: image fetch {type(exc).__name__}: {str(exc)[:160]}")
        self.stats.add(kind, done, time.perf_counter() - start)

    def _set(self, key: str, value_type: str, value) -> bool:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        el = self.widgets.get(key)
        if el is None:
            self.stats.error(self.index, f"widget {key!r} not on the page")
            return False
        ws = WidgetState(id=el.id)
        if value_type == "string_array_value":
            ws.string_array_value.data.extend(value)
        elif value_type == "file_uploader_state_value":
            ws.file_uploader_state_value.CopyFrom(value)
        elif value_type == "double_array_value":
            ws.double_array_value.data.extend(value)
        else:
            setattr(ws, value_type, value)
        self.states[el.id] = ws
        return True

    async def upload(self, data: bytes, name: str = "photo.jpg") -> None:
        from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo

        el = self.widgets.get("kernels_source")
        if el is None or not self._set("kernels_source", "string_array_value", [el.options[1].content]):
            return
        await self.rerun("switch source to upload")
        if "kernels_upload" not in self.widgets:
            self.stats.error(self.index, "no file uploader after switching source")
            return
        t0 = time.perf_counter()
        req = BackMsg()
        req.file_urls_request.request_id = f"up{self.index}"
        req.file_urls_request.file_names.append(name)
        req.file_urls_request.session_id = self.session_id
        self.file_event.clear()
        await self.ws.send(req.SerializeToString())
        try:
            await asyncio.wait_for(self.file_event.wait(), self.timeout)
        except TimeoutError:
            self.stats.error(self.index, "upload: no file_urls_response")
            return
        urls = self.file_urls[f"up{self.index}"].file_urls[0]
        t_put = time.perf_counter()
        r = await asyncio.to_thread(
            self.http.put, self.base + urls.upload_url, files={"file": (name, io.BytesIO(data), "image/jpeg")},
            headers={"X-Xsrftoken": self.xsrf}, timeout=self.timeout)
        self.stats.add("  of which: HTTP PUT of the file", time.perf_counter() - t_put, None)
        if r.status_code not in (200, 204):
            self.stats.error(self.index, f"upload: PUT -> {r.status_code} {r.text[:100]}")
            return
        info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        state = FileUploaderState()
        state.uploaded_file_info.append(info)
        if self._set("kernels_upload", "file_uploader_state_value", state):
            await self.rerun(UPLOAD, t0=t0)

    async def change_kernel(self, index: int) -> None:
        el = self.widgets.get("kernels_preset")
        if el is None:
            self.stats.error(self.index, "kernel selectbox not on the page")
            return
        if self._set("kernels_preset", "string_value", el.options[index]):
            await self.rerun(KERNEL)


async def scenario(s: Session, photo: bytes, rng: random.Random, changes: int, think: tuple[float, float],
                   reload_after: int | None = None) -> None:
    """Open the app and every page, upload ``photo``, change the kernel ``changes`` times.

    ``reload_after``: after that many kernel changes the student reloads the tab: this websocket
    goes away (the server keeps its session for ``server.disconnectedSessionTTL``) and a new
    session opens the Image Kernels page, uploads the photo again (a new session has lost it)
    and makes the remaining kernel changes.
    """
    async def pause() -> None:
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))

    close_code = 1000
    try:
        await s.connect()
        await s.rerun("open app", page="")
        for page in PAGES:
            await pause()
            await s.rerun("open page", page=page)
        await pause()
        await s.rerun("open page", page="kernels")
        await pause()
        await s.upload(photo)
        for i in range(changes if reload_after is None else min(changes, reload_after)):
            await pause()
            await s.change_kernel(KERNEL_INDICES[i % len(KERNEL_INDICES)])
        if reload_after is not None:
            close_code = 1001
    except (OSError, websockets.WebSocketException, requests.RequestException) as exc:
        s.stats.error(s.index, f"connection: {type(exc).__name__}: {exc}")
        reload_after = None
    finally:
        await s.close(close_code)
    if reload_after is None:
        return
    again = Session(s.base, s.index, s.stats, s.http, s.timeout)  # the same browser: same cookies
    try:
        await pause()
        await again.connect()
        await again.rerun("reload: open page", page="kernels")
        await pause()
        await again.upload(photo)
        for i in range(reload_after, changes):
            await pause()
            await again.change_kernel(KERNEL_INDICES[i % len(KERNEL_INDICES)])
    except (OSError, websockets.WebSocketException, requests.RequestException) as exc:
        again.stats.error(again.index, f"connection after reload: {type(exc).__name__}: {exc}")
    finally:
        await again.close()


# --------------------------------------------------------------------------- the Learn page
TRAIN = "Train both -> results shown"
PRESS = "press Train (the click itself)"
POLL = "  live curves (fragment rerun)"
OTHERS = "others' kernel change while the class trains"
#: What a student changes on the Learn page in ``--learn own``: one or two of these, drawn per session
#: (the menus of bench/learn_class.py that the page offers: widget key -> (state type, values)).
LEARN_CHOICES = {
    "learn_lr": ("double_value", (3e-4, 3e-3, 1e-2)),
    "learn_n_train": ("int_value", (250, 500, 1500)),
    "learn_epochs": ("int_value", (10, 20, 50)),
    "learn_experiment": ("string_value", (1, 2)),  # positions in the select box: centred, bigger dense
    "learn_dense": ("string_value", ("64", "256, 128", "512, 256")),  # the dense net's hidden widths
}
#: The select box's experiments, in order (convviz.learn.EXPERIMENTS).
EXPERIMENT_IDS = ("shifted", "centred", "bigger_dense")


def own_settings(session: int) -> dict[str, tuple[str, object]]:
    """Session ``session``'s settings of its own: one or two of :data:`LEARN_CHOICES` changed (seeded)."""
    rng = random.Random(25_000 + session)
    changed = rng.sample(sorted(LEARN_CHOICES), rng.randint(1, 2))
    return {key: (LEARN_CHOICES[key][0], rng.choice(LEARN_CHOICES[key][1])) for key in changed}


async def learner(s: Session, settings: dict[str, tuple[str, object]], ready: asyncio.Barrier,
                  limit: float) -> None:
    """Open the Learn page, change ``settings``, press Train with the class, follow the live curves to the results."""
    try:
        await s.connect()
        await s.rerun("open app", page="")
        await s.rerun("open page", page="learn")
        experiment = EXPERIMENT_IDS[0]
        if "learn_experiment" in settings:  # first: the widths box belongs to the experiment
            value_type, index = settings["learn_experiment"]
            experiment = EXPERIMENT_IDS[index]
            box = s.widgets.get("learn_experiment")
            if box is not None and s._set("learn_experiment", value_type, box.options[index]):
                await s.rerun("change a setting")
        rest = {key: v for key, v in settings.items() if key != "learn_experiment"}
        for key, (value_type, value) in rest.items():
            s._set(f"learn_dense_{experiment}" if key == "learn_dense" else key, value_type, value)
        if rest:
            await s.rerun("change a setting")
    finally:
        await ready.wait()  # everyone presses Train at the same moment
    try:
        if not s._set("learn_train", "trigger_value", True):
            return
        button = s.widgets["learn_train"].id
        t0 = time.perf_counter()
        await s.rerun(PRESS, t0=t0)
        s.states.pop(button, None)  # a button's trigger is sent once
        while "learn_done" not in s.blocks:
            if time.perf_counter() - t0 > limit:
                s.stats.error(s.index, f"no results {limit:.0f} s after pressing Train")
                return
            if not s.auto_reruns:
                s.stats.error(s.index, "neither results nor live curves after pressing Train")
                return
            fragment, interval = next(iter(s.auto_reruns.items()))
            await asyncio.sleep(interval)
            await s.rerun(POLL, fragment=fragment)
        s.stats.add(TRAIN, time.perf_counter() - t0, None)
    except (OSError, websockets.WebSocketException, requests.RequestException) as exc:
        s.stats.error(s.index, f"connection: {type(exc).__name__}: {exc}")
    finally:
        await s.close()


async def bystander(s: Session, photo: bytes, start: asyncio.Event, stop: asyncio.Event,
                    think: tuple[float, float]) -> None:
    """A student on Image kernels while the class trains: upload, then change the kernel until the class is done,
    ``think`` (min, max) s between changes."""
    rng = random.Random(s.index)
    try:
        await s.connect()
        await s.rerun("open page", page="kernels")
        await s.upload(photo)
        await start.wait()
        i = 0
        while not stop.is_set():
            el = s.widgets.get("kernels_preset")
            if el is None or not s._set("kernels_preset", "string_value", el.options[KERNEL_INDICES[i % 6]]):
                s.stats.error(s.index, "kernel selectbox not on the page")
                return
            await s.rerun(OTHERS)
            i += 1
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
    except (OSError, websockets.WebSocketException, requests.RequestException) as exc:
        s.stats.error(s.index, f"connection: {type(exc).__name__}: {exc}")
    finally:
        await s.close()


def children_peak_mb(pid: int) -> float:
    """The largest peak RSS among a process's children (the training workers), MB."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    return max((proc_status(int(k)).get("VmHWM", 0) / 1024 for k in kids), default=0.0)


async def run_learn(mode: str, args) -> dict:
    """``--learn`` MODE: ``--sessions`` students press Train at once (default settings, or their own),
    while ``--others`` students change kernels on Image kernels; a fresh server per mode."""
    n, m = args.learn_sessions, args.others
    env = dict(kv.split("=", 1) for kv in args.server_env)
    server = Server(free_port(), env, Path(args.app_root))
    result: dict = {"scenario": "learn", "mode": mode, "sessions": n, "others": m,
                    "others_think": [args.others_think_min, args.others_think_max]}
    try:
        await asyncio.to_thread(server.wait_ready)
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=max(8, 2 * (n + m))))
        # The teacher opens the link before class (every page, the Learn page too; nothing trained).
        warm = Session(server.base, -1, Stats(), browser_like_http(), args.timeout)
        await scenario(warm, photo_bytes("JPEG"), random.Random(0), 1, (0.0, 0.0))
        warm = Session(server.base, -1, Stats(), browser_like_http(), args.timeout)
        await warm.connect()
        await warm.rerun("open page", page="learn")
        await warm.close()
        stats = Stats()
        ready = asyncio.Barrier(n + 1)
        start, stop = asyncio.Event(), asyncio.Event()
        learners = [Session(server.base, i, stats, browser_like_http(), args.timeout) for i in range(n)]
        others = [Session(server.base, 1000 + i, stats, browser_like_http(), args.timeout) for i in range(m)]
        settings = [own_settings(i) if mode == "own" else {} for i in range(n)]
        result["settings"] = [{k: v for k, (_, v) in s.items()} for s in settings]
        think = (args.others_think_min, args.others_think_max)
        watching = [asyncio.create_task(bystander(s, photo_bytes("JPEG"), start, stop, think)) for s in others]
        training = [asyncio.create_task(learner(learners[i], settings[i], ready, args.learn_limit)) for i in range(n)]
        while len(stats.latency.get(UPLOAD, [])) < m and not all(t.done() for t in watching):
            await asyncio.sleep(0.2)  # the bystanders have their photos in
        start.set()
        await ready.wait()
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(asyncio.gather(*training), args.deadline)
        except TimeoutError:
            stats.error(-1, f"run stopped at the {args.deadline:.0f} s deadline")
        result["wall_s"] = time.perf_counter() - t0
        stop.set()
        await asyncio.gather(*watching)
        result["workers_peak_rss_mb"] = children_peak_mb(server.proc.pid)
        result["errors"] = stats.errors
        result["latency"] = {k: {"n": len(v), "p50": pct(v, 0.5), "p95": pct(v, 0.95), "max": max(v)}
                             for k, v in stats.latency.items()}
    finally:
        result.update(server.stop())
    return result


def report_learn(results: list[dict]) -> str:
    lines = ["Scenario `learn`: N students press Train both on the Learn page at the same moment (default "
             "settings, or one or two settings of their own each) and follow the live curves (the page's polling "
             "fragment, rerun at its own interval as the browser does) until the results show; meanwhile M "
             "students keep changing the kernel on Image kernels (their 12 MP photo uploaded; think time between "
             f"changes {results[0]['others_think'][0]:g}-{results[0]['others_think'][1]:g} s). Seconds.", "",
             "| settings | N | M | interaction | count | p50 | p95 | max |", "|---|---:|---:|---|---:|---:|---:|---:|"]
    for r in results:
        for k in (TRAIN, PRESS, POLL, OTHERS):
            lat = r["latency"].get(k)
            if lat:
                lines.append(f"| {r['mode']} | {r['sessions']} | {r['others']} | {k} | {lat['n']} | "
                             f"{lat['p50']:.2f} | {lat['p95']:.2f} | {lat['max']:.2f} |")
    lines += ["", "| settings | errors | server peak RSS, MB | largest worker peak RSS, MB | run time, s | "
              "Train p95 (target: default 5 s, own 30 s) | others' clicks p95 < 3 s |",
              "|---|---:|---:|---:|---:|---|---|"]
    for r in results:
        train = r["latency"].get(TRAIN, {}).get("p95", float("nan"))
        target = 5.0 if r["mode"] == "default" else 30.0
        clicks = r["latency"].get(OTHERS, {}).get("p95", float("nan"))
        lines.append(f"| {r['mode']} | {len(r['errors'])} | {r['peak_rss_mb']:.0f} | {r['workers_peak_rss_mb']:.0f} | "
                     f"{r.get('wall_s', float('nan')):.0f} | {'yes' if train < target else '**no**'} ({train:.2f}) | "
                     f"{'yes' if clicks < 3 else '**no**'} ({clicks:.2f}) |")
    for r in results:
        if r["errors"]:
            lines.append(f"\n{r['mode']} errors (first 10 of {len(r['errors'])}):")
            lines.extend(f"- {e}" for e in r["errors"][:10])
    return "\n".join(lines)


# --------------------------------------------------------------------------- server
def browser_like_http() -> requests.Session:
    """A cookie-keeping HTTP client that, like a browser, retries a GET once when a reused
    keep-alive connection turns out to be closed by the server (a race every HTTP/1.1 client
    handles; uploads are never retried)."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    http = requests.Session()
    http.mount("http://", HTTPAdapter(max_retries=Retry(total=1, connect=1, read=1, status=0, other=0,
                                                        allowed_methods={"GET"}, raise_on_status=False)))
    return http


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError, ValueError):
        return float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line.split(":")[0]] = int(line.split()[1])
    except FileNotFoundError:
        pass
    return out


class Server:
    def __init__(self, port: int, extra_env: dict[str, str], root: Path = ROOT, memray: str = "") -> None:
        env = {**os.environ, **extra_env}
        self.log = open(OUT / f"capacity_server_{port}.log", "w")
        prefix = ["-m", "memray", "run", "--quiet", "-o", memray] if memray else []
        self.proc = subprocess.Popen(
            [sys.executable, *prefix, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=root, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.base = f"http://127.0.0.1:{port}"
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._poll = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if requests.get(self.base + "/_stcore/health", timeout=2).status_code == 200:
                    self._poll.start()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("server did not become healthy")

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            rss = proc_status(self.proc.pid).get("VmRSS")
            if rss:
                self.samples.append(rss)

    def reset_peak(self) -> bool:
        """Start a new ``VmHWM`` (peak RSS) from now: ``5`` to ``/proc/PID/clear_refs`` (Linux >= 4.0)."""
        try:
            Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def stop(self) -> dict[str, float]:
        status = proc_status(self.proc.pid)
        self._stop.set()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # by PID: only the server this run started
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        return {"peak_rss_mb": status.get("VmHWM", 0) / 1024,
                "end_rss_mb": status.get("VmRSS", 0) / 1024,
                "idle_rss_mb": (self.samples[0] / 1024) if self.samples else 0.0}


class ClusterTarget:
    """K replicas behind HAProxy, started by ``deploy/local.sh`` (through :mod:`deploy.cluster`)."""

    def __init__(self, replicas: int) -> None:
        sys.path.insert(0, str(ROOT))
        from deploy.cluster import Cluster

        self.cluster = Cluster(replicas, logdir=OUT / f"cluster_{replicas}", ready_timeout=120)
        self.base = ""
        self.proc = None
        self._cpu0: dict[str, float] = {}
        self.last_words: dict[str, tuple[float, float]] = {}  # a killed replica's peak RSS, CPU s

    def wait_ready(self) -> None:
        self.cluster.start()
        self.base = self.cluster.url
        self._cpu0 = {r["name"]: cpu_seconds(r["pid"]) for r in self.cluster.replicas}

    def stop(self) -> dict:
        out: dict = {"replica_peak_rss_mb": {}, "replica_cpu_s": {}}
        for r in self.cluster.replicas:
            rss, cpu = self.last_words.get(r["name"]) or (proc_status(r["pid"]).get("VmHWM", 0) / 1024,
                                                          cpu_seconds(r["pid"]))
            out["replica_peak_rss_mb"][r["name"]] = rss
            out["replica_cpu_s"][r["name"]] = cpu - self._cpu0.get(r["name"], 0.0)
        try:
            stats = self.cluster.stats()
            out["replica_sessions"] = {n: int(v.get("stot") or 0) for n, v in stats.items() if n != "BACKEND"}
            out["replica_status"] = {n: v.get("status", "") for n, v in stats.items() if n != "BACKEND"}
        except Exception as exc:  # HAProxy already gone: report, do not fail the run
            out["replica_sessions"] = {"error": str(exc)}
        self.cluster.stop()
        peaks = [v for v in out["replica_peak_rss_mb"].values() if v]
        out.update(peak_rss_mb=max(peaks, default=0.0), end_rss_mb=float("nan"), idle_rss_mb=float("nan"))
        return out


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


async def kill_one(target, args, photo: bytes, result: dict) -> None:
    """SIGKILL replica r1 ``--kill-after`` s into the burst, then open ``--after-kill`` new sessions.

    A killed replica's sessions lose their websocket (a browser would reconnect to the live
    replica and lose its upload: tests/deploy/); the new sessions, started right after the kill,
    show whether the balancer keeps serving everyone else and how soon.
    """
    await asyncio.sleep(args.kill_after)
    victim = target.cluster.replica_for("r1")
    target.last_words["r1"] = (proc_status(victim["pid"]).get("VmHWM", 0) / 1024, cpu_seconds(victim["pid"]))
    t_kill = time.perf_counter()
    target.cluster.kill("r1")
    down_after = asyncio.create_task(asyncio.to_thread(target.cluster.wait_status, "r1", "DOWN", 60))
    stats = Stats()
    fresh = [Session(target.base, 1000 + i, stats, browser_like_http(), args.timeout) for i in range(args.after_kill)]
    first_ok: list[float] = []

    async def one(s: Session) -> None:
        await scenario(s, photo, random.Random(s.index), args.kernel_changes, (0.0, 0.0))
        if stats.latency.get("open app"):
            first_ok.append(time.perf_counter() - t_kill)

    await asyncio.gather(*(one(s) for s in fresh))
    down = await down_after
    served = args.after_kill - len({e.split(":")[0] for e in stats.errors})
    result["kill"] = {"after_s": args.kill_after, "new_sessions": args.after_kill, "new_sessions_served": served,
                      "new_session_errors": stats.errors[:10],
                      "first_new_session_done_s": min(first_ok, default=float("nan")),
                      "marked_down_after_s": down,
                      "p95_new_sessions": pct(stats.latency.get(UPLOAD, []) + stats.latency.get(KERNEL, []), 0.95)}


async def run_n(n: int, args, photo: bytes) -> dict:
    port = free_port()
    env = dict(kv.split("=", 1) for kv in args.server_env)
    memray = str(Path(args.memray).with_suffix(f".n{n}.bin")) if args.memray else ""
    if memray and Path(memray).exists():
        Path(memray).unlink()
    server = ClusterTarget(args.replicas) if args.replicas else Server(port, env, Path(args.app_root), memray)
    result: dict = {"sessions": n, "replicas": args.replicas or 1}
    try:
        await asyncio.to_thread(server.wait_ready)
        stats = Stats()
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=max(8, 2 * n)))
        http = [browser_like_http() for _ in range(n)]
        sessions = [Session(server.base, i, stats, http[i], args.timeout) for i in range(n)]
        rngs = [random.Random(1000 * n + i) for i in range(n)]

        async def start(i: int) -> None:
            await asyncio.sleep(rngs[i].uniform(0, args.ramp))  # "everyone opens the link at once"
            await scenario(sessions[i], photo, rngs[i], args.kernel_changes, (args.think_min, args.think_max))

        if args.warm:
            # The teacher opens the link before class: one session visits every page (and uploads),
            # so the burst measures a running server, not Python importing pandas and Altair.
            for r in range(max(1, args.replicas)):  # round robin: one warm-up session per replica
                warm = Session(server.base, -1, Stats(), browser_like_http(), args.timeout)
                await scenario(warm, photo, random.Random(r), 1, (0.0, 0.0))
        spy = None
        if args.py_spy and server.proc is not None:
            out = Path(args.py_spy).with_suffix(f".n{n}.txt")
            spy = subprocess.Popen(["py-spy", "record", "-p", str(server.proc.pid), "-f", "raw", "-r", "50", "--gil",
                                    "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.sleep(1.0)
        killed = asyncio.create_task(kill_one(server, args, photo, result)) if args.kill_after else None
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(asyncio.gather(*(start(i) for i in range(n))), args.deadline)
        except TimeoutError:
            stats.error(-1, f"run stopped at the {args.deadline:.0f} s deadline")
        result["wall_s"] = time.perf_counter() - t0
        if killed is not None:
            await killed
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            await asyncio.to_thread(spy.wait, 30)
        stats.latency[CLICKS] = stats.latency.get(UPLOAD, []) + stats.latency.get(KERNEL, [])
        stats.with_images[CLICKS] = stats.with_images.get(UPLOAD, []) + stats.with_images.get(KERNEL, [])
        result["errors"] = stats.errors
        result["latency"] = {k: {"n": len(v), "p50": pct(v, 0.5), "p95": pct(v, 0.95), "max": max(v)}
                             for k, v in stats.latency.items()}
        result["with_images"] = {k: {"n": len(v), "p50": pct(v, 0.5), "p95": pct(v, 0.95)}
                                 for k, v in stats.with_images.items()}
    finally:
        result.update(server.stop())
    return result


def probe(directory: Path | None, label: str, timeout: float = 180.0) -> dict | None:
    """Ask the server's memory probe (bench/memory_probe.py) for a report; ``None`` without ``--probe``."""
    if directory is None:
        return None
    out = directory / f"{label}.json"
    out.unlink(missing_ok=True)
    (directory / f"{label}.request").write_text("")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists():
            return json.loads(out.read_text())
        time.sleep(0.5)
    return {"error": f"no report within {timeout:.0f} s"}


def session_ttl(env: dict[str, str], root: Path) -> int:
    """The server's ``server.disconnectedSessionTTL``: environment, else ``.streamlit/config.toml``, else 120."""
    if "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL" in env:
        return int(env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"])
    import tomllib

    try:
        with (root / ".streamlit" / "config.toml").open("rb") as fh:
            return int(tomllib.load(fh).get("server", {}).get("disconnectedSessionTTL", DEFAULT_SESSION_TTL))
    except OSError:
        return DEFAULT_SESSION_TTL


async def run_day(args) -> dict:
    """K classes of N students, one after the other on one server, a break between them.

    Each class is the burst of section 4 (everyone at once, no think time) with a photo of their
    own per student (:func:`upload.student_photo`: distinct bytes, no cache can share them), and
    ``--reload-share`` of the students reloading their tab after the first kernel change (their old
    session lingers for the TTL while the new one uploads again). Per class: errors, p95 of upload +
    kernel change, the peak RSS of that class (``VmHWM`` reset before it, and the 4 Hz ``VmRSS``
    samples), RSS 5 s after it and at the end of the break; after the last break, the idle RSS.
    """
    n = args.day_sessions
    env = dict(kv.split("=", 1) for kv in args.server_env)
    probe_dir = None
    if args.probe:
        probe_dir = OUT / "probe"
        probe_dir.mkdir(parents=True, exist_ok=True)
        for old in probe_dir.glob("*"):
            old.unlink()
        env["CONVVIZ_MEMORY_PROBE"] = str(probe_dir)
    print(f"day: making {args.classes * n} distinct photos (cached in bench/out/day_photos)", file=sys.stderr,
          flush=True)
    for i in range(args.classes * n):
        student_photo(i)  # made before the server starts, so the day does not wait for them
    memray = str(Path(args.memray).with_suffix(".day.bin")) if args.memray else ""
    if memray and Path(memray).exists():
        Path(memray).unlink()
    server = Server(free_port(), env, Path(args.app_root), memray)
    ttl = session_ttl(env, Path(args.app_root))
    result: dict = {"scenario": "day", "sessions": n, "classes": [], "session_ttl_s": ttl, "break_s": args.break_s,
                    "reload_share": args.reload_share, "probe": {}}
    try:
        await asyncio.to_thread(server.wait_ready)
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=max(8, 2 * n)))
        # The teacher opens the link before the first class (imports done, as in the burst).
        await scenario(Session(server.base, -1, Stats(), browser_like_http(), args.timeout), photo_bytes("JPEG"),
                       random.Random(0), 1, (0.0, 0.0))
        await asyncio.sleep(5)
        result["rss_before_day_mb"] = proc_status(server.proc.pid).get("VmRSS", 0) / 1024
        result["probe"]["0_before"] = await asyncio.to_thread(probe, probe_dir, "0_before")
        for c in range(args.classes):
            load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
            rng = random.Random(7919 * (c + 1))
            reloaders = set(rng.sample(range(n), round(n * args.reload_share)))
            photos = [student_photo(c * n + i) for i in range(n)]
            stats = Stats()
            http = [browser_like_http() for _ in range(n)]
            sessions = [Session(server.base, i, stats, http[i], args.timeout) for i in range(n)]
            first_sample = len(server.samples)
            reset = server.reset_peak()
            print(f"class {c + 1}/{args.classes}: {n} students, {len(reloaders)} reload (load {load})",
                  file=sys.stderr, flush=True)
            t0 = time.perf_counter()

            async def during(c: int = c, stats: Stats = stats) -> None:
                # When 90 % of the class has uploaded: every session open, pictures in memory.
                while len(stats.latency.get(UPLOAD, [])) < 0.9 * n:
                    await asyncio.sleep(0.2)
                label = f"{c + 1}_class_during"
                result["probe"][label] = await asyncio.to_thread(probe, probe_dir, label)

            watcher = asyncio.create_task(during()) if probe_dir is not None else None
            try:
                await asyncio.wait_for(asyncio.gather(*(
                    scenario(sessions[i], photos[i], random.Random(1000 * c + i), args.kernel_changes, (0.0, 0.0),
                             reload_after=1 if i in reloaders else None) for i in range(n))), args.deadline)
            except TimeoutError:
                stats.error(-1, f"class stopped at the {args.deadline:.0f} s deadline")
            wall = time.perf_counter() - t0
            if watcher is not None:
                try:
                    await asyncio.wait_for(watcher, 200)
                except TimeoutError:
                    watcher.cancel()
            class_end = time.monotonic()
            status = proc_status(server.proc.pid)
            sampled = max(server.samples[first_sample:], default=0)
            peak_kb = max(status.get("VmHWM", 0) if reset else 0, sampled)
            await asyncio.sleep(5)
            after = proc_status(server.proc.pid).get("VmRSS", 0)
            label = f"{c + 1}a_class_end"
            result["probe"][label] = await asyncio.to_thread(probe, probe_dir, label)
            clicks = stats.latency.get(UPLOAD, []) + stats.latency.get(KERNEL, [])
            row = {"class": c + 1, "load_before": load, "students": n, "reloads": len(reloaders), "wall_s": wall,
                   "errors": stats.errors, "clicks": len(clicks), "p95_clicks": pct(clicks, 0.95),
                   "p95_upload": pct(stats.latency.get(UPLOAD, []), 0.95),
                   "p95_kernel": pct(stats.latency.get(KERNEL, []), 0.95),
                   "peak_rss_mb": peak_kb / 1024, "peak_from": "VmHWM" if reset else "4 Hz VmRSS samples",
                   "rss_after_class_mb": after / 1024}
            await asyncio.sleep(max(0.0, class_end + args.break_s - time.monotonic()))
            row["rss_after_break_mb"] = proc_status(server.proc.pid).get("VmRSS", 0) / 1024
            label = f"{c + 1}b_after_break"
            result["probe"][label] = await asyncio.to_thread(probe, probe_dir, label)
            result["classes"].append(row)
            print(f"class {c + 1}: {len(stats.errors)} errors, p95 upload + kernel change {row['p95_clicks']:.2f} s, "
                  f"peak {row['peak_rss_mb']:.0f} MB, after {row['rss_after_class_mb']:.0f} MB, "
                  f"after the break {row['rss_after_break_mb']:.0f} MB", file=sys.stderr, flush=True)
            Path(args.json).write_text(json.dumps({"args": vars(args), "day": result}, indent=1))
        result["idle_rss_after_day_mb"] = result["classes"][-1]["rss_after_break_mb"] if result["classes"] else 0.0
    finally:
        result["server"] = server.stop()
        result["pymalloc_arenas"] = pymalloc_arenas(Path(server.log.name))
    return result


def pymalloc_arenas(log: Path) -> dict[str, int]:
    """Python's small-object arenas (1 MiB each) at each probe: ``sys._debugmallocstats`` in the server log."""
    out: dict[str, int] = {}
    label = None
    try:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("--- memory probe "):
                label = line.split()[3]
            elif label and line.startswith("# arenas allocated current"):
                out[label] = int(line.split("=")[1].replace(",", ""))
                label = None
    except OSError:
        pass
    return out


def report_day(r: dict) -> str:
    lines = [f"Scenario `day`: {len(r['classes'])} classes of {r['sessions']} students on one server, each a "
             f"12 MP photo of their own, {100 * r['reload_share']:.0f} % reload their tab after the first kernel "
             f"change; {r['break_s']:g} s from the end of a class to the start of the next "
             f"(server.disconnectedSessionTTL {r['session_ttl_s']} s). Idle RSS before the first class "
             f"{r.get('rss_before_day_mb', 0):.0f} MB.", "",
             "| class | load before | errors | p95 upload + kernel change, s | p95 upload, s | p95 kernel change, s "
             "| peak RSS, MB | RSS 5 s after, MB | RSS after the break, MB | wall, s |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in r["classes"]:
        lines.append(f"| {c['class']} | {c['load_before']} | {len(c['errors'])} | {c['p95_clicks']:.2f} | "
                     f"{c['p95_upload']:.2f} | {c['p95_kernel']:.2f} | {c['peak_rss_mb']:.0f} | "
                     f"{c['rss_after_class_mb']:.0f} | {c['rss_after_break_mb']:.0f} | {c['wall_s']:.0f} |")
    lines.append("")
    lines.append(f"Idle RSS after the day: {r.get('idle_rss_after_day_mb', float('nan')):.0f} MB.")
    if len(r["classes"]) >= 2:
        drift = r["classes"][-1]["rss_after_class_mb"] - r["classes"][1]["rss_after_class_mb"]
        lines.append(f"RSS after the last class minus RSS after class 2: {drift:+.0f} MB (target: within 40 MB).")
    probes = {k: v for k, v in r.get("probe", {}).items() if v and "stores" in v}
    if probes:
        lines += ["", "What holds the memory (bench/memory_probe.py; MB; \"sessions\": active / disconnected / "
                  "expired but not yet dropped; \"pictures\": image-sized data in those sessions' state, "
                  "partly the same bytes as the upload store):", "",
                  "| when | RSS | sessions | pictures in session state | upload store | media files | "
                  "st.cache_data | pymalloc arenas | glibc heap in use / free |",
                  "|---|---:|---|---:|---:|---:|---:|---:|---|"]
        arenas = r.get("pymalloc_arenas", {})
        for label, d in probes.items():
            st_ = d["stores"]
            if "error" in st_:
                continue
            groups = ("sessions_active", "sessions_disconnected", "sessions_expired_not_dropped")
            pictures = sum(st_[g]["by_key_mb"].get("cv_picture", 0.0) for g in groups)
            mi = d.get("mallinfo") or {}
            arena = arenas.get(label)
            lines.append(f"| {label} | {d['status_kb'].get('VmRSS', 0) / 1024:.0f} | "
                         + " / ".join(str(st_[g]["count"]) for g in groups)
                         + f" | {pictures:.0f} | {st_['uploaded_files']['mb']:.0f} | {st_['media_files']['mb']:.0f} | "
                         f"{st_['cache_data_total_mb']:.0f} | {'' if arena is None else arena} | "
                         f"{mi.get('in_use', 0) / 2**20:.0f} / {mi.get('free_in_heap', 0) / 2**20:.0f} |")
    for c in r["classes"]:
        if c["errors"]:
            lines.append(f"\nclass {c['class']} errors (first 10 of {len(c['errors'])}):")
            lines.extend(f"- {e}" for e in c["errors"][:10])
    return "\n".join(lines)


def report(results: list[dict], args) -> str:
    kinds = ["open app", "open page", "switch source to upload", UPLOAD, "  of which: HTTP PUT of the file", KERNEL,
             CLICKS]
    how = ("all sessions start at once, no think time" if args.think_max == 0 and args.ramp == 0 else
           f"think time {args.think_min:g}-{args.think_max:g} s between interactions, sessions start within "
           f"{args.ramp:g} s")
    lines = [f"Scenario `{args.scenario}`: {how}, {args.kernel_changes} kernel changes each; latency = message "
             "sent -> script_finished (images fetched after); seconds.", ""]
    lines.append("| N | interaction | count | p50 | p95 | max | p95 incl. images |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|")
    for r in results:
        for k in kinds:
            lat = r["latency"].get(k)
            if not lat:
                continue
            img = r["with_images"].get(k, {})
            lines.append(f"| {r['sessions']} | {k} | {lat['n']} | {lat['p50']:.2f} | {lat['p95']:.2f} | "
                         f"{lat['max']:.2f} | {img.get('p95', float('nan')):.2f} |")
    lines.append("")
    lines.append("| N | errors | server RSS idle, MB | server peak RSS, MB | RSS at end, MB | run time, s | "
                 "p95 upload + kernel change < 3 s | peak RSS < 690 MB |")
    lines.append("|---:|---:|---:|---:|---:|---:|:---:|:---:|")
    for r in results:
        kc = r["latency"].get(CLICKS, {}).get("p95", float("nan"))
        lines.append(f"| {r['sessions']} | {len(r['errors'])} | {r['idle_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | "
                     f"{r['end_rss_mb']:.0f} | {r.get('wall_s', float('nan')):.0f} | "
                     f"{'yes' if kc < 3 else '**no**'} ({kc:.2f}) | {'yes' if r['peak_rss_mb'] < 690 else '**no**'} |")
    for r in results:
        if r.get("replica_cpu_s"):
            cpu = r["replica_cpu_s"]
            total = sum(v for v in cpu.values() if v == v) or 1.0
            lines.append(f"\nN={r['sessions']}, {r['replicas']} replicas: CPU s per replica "
                         + ", ".join(f"{k} {v:.1f} ({100 * v / total:.0f}%)" for k, v in cpu.items())
                         + "; sessions per replica (HAProxy stot) "
                         + ", ".join(f"{k} {v}" for k, v in r.get("replica_sessions", {}).items())
                         + "; peak RSS per replica MB "
                         + ", ".join(f"{k} {v:.0f}" for k, v in r["replica_peak_rss_mb"].items()))
        if r.get("kill"):
            k = r["kill"]
            lines.append(f"\nN={r['sessions']}: r1 SIGKILLed {k['after_s']:g} s into the burst; "
                         f"{k['new_sessions_served']} of {k['new_sessions']} new sessions served without error "
                         f"(first done {k['first_new_session_done_s']:.1f} s after the kill, their upload + kernel "
                         f"change p95 {k['p95_new_sessions']:.2f} s); HAProxy marked r1 DOWN "
                         f"{k['marked_down_after_s']:.1f} s after the kill")
            lines.extend(f"- new session error: {e}" for e in k["new_session_errors"])
    for r in results:
        if r["errors"]:
            lines.append(f"\nN={r['sessions']} errors (first 10 of {len(r['errors'])}):")
            lines.extend(f"- {e}" for e in r["errors"][:10])
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", default=None, help="N, or a list for burst/think (default 1,10,20,40); "
                    "day: students per class (default 40)")
    ap.add_argument("--classes", type=int, default=5, help="day: classes in the day")
    ap.add_argument("--break", dest="break_s", type=float, default=130.0,
                    help="day: seconds from the end of a class to the start of the next (default 130, longer "
                    "than server.disconnectedSessionTTL = 120 s)")
    ap.add_argument("--reload-share", type=float, default=0.1,
                    help="day: share of students who reload their tab mid-class")
    ap.add_argument("--probe", action="store_true",
                    help="day: ask the server for memory reports (bench/memory_probe.py) during and after each "
                    "class, into bench/out/probe/ (add --server-env PYTHONTRACEMALLOC=1 for allocation sites)")
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), default="burst")
    ap.add_argument("--learn", default="default,own",
                    help="learn: default (everyone the default experiment) and/or own (settings of their own)")
    ap.add_argument("--others", type=int, default=10, help="learn: students changing kernels meanwhile")
    ap.add_argument("--others-think-min", type=float, default=1.0,
                    help="learn: the others' think time between kernel changes, s (0 0: no think time)")
    ap.add_argument("--others-think-max", type=float, default=3.0)
    ap.add_argument("--learn-limit", type=float, default=120.0, help="learn: seconds a student waits for results")
    ap.add_argument("--kernel-changes", type=int, default=None, help="default: the scenario's")
    ap.add_argument("--think-min", type=float, default=None, help="default: the scenario's")
    ap.add_argument("--think-max", type=float, default=None, help="default: the scenario's")
    ap.add_argument("--ramp", type=float, default=None, help="sessions start within this many seconds")
    ap.add_argument("--replicas", type=int, default=0,
                    help="K > 0: K replicas behind HAProxy via deploy/local.sh (default: one server, direct)")
    ap.add_argument("--kill-after", type=float, default=0.0,
                    help="with --replicas: SIGKILL replica r1 this many seconds into the burst")
    ap.add_argument("--after-kill", type=int, default=10, help="new sessions started right after the kill")
    ap.add_argument("--no-warm", dest="warm", action="store_false",
                    help="start the burst on a cold server (no session has imported the pages yet)")
    ap.add_argument("--memray", default="", help="run the server under memray, writing this capture "
                    "(then: python -m memray tree FILE, the allocations alive at the peak)")
    ap.add_argument("--py-spy", default="", help="record the server with py-spy (raw format) to this path")
    ap.add_argument("--timeout", type=float, default=60.0, help="per interaction")
    ap.add_argument("--deadline", type=float, default=900.0, help="per N: the run stops itself")
    ap.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for the server, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=true")
    ap.add_argument("--app-root", default=str(ROOT), help="run app.py from this tree (e.g. a patched copy)")
    ap.add_argument("--json", default=None, help="default: bench/out/capacity.json (day: capacity_day.json)")
    args = ap.parse_args()
    if args.json is None:
        args.json = str(OUT / {"day": "capacity_day.json", "learn": "capacity_learn.json"}.get(args.scenario,
                                                                                               "capacity.json"))
    for name, value in zip(("think_min", "think_max", "ramp", "kernel_changes"), SCENARIOS[args.scenario]):
        if getattr(args, name) is None:
            setattr(args, name, value)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.scenario == "learn":
        args.learn_sessions = int(args.sessions.split(",")[0]) if args.sessions else 40
        results = []
        for mode in args.learn.split(","):
            print(f"learn/{mode}: {args.learn_sessions} press Train, {args.others} change kernels "
                  f"(load {' / '.join(f'{x:.2f}' for x in os.getloadavg())})", file=sys.stderr, flush=True)
            results.append(asyncio.run(run_learn(mode, args)))
            Path(args.json).write_text(json.dumps({"args": vars(args), "learn": results}, indent=1))
        print(report_learn(results))
        return
    if args.scenario == "day":
        if args.replicas:
            ap.error("--scenario day runs one server (no --replicas)")
        args.day_sessions = int(args.sessions.split(",")[0]) if args.sessions else 40
        day = asyncio.run(run_day(args))
        Path(args.json).write_text(json.dumps({"args": vars(args), "day": day}, indent=1))
        print(report_day(day))
        return
    if args.sessions is None:
        args.sessions = "1,10,20,40"
    photo = photo_bytes("JPEG")
    results = []
    for n in (int(x) for x in args.sessions.split(",")):
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"N={n}: starting (load {load})", file=sys.stderr, flush=True)
        r = asyncio.run(run_n(n, args, photo))
        r["load_before"] = load
        results.append(r)
        print(f"N={n}: {len(r['errors'])} errors, peak RSS {r['peak_rss_mb']:.0f} MB, "
              f"p95 upload + kernel change {r['latency'].get(CLICKS, {}).get('p95', float('nan')):.2f} s",
              file=sys.stderr, flush=True)
        Path(args.json).write_text(json.dumps({"args": vars(args), "results": results}, indent=1))
    print(report(results, args))


if __name__ == "__main__":
    main()
