"""Pixel inspector, on the Image Kernels page.

The inspector lets a student pick one output pixel, by clicking the result picture (the
click-to-pick chart of :mod:`ui.common.pick`) or by typing its row and column,
and shows the multiply-add behind it: neighbourhood x weights = products, their sum,
rounding, clipping and the final value. All numbers come from :mod:`convviz.filters.inspector`.
"""
from __future__ import annotations

import html

import altair as alt
import numpy as np
import streamlit as st

import convviz
from convviz.filters import PixelComputation, float32_tie, inspect_pixel, magnify, neighbourhood_patch
from convviz.numbers import format_number, format_shape, format_significant, format_values
from convviz.pictures import CROSSHAIR, GREYS, PLANE_COLOURS
from ui.common import keys, share
from ui.common.i18n import current_language, t
from ui.common.messages import show_error
from ui.common.number_cells import PLANE_NAMES, cell_html, signed_colour, table_html
from ui.common.photo import Picture
from ui.common.pick import pick_chart, pick_layers, pick_spec
from ui.server.throttle import HEAVY_WORK

ROW_KEY, COL_KEY, PICK_KEY, OPEN_KEY = keys.INSPECT_ROW, keys.INSPECT_COL, keys.INSPECT_PICK, keys.INSPECT_OPEN
#: Width of each zoomed patch (input and output side by side).
ZOOM_WIDTH = 190
#: Decimals of a sum before rounding: enough to see on which side of .5 it lies.
SUM_PLACES = 4


# ----------------------------------------------------------------------------- pixel inspector
def _ensure_position(key: str, size: int) -> None:
    """Keep a row / column inside the current picture (it may have been smaller or larger)."""
    value = st.session_state.get(key)
    if key not in st.session_state:
        st.session_state[key] = size // 2
    elif value is not None and not 0 <= value < size:
        st.session_state[key] = int(min(max(value, 0), size - 1))


@st.cache_data(max_entries=64, show_spinner=False)
def _pick_spec(h: int, w: int, half: tuple[int, int], lang: str) -> dict:
    """The click-to-pick chart's Vega-Lite spec for an ``h x w`` picture, without its data.

    The picture and the crosshair position arrive per run as the named datasets ``picture`` and
    ``here``. Building the spec with Altair (and validating it) costs ~150 ms of Python, the
    largest cost of a kernel change; cached per picture size, kernel size and language, a rerun
    only fills in two small datasets (docs/BENCHMARKS.md).
    """
    xs, ys, layers, cw, ch = pick_layers(h, w)
    base = alt.Chart(alt.NamedData(name="here"))
    # a white halo keeps the cross visible on any picture
    for colour, width in ((GREYS["white"], 3.5), (CROSSHAIR, 1.5)):
        layers += [base.mark_rule(color=colour, strokeWidth=width, opacity=0.9, clip=True).encode(
                       x=alt.X("c:Q", scale=xs, axis=None)),
                   base.mark_rule(color=colour, strokeWidth=width, opacity=0.9, clip=True).encode(
                       y=alt.Y("r:Q", scale=ys, axis=None)),
                   base.mark_rect(filled=False, stroke=colour, strokeWidth=width, clip=True).encode(
                       x=alt.X("c0:Q", scale=xs, axis=None), x2="c1:Q",
                       y=alt.Y("r0:Q", scale=ys, axis=None), y2="r1:Q")]
    return pick_spec(layers, cw, ch)


def _pick_chart(display: np.ndarray, row: int, col: int, half: tuple[int, int]) -> None:
    """The result picture as a chart: click a cell to pick its pixel; a crosshair marks the current one."""
    h, w = display.shape[:2]
    here = [{"r": row + 0.5, "c": col + 0.5, "r0": row - half[0], "r1": row + half[0] + 1,
             "c0": col - half[1], "c1": col + half[1] + 1}]
    pick_chart(_pick_spec(h, w, half, current_language()), display, {"here": here}, key=PICK_KEY,
               targets=(ROW_KEY, COL_KEY), alt=t("inside.inspector.chart_alt"))


def _invented_title(px: PixelComputation, i: int, j: int) -> str:
    sr, sc = int(px.source_rows[i]), int(px.source_cols[j])
    if sr < 0 or sc < 0:
        return t("inside.inspector.cell_cval", cval=format_significant(px.cval), mode=px.mode)
    return t("inside.inspector.cell_copy", mode=px.mode, r=sr, c=sc)


