"""The pages under a class trying to break them: hostile uploads, numbers, table cells and URLs.

Each test drives the real app through AppTest and asserts three things: no exception reaches
the page, a rejected input produces a visible message, and the page keeps working afterwards
(with the previous picture and the student's own settings).

Values AppTest sends here go straight to the server, like a hand-made websocket message or an
edited URL: the browser would clamp most of them, Streamlit's own checks reset out-of-range
numbers to the default, and whatever gets through must be handled by the page.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from tests.conftest import ROOT, texts
from tests.corpus import Sample, corpus
from tests.kernel_shown import kernel_tables, shows_kernel

PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py"))
KERNELS = "views/image_kernels.py"


def fresh(page: str, query: dict[str, str] | None = None):
    """A new session on ``page``, opened from a link carrying ``query``, run once.

    As in a browser, the session starts on the default page and the link's page and query
    arrive together in one page-changing run (``app.py`` cleans the URL at the start of it).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # AppTest finds a page by its path only once st.navigation has run
    if query:
        at.query_params.clear()
        at.query_params.update(query)
    at.switch_page(page)
    at.run()
    return at


def exceptions(at) -> list[str]:
    return [str(getattr(e, "value", e))[:300] for e in at.exception]


def messages(at) -> list[str]:
    """Visible error and warning texts."""
    return [str(e.value) for e in (*at.error, *at.warning)]


def find(at, kind: str, key: str):
    return next((w for w in at.get(kind) if w.key == key), None)


# ---------------------------------------------------------------- uploads


def _to_upload_source(at) -> None:
    # Select widgets take their *label* from the URL, so switch the source like a click does.
    at.segmented_control(key="kernels_source").set_value("upload")
    at.run()


def _upload(at, sample: Sample) -> None:
    if any(b.key == "kernels_upload_another" for b in at.button):  # a photo is in: ask for another
        at.button(key="kernels_upload_another").click().run()
    at.file_uploader(key="kernels_upload").set_value((sample.filename, sample.data, sample.mime))
    at.run()


def _settings(at) -> dict[str, object]:
    return {"preset": at.selectbox(key="kernels_preset").value, "mode": at.selectbox(key="kernels_mode").value,
            "flip": at.toggle(key="kernels_flip").value, "grey": at.toggle(key="kernels_grey").value,
            "signed": at.segmented_control(key="kernels_signed").value}


def test_every_corpus_upload_keeps_the_page_working():
    at = fresh(KERNELS)
    # The student's set-up before anything is uploaded: none of it may be lost.
    at.selectbox(key="kernels_preset").set_value("sobel_x")
    at.selectbox(key="kernels_mode").set_value("wrap")
    at.toggle(key="kernels_flip").set_value(True)
    at.segmented_control(key="kernels_signed").set_value("abs")
    at.segmented_control(key="kernels_source").set_value("upload")
    at.run()
    setup = _settings(at)
    assert setup == {"preset": "sobel_x", "mode": "wrap", "flip": True, "grey": False, "signed": "abs"}
    from ui.i18n import catalog

    previous = "cat.jpg"  # the first sample stands in until a good upload
    prefix = catalog("en")["kernels.upload_failed"]
    using_previous = catalog("en")["kernels.using_previous"]
    seen = {"image": 0, "error": 0}
    for sample in corpus():
        _upload(at, sample)
        where = f"upload {sample.name} ({sample.filename})"
        assert not exceptions(at), f"{where}: {exceptions(at)}"
        errors = [e for e in messages(at) if e.startswith(prefix)]
        label = at.session_state["cv_picture"].label
        outcome = sample.ui_outcome
        if outcome == "either":
            outcome = "error" if errors else "image"
        if outcome == "error":
            assert len(errors) == 1, f"{where}: expected one visible upload error, got {messages(at)}"
            assert len(errors[0]) > len(prefix) + 10, errors[0]
            assert label == previous, f"{where}: picture is {label}, expected the previous one ({previous})"
            assert using_previous.format(name=previous) in texts(at), f"{where}: no note about the previous picture"
        else:
            assert not errors, f"{where}: {errors}"
            assert label == sample.filename, where
            image = at.session_state["cv_picture"].image
            assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[0] * image.shape[1] <= 1_200_000
            if sample.shape is not None and not sample.options:
                assert image.shape == sample.shape, where
            previous = sample.filename
        seen[outcome] += 1
        # Whatever the file, the result is still computed with the student's settings.
        assert _settings(at) == setup, f"{where}: settings changed to {_settings(at)}"
        assert len(at.image) >= 2, f"{where}: before/after pictures missing"
        assert not at.info or "Fix the kernel" not in " ".join(i.value for i in at.info), where
    assert seen["image"] >= 20 and seen["error"] >= 20, seen
    # and the page still works with a sample afterwards
    at.segmented_control(key="kernels_source").set_value("sample")
    at.run()
    assert not exceptions(at) and at.session_state["cv_picture"].label == "cat.jpg"


