"""Navigation helpers: the start page also answers at ``/home`` and ``/start``."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

#: The browser tab's icon, shipped with the app (a material icon would be fetched from a font CDN).
PAGE_ICON = str(Path(__file__).resolve().parents[2] / "assets" / "icon.png")


def home_alias(url_path: str = "home", home: str = "views/home.py") -> st.Page:
    """A hidden page at ``/<url_path>`` that opens the start page (the default page lives at ``/``).

    Without it ``/home`` (what people type) and ``/start`` (the name the start page had in
    links) show Streamlit's "Page not found" dialog: a default page answers only at ``/``, whatever
    its own ``url_path``. The query string (``?lang=ko``) is kept.
    """
    def home_page() -> None:
        st.switch_page(home, query_params={key: st.query_params.get_all(key) for key in st.query_params})

    return st.Page(home_page, url_path=url_path, visibility="hidden")
