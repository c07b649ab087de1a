"""The sidebar's link to this view: a "copy link" button and the link itself, as small documents for ``st.iframe``.

Streamlit's own copy icon on ``st.code`` only appears on mouse hover and cannot be reached with
the Tab key, so the button is ours. Both documents build the link in the browser when it is used
(:func:`copy_button_html` on a click, :func:`link_box_html` twice a second): the server's link
(``data-url``) with the parameters named in ``data-live`` taken from the page's own address.
Those are the parameters of a fragment (the pixel inspector): it reruns without the rest of the
app, so the server's link, written at the end of the last full run, would lag behind it.
The markup is built here; the styles and the script are ``ui/static/copy_button.css`` and
``ui/static/copy_button.js``.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

from ui.common.static_files import static_text

__all__ = ["copy_button_html", "link_box_html"]


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _document(body: str, *, large: bool, scripts: tuple[str, ...] = ("copy_button.js",)) -> str:
    code = "\n".join(static_text(name) for name in scripts)  # one <script>: tests/ui/common/test_static_files.py
    return ('<!doctype html><html><head><meta charset="utf-8">'
            f"<style>\n{static_text('copy_button.css')}</style></head>"
            f'<body class="{"large" if large else "normal"}">\n{body}\n'
            f"<script>\n{code}</script></body></html>")


def _link_attrs(url: str, live: Iterable[str]) -> str:
    return f'data-url="{_attr(url)}" data-live="{_attr(" ".join(sorted(live)))}"'


def copy_button_html(url: str, *, label: str, done: str, failed: str, large: bool = False,
                     live: Iterable[str] = ()) -> str:
    """A self-contained page with one keyboard-focusable button that copies the link to this view.

    For ``st.iframe`` (which runs scripts and allows ``clipboard-write``). The result is
    announced to screen readers through a polite live region. The link and the texts travel as
    escaped ``data-*`` attributes: nothing is pasted into the script.

    Parameters
    ----------
    url : str
        The link as the server wrote it.
    label, done, failed : str, keyword-only
        The button's text, and what it says (and announces) after copying or failing to.
    large : bool, keyword-only
        Presentation mode: larger text.
    live : iterable of str, keyword-only
        Query parameters a fragment keeps in step (:func:`ui.common.share.live`): copied from the page's
        address at the moment of the click.

    Returns
    -------
    str
        One document, about 4 kB, for ``st.iframe`` (48 px high, 64 px when ``large``).

    Examples
    --------
    >>> page = copy_button_html("https://h/stride?lang=ko", label="Copy", done="Copied", failed="No",
    ...                         live=["b", "a"])
    >>> 'data-url="https://h/stride?lang=ko"' in page and 'data-live="a b"' in page and "<button" in page
    True
    >>> "</script><b>" in copy_button_html("</script><b>", label="x", done="y", failed="z")
    False
    """
    return _document(
        f'<button id="copy" type="button" {_link_attrs(url, live)} data-label="{_attr(label)}" '
        f'data-done="{_attr(done)}" data-failed="{_attr(failed)}">{_attr(label)}</button>'
        '<span id="status" class="sr" role="status" aria-live="polite"></span>', large=large,
        scripts=("copy_button.js", "sidebar.js"))


def link_box_html(url: str, *, label: str, large: bool = False, live: Iterable[str] = ()) -> str:
    """The link to this view as read-only text to select and copy, kept up to date like the button's.

    Examples
    --------
    >>> page = link_box_html("https://h/kernels?a=1&b=<2>", label="The link", live=["kernels_px_row"])
    >>> '<textarea id="link"' in page and 'aria-label="The link"' in page and "&lt;2&gt;</textarea>" in page
    True
    """
    return _document(
        f'<textarea id="link" readonly rows="4" spellcheck="false" aria-label="{_attr(label)}" '
        f'{_link_attrs(url, live)}>{_attr(url)}</textarea>', large=large)
