"""Stride and Padding: watch a kernel slide over a grid, with the arithmetic beside it."""

import streamlit as st

import convviz
from convviz.numbers import format_count, format_number
from convviz.sliding import (
    MAX_CHANNELS,
    MAX_TYPED,
    OPS,
    VALUE_SOURCES,
    WEIGHT_PRESETS,
    channel_bias,
    channel_values,
    channel_weights,
    channels_per_group,
    group_choices,
    group_kind,
    slide,
)
from ui.common import keys, presentation
from ui.common.bounded import bounded_int
from ui.common.choice import choice
from ui.common.formula import show_formula
from ui.common.i18n import current_language, t
from ui.common.messages import describe
from ui.common.predict import shape_guess
from ui.stride.channels import CHANNEL_PLAYER_LABELS, channel_player_html, groups_svg
from ui.stride.controls import reroll, zero_based
from ui.stride.downloads import picture_bytes, picture_labels
from ui.stride.player import GRID_LABELS, SIGNAL_LABELS, grid_player_html, signal_player_html
from ui.stride.typed_grid import typed_grid

PADDINGS = ["0", "1", "2", "3", "4", "5", "6", "same"]
#: The words for each kind of grouping (convviz.sliding.group_kind).
GROUP_LABELS = {"standard": "stride.groups_standard", "depthwise": "stride.groups_depthwise",
                "grouped": "stride.groups_n"}
#: The control (its label key) behind each name a convviz error quotes.
CONTROLS = {"stride": "stride.stride", "padding": "stride.padding", "dilation": "stride.dilation",
            "kernel_size": "stride.k_h", "output_padding": "stride.output_padding", "input size": "stride.in_h",
            "f": "stride.oned_f", "g": "stride.oned_g", "input": "stride.typed_values",
            "kernel": "stride.typed_weights", "in_channels": "stride.c_in", "out_channels": "stride.c_out",
            "groups": "stride.groups"}


def error_labels(*, square: bool = False) -> dict[str, str]:
    """Control labels for :func:`ui.common.messages.describe`; ``square``: one setting for both axes."""
    labels = {name: t(key) for name, key in CONTROLS.items()}
    if square:
        labels.update(height=t("stride.formula_both"), width=t("stride.formula_both"))
    return labels


def size_box(where, label_key: str, largest: int, default: int, key: str, typed: int | None) -> int:
    """A size box (input or kernel height / width); while a typed grid sets that size, the box
    shows the grid's size, greyed out, instead of a number nobody uses."""
    if typed is not None:
        return int(where.number_input(t(label_key), value=int(typed), disabled=True, help=t("stride.typed_size_help")))
    return bounded_int(t(label_key), 1, largest, default, key=key, where=where, bind="query-params")


st.title(t("stride.title"))
st.caption(t("stride.intro"))
st.session_state.setdefault(keys.STRIDE_SEED, 0)