def _channel_html(px: PixelComputation, c: int) -> str:
    kh, kw = px.kernel.shape
    small = max(kh, kw) > 7
    ci, cj = kh // 2, kw // 2
    # Blur kernels read better as "1/16 x integers", like the kernel table above.
    frac = convviz.as_fraction(px.kernel, max_denominator=1024)
    scale, shown_weights = (f"1/{frac[0]} ×", np.asarray(frac[1], float)) if frac and frac[0] > 1 \
        else ("", px.kernel)
    neigh, prods, weights = [], [], []
    for i in range(kh):
        nrow, prow, wrow = [], [], []
        for j in range(kw):
            v = px.neighbourhood[c, i, j]
            out = bool(px.outside[i, j])
            g = int(np.clip(v, 0, 255))
            ink = GREYS["black"] if g > 110 else GREYS["white"]
            nrow.append(cell_html(format_significant(v), bg=f"rgb({g},{g},{g})", fg=ink,
                                  outside=out, centre=(i, j) == (ci, cj), small=small,
                                  title=_invented_title(px, i, j) if out else t("inside.inspector.cell_in",
                                                                                 r=int(px.source_rows[i]),
                                                                                 c=int(px.source_cols[j]))))
            wrow.append(cell_html(format_significant(shown_weights[i, j]), fg=signed_colour(px.kernel[i, j]),
                                  centre=(i, j) == (ci, cj), small=small))
            p = px.products[c, i, j]
            prow.append(cell_html(format_significant(p), fg=signed_colour(p), outside=out, centre=(i, j) == (ci, cj),
                                  small=small))
        neigh.append(nrow)
        weights.append(wrow)
        prods.append(prow)
    name = PLANE_NAMES[c] if px.channels == 3 else ""
    colour = PLANE_COLOURS[c] if px.channels == 3 else GREYS["label"]
    op = '<span style="font-size:22px;padding:0 4px">{}</span>'
    sum_text = format_number(px.sums[c], places=SUM_PLACES, minus="-")
    sum_html = f'<span style="font-family:monospace;font-size:15px">Σ = <b>{html.escape(sum_text)}</b></span>'
    return (f'<div style="display:flex;align-items:center;gap:8px;flex-wrap:wrap;margin:6px 0">'
            f'<b style="color:{colour};font-size:18px;min-width:14px">{name}</b>'
            + table_html(t("inside.inspector.values"), neigh) + op.format("×")
            + (f'<span style="font-family:monospace;font-size:14px">{html.escape(scale)}</span>' if scale else "")
            + table_html(t("inside.inspector.weights_flipped" if px.flip else "inside.inspector.weights"), weights)
            + op.format("=") + table_html(t("inside.inspector.products"), prods) + op.format("→") + sum_html
            + "</div>")


