"""What the Image Kernels page says when there is no uploaded picture to show.

The real failover (a replica killed under a live browser) is in ``tests/deploy/``; these check
the messages themselves, in both languages.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import open_link, texts
from ui.common.i18n import catalog


def _notice_app(value, had_previous: bool, lang: str) -> AppTest:
    def script(value, had_previous, lang):
        import streamlit as st

        from ui.server.lost_upload import missing_picture_notice

        st.session_state["lang"] = lang
        st.session_state["up"] = value
        missing_picture_notice("up", "cat.jpg", had_previous=had_previous)

    return AppTest.from_function(script, args=(value, had_previous, lang)).run()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_lost_upload_is_a_warning_not_a_silent_fallback(lang):
    from streamlit.runtime.uploaded_file_manager import DeletedFile

    at = _notice_app(DeletedFile("gone-with-its-replica"), True, lang)
    assert [w.value for w in at.warning] == [catalog(lang)["kernels.upload_lost"].format(name="cat.jpg")]
    assert not at.caption


@pytest.mark.parametrize("had_previous, key", [(True, "kernels.using_previous"), (False, "kernels.no_upload_yet")])
def test_no_upload_says_previous_only_when_there_was_one(had_previous, key):
    at = _notice_app(None, had_previous, "en")
    assert not at.warning
    assert [c.value for c in at.caption] == [catalog("en")[key].format(name="cat.jpg")]


def test_a_fresh_link_to_the_upload_source_does_not_speak_of_a_previous_picture():
    at = open_link("views/image_kernels.py", {"kernels_source": "Upload", "lang": "en"})
    assert not at.exception
    shown = texts(at)
    assert catalog("en")["kernels.no_upload_yet"].format(name="cat.jpg") in shown
    assert "previous picture" not in shown and not at.warning