# --- controls -----------------------------------------------------------------------------------
with st.container(border=True):
    op = choice("segmented_control", t("stride.op"), OPS, default="conv", required=True,
                format_func=lambda o: t(f"stride.ops.{o}"), key=keys.STRIDE_OP)
    pooling = op in ("max", "avg")
    c = st.columns(8)  # the four size boxes (c[0:4]) are filled once it is known whether a typed grid sets them
    stride = bounded_int(t("stride.stride"), 1, 4, 2, key=keys.STRIDE_STRIDE, where=c[4], bind="query-params")
    padding = choice("selectbox", t("stride.padding"), PADDINGS, default="1", key=keys.STRIDE_PADDING, where=c[5],
                     format_func=lambda p: t("stride.padding_same") if p == "same" else p,
                     help=t("stride.padding_help"))
    dilation = bounded_int(t("stride.dilation"), 1, 3, 1, key=keys.STRIDE_DILATION, where=c[6], disabled=pooling,
                           help=t("stride.dilation_help"), bind="query-params")
    out_pad = bounded_int(t("stride.output_padding"), 0, 3, 0, key=keys.STRIDE_OUTPUT_PADDING, where=c[7],
                          disabled=op != "transposed", help=t("stride.output_padding_help"), bind="query-params")
    v1, v2 = st.columns([2, 3])
    source = choice("segmented_control", t("stride.values"), VALUE_SOURCES, default="pattern", required=True,
                    format_func=lambda s: t(f"stride.values_opts.{s}"), key=keys.STRIDE_VALUES, where=v1)
    preset = choice("segmented_control", t("stride.weights"), WEIGHT_PRESETS, default="edge_v", required=True,
                    format_func=lambda s: t(f"stride.weights_opts.{s}"), key=keys.STRIDE_WEIGHTS, where=v2,
                    disabled=pooling)
    if source == "random" or preset == "random":
        v1.button(t("stride.reroll"), icon=":material/casino:", key=keys.STRIDE_REROLL,
                  on_click=reroll)
    typed_values = typed_weights = None
    if source == "typed":
        typed_values = typed_grid(t("stride.typed_values"), what="values", text_key=keys.STRIDE_TYPED_VALUES,
                                  default="1,2,3,0;4,5,6,0;7,8,9,0;0,0,0,1", name="input",
                                  max_size=MAX_TYPED["input"], max_channels=MAX_TYPED["channels"],
                                  help_text=t("stride.typed_help"), labels=error_labels, where=v1)
        if typed_values is None:
            source = "pattern"
    if preset == "typed" and not pooling:
        typed_weights = typed_grid(t("stride.typed_weights"), what="weights", text_key=keys.STRIDE_TYPED_WEIGHTS,
                                   default="1,0;0,-1", name="kernel", max_size=MAX_TYPED["kernel"],
                                   max_channels=MAX_TYPED["channels"], help_text=t("stride.typed_help"),
                                   labels=error_labels, where=v2)
    if preset == "typed" and typed_weights is None:  # a bad typed kernel, or pooling (no weights to type)
        preset = "edge_v"
    typed_in = None if typed_values is None else typed_values.shape[1:]
    typed_k = None if typed_weights is None else typed_weights.shape[1:]
    in_h = size_box(c[0], "stride.in_h", 20, 7, keys.STRIDE_IN_H, typed_in and typed_in[0])
    in_w = size_box(c[1], "stride.in_w", 20, 7, keys.STRIDE_IN_W, typed_in and typed_in[1])
    k_h = size_box(c[2], "stride.k_h", 7, 3, keys.STRIDE_K_H, typed_k and typed_k[0])
    k_w = size_box(c[3], "stride.k_w", 7, 3, keys.STRIDE_K_W, typed_k and typed_k[1])
    predict = st.toggle(t("stride.predict"), key=keys.STRIDE_PREDICT, bind="query-params",
                        help=t("stride.predict_help"))

picture = st.session_state.get(keys.PICTURE)  # the Image Kernels page's picture, if it ran
image = picture.image if picture is not None else None
if source == "image" and image is None:
    st.info(t("stride.no_image"), icon=":material/image:")
    source = "pattern"
setting = slide(op, source=source, preset=preset, in_hw=(in_h, in_w), kernel_hw=(k_h, k_w),
                seed=st.session_state[keys.STRIDE_SEED], image=image, typed_values=typed_values,
                typed_weights=typed_weights, stride=stride, padding=padding, dilation=dilation, output_padding=out_pad)
in_h, in_w = setting.in_hw  # a typed grid brings its own size: the formula and the player use it
k_h, k_w = setting.kernel_hw
if typed_values is not None or typed_weights is not None:
    st.caption(t("stride.typed_sizes", h=in_h, w=in_w, kh=k_h, kw=k_w))
geometry = setting.geometry

# --- the output size, worked out ----------------------------------------------------------------
axes = setting.worked()
try:
    fs = setting.frames()
except convviz.ConvVizError as err:
    fs = None
    st.error(describe(err, labels=error_labels(square=axes[0].axis == "both")), icon=":material/error:")

# --- predict, then reveal -----------------------------------------------------------------------
# The guess belongs to the geometry: any change of it clears the guess (ui.common.predict), so an old
# guess is never graded against a new output size. Until a guess is in, nothing below gives the
# output size away (formula numbers, player, downloads, the channel panel's output).
revealed = True
if predict and fs is not None:
    with st.container(border=True) as box:
        st.markdown(t("stride.predict_ask", h=in_h, w=in_w))
        g1, g2, _ = st.columns([1, 1, 3])
        revealed = shape_guess((keys.STRIDE_GUESS_H, keys.STRIDE_GUESS_W),
                               setting.about, fs.output.shape,
                               labels=(t("stride.guess_h"), t("stride.guess_w")), columns=(g1, g2),
                               prefix="stride.verdict", waiting=t("stride.predict_wait"), where=box) is not None

st.subheader(t("stride.formula"))
valid = fs is not None and revealed  # after an error, no number that depends on the invalid setting is shown
for work in axes:
    label = t(f"stride.formula_{work.axis}")
    if work.parts is not None:
        show_formula(label, list(work.parts), numbers=valid, key=keys.stride_formula(work.axis))
    if work.unused and valid:
        st.warning(t("stride.remainder", axis=t(f"stride.axis.{work.axis}") if work.axis != "both" else label,
                     num=work.numerator, s=stride, r=work.unused), icon=":material/warning:")
