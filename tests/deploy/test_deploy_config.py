"""The deployment files are valid and say the same thing: config checks, no servers started.

- ``deploy/local.sh``: ``bash -n``, argument checks; its HAProxy template rendered as local.sh
  does it and checked with ``haproxy -c``;
- ``deploy/haproxy.cfg`` (compose): ``haproxy -c``;
- ``deploy/compose.yaml`` and ``deploy/k8s/*.yaml``: parsed with PyYAML, structure asserted
  (health endpoint, cookie affinity, timeouts, body size, ports consistent with the Dockerfile);
  ``docker compose config`` and ``kubectl kustomize`` when those tools are installed.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.deploy.conftest import haproxy_path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HEALTH = "/_stcore/health"
MAX_UPLOAD_MB = 25


def _dockerfile_port() -> int:
    text = (ROOT / "Dockerfile").read_text()
    port = int(re.search(r"^EXPOSE\s+(\d+)", text, re.M).group(1))
    assert f"--server.port={port}" in text, "Dockerfile CMD and EXPOSE disagree"
    return port


def _render_template(tmp_path: Path) -> Path:
    """deploy/haproxy.cfg.tmpl filled in as deploy/local.sh fills it."""
    servers = "".join(f"    server r{i} 127.0.0.1:{40000 + i} cookie r{i}\n" for i in (1, 2))
    out = []
    for line in (DEPLOY / "haproxy.cfg.tmpl").read_text().splitlines(keepends=True):
        if line.strip() == "@SERVERS@":
            out.append(servers)
            continue
        out.append(line.replace("@PORT@", "39999").replace("@STATS_PORT@", "39998")
                   .replace("@SOCKET@", str(tmp_path / "haproxy.sock")))
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text("".join(out))
    return cfg


def _haproxy_check(cfg: Path) -> None:
    exe = haproxy_path()
    if exe is None:
        import os

        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no haproxy (apt-get install haproxy; .ci/run installs it)")
        pytest.skip("haproxy not installed: sudo apt-get install -y haproxy")
    r = subprocess.run([exe, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr


# --------------------------------------------------------------------------- local.sh
def test_local_sh_is_valid_bash_and_checks_its_arguments():
    script = DEPLOY / "local.sh"
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    for args in ([], ["2"], ["0", "8600"], ["two", "8600"], ["2", "port"], ["2", "70000"]):
        r = subprocess.run(["bash", str(script), *args], capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and "usage" in r.stderr, (args, r.stderr)
    text = script.read_text()
    assert "--server.cookieSecret" not in text.replace("Streamlit 1.67 exits when --server.cookieSecret", "")
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in text and "setsid" in text and "trap" in text
    assert "127.0.0.1" in text and "0.0.0.0" not in text


@pytest.mark.parametrize("which", ["local template", "compose"])
def test_haproxy_configs_are_valid_and_tolerant(which, tmp_path):
    cfg = _render_template(tmp_path) if which == "local template" else DEPLOY / "haproxy.cfg"
    _haproxy_check(cfg)
    text = cfg.read_text()
    settings = " ".join(line.split("#", 1)[0].strip() for line in text.splitlines())
    assert "cookie SERVERID insert indirect nocache" in settings      # cookie stickiness ...
    assert "balance source" not in settings and "hash-type" not in settings  # ... never by IP
    assert "timeout tunnel 1h" in settings                              # websockets for a lesson
    assert f"option httpchk GET {HEALTH}" in settings
    assert "inter 2s" in settings and "fall 3" in settings and "rise 2" in settings
    assert "timeout check 5s" in settings
    assert "option redispatch" in settings
    limit = int(re.search(r"req\.hdr_val\(content-length\) gt (\d+)", settings).group(1))
    assert MAX_UPLOAD_MB * 1_000_000 < MAX_UPLOAD_MB * 1024 * 1024 < limit <= 30 * 1024 * 1024
    assert "stats uri /stats" in settings
    if which == "compose":
        assert f"app:{_dockerfile_port()}" in settings


# --------------------------------------------------------------------------- compose
def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_file_structure():
    doc = _compose()
    app, lb = doc["services"]["app"], doc["services"]["haproxy"]
    port = _dockerfile_port()
    assert app["build"]["dockerfile"] == "Dockerfile" and (DEPLOY / app["build"]["context"] / "Dockerfile").exists()
    assert str(port) in [str(p) for p in app["expose"]]
    assert "replicas" in app["deploy"] and "CONVVIZ_REPLICAS" in str(app["deploy"]["replicas"])
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
    assert "${STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert HEALTH in " ".join(app["healthcheck"]["test"]) and f":{port}/" in " ".join(app["healthcheck"]["test"])
    assert "ports" not in app  # only the balancer is published
    assert any(v.startswith("./haproxy.cfg:") for v in lb["volumes"])
    assert lb["depends_on"]["app"]["condition"] == "service_healthy"
    frontend = int(re.search(r"bind :(\d+)", (DEPLOY / "haproxy.cfg").read_text()).group(1))
    assert any(str(p).endswith(f":{frontend}") for p in lb["ports"])


def test_docker_compose_config():
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("`docker compose` is not installed here: compose.yaml is checked by PyYAML only")
    r = subprocess.run([docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "-q"],
                       capture_output=True, text=True, timeout=60,
                       env={"PATH": "/usr/bin:/bin:/usr/local/bin", "STREAMLIT_SERVER_COOKIE_SECRET": "x" * 64})
    assert r.returncode == 0, r.stderr


# --------------------------------------------------------------------------- kubernetes
def _k8s() -> dict[str, dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs[doc["kind"]] = doc
    return docs


def test_kubernetes_manifests_structure():
    docs = _k8s()
    assert {"Deployment", "Service", "Ingress", "Kustomization"} <= set(docs)
    dep, svc, ing = docs["Deployment"], docs["Service"], docs["Ingress"]
    port = _dockerfile_port()

    assert dep["spec"]["replicas"] >= 2
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": port}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == HEALTH and get["port"] in ("http", port), probe
    # Tolerant of a saturated replica: >= 5 s to answer, several failures before acting.
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["timeoutSeconds"] >= 5 and c[probe]["failureThreshold"] >= 3
    env = {e["name"]: e for e in c["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    assert dep["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == 10001

    assert svc["spec"]["selector"].items() <= labels.items()
    (sp,) = svc["spec"]["ports"]
    assert sp["targetPort"] in ("http", port)

    ann = ing["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ann["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert int(ann["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(ann["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    assert int(ann["nginx.ingress.kubernetes.io/proxy-body-size"].rstrip("m")) >= MAX_UPLOAD_MB + 1
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]
    assert backend["port"].get("name") == sp["name"] or backend["port"].get("number") == sp["port"]

    listed = set(docs["Kustomization"]["resources"])
    assert listed == {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}


def test_kubectl_kustomize_renders():
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed here: the manifests are checked by PyYAML only")
    r = subprocess.run([kubectl, "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert {d["kind"] for d in yaml.safe_load_all(r.stdout)} == {"Deployment", "Service", "Ingress"}
