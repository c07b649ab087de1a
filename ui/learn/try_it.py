"""Try it: draw (or photograph) a digit; each trained network's answer, its ten probabilities and every layer's output.

The Learn page calls :func:`render` under its "Try it" heading once a training has finished.
Everything computed comes from :mod:`convviz.learn`: the digit as the training digits were
made (:func:`~convviz.learn.digit_from_drawing`, :func:`~convviz.learn.digit_from_photo`), its
place on each network's canvas (:func:`~convviz.learn.network_input`) and what a network makes
of it (:func:`~convviz.learn.inspect_image`); this module reads the widgets and draws.
"""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import convviz
from convviz import learn
from convviz.numbers import format_percent, format_shape, format_significant
from convviz.pictures import PALETTE
from ui.common import keys
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.learn.draw import draw_canvas, png_bytes
from ui.server.throttle import DECODE_WORK

#: Where the digit comes from.
SOURCES = ("draw", "upload", "camera")
#: Photo types the uploader takes (as on the Image kernels page).
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
#: Largest photo read, in pixels (a phone's 12 MP photo is read at this size: plenty for 8 x 8).
PHOTO_PIXELS = 400_000
#: Pixels of the pictures of the digit (the 8 x 8 counts and the network's canvas).
SEEN_TILE = 128


def _read_drawing(url: str | None) -> np.ndarray | None:
    """The 8 x 8 digit of the canvas's drawing, or ``None`` while it is blank (errors: shown, ``None``)."""
    data = png_bytes(url)
    if data is None:
        return None
    try:
        with DECODE_WORK:
            return learn.digit_from_drawing(convviz.load_image(data, max_pixels=PHOTO_PIXELS))
    except convviz.ConvVizError as err:
        show_error(err, prefix_key="learn_try.failed")
        return None


def _read_photo(data: bytes) -> np.ndarray:
    """The 8 x 8 digit of a photo's bytes (raises :class:`convviz.ConvVizError`)."""
    with DECODE_WORK:
        return learn.digit_from_photo(convviz.load_image(data, target_pixels=PHOTO_PIXELS))


def _on_upload(key: str) -> None:
    """The uploader received a file: read its digit once (the run that follows shows it, not the uploader)."""
    file = st.session_state.get(keys.learn_try(key, "upload"))
    if file is None:
        return
    try:
        st.session_state[keys.learn_try(key, "_photo")] = (file.name or "photo", _read_photo(file.getvalue()))
    except convviz.ConvVizError as err:
        st.session_state[keys.learn_try(key, "_photo")] = (file.name or "photo", err)


def _forget_photo(key: str) -> None:
    st.session_state.pop(keys.learn_try(key, "_photo"), None)


def _photo_digit(read: np.ndarray | convviz.ConvVizError) -> np.ndarray | None:
    """The digit read from a photo, or ``None`` after showing why it could not be read."""
    if isinstance(read, convviz.ConvVizError):
        show_error(read, prefix_key="learn_try.failed")
        return None
    return read


def _uploaded(key: str) -> np.ndarray | None:
    """The upload controls: an uploader, or, once a photo is read, its name and "upload another"."""
    kept = st.session_state.get(keys.learn_try(key, "_photo"))
    if kept is not None:
        label, read = kept
        st.caption(t("learn_try.upload_current", name=label))
        st.button(t("learn_try.upload_another"), icon=":material/upload:", key=keys.learn_try(key, "another"),
                  on_click=_forget_photo, args=(key,))
        return _photo_digit(read)
    st.file_uploader(t("learn_try.upload"), type=UPLOAD_TYPES, key=keys.learn_try(key, "upload"),
                     help=t("learn_try.upload_help"), on_change=_on_upload, args=(key,))
    return None


def _camera(key: str) -> np.ndarray | None:
    shot = st.camera_input(t("learn_try.camera"), key=keys.learn_try(key, "camera"))
    if shot is None:
        return None
    kept = st.session_state.get(keys.learn_try(key, "_camera"))
    if kept is None or kept[0] != shot.file_id:  # read each shot once, not on every rerun
        try:
            read: np.ndarray | convviz.ConvVizError = _read_photo(shot.getvalue())
        except convviz.ConvVizError as err:
            read = err
        kept = (shot.file_id, read)
        st.session_state[keys.learn_try(key, "_camera")] = kept
    return _photo_digit(kept[1])


def _digit(key: str) -> np.ndarray | None:
    """The input controls; the 8 x 8 digit they hold (``None`` while there is none)."""
    source = st.segmented_control(t("learn_try.source"), SOURCES, default="draw", required=True,
                                  format_func=lambda s: t(f"learn_try.sources.{s}"),
                                  key=keys.learn_try(key, "source"))
    if source == "upload":
        digit = _uploaded(key)
    elif source == "camera":
        digit = _camera(key)
    else:
        url = draw_canvas(key=keys.learn_try(key, "canvas"), clear=t("learn_try.clear"), hint=t("learn_try.hint"),
                          label=t("learn_try.canvas_label"))
        digit = _read_drawing(url)
    if digit is None:
        st.caption(t("learn_try.waiting_draw" if source == "draw" else "learn_try.waiting_photo"))
    return digit


