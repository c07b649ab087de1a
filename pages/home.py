"""Landing page: what ConvViz teaches and where to start."""
import streamlit as st

from ui.i18n import t

st.title(t("home.title"))
st.markdown(t("home.intro"))
for page, key in (("pages/image_kernels.py", "kernels"), ("pages/stride_padding.py", "stride"),
                  ("pages/parameter_counts.py", "params"), ("pages/inside_conv.py", "inside")):
    st.page_link(page, label=t(f"common.nav.{key}"), icon=":material/arrow_forward:")
    st.caption(t(f"home.{key}"))
