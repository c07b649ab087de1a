"""Navigation helpers: the start page also answers at ``/home``."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

#: The browser tab's icon, shipped with the app (a material icon would be fetched from a font CDN).
PAGE_ICON = str(Path(__file__).resolve().parent.parent / "assets" / "icon.png")


def home_alias(home: str = "pages/home.py") -> st.Page:
    """A hidden page at ``/home`` that opens the start page (the default page lives at ``/``).

    Without it ``/home`` (the start page's own ``url_path``, and what people type) shows
    Streamlit's "Page not found" dialog. The query string (``?lang=ko``) is kept.
    """
    def home_page() -> None:
        st.switch_page(home, query_params={key: st.query_params.get_all(key) for key in st.query_params})

    return st.Page(home_page, url_path="home", visibility="hidden")
