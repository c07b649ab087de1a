"""Shareable links: the "copy link" URL reproduces the view; bad links fall back with a notice.

Streamlit's AppTest does not mirror the browser's address bar (a bound widget changed in a test
does not appear in ``at.query_params``), so the round trips read the link the app itself offers
in the sidebar ("Copy link to this view"): exactly what a teacher would send.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import open_app, open_link
from tests.ui.test_i18n import PAGES, open_page
from ui import share, urls
from ui.copy_button import copy_button_html
from ui.i18n import catalog

KERNELS, STRIDE, PARAMS = "pages/image_kernels.py", "pages/stride_padding.py", "pages/parameter_counts.py"
URL_PATHS = {url_path: file for file, url_path, _ in PAGES}


def shared_link(at) -> tuple[str, dict[str, str | list[str]]]:
    """The sidebar's link to this view: ``(path, query params)``."""
    codes = [c.value for c in at.sidebar.code] if hasattr(at.sidebar, "code") else []
    codes = codes or [c.value for c in at.code]
    assert len(codes) == 1, codes
    parts = urlsplit(codes[0])
    query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    return parts.path, query


def warnings(at) -> str:
    """The link notice(s) of ``app.py`` (pages have warnings of their own)."""
    return "\n".join(w.value for w in at.warning if w.icon == ":material/link_off:")


def widget_state(at, keys) -> dict[str, object]:
    return {k: at.session_state[k] for k in keys}


# --------------------------------------------------------------------------- pure helpers (ui.urls)

def test_build_url_encodes_and_replaces_the_query():
    assert urls.build_url("https://h/app/stride?old=1#x", {"lang": "ko", "a": ["1", "2"]}) == \
        "https://h/app/stride?lang=ko&a=1&a=2"
    url = urls.build_url("/kernels", {"kernels_preset": "윤곽선 & <b>"})
    assert parse_qs(urlsplit(url).query) == {"kernels_preset": ["윤곽선 & <b>"]}


@pytest.mark.parametrize(("given", "current", "same"), [
    ("2", ["2"], True), ("2.0", ["2"], True), ("TRUE", ["true"], True), ("Outline", ["outline"], True),
    (["1", "7"], ["1", "7"], True), ("999", ["4"], False), ("<script>", ["Emboss"], False),
    ("nan", ["1"], False), ("inf", ["4"], False), (["1", "2"], ["1"], False)])
def test_same_value(given, current, same):
    assert urls.same_value(given, current) is same


def test_problem_text_cannot_inject_markup():
    text = urls.describe_problems([urls.Problem("k`ey", "`<script>alert(1)</script>`" + "x" * 100, "invalid")])
    assert text.count("`") == 2  # one code span: nothing inside is rendered
    assert len(text) < 80 and "…" in text


def test_urls_has_no_streamlit_and_share_still_offers_its_names():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(urls))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.split(".")[0] == "streamlit" for name in imported), imported
    for name in urls.__all__:  # app.py, ui.choice and older code read them through ui.share
        assert getattr(share, name) is getattr(urls, name), name


# --------------------------------------------------------------------------- the copy button

def test_copy_button_carries_the_link_and_texts_as_escaped_attributes():
    page = copy_button_html('https://h/?a="x"&b=<i>', label="Copy <b>", done="Done", failed="No", large=True)
    assert 'data-url="https://h/?a=&quot;x&quot;&amp;b=&lt;i&gt;"' in page
    assert ">Copy &lt;b&gt;</button>" in page and 'data-label="Copy &lt;b&gt;"' in page
    assert '<body class="large">' in page and page.count("<script") == 1
    assert '<body class="normal">' in copy_button_html("u", label="a", done="b", failed="c")


# --------------------------------------------------------------------------- round trips

