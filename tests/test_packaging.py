"""``pip install .`` gives a convviz that works anywhere: every module and data file in the wheel, three dependencies.

The wheel is built from a copy of what ``pyproject.toml`` packages (no network: the installed
setuptools, ``--no-build-isolation``; nothing is written into the checkout), installed into a
temporary folder, and the README's notebook examples run against it from another folder, so the
fonts and everything else come from the installed package, not from the repository.
"""
from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import convviz

ROOT = Path(__file__).resolve().parent.parent
#: What a source distribution of convviz consists of.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "THIRD_PARTY_NOTICES.md", "convviz")


def _modules() -> set[str]:
    """Every module of the package: the ``.py`` files of the folders that are packages."""
    return {str(p.relative_to(ROOT)) for p in (ROOT / "convviz").rglob("*.py") if (p.parent / "__init__.py").exists()}


def _data_files() -> set[str]:
    """The files the package reads at run time (its fonts, the digits) and their licence and notes."""
    folders = (ROOT / "convviz" / "pictures" / "data", ROOT / "convviz" / "learn" / "data")
    return {str(p.relative_to(ROOT)) for data in folders for p in data.iterdir() if p.suffix != ".py"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    for cache in src.rglob("__pycache__"):
        shutil.rmtree(cache)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                    "-w", str(out), str(src)], check=True, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    (built,) = out.glob("convviz-*.whl")
    return built


def test_the_wheel_holds_every_module_and_data_file_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"convviz/pictures/data/NotoSansKR-ConvViz-Regular.otf", "convviz/learn/data/digits.csv.gz",
            "convviz/sliding/windows.py"} <= _modules() | _data_files()
    assert _modules() <= names, sorted(_modules() - names)
    assert _data_files() <= names, sorted(_data_files() - names)
    package = {n for n in names if not n.startswith(f"convviz-{convviz.__version__}.dist-info/")}
    assert package == _modules() | _data_files(), sorted(package ^ (_modules() | _data_files()))


def test_the_wheel_needs_numpy_scipy_and_pillow_only(wheel):
    z = zipfile.ZipFile(wheel)
    meta = email.message_from_bytes(z.read(f"convviz-{convviz.__version__}.dist-info/METADATA"))
    required = {re.split(r"[<>=!~ ;]", r)[0].lower() for r in meta.get_all("Requires-Dist") if "extra ==" not in r}
    assert required == {"numpy", "scipy", "pillow"}
    assert meta["Name"] == "convviz" and meta["Version"] == convviz.__version__
    assert meta["License-Expression"] == "MIT"
    licences = {n.rsplit("/licenses/", 1)[1] for n in z.namelist() if "/licenses/" in n}
    assert licences == {"LICENSE", "THIRD_PARTY_NOTICES.md", "convviz/pictures/data/OFL.txt"}


def test_the_installed_package_runs_the_readme_examples_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site),
                    str(wheel)], check=True, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    readme = re.search(r"## Use convviz from a notebook.*?```python\n(.*?)```", (ROOT / "README.md").read_text(),
                       re.S).group(1)
    (tmp_path / "examples.txt").write_text(readme, encoding="utf-8")
    code = ("import doctest, sys, convviz; "
            f"assert convviz.__file__.startswith({str(site)!r}), convviz.__file__; "
            "r = doctest.testfile('examples.txt', module_relative=False); "
            "assert r.attempted >= 33, r; sys.exit(1 if r.failed else 0)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
