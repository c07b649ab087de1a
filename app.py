"""ConvViz entry point: page config, language switch, presentation mode, share link, navigation."""
import streamlit as st

from ui.common import keys, nav, presentation, share
from ui.common.copy_button import copy_button_html, link_box_html
from ui.common.i18n import LANGUAGES, browser_language, t
from ui.server import runtime, throttle

st.set_page_config(page_title="ConvViz", page_icon=nav.PAGE_ICON, layout="wide")  # icon shipped, no CDN
share.begin_run()  # remember the URL this run starts from, before any widget consumes it

# The language lives in the URL (?lang=ko) so a shared link opens in the same language. It is
# synced by hand rather than with bind="query-params", which would write the option's label
# (?lang=한국어) into the URL. A language in the URL wins (a link was opened, or the switch's
# callback just wrote it); otherwise the session keeps its choice, and a new session starts in
# the browser's language. keys.LANG_REMEMBERED remembers the choice because a page change through
# st.page_link resets the switch's own widget state.
chosen = share.language_from_url() or st.session_state.get(keys.LANG)
if chosen not in LANGUAGES:
    remembered = st.session_state.get(keys.LANG_REMEMBERED)
    chosen = remembered if remembered in LANGUAGES else browser_language()
st.session_state[keys.LANG] = st.session_state[keys.LANG_REMEMBERED] = chosen


def _language_changed() -> None:
    st.query_params[keys.LANG] = st.session_state[keys.LANG]


lang = st.sidebar.segmented_control(
    ":material/translate: " + t("common.language_switch"),
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key=keys.LANG,
    required=True,
    on_change=_language_changed,
) or chosen
if st.query_params.get(keys.LANG) != lang:
    st.query_params[keys.LANG] = lang  # so the address bar is a complete link, too

large = st.sidebar.toggle(t("common.presentation"), key=keys.PRESENT, bind="query-params",
                          help=t("common.presentation_help"))
presentation.apply(large)
share_box = st.sidebar.container()  # filled after the page ran, when its controls exist

PAGES = [
    # A default page answers only at "/": its url_path is a name for Streamlit, never in a link.
    st.Page("views/home.py", title=t("common.nav.home"), icon=":material/school:", url_path="index", default=True),
    st.Page("views/image_kernels.py", title=t("common.nav.kernels"), icon=":material/filter_vintage:",
            url_path="kernels"),
    st.Page("views/stride_padding.py", title=t("common.nav.stride"), icon=":material/grid_4x4:", url_path="stride"),
    st.Page("views/receptive_field.py", title=t("common.nav.receptive"), icon=":material/center_focus_strong:",
            url_path="receptive"),
    st.Page("views/parameter_counts.py", title=t("common.nav.params"), icon=":material/calculate:", url_path="params"),
    st.Page("views/learn.py", title=t("common.nav.learn"), icon=":material/model_training:", url_path="learn"),
    st.Page("views/inside_conv.py", title=t("common.nav.inside"), icon=":material/layers:", url_path="inside"),
    nav.home_alias(),  # /home (old links, typed addresses) opens the start page, not "Page not found"
    nav.home_alias("start"),  # so does /start
]
page = st.navigation(PAGES)
notice = st.container()  # above the page: what a shared link asked for that could not be used
entry = share.is_entry_run(page.url_path)
with throttle.SCRIPT_RUNS:  # a class clicking at once queues here (see ui/server/throttle.py)
    page.run()

# After the page ran, its controls exist: check the link against them and offer the link back.
problems = share.check_link(entry=entry)
if problems:
    lines = []
    invalid = [p for p in problems if p.kind == "invalid"]
    unknown = [p for p in problems if p.kind == "unknown"]
    if invalid:
        lines.append(t("common.link.notice", items=share.describe_problems(invalid)))
    if unknown:
        lines.append(t("common.link.unknown", items=share.describe_problems(unknown)))
    notice.warning("  \n".join(lines), icon=":material/link_off:")
link = share.share_url(page.url_path, lang)
live = share.live_keys()  # kept in step by a fragment: read from the address bar when used (ui/common/copy_button.py)
with share_box:
    # A real button (keyboard-focusable, announced to screen readers) that copies the link.
    st.iframe(copy_button_html(link, label=t("common.share.title"), done=t("common.share.copied"),
                               failed=t("common.share.copy_failed"), large=large, live=live),
              height=64 if large else 48, alt=t("common.share.button_alt"))
    with st.expander(t("common.share.show"), icon=":material/link:"):
        st.iframe(link_box_html(link, label=t("common.share.link_alt"), large=large, live=live),
                  height=130 if large else 100, alt=t("common.share.link_alt"))
        st.caption(t("common.share.help", language=LANGUAGES[lang]))
        st.caption(t("common.share.sent_without"))

runtime.settle()  # after the page ran: its imports are done (see ui/server/runtime.py)