def test_kernels_view_round_trips_through_the_shared_link():
    at = open_page(KERNELS, locale="ko-KR")
    at.selectbox(key="kernels_preset").set_value("outline").run()
    at.selectbox(key="kernels_mode").set_value("wrap").run()
    at.toggle(key="kernels_flip").set_value(True).run()
    at.button_group(key="kernels_signed").set_value("abs").run()
    keys = ["kernels_preset", "kernels_mode", "kernels_flip", "kernels_signed"]
    before = widget_state(at, keys)
    assert before == {"kernels_preset": "outline", "kernels_mode": "wrap", "kernels_flip": True,
                      "kernels_signed": "abs"}
    path, query = shared_link(at)
    assert path == "/kernels" and query["lang"] == "ko"
    assert query["kernels_preset"] == "outline" and query["kernels_mode"] == "wrap"  # ids, not labels
    # A student whose browser is English opens the link: same view, in Korean, no notice.
    student = open_link(URL_PATHS[path.strip("/")], query, locale="en-US")
    assert not student.exception
    assert widget_state(student, keys) == before
    assert student.session_state["lang"] == "ko"
    assert student.title[0].value == catalog("ko")["kernels.title"]
    assert not warnings(student)
    assert shared_link(student) == (path, query)  # and the student's link is the same link


def test_stride_view_round_trips_through_the_shared_link():
    at = open_page(STRIDE, locale="ko-KR")
    at.number_input(key="stride_stride").set_value(3).run()
    at.selectbox(key="stride_padding").set_value("2").run()
    at.number_input(key="stride_in_h").set_value(9).run()
    keys = ["stride_stride", "stride_padding", "stride_in_h", "stride_in_w"]
    before = widget_state(at, keys)
    assert before == {"stride_stride": 3, "stride_padding": "2", "stride_in_h": 9, "stride_in_w": 7}
    path, query = shared_link(at)
    assert path == "/stride"
    assert {k: query.get(k) for k in ("lang", "stride_stride", "stride_padding", "stride_in_h")} == \
        {"lang": "ko", "stride_stride": "3", "stride_padding": "2", "stride_in_h": "9"}
    assert "stride_in_w" not in query  # defaults stay out of the link, as in Streamlit's own URLs
    student = open_link(STRIDE, query, locale="en-US")
    assert not student.exception and not warnings(student)
    assert widget_state(student, keys) == before
    assert student.session_state["lang"] == "ko"


def test_params_view_round_trips_and_presentation_mode_is_not_shared():
    at = open_page(PARAMS, locale="en-US", query={"present": "true"})
    assert at.session_state["present"] is True
    assert any("font-size: 22px" in h.proto.body for h in at.get("html"))  # large text is on
    at.selectbox(key="params_arch").set_value("alexnet").run()
    at.toggle(key="params_dense").set_value(True).run()
    path, query = shared_link(at)
    assert "present" not in query  # the projector's large text is not forced on students
    student = open_link(URL_PATHS[path.strip("/")], query)
    assert widget_state(student, ["params_arch", "params_dense"]) == {"params_arch": "alexnet",
                                                                      "params_dense": True}
    assert not any("font-size: 22px" in h.proto.body for h in student.get("html"))
    assert not warnings(student)


# --------------------------------------------------------------------------- hostile links

HOSTILE_STRIDE = {
    "stride_stride": "1e308",         # huge
    "stride_in_h": "-5",              # negative size
    "stride_k_w": "NaN",
    "stride_padding": "<script>alert(1)</script>",
    "stride_op": "rm -rf /",
    "stride_in_w": "9" * 400,         # absurdly long number (crashes Streamlit 1.67 itself)
    "stride_k_h": "-inf",
    "stride_values": "",              # "cleared": Streamlit 1.67 would give a required control None
}


def test_hostile_values_give_defaults_and_a_notice():
    at = open_link(STRIDE, HOSTILE_STRIDE, locale="en-US")
    assert not at.exception, [e.value for e in at.exception]
    defaults = open_page(STRIDE, locale="en-US")
    keys = list(HOSTILE_STRIDE)
    assert widget_state(at, keys) == widget_state(defaults, keys)
    notice = warnings(at)
    assert catalog("en")["common.link.notice"].split(":")[0] in notice
    for key in HOSTILE_STRIDE:
        assert key in notice, (key, notice)
    assert "<script>" in notice and "`" in notice  # shown as literal text inside code spans
    # The link the page now offers is clean.
    _, query = shared_link(at)
    assert set(query) == {"lang"}