def test_very_wide_strip_upload_is_shown():
    # st.image shrinks a picture to 1460 px wide: a 20000 x 1 strip became 0 rows and Pillow raised.
    at = fresh(KERNELS)
    _to_upload_source(at)
    _upload(at, next(s for s in corpus() if s.name == "strip_20000x1"))
    assert not exceptions(at), exceptions(at)
    assert at.session_state["cv_picture"].label == "long.png"


@pytest.mark.parametrize("name", ["tiny_1x1", "strip_Nx1", "strip_1xN", "strip_1x20000"])
def test_odd_shaped_upload_works_on_every_page(name):
    # The upload becomes st.session_state["cv_picture"].image, which the other pages pick up.
    at = fresh(KERNELS)
    _to_upload_source(at)
    sample = next(s for s in corpus() if s.name == name)
    _upload(at, sample)
    assert not exceptions(at), exceptions(at)
    assert at.session_state["cv_picture"].image.shape == sample.shape
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not exceptions(at), f"{page} with a {sample.shape} picture: {exceptions(at)}"


def test_bad_upload_first_falls_back_to_the_sample():
    at = fresh(KERNELS)
    _to_upload_source(at)
    bad = next(s for s in corpus() if s.name == "pdf")
    _upload(at, bad)
    assert not exceptions(at)
    assert any("PDF" in m for m in messages(at)), messages(at)
    assert at.session_state["cv_picture"].label == "cat.jpg"
    assert at.session_state["cv_picture"].image.shape[2] == 3


def test_upload_error_is_shown_in_korean():
    at = fresh(KERNELS, {"lang": "ko"})
    assert at.segmented_control(key="lang").value == "ko"
    _to_upload_source(at)
    _upload(at, next(s for s in corpus() if s.name == "png_bomb"))
    assert not exceptions(at)
    errs = messages(at)
    assert len(errs) == 1 and "megapixels" not in errs[0] and any("\uac00" <= ch <= "\ud7a3" for ch in errs[0]), errs


# ---------------------------------------------------------------- numbers


def _numeric_widgets(at) -> list:
    return [w for w in (*at.number_input, *at.slider) if w.key and not w.disabled]


def _is_float(w) -> bool:
    if w.type == "number_input":
        return w.proto.data_type == w.proto.FLOAT
    return isinstance(w.value, float)


def _bounds(w) -> tuple[float, float]:
    lo = getattr(w, "min", None)
    hi = getattr(w, "max", None)
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi)


def _in_range(w) -> bool:
    lo, hi = _bounds(w)
    values = w.value if isinstance(w.value, (tuple, list)) else (w.value,)
    return all(v is None or (isinstance(v, (int, float)) and math.isfinite(v) and lo <= v <= hi) for v in values)


