"""A "copy link" button that the keyboard reaches, as a small document for ``st.iframe``.

Streamlit's own copy icon on ``st.code`` only appears on mouse hover and cannot be reached with
the Tab key. The markup is built here; the styles and the script are ``ui/static/copy_button.css``
and ``ui/static/copy_button.js``. The same document carries ``ui/static/sidebar.js``, which closes
the sidebar after a page change made from it in presentation mode and on small screens: this frame
is in the sidebar on every page.
"""
from __future__ import annotations

import html

from ui.static_files import static_text

__all__ = ["copy_button_html"]


def copy_button_html(url: str, *, label: str, done: str, failed: str, large: bool = False) -> str:
    """A self-contained page with one keyboard-focusable button that copies ``url``.

    For ``st.iframe`` (which runs scripts and allows ``clipboard-write``). The result is
    announced to screen readers through a polite live region. The link and the texts travel as
    escaped ``data-*`` attributes: nothing is pasted into the script.

    Parameters
    ----------
    url : str
        What the button copies.
    label, done, failed : str, keyword-only
        The button's text, and what it says (and announces) after copying or failing to.
    large : bool, keyword-only
        Presentation mode: larger text.

    Returns
    -------
    str
        One document, about 4 kB, for ``st.iframe`` (48 px high, 64 px when ``large``).

    Examples
    --------
    >>> page = copy_button_html("https://h/stride?lang=ko", label="Copy", done="Copied", failed="No")
    >>> 'data-url="https://h/stride?lang=ko"' in page and "<button" in page
    True
    >>> "</script><b>" in copy_button_html("</script><b>", label="x", done="y", failed="z")
    False
    """
    def attr(text: str) -> str:
        return html.escape(text, quote=True)

    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<style>\n{static_text('copy_button.css')}</style></head>"
        f'<body class="{"large" if large else "normal"}">\n'
        f'<button id="copy" type="button" data-url="{attr(url)}" data-label="{attr(label)}" '
        f'data-done="{attr(done)}" data-failed="{attr(failed)}">{attr(label)}</button>'
        '<span id="status" class="sr" role="status" aria-live="polite"></span>\n'
        f"<script>\n{static_text('copy_button.js')}\n{static_text('sidebar.js')}</script></body></html>"
    )