@pytest.mark.parametrize("query", [
    {"foo": "<script>alert(1)</script>"},
    {"utm_source": "x", "": "empty key"},
    {"lang": "klingon"},
    {"present": "maybe"},
])
def test_unknown_keys_and_bad_app_values_give_a_notice_on_the_page_that_opened(query):
    at = open_page("pages/home.py", locale="en-US", query=query)
    assert not at.exception
    assert at.session_state["lang"] == "en" and at.session_state["present"] is False
    notice = warnings(at)
    for key in query:
        if key:
            assert f"`{key}=" in notice, (key, notice)
    _, link = shared_link(at)
    assert set(link) == {"lang"}  # nothing of it is passed on


def test_a_misspelt_key_on_a_page_is_reported_and_not_passed_on():
    at = open_link(KERNELS, {"kernels_prest": "Outline"}, locale="en-US")
    assert "`kernels_prest=Outline`" in warnings(at)
    assert at.session_state["kernels_preset"] == "emboss"
    assert "kernels_prest" not in shared_link(at)[1]


def test_a_notice_is_shown_once_not_on_every_rerun():
    at = open_link(STRIDE, {"stride_stride": "99"}, locale="en-US")
    assert "stride_stride" in warnings(at)
    at.number_input(key="stride_in_h").set_value(8).run()
    assert not warnings(at)


def test_valid_default_values_in_a_link_are_not_reported():
    at = open_link(KERNELS, {"lang": "en", "kernels_preset": "Emboss", "kernels_flip": "FALSE"}, locale="en-US")
    assert not warnings(at)


# --------------------------------------------------------------------------- the lesson's links

def _lesson_links(locale):
    home = open_page("pages/home.py", locale=locale)
    links = []
    for link in home.get("page_link"):
        page = link.proto.page.strip("/")
        query = {k: v[0] for k, v in parse_qs(link.proto.query_string, keep_blank_values=True).items()}
        links.append((link.proto.label, page, query))
    return links


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_every_lesson_link_opens_its_page_with_the_linked_settings(locale):
    links = _lesson_links(locale)
    assert len(links) >= 12
    lang = locale[:2]
    opened = {}
    for label, page, query in links:
        assert page in URL_PATHS, (label, page)
        assert query.get("lang") == lang, (label, query)
        if len(query) == 1:
            continue  # a plain link into a page
        key = (page, tuple(sorted(query.items())))
        if key in opened:
            continue
        at = opened[key] = open_link(URL_PATHS[page], query, locale="en-US")
        assert not at.exception, (label, [e.value for e in at.exception])
        assert not warnings(at), (label, query, warnings(at))  # every value was accepted as given
        _, shared = shared_link(at)
        for name, value in query.items():
            # Each linked setting is either in the page's own link now, or equal to its default.
            assert shared.get(name, value) == value or name == "lang", (label, name, value, shared)


# --------------------------------------------------------------------------- hosting

def test_dockerfile_ships_everything_the_app_imports_and_checks_health():
    import ast
    import re

    from tests.conftest import ROOT

    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = {src.rstrip("/") for line in docker.splitlines() if line.startswith("COPY ")
              for src in line.split()[1:-1] if not src.startswith("--")}
    local = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "tests"}
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("convviz/**/*.py")]
    needed = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            needed |= {n.split(".")[0] for n in names if n.split(".")[0] in local}
    needed |= {"pages", "locales", "assets", ".streamlit", "requirements.txt", "app.py"}
    missing = {n for n in needed if n not in copied and f"{n}.py" not in copied}
    assert not missing, f"Dockerfile does not COPY {sorted(missing)}"
    assert re.search(r"^USER (?!root)\w+", docker, re.M), "the container must not run as root"
    assert "HEALTHCHECK" in docker and "/_stcore/health" in docker
    assert "--server.address=0.0.0.0" in docker and "python:3.11-slim" in docker
