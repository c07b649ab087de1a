"""A small page with only the Learn page's "Try it" section, for tests/browser/test_try_it_browser.py.

``streamlit run tests/browser/try_it_app.py`` (from the repository's root): two tiny networks
trained once per process (tests/ui/learn/tiny_nets.py), the language from ``?lang=`` as in app.py.
"""
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # streamlit puts the script's folder on the path, not the repository's root
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402

from tests.ui.learn.tiny_nets import NAMES, tiny_results  # noqa: E402
from ui.common import keys  # noqa: E402
from ui.common.i18n import current_language  # noqa: E402
from ui.learn import try_it  # noqa: E402

if __name__ == "__main__":  # as streamlit runs it (pytest's doctest collection only imports it)
    st.session_state[keys.LANG] = "ko" if st.query_params.get("lang") == "ko" else "en"
    st.title("Try it")
    try_it.render(tiny_results(), names=NAMES[current_language()])