@pytest.mark.parametrize("page", PAGES)
def test_out_of_range_numbers_on_every_page(page):
    at = fresh(page)
    assert not exceptions(at), exceptions(at)
    widgets = _numeric_widgets(at)
    if not widgets:
        pytest.skip(f"{page} has no numeric controls (yet)")
    originals = {w.key: w.value for w in widgets}
    # Every numeric control gets the same hostile value in one run (what matters is that no
    # combination crashes); NaN only where the control holds floats (an int box cannot).
    for value in (0, -1, 10**9, "nan", "max+1", "max", "min"):
        touched = []
        for w in _numeric_widgets(at):
            if isinstance(w.value, (tuple, list)):
                continue  # range sliders: set as pairs below
            if value == "nan":
                if not _is_float(w):
                    continue
                v = math.nan
            elif value in ("max+1", "max", "min"):
                # the edges: one past the top, and every control at its top / bottom together
                lo, hi = _bounds(w)
                v = {"max+1": 10**12 if math.isinf(hi) else hi + 1, "max": 10**9 if math.isinf(hi) else hi,
                     "min": -(10**9) if math.isinf(lo) else lo}[value]
                v = float(v) if _is_float(w) else int(v)
            else:
                v = float(value) if _is_float(w) else value
            w.set_value(v)
            touched.append(w.key)
        if not touched:
            continue
        at.run()
        where = f"{page}: {touched} = {value}"
        assert not exceptions(at), f"{where}: {exceptions(at)}"
        for key in touched:
            w = next((x for x in _numeric_widgets(at) if x.key == key), None)
            if w is None:
                continue  # the control is hidden for this combination
            # Out of range must not be silently *used*: reset into range, or a visible message.
            assert _in_range(w) or messages(at), f"{where}: {key} kept {w.value} without a message"
    # back to the original values: the page works again
    for w in _numeric_widgets(at):
        if w.key in originals:
            w.set_value(originals[w.key])
    at.run()
    assert not exceptions(at), exceptions(at)


# ---------------------------------------------------------------- table cells

HOSTILE_CELLS = [math.nan, 1e39, -1, "9" * 5000, "<script>alert(1)</script>"]


#: Pages whose editable table appears only with a "custom" choice: (selectbox key, option).
TABLE_SETUP = {KERNELS: ("kernels_preset", "custom"), "views/inside_conv.py": ("inside_mix", "custom")}
#: Pages whose tables appear when a link asks for them (the stride page's typed input and kernel).
TABLE_QUERY = {"views/stride_padding.py": {"stride_values": "typed", "stride_weights": "typed"}}


def _setup_table(at, page: str) -> None:
    if page == "views/inside_conv.py":  # the 1x1 tab (only the open tab runs)
        from ui.i18n import catalog

        at.session_state["inside_tab"] = "mix"
        at.run()
    if page in TABLE_SETUP:
        key, option = TABLE_SETUP[page]
        box = find(at, "selectbox", key)
        if box is not None:
            box.set_value(option)
            at.run()


def _edit(at, key: str, column: str, cell: object) -> None:
    at.session_state[key] = {"edited_rows": {0: {column: cell}}, "added_rows": [], "deleted_rows": []}
    at.run()


@pytest.mark.parametrize("page", PAGES)
def test_hostile_table_cells_on_every_page(page):
    at = fresh(page, TABLE_QUERY.get(page))
    _setup_table(at, page)
    editors = [(e.key, [str(c) for c in e.value.columns]) for e in at.data_editor if e.key]
    if not editors:
        pytest.skip(f"{page} has no editable tables (yet)")
    for key, columns in editors:
        # One cell at a time (row 0): a hostile cell elsewhere in the row could hide the next one.
        for column in columns:
            for cell in HOSTILE_CELLS:
                _edit(at, key, column, cell)
                assert not exceptions(at), f"{page} {key}[0, {column!r}] = {cell!r:.40}: {exceptions(at)}"
        _edit(at, key, columns[0], None)
        at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
        at.run()
        assert not exceptions(at), f"{page} {key}: after restoring: {exceptions(at)}"


