"""ConvViz entry point: page config, language switch and navigation over ``pages/``."""
import streamlit as st

from ui.i18n import LANGUAGES, browser_language, t

st.set_page_config(page_title="ConvViz", page_icon=":material/grid_on:", layout="wide")

# The language lives in the URL (?lang=ko) so a shared link opens in the same language.
st.sidebar.segmented_control(
    ":material/translate: Language / 언어",
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    default=browser_language(),
    key="lang",
    bind="query-params",
    required=True,
)

PAGES = [
    st.Page("pages/home.py", title=t("common.nav.home"), icon=":material/school:", url_path="home", default=True),
    st.Page("pages/image_kernels.py", title=t("common.nav.kernels"), icon=":material/filter_vintage:", url_path="kernels"),
    st.Page("pages/stride_padding.py", title=t("common.nav.stride"), icon=":material/grid_4x4:", url_path="stride"),
    st.Page("pages/parameter_counts.py", title=t("common.nav.params"), icon=":material/calculate:", url_path="params"),
    st.Page("pages/inside_conv.py", title=t("common.nav.inside"), icon=":material/layers:", url_path="inside"),
]
st.navigation(PAGES).run()