def _zoom(source: np.ndarray, shown: np.ndarray | None, px: PixelComputation) -> None:
    kh, kw = px.kernel.shape
    radius = max(6, max(kh, kw) // 2 + 2)
    n = 2 * radius + 1
    scale = max(4, -(-ZOOM_WIDTH // n))
    vals, outside = neighbourhood_patch(source, px.row, px.col, half=(radius, radius), mode=px.mode, cval=px.cval)
    patch_in = np.moveaxis(np.clip(vals, 0, 255).astype(np.uint8), 0, -1)
    pics = [magnify(patch_in[:, :, 0] if patch_in.shape[2] == 1 else patch_in, scale=scale, outside=outside,
                    box=(kh, kw))]
    captions = [t("inside.inspector.zoom_in", n=n, k=format_shape((kh, kw)))]
    if shown is not None:
        # The output exists only inside the picture: cells beyond the border are hatched grey.
        vals, outside = neighbourhood_patch(shown, px.row, px.col, half=(radius, radius), mode="constant", cval=128)
        patch_out = np.moveaxis(vals.astype(np.uint8), 0, -1)
        pics.append(magnify(patch_out[:, :, 0] if patch_out.shape[2] == 1 else patch_out, scale=scale,
                            outside=outside, box=1))
        captions.append(t("inside.inspector.zoom_out", n=n))
    st.image(pics, caption=captions, alt=captions, width=ZOOM_WIDTH, output_format="PNG")


def inspector_view(*, picture: Picture, source: np.ndarray, kernel: np.ndarray, mode: str, flip: bool, how: str,
                   raw: np.ndarray | None = None, cval: float = 0.0) -> None:
    """The pixel inspector under the Image Kernels result.

    Parameters
    ----------
    picture : Picture
        The current picture (for captions).
    source : ndarray
        The image that was filtered (``(H, W)`` greyscale or ``(H, W, 3)``).
    kernel : ndarray
        The kernel as the student chose it (not yet flipped).
    mode, flip, cval : as in :func:`convviz.filter_image`.
    how : {'clip', 'abs', 'midgrey'}
        How the page displays signed results.
    raw : ndarray, optional
        The page's :func:`convviz.filters.filtering.filter_signed` result, so the inspector checks its
        numbers against the picture actually shown.
    """
    st.caption(t("inside.inspector.intro"))
    h, w = source.shape[:2]
    _ensure_position(ROW_KEY, h)
    _ensure_position(COL_KEY, w)
    pick, zoom = st.columns([5, 4], gap="medium")
    with pick:
        rc, cc = st.columns(2)
        # value=None (not 0) as the default, so that row 0 / column 0 still go into a shared link.
        row = rc.number_input(t("inside.inspector.row", max=h - 1), min_value=0, max_value=h - 1, value=None,
                              step=1, key=ROW_KEY, bind="query-params", placeholder=str(h // 2))
        col = cc.number_input(t("inside.inspector.col", max=w - 1), min_value=0, max_value=w - 1, value=None,
                              step=1, key=COL_KEY, bind="query-params", placeholder=str(w // 2))
        row = h // 2 if row is None else int(row)   # an emptied box means "the centre"
        col = w // 2 if col is None else int(col)
    try:
        px = inspect_pixel(source, kernel, row, col, mode=mode, cval=cval, flip=flip)
        shown = None if raw is None else convviz.to_display(raw, how=how)
    except convviz.ConvVizError as err:
        show_error(err)
        return
    with pick:
        _pick_chart(shown if shown is not None else source, px.row, px.col,
                    (px.kernel.shape[0] // 2, px.kernel.shape[1] // 2))
        st.caption(t("inside.inspector.click_hint", name=picture.label))
    with zoom:
        _zoom(source, shown, px)

    st.markdown(t("inside.inspector.explain_flipped" if flip else "inside.inspector.explain",
                  row=px.row, col=px.col))
    st.html("".join(_channel_html(px, c) for c in range(px.channels)))
    if px.outside.any():
        st.caption(t("inside.inspector.border_note", mode=t(f"kernels.modes.{mode}")))
    for c in range(px.channels):
        name = f"**{PLANE_NAMES[c]}**: " if px.channels == 3 else ""
        key = "inside.inspector.sum_line_clipped" if px.clipped[c] else "inside.inspector.sum_line"
        st.markdown(name + t(key, sum=format_number(px.sums[c], places=SUM_PLACES, minus="-"),
                             rounded=format_significant(px.rounded[c]), value=int(px.values[c])))
    st.markdown(t("inside.inspector.result", row=px.row, col=px.col, value=format_values(px.values)))
    if shown is not None:
        on_screen = shown[px.row, px.col]
        expected = px.shown(how)
        if how != "clip":
            st.markdown(t(f"inside.inspector.shown_{how}", value=format_values(expected)))
        differs = np.ravel(on_screen) != expected
        if not differs.any():
            st.caption(t("inside.inspector.matches", value=format_values(on_screen)))
        elif float32_tie(px, how)[differs].all() and raw is not None:
            # The exact sum is (within float32 rounding of) a half: the picture's 32-bit sum decided.
            st.info(t("inside.inspector.float32_tie", value=format_values(on_screen),
                      float32=format_values(np.ravel(raw[px.row, px.col]).astype(np.float64).round(6)),
                      exact=format_values(px.sums.round(6))), icon=":material/info:")
        else:  # would be a bug in convviz: say so rather than hide it
            st.warning(t("inside.inspector.mismatch", value=format_values(on_screen)))


@st.fragment
def inspector_panel(*, picture: Picture, grey: bool, kernel: np.ndarray, mode: str, flip: bool, how: str) -> None:
    """The pixel inspector as a closed expander that computes nothing until a student opens it.

    Most students never open it, and building it (a Vega-Lite chart, zoomed patches, HTML
    tables) costs more than the rest of a kernel change together (docs/BENCHMARKS.md), so it
    runs only while open. It is a fragment: picking a pixel, typing a row or opening it reruns
    only the inspector, not the page's filter and pictures. Its arguments are small or already
    held by the session (the picture), so the fragment keeps nothing image-sized between runs;
    it filters the working copy again (a few ms) instead of holding the page's result.
    """
    # Its bound controls change the address without a full run: the sidebar's link reads them from there.
    share.live(OPEN_KEY, ROW_KEY, COL_KEY)
    with st.expander(t("inside.inspector.title"), icon=":material/point_scan:", key=OPEN_KEY,
                     on_change="rerun", bind="query-params") as panel:
        if not panel.open:
            st.caption(t("inside.inspector.closed_hint"))
            return
        source = convviz.to_grey(picture.image) if grey else picture.image
        try:
            with HEAVY_WORK:
                raw = convviz.filter_signed(source, kernel, mode=mode, flip=flip)
        except convviz.ConvVizError as err:
            show_error(err)
            return
        inspector_view(picture=picture, source=source, kernel=kernel, mode=mode, flip=flip, how=how, raw=raw)