def _seen(digit: np.ndarray, x: np.ndarray) -> None:
    """What the networks see: the 8 x 8 counts, and the network's canvas with the digit in its middle."""
    st.markdown(f"**{t('learn_try.seen_title')}**")
    counts = learn.map_mosaic(digit[None], tile=SEEN_TILE, scale=1.0)[0]
    canvas = learn.map_mosaic(x[0], tile=SEEN_TILE, scale=1.0)[0]
    shape = format_shape(x.shape[1:])
    captions = [t("learn_try.seen_digit"), t("learn_try.seen_canvas", shape=shape)]
    # at their own size: enlarged by the browser, the cells would blur
    st.image([counts, canvas], caption=captions, alt=captions, width=counts.shape[1], output_format="PNG")
    st.caption(t("learn_try.seen_about"))


def _chart(seen: learn.Inspection) -> alt.Chart:
    """The ten probabilities as bars, the chosen digit's in the "now" orange, the others in the weights' blue."""
    digits = [str(d) for d in range(len(seen.probabilities))]
    data = pd.DataFrame({
        "digit": digits,
        "probability": [float(p) for p in seen.probabilities],
        "percent": [format_percent(float(p)) for p in seen.probabilities],
        "chosen": [d == seen.digit for d in range(len(seen.probabilities))],
    })
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("digit:N", sort=digits, title=t("learn_try.chart_x"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("probability:Q", title=t("learn_try.chart_y"), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", tickCount=5)),
        color=alt.Color("chosen:N", legend=None,
                        scale=alt.Scale(domain=[True, False], range=[PALETTE["current"], PALETTE["weight"]])),
        tooltip=[alt.Tooltip("digit:N", title=t("learn_try.chart_x")),
                 alt.Tooltip("percent:N", title=t("learn_try.chart_y"))],
    ).properties(height=180)


def _ranking(seen: learn.Inspection) -> str:
    return " · ".join(t("learn_try.ranked", digit=d, percent=format_percent(p)) for d, p in seen.ranked())


def _layers(seen: learn.Inspection) -> None:
    """Every layer's output for the digit: a heading (number, torch name, shape) and its picture."""
    st.caption(t("learn_try.maps_about"))
    for picture in seen.layers:
        head = t("learn_try.layer", position=picture.position, name=picture.name, shape=format_shape(picture.shape))
        st.markdown(head)
        scale = format_significant(picture.scale, 3)
        note = t("learn_try.scale_midgrey" if picture.signed else "learn_try.scale_clip", scale=scale)
        st.image(picture.image, caption=note, alt=head, width=picture.image.shape[1], output_format="PNG")


def _network(net: str, result: learn.TrainResult, name: str, digit: np.ndarray, key: str) -> None:
    """One network's answer for ``digit``: the prediction, the probabilities and every layer's output."""
    try:
        x = learn.network_input(digit, result.input_shape)
        seen = learn.inspect_image(result.layers, result.params, x, buffers=result.buffers)
    except convviz.ConvVizError as err:
        show_error(err, prefix_key="learn_try.network_failed")
        return
    st.markdown(t("learn_try.prediction", name=name, digit=seen.digit, percent=format_percent(seen.confidence)))
    st.altair_chart(_chart(seen), width="stretch",
                    alt=t("learn_try.chart_alt", name=name, ranking=_ranking(seen)))
    st.caption(t("learn_try.top", ranking=_ranking(seen)))
    maps = st.expander(t("learn_try.maps", name=name), expanded=True, key=keys.learn_try(key, "maps_" + net),
                       on_change="rerun")
    if maps.open:  # drawn only while open: a closed one costs nothing
        with maps:
            _layers(seen)


def render(results: Mapping[str, learn.TrainResult], *, names: Mapping[str, str],
           key: str = keys.LEARN_TRY) -> None:
    """Try it: draw (or photograph) a digit; each trained network's prediction, its ten
    probabilities, and every layer's feature maps for that input.

    Parameters
    ----------
    results : mapping of str to convviz.learn.TrainResult
        A network key (``"conv"``, ``"dense"``, ...) to its training's result (all on the same
        canvas: ``result.input_shape``).
    names : mapping of str to str
        The same keys to the networks' display names.
    key : str
        Prefix of this section's widget and session keys (:func:`ui.common.keys.learn_try`).

    Draws nothing but an info line when ``results`` is empty.
    """
    if not results:
        st.info(t("learn_try.no_results"), icon=":material/draw:")
        return
    st.caption(t("learn_try.intro"))
    first = next(iter(results.values()))
    left, right = st.columns(2, gap="medium")
    with left:
        digit = _digit(key)
    if digit is None:
        return
    with right:
        try:
            _seen(digit, learn.network_input(digit, first.input_shape))
        except convviz.ConvVizError as err:
            show_error(err, prefix_key="learn_try.failed")
            return
    columns = st.columns(len(results), gap="medium")
    for column, (net, result) in zip(columns, results.items()):
        with column:
            _network(net, result, names.get(net, net), digit, key)
