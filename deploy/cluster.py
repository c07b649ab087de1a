"""Start ``deploy/local.sh`` from Python, kill one replica, read HAProxy's per-replica numbers.

Used by the deploy test (``tests/deploy/``) and by benchmarks (``bench/capacity.py --replicas``).
Standard library only; import it with the repository root on ``sys.path``::

    from deploy.cluster import Cluster

    with Cluster(replicas=2) as c:          # free port chosen at run time; waits for "READY"
        c.url                               # "http://127.0.0.1:PORT", the balancer
        c.replicas                          # [{"name": "r1", "port": ..., "pid": ..., "log": ...}, ...]
        c.stats()                           # {"r1": {"status": "UP", "stot": 12, "bin": ..., "bout": ...}, ...}
        c.replica_for("r2")                 # the replica a SERVERID cookie value names
        c.kill("r1")                        # SIGKILL that replica (by PID); HAProxy marks it DOWN
        c.wait_status("r1", "DOWN")         # ... after about 3 failed checks (~4 s)
    # leaving the block: SIGTERM to local.sh, which stops HAProxy and every replica by PID;
    # c.leftover_pids() is then empty (asserted by the test).

API
---
``Cluster(replicas=2, port=None, *, python=sys.executable, secret=None, logdir=None,
ready_timeout=90.0, env=None)``
    ``port=None`` picks a free loopback port. ``secret`` sets ``STREAMLIT_SERVER_COOKIE_SECRET``
    (else local.sh generates one). ``logdir`` keeps replica logs and the rendered haproxy.cfg
    there (else a temporary directory removed on stop).
``start()`` / ``stop(timeout=20)``
    also the context manager. ``start`` raises :class:`ClusterError` (with local.sh's output)
    if it exits or is not ready in time. ``stop`` sends SIGTERM to local.sh, waits, and falls
    back to SIGKILL of local.sh's process group and of every PID from the state file.
``url``, ``port``, ``state`` (the state file's JSON), ``replicas``, ``stats_url``, ``pids()``
``stats() -> dict[name, dict]``
    HAProxy's CSV (``show stat``) for the backend's servers: ``status`` (UP/DOWN/...), ``scur``
    (current sessions), ``stot`` (total sessions), ``bin``/``bout`` (bytes in/out),
    ``hrsp_4xx``/``hrsp_5xx``, ``chkfail``, ``downtime`` and the rest as strings; ``"BACKEND"``
    holds the totals.
``share(key="stot") -> dict[name, float]``
    each replica's fraction of ``key`` (how evenly the work was split).
``kill(name, sig=SIGKILL)``, ``wait_status(name, status, timeout=30)``, ``replica_for(cookie)``
``leftover_pids() -> list[int]``
    the PIDs local.sh started (replicas, HAProxy, itself) that are still alive.

From a shell, the same state file is ``${TMPDIR:-/tmp}/convviz-deploy-PORT.json``; the stats as
CSV: ``curl -s "$(jq -r .stats_url STATE)"';csv'``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_SH = ROOT / "deploy" / "local.sh"
BACKEND = "replicas"


class ClusterError(RuntimeError):
    """local.sh did not come up (the message carries its output)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def state_path(port: int) -> Path:
    return Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / f"convviz-deploy-{port}.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (dead, not yet reaped) is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Cluster:
    """REPLICAS Streamlit processes behind HAProxy, via ``deploy/local.sh`` (see module docstring)."""

    def __init__(self, replicas: int = 2, port: int | None = None, *, python: str = sys.executable,
                 secret: str | None = None, logdir: str | os.PathLike | None = None,
                 ready_timeout: float = 90.0, env: dict[str, str] | None = None) -> None:
        self.n = replicas
        self.port = port or free_port()
        self.ready_timeout = ready_timeout
        self.env = {**os.environ, "PYTHON": python, "CONVVIZ_READY_TIMEOUT": str(int(ready_timeout)),
                    **(env or {})}
        if secret:
            self.env["STREAMLIT_SERVER_COOKIE_SECRET"] = secret
        if logdir:
            self.env["CONVVIZ_DEPLOY_LOGDIR"] = str(logdir)
        self.proc: subprocess.Popen | None = None
        self.state: dict = {}
        self.output: list[str] = []
        self._known_pids: set[int] = set()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Cluster:
        self.proc = subprocess.Popen(
            ["bash", str(LOCAL_SH), str(self.n), str(self.port)], cwd=ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            start_new_session=True)  # its own process group: a fallback kill cannot hit the caller
        self._known_pids.add(self.proc.pid)
        ready = threading.Event()

        def pump() -> None:
            for line in self.proc.stdout:
                self.output.append(line.rstrip("\n"))
                if line.startswith("READY "):
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + self.ready_timeout + 15
        while not ready.wait(0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ClusterError("deploy/local.sh did not become ready:\n" + "\n".join(self.output[-40:]))
        self.state = json.loads(state_path(self.port).read_text())
        self._known_pids.update(self.pids())
        return self

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM local.sh (it stops what it started); SIGKILL leftovers if it does not. Its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        for pid in self.leftover_pids():  # only if local.sh failed to clean up
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        return self.proc.returncode

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ facts
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def replicas(self) -> list[dict]:
        return self.state.get("replicas", [])

    @property
    def stats_url(self) -> str:
        return self.state["stats_url"]

    def pids(self) -> list[int]:
        """local.sh, HAProxy and the replicas (from the state file)."""
        s = self.state
        return [p for p in (s.get("pid"), s.get("haproxy_pid"), *(r["pid"] for r in self.replicas)) if p]

    def leftover_pids(self) -> list[int]:
        return sorted(p for p in self._known_pids if _alive(p))

    def replica_for(self, cookie: str) -> dict:
        """The replica a ``SERVERID`` cookie value (``"r1"``, ...) names."""
        return next(r for r in self.replicas if r["name"] == cookie)

    def stats(self) -> dict[str, dict[str, str]]:
        with urllib.request.urlopen(self.stats_url + ";csv", timeout=5) as r:
            text = r.read().decode()
        rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == BACKEND}

    def share(self, key: str = "stot") -> dict[str, float]:
        rows = {k: float(v.get(key) or 0) for k, v in self.stats().items() if k != "BACKEND"}
        total = sum(rows.values()) or 1.0
        return {k: v / total for k, v in rows.items()}

    # ------------------------------------------------------------------ faults
    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` to replica ``name`` by its PID (its own process group); returns the PID."""
        pid = self.replica_for(name)["pid"]
        os.kill(pid, sig)
        return pid

    def wait_status(self, name: str, status: str, timeout: float = 30.0) -> float:
        """Wait until HAProxy reports ``status`` (prefix, e.g. "DOWN") for ``name``; seconds waited."""
        t0 = time.monotonic()
        while True:
            if self.stats()[name]["status"].startswith(status):
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise TimeoutError(f"{name} not {status} after {timeout:.0f} s: {self.stats()[name]['status']}")
            time.sleep(0.25)


if __name__ == "__main__":  # python deploy/cluster.py [REPLICAS]: start, print state, wait for Ctrl-C
    with Cluster(int(sys.argv[1]) if len(sys.argv) > 1 else 2) as c:
        print(json.dumps(c.state, indent=1), flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