if valid:
    oh, ow = fs.output.shape
    st.markdown(t("stride.out_summary", h=in_h, w=in_w, oh=oh, ow=ow, n=len(fs.frames)))

# --- the player -----------------------------------------------------------------------------------
if fs is not None and revealed:
    labels = {k: t(f"stride.player.{k}") for k in GRID_LABELS}
    st.iframe(grid_player_html(fs, labels, lang=current_language(), scale=presentation.scale()), height="content",
              alt=t("stride.title"))
if pooling:
    st.caption(t("stride.pool_note"))

# --- explanations -------------------------------------------------------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    if op == "transposed" and padding != "same" and valid:
        st.subheader(t("stride.transposed_title"))
        for work in axes:
            extra = t("stride.transposed_extra", op=out_pad) if out_pad else ""
            key = "stride.transposed_crop" if work.steps["crop"] else "stride.transposed_steps"
            if len(axes) > 1:
                st.markdown(f"**{t(f'stride.formula_{work.axis}')}**")
            st.markdown(t(key, **dict(work.steps, n=work.n, extra=extra, d=dilation)))
        st.caption(t("stride.transposed_note"))
    elif op == "conv":
        st.subheader(t("stride.same_title"))
        for work in axes:
            before, after = work.same
            prefix = f"**{t(f'stride.formula_{work.axis}')}**: " if len(axes) > 1 else ""
            if before == after:
                st.markdown(prefix + t("stride.same_odd", k=work.k, d=dilation, p=before))
            else:
                st.markdown(prefix + t("stride.same_even", k=work.k, d=dilation, total=work.same_total,
                                       before=before, after=after))
        if stride != 1:
            st.caption(t("stride.same_stride"))

with right:
    if fs is not None and revealed:
        st.subheader(t("stride.downloads"))
        key, words = setting.key(), picture_labels()
        name = f"{op}_{in_h}x{in_w}_k{k_h}x{k_w}_s{stride}_p{padding}"
        st.download_button(t("stride.download_gif"), data=lambda k=key, w=words: picture_bytes(k, w),
                           file_name=f"{name}.gif", mime="image/gif", key=keys.STRIDE_DOWNLOAD_GIF,
                           on_click="ignore", type="primary", icon=":material/gif_box:",
                           help=t("stride.download_gif_help"))
        step = bounded_int(t("stride.png_step"), 1, len(fs.frames), 1, key=keys.STRIDE_PNG_STEP)
        index = zero_based(step)  # the frame the PNG shows
        st.download_button(t("stride.download_png", i=step),
                           data=lambda k=key, w=words, i=index: picture_bytes(k, w, i),
                           file_name=f"{name}_step{step}.png", mime="image/png", key=keys.STRIDE_DOWNLOAD_PNG,
                           on_click="ignore", icon=":material/image:")

