"""The server's memory budget holds by construction: every cache and store is bounded.

docs/BENCHMARKS.md, section 6, adds up what one small server may hold (690 MB on the smallest
Streamlit Community Cloud box): these checks keep the code to its side of that table. Nothing
here is timed or measured; ``bench/capacity.py --scenario day`` measures.
"""
from __future__ import annotations

import ast
import re
import tomllib

import pytest

from tests.conftest import ROOT

APP_CODE = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
BENCHMARKS = (ROOT / "docs" / "BENCHMARKS.md").read_text(encoding="utf-8")
#: The smallest Streamlit Community Cloud box guarantees this much (docs/DEPLOY.md).
BOX_MB = 690


def _config() -> dict:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as fh:
        return tomllib.load(fh)


def _caches() -> list[tuple[str, str, ast.expr, ast.FunctionDef]]:
    """``(file, kind, decorator, function)`` for every ``@st.cache_data`` / ``@st.cache_resource``."""
    found = []
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                    found.append((str(path.relative_to(ROOT)), target.attr, dec, node))
    return found


def _budget_section() -> str:
    start = BENCHMARKS.index("## 6. A school day")
    end = BENCHMARKS.find("\n## ", start + 1)
    return BENCHMARKS[start:end if end > 0 else None]


def test_there_are_caches_to_check():
    kinds = {kind for _, kind, _, _ in _caches()}
    assert kinds == {"cache_data", "cache_resource"}, "the scan found no caches: has the code moved?"


@pytest.mark.parametrize("where, kind, decorator, function", _caches(),
                         ids=lambda v: v.name if isinstance(v, ast.FunctionDef) else None)
def test_every_cache_has_a_largest_number_of_entries(where, kind, decorator, function):
    keywords = {k.arg: k.value for k in decorator.keywords} if isinstance(decorator, ast.Call) else {}
    assert "max_entries" in keywords, (
        f"{where}: @st.{kind} on {function.name}() keeps one entry per distinct argument for ever; "
        "give it max_entries (and a max_size if an entry can be image-sized)")
    assert "ttl" not in keywords or keywords["ttl"] is not None


@pytest.mark.parametrize("where, kind, decorator, function", _caches(),
                         ids=lambda v: v.name if isinstance(v, ast.FunctionDef) else None)
def test_every_cache_is_in_the_budget_table(where, kind, decorator, function):
    assert f"`{function.name}`" in _budget_section(), (
        f"{where}: {function.name}() is not in the memory budget of docs/BENCHMARKS.md section 6")


def _mb(size: str) -> float:
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*([kmg]?b)\s*", size.lower()).groups()
    return float(number) * {"b": 2**-20, "kb": 2**-10, "mb": 1, "gb": 2**10}[unit]


def test_the_servers_own_limits_are_set_as_the_budget_says():
    server = _config()["server"]
    # All sessions' st.cache_data entries together (Streamlit evicts the least recently used).
    cache_mb = _mb(server["maxCacheDataSize"])
    assert 0 < cache_mb <= 48
    assert f"`server.maxCacheDataSize` = {cache_mb:g} MB" in _budget_section(), "the budget quotes another limit"
    # A closed tab's session, upload and images wait this long, then ui/server/runtime.py closes them.
    assert 0 < server["disconnectedSessionTTL"] <= 120
    assert server["maxUploadSize"] <= 25


def test_the_budget_sums_below_the_box():
    total = re.search(r"\| \*\*sum: 40 students, one downloading\*\* \| \*\*(\d+) MB\*\*", _budget_section())
    assert total, "the budget table's sum row is missing"
    assert int(total.group(1)) < BOX_MB
