"""Showing a :class:`convviz.ConvVizError` to a student in their language: the one translator of every page.

The message of each code of :data:`convviz.errors.ERROR_CODES` is ``errors.<code>`` in
``locales/<lang>/errors.toml``, filled with the error's ``params``. Names inside the params
(``param``, ``column``, ``axis``) become words first: the label a page gives them (the control or
table column the student must change), else ``errors.param.<name>`` / ``errors.axis.<name>``.

>>> from convviz import GeometryError
>>> from ui.common.i18n import speaking
>>> err = GeometryError("stride must be >= 1, got 0", "too_small", param="stride", value=0, minimum=1)
>>> with speaking("en"):
...     describe(err), describe(err, labels={"stride": "Stride"})
('stride must be at least 1 (got 0).', 'Stride must be at least 1 (got 0).')
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

from convviz import ConvVizError
from ui.common.i18n import catalog, current_language, t

#: The params that hold a name (of an argument, a table column, an axis) rather than a value.
_NAMED = {"param": "errors.param", "column": None, "axis": "errors.axis"}
#: Characters Streamlit's markdown would read as formatting (emphasis, code, links, HTML, maths,
#: tables, ``:color[...]`` and ``:icon:`` directives, entities): escaped in quoted values.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$:&!])")


def plain(text: object) -> str:
    r"""``text`` escaped so that Streamlit's markdown shows it as typed.

    A message quotes what a student pasted or a link carried (``__import__``, ``$x$``,
    ``<b>``); unescaped, markdown would make it bold, maths or nothing.

    >>> print(plain("__import__('os')"), plain("a*b $x$"))
    \_\_import\_\_('os') a\*b \$x\$
    """
    return _MARKDOWN.sub(r"\\\1", str(text))


def word(kind: str, name: object, labels: Mapping[str, str] | None = None) -> str:
    """The word a student reads for the name in param ``kind`` (``"param"``, ``"column"`` or ``"axis"``).

    >>> from ui.common.i18n import speaking
    >>> with speaking("en"):
    ...     word("axis", "height"), word("param", "output_padding"), word("param", "some_thing")
    ('Height', 'output padding', 'some thing')
    """
    if labels and name in labels:
        return labels[name]  # type: ignore[index]
    table = _NAMED.get(kind)
    text = catalog(current_language()).get(f"{table}.{name}") if table else None
    return text if text is not None else str(name).replace("_", " ")


def describe(err: ConvVizError, *, labels: Mapping[str, str] | None = None) -> str:
    """The error's message in the current language.

    Parameters
    ----------
    err : ConvVizError
    labels : mapping, optional
        Words for names the page shows differently (``{"stride": t("stride.stride")}``); for
        ``axis`` values too (``{"height": ..., "width": ...}`` when both axes are one setting).

    An error without a code, or whose params do not fill its message, shows ``errors.generic``
    around the English message (never a raw key, never a crash).
    """
    cat = catalog(current_language())
    template = cat.get(f"errors.{err.code}") if err.code else None
    if template is not None:
        # values are quoted as typed (escaped); names become the page's words
        params = {k: plain(v) if isinstance(v, (str, tuple, list)) else v for k, v in err.params.items()}
        for kind in _NAMED:
            if isinstance(err.params.get(kind), str):
                params[kind] = word(kind, err.params[kind], labels)
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            pass
    return t("errors.generic", message=plain(err))


def show_error(err: ConvVizError, *, prefix_key: str | None = None,
               labels: Mapping[str, str] | None = None) -> None:
    """``st.error`` with :func:`describe`'s message, after the text of ``prefix_key`` when given."""
    text = describe(err, labels=labels)
    st.error(f"{t(prefix_key)} {text}" if prefix_key else text, icon=":material/error:")