def test_custom_kernel_rejects_bad_cells_with_a_message():
    at = fresh(KERNELS)
    at.selectbox(key="kernels_preset").set_value("custom")
    at.run()
    # An emptied cell (NaN) is reported as empty, not as "nan".
    for cell, shown in ((math.nan, "Empty cell"), (1e39, "1e+39"), ("1e999", "inf")):
        at.session_state["kernels_custom_3"] = {"edited_rows": {1: {"2": cell}}, "added_rows": [], "deleted_rows": []}
        at.run()
        assert not exceptions(at)
        errs = messages(at)
        assert len(errs) == 1 and "row 2, column 2" in errs[0] and shown in errs[0], (cell, errs)
    at.session_state["kernels_custom_3"] = {"edited_rows": {1: {"2": 9}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not messages(at) and not exceptions(at)
    assert shows_kernel(at, [[-1, -1, -1], [-1, 9, -1], [-1, -1, -1]])


# ---------------------------------------------------------------- URLs

HOSTILE_VALUES = ["<script>alert(1)</script>" + "A" * 5000 + "%00\u202e'; DROP TABLE students; --",
                  "1000000000", "-5", "nan", "inf", ""]
#: Query values a browser never sends to the page, so AppTest results for them say nothing:
#: for a required segmented control Streamlit's frontend restores the default before the run
#: (``?kernels_signed=`` runs fine in Chromium, checked with ``streamlit run``), while AppTest
#: hands the page ``None``.
NOT_FROM_A_BROWSER = {("button_group", "")}
def _bound_keys(at) -> dict[str, str]:
    kinds = ("number_input", "slider", "select_slider", "selectbox", "toggle", "checkbox", "radio",
             "button_group", "multiselect", "text_input", "text_area")
    return {w.key: kind for kind in kinds for w in at.get(kind) if w.key}


@pytest.mark.parametrize("page", PAGES)
def test_hostile_query_strings_on_every_page(page):
    keys = _bound_keys(fresh(page))
    for i, value in enumerate(HOSTILE_VALUES):
        query = {key: value for key, kind in keys.items()
                 if (kind, value) not in NOT_FROM_A_BROWSER}
        query.update({"unknown_key": value, f"x{i}": "<img src=x onerror=alert(1)>"})
        if value != "":
            query["lang"] = value
        at = fresh(page, query)
        assert not exceptions(at), f"{page} ?*={value!r:.40}: {exceptions(at)}"
        assert at.title, f"{page} ?*={value!r:.40}: no page title, the page did not render"
        # A value that ends up on the page is shown as text, never injected as HTML.
        for el in at.get("html"):
            assert "<script>alert(1)" not in el.proto.body and "onerror=alert" not in el.proto.body, page


def test_hostile_query_on_the_upload_source_does_not_fake_an_upload():
    at = fresh(KERNELS, {"kernels_source": "Upload", "kernels_upload": "/etc/passwd", "cv_picture": "x",
                         "_cv_upload": "x", "_cv_upload_replace": "true"})
    assert not exceptions(at)
    assert at.segmented_control(key="kernels_source").value == "upload"  # the label seeded it
    assert not at.file_uploader(key="kernels_upload").value
    assert at.session_state["cv_picture"].label == "cat.jpg"


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "1e999,0,0;0,1,0;0,0,0", "nan,0,0;0,1,0;0,0,0",
                                  "1,2;3,4", "1,2,3", "9" * 5000, ";;;", "1e-320,1,1e-320;0,0,0;0,0,0",
                                  "1e308,1e308,1e308;1e308,1e308,1e308;1e308,1e308,1e308"])
def test_hostile_custom_kernel_links(text):
    # The custom kernel travels in the link as ?kernels_custom=a,b,c;d,e,f;... (ui/kernel_widgets).
    from ui.i18n import catalog

    custom = catalog("en")["kernels.presets.custom.name"]
    at = fresh(KERNELS, {"lang": "en", "kernels_preset": custom, "kernels_custom": text})
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="kernels_preset").value == "custom"
    # No kernel (the link was refused) or a finite one: never "nan" or "inf" in the table.
    assert all("nan" not in body and "inf" not in body for body in kernel_tables(at))


def test_valid_custom_kernel_link_is_applied():
    from ui.i18n import catalog

    custom = catalog("en")["kernels.presets.custom.name"]
    at = fresh(KERNELS, {"lang": "en", "kernels_preset": custom, "kernels_custom": "0,0,0;0,2,0;0,0,0"})
    assert not exceptions(at) and not messages(at)
    assert shows_kernel(at, [[0, 0, 0], [0, 2, 0], [0, 0, 0]])