# --- channels and groups ------------------------------------------------------------------------
with st.expander(t("stride.channels_title"), icon=":material/stacks:", key=keys.STRIDE_CHANNELS_OPEN,
                 on_change="rerun", bind="query-params") as panel:
    if panel.open:
        st.markdown(t("stride.channels_intro"))
        c1, c2, c3 = st.columns([1, 1, 2])
        c_in = bounded_int(t("stride.c_in"), 1, MAX_CHANNELS, 3, key=keys.STRIDE_C_IN, where=c1,
                           bind="query-params")
        c_out = bounded_int(t("stride.c_out"), 1, MAX_CHANNELS, 2, key=keys.STRIDE_C_OUT, where=c2,
                            bind="query-params")
        allowed = group_choices(c_in, c_out)
        groups = choice("segmented_control", t("stride.groups"), allowed, default=1, required=True, where=c3,
                        key=keys.STRIDE_GROUPS, help=t("stride.groups_help"),
                        format_func=lambda g: t(GROUP_LABELS[group_kind(g, c_in)], g=g))
        groups = groups if groups in allowed else 1
        d1, d2 = st.columns([2, 3], gap="large")
        reads = convviz.group_reads(c_in, c_out, groups=groups)
        d1.image(groups_svg(reads, c_in, input_label=t("stride.diagram_in"), output_label=t("stride.diagram_out")),
                 caption=t("stride.diagram_caption"))
        for o, chans in enumerate(reads):
            d2.markdown(t("stride.reads", o=o, chans=", ".join(str(c) for c in chans)))
        if op != "conv":
            st.info(t("stride.channels_conv_only"), icon=":material/info:")
        elif not revealed:  # its shapes and player show the output size the student is guessing
            st.info(t("stride.channels_hidden"), icon=":material/lock:")
        else:
            xc = channel_values(source, (in_h, in_w), c_in, seed=st.session_state[keys.STRIDE_SEED], image=image,
                                typed=typed_values)
            wc = channel_weights(preset, c_out, channels_per_group(c_in, c_out, groups=groups), (k_h, k_w),
                                 seed=st.session_state[keys.STRIDE_SEED], typed=typed_weights)
            try:
                full = convviz.conv2d(xc, wc, channel_bias(c_out), groups=groups, **geometry)
                p1, p2 = st.columns(2)
                row = bounded_int(t("stride.pos_row"), 0, zero_based(full.shape[1]), 0, key=keys.STRIDE_POS_ROW,
                                  where=p1, bind="query-params")
                col = bounded_int(t("stride.pos_col"), 0, zero_based(full.shape[2]), 0, key=keys.STRIDE_POS_COL,
                                  where=p2, bind="query-params")
                cs = convviz.channel_steps(xc, wc, channel_bias(c_out), position=(row, col), groups=groups,
                                           **geometry)
            except convviz.ConvVizError as err:
                st.error(describe(err, labels=error_labels()), icon=":material/error:")
            else:
                st.markdown(t("stride.channels_shapes", x=convviz.format_shape(xc.shape),
                              w=convviz.format_shape(wc.shape), y=convviz.format_shape(full.shape)))
                clabels = {k: t(f"stride.cplayer.{k}") for k in CHANNEL_PLAYER_LABELS}
                st.iframe(channel_player_html(cs, clabels, lang=current_language(), scale=presentation.scale()),
                          height="content", alt=t("stride.channels_title"))
        st.markdown(f"**{t('stride.separable_title')}**")
        s1, s2, _ = st.columns([1, 1, 2])
        cmp_in = bounded_int(t("stride.cmp_in"), 1, 2048, 32, key=keys.STRIDE_CMP_IN, where=s1, bind="query-params")
        cmp_out = bounded_int(t("stride.cmp_out"), 1, 2048, 64, key=keys.STRIDE_CMP_OUT, where=s2,
                              bind="query-params")
        counts = convviz.separable_counts(cmp_in, cmp_out, 3)
        m1, m2, m3 = st.columns(3)
        m1.metric(t("stride.standard_count"), format_count(counts.standard),
                  help=t("stride.standard_help", ci=cmp_in, co=cmp_out))
        m2.metric(t("stride.separable_count"), format_count(counts.separable),
                  help=t("stride.separable_help", ci=cmp_in, co=cmp_out))
        m3.metric(t("stride.ratio"), t("stride.ratio_value", r=format_number(counts.ratio, places=1)))
        st.markdown(t("stride.separable_sum", ci=cmp_in, co=cmp_out, std=format_count(counts.standard),
                      dw=format_count(counts.depthwise), pw=format_count(counts.pointwise),
                      sep=format_count(counts.separable)))

# --- 1-D ------------------------------------------------------------------------------------------
st.divider()
st.subheader(t("stride.oned_title"))
st.markdown(t("stride.oned_intro"))
st.latex(r"(f * g)(t) = \sum_{\tau} f(\tau)\, g(t - \tau)")
a, b = st.columns(2)
f_text = a.text_input(t("stride.oned_f"), "1, 2, 3, 2, 1", key=keys.STRIDE_F, help=t("stride.oned_help"),
                      bind="query-params")
g_text = b.text_input(t("stride.oned_g"), "1, 0, -1", key=keys.STRIDE_G, help=t("stride.oned_help"),
                      bind="query-params")
try:
    f_sig = convviz.parse_signal(f_text, name="f")
    g_sig = convviz.parse_signal(g_text, name="g")
    frames1d = convviz.conv1d_frames(f_sig, g_sig)
except convviz.ConvVizError as err:
    st.error(describe(err, labels=error_labels()), icon=":material/error:")
else:
    labels1d = {k: t(f"stride.player.{k}") for k in SIGNAL_LABELS}
    st.iframe(signal_player_html(frames1d, f_sig, g_sig, labels1d, lang=current_language(),
                                 scale=presentation.scale()),
              height="content", alt=t("stride.oned_title"))
st.caption(t("stride.oned_note"))

# The page's download callables keep its globals alive until the next run: no working copy in them
# (a closed tab lets its upload's copy go, ui.common.photo.Picture; DEVELOPERS.md).
picture = image = None
