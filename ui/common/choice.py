"""Select widgets whose URL value is a language-neutral id (``?kernels_preset=sobel_x``).

Streamlit 1.67 writes a bound select widget's *formatted label* into the URL
(``bind="query-params"`` gives ``?kernels_preset=Sobel+x+(vertical+edges)``): the address bar
then depends on the language, and a link made in English no longer matches the Korean labels.
The browser writes that URL itself, so no server-side hook can change it. Select widgets
therefore do not use ``bind``; :func:`choice` keeps the URL in step by hand, the way ``app.py``
does for ``?lang=``:

* the options are the ids (``"sobel_x"``, ``"wrap"``, ``3``) and ``format_func`` only shows
  them, so the visible text follows the language switch at once while the value stays put;
* the id is read from the URL before the widget exists (a link or the address bar wins) and
  written back when the user changes it (in the widget's callback, so the next run sees it);
* an old link that carries a label (in any language) still opens the same view; anything
  else is reported through :func:`ui.common.share.query_param` and the default is used.

Number inputs and toggles keep ``bind="query-params"``: their URL values (``3``, ``true``)
are the same in every language.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.common import keys, share
from ui.common.i18n import LANGUAGES, current_language, speaking

#: What :func:`choice` can draw.
KINDS = ("selectbox", "segmented_control", "select_slider", "radio")


def url_text(option: Any) -> str:
    """The text an option has in the URL: its id (``"sobel_x"``, ``"3"``).

    >>> url_text("sobel_x"), url_text(7)
    ('sobel_x', '7')
    """
    return str(option)


def find_option(text: str, options: Sequence[Any], labels: Callable[[Any], str] | None = None) -> Any:
    """The option ``text`` names: its id (any case), else its label in any language.

    Raises ``KeyError`` when nothing matches (so :func:`ui.common.share.query_param` reports it).

    >>> find_option("SOBEL_X", ["emboss", "sobel_x"])
    'sobel_x'
    >>> find_option("7 × 7", [3, 5, 7], lambda n: f"{n} × {n}")
    7
    """
    wanted = " ".join(text.split()).casefold()
    for option in options:
        if url_text(option).casefold() == wanted:
            return option
    if labels is not None:
        for lang in LANGUAGES:
            with speaking(lang):
                for option in options:
                    if " ".join(str(labels(option)).split()).casefold() == wanted:
                        return option
    raise KeyError(text)


def _sync_url(key: str, default: Any, then: Callable[..., None] | None, args: tuple, kwargs: dict) -> None:
    """Widget callback: the new id goes into the URL before the rerun reads it."""
    write_url(key, st.session_state.get(key), default)
    if then is not None:
        then(*args, **kwargs)


def write_url(key: str, value: Any, default: Any) -> None:
    """Put ``value``'s id into ``?key=`` (or drop the key when it is the default, as Streamlit does)."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != url_text(value):
        st.query_params[key] = url_text(value)


def choice(kind: str, label: str, options: Sequence[Any], *, key: str, default: Any = None,
           format_func: Callable[[Any], str] = str, where: Any = None, on_change: Callable[..., None] | None = None,
           args: tuple = (), kwargs: dict | None = None, **widget_kwargs: Any) -> Any:
    """Draw a select widget (``kind`` from :data:`KINDS`) whose value travels in the URL by id.

    Parameters
    ----------
    kind : str
        ``"selectbox"``, ``"segmented_control"``, ``"select_slider"`` or ``"radio"``.
    label : str
        The translated label.
    options : sequence
        The ids (what the page works with and what the URL holds).
    key : str
        Widget key and URL parameter name (``kernels_preset``).
    default : optional
        Value when neither the URL nor the session chose one (first option if omitted).
    format_func : callable
        Id -> visible (translated) text.
    where : optional
        The container to draw in (``st`` when omitted), e.g. a column.
    on_change, args, kwargs : optional
        Called after the URL is updated, like a widget callback.
    **widget_kwargs
        Passed on (``help``, ``disabled``, ``required`` ...).

    Returns
    -------
    The chosen id.
    """
    options = list(options)
    default = options[0] if default is None else default
    wanted = share.query_param(key, lambda text: find_option(text, options, format_func), None)
    share.managed(key)
    langs = st.session_state.setdefault(keys.CHOICE_LANGS, {})
    if wanted is not None and st.session_state.get(key) != wanted:
        st.session_state[key] = wanted  # a link or the address bar: the URL wins, as for ?lang=
    elif st.session_state.get(key) not in options:
        st.session_state[key] = default  # first time, or options changed under it
    elif langs.get(key) not in (None, current_language()):
        # The browser's widget holds its option as *text*: after a language switch it would keep
        # showing the old label. Writing the (same) value makes Streamlit send the new label.
        st.session_state[key] = st.session_state[key]
    langs[key] = current_language()
    draw = getattr(where if where is not None else st, kind)
    value = draw(label, options, format_func=format_func, key=key, on_change=_sync_url,
                 args=(key, default, on_change, args, kwargs or {}), **widget_kwargs)
    write_url(key, value, default)  # a label from an old link becomes the id; defaults leave the URL
    return value


def tabs(labels: dict[str, str], *, key: str, default: str | None = None) -> list[Any]:
    """``st.tabs`` whose active tab is kept in ``?key=<id>`` (``labels``: id -> translated text).

    ``st.tabs`` remembers its tab by label, so the widget is keyed per language: after a
    language switch a fresh tab bar opens on the same tab id.
    """
    ids = list(labels)
    default = ids[0] if default is None else default
    wanted = share.query_param(key, lambda text: find_option(text, ids, labels.__getitem__), None)
    share.managed(key)
    current = wanted if wanted is not None else st.session_state.get(key, default)
    current = current if current in ids else default
    st.session_state[key] = current
    # Keyed by the labels' language and the tab shown, so the widget never has to be moved by
    # writing its state (which Streamlit forbids next to a default): a new tab bar opens on it.
    words = hashlib.sha1("|".join(labels[i] for i in ids).encode()).hexdigest()[:8]
    widget_key = f"_{key}_{words}_{current}"
    by_label = {labels[i]: i for i in ids}

    def changed() -> None:
        picked = by_label.get(st.session_state.get(widget_key), default)
        st.session_state[key] = picked
        write_url(key, picked, default)

    containers = st.tabs([labels[i] for i in ids], default=labels[current], key=widget_key, on_change=changed)
    write_url(key, current, default)
    return list(containers)
