"""Inside a conv layer: channels, 1x1 convolution and feature maps of the student's photo."""
import streamlit as st

import convviz
from convviz.features import (
    DEMO_CHANNELS,
    DEMO_SIZES,
    MAX_DEMO_OUT,
    MIX_PRESETS,
    conv_params,
    display_maps,
    mix_channels,
    mix_example,
    mix_picture,
    mixes_negative,
    split_rgb,
)
from convviz.numbers import format_shape, format_significant
from ui.common import keys
from ui.common.choice import choice, tabs
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.common.number_cells import PLANE_NAMES
from ui.common.photo import digest, working_photo
from ui.inside.panels import (
    custom_mix,
    kernel_slices_html,
    layer_parts,
    legend,
    map_grid,
    matrix_html,
    photo_maps,
    scale_text,
    signed_choice,
    small_photo,
    zoomed,
)

st.title(t("inside.title"))
st.caption(t("inside.intro"))

image, label, from_kernels = working_photo()
key = digest(image)
try:
    small = small_photo(key, image)
except convviz.ConvVizError as err:
    show_error(err, prefix_key="inside.error")
    st.stop()
h, w = small.shape[:2]
about, link = st.columns([3, 2], vertical_alignment="center")
about.caption(t("inside.photo_kernels" if from_kernels else "inside.photo_sample", name=label, w=w, h=h))
link.page_link("views/image_kernels.py", label=t("inside.change_photo"), icon=":material/photo_camera:")
how = signed_choice(keys.INSIDE_SIGNED)

# Only the open tab runs (its tab bar tracks the open tab): the three together draw ~60 small pictures.
tab_channels, tab_mix, tab_maps = tabs({name: t(f"inside.tabs.{name}") for name in ("channels", "mix", "maps")},
                                       key=keys.INSIDE_TAB)

# --- channels: R, G, B planes and a Conv2d(3, C_out, k) taken apart -------------------------------
if tab_channels.open:
    with tab_channels:
        st.subheader(t("inside.channels.split_title"))
        planes = split_rgb(small)
        st.markdown(t("inside.channels.split_intro", shape=format_shape(planes.shape, style="tuple")))
        map_grid([small, *planes], [t("inside.channels.photo", h=h, w=w)]
                 + [t("inside.channels.plane", name=t(f"inside.channels.planes.{n}"), h=h, w=w) for n in PLANE_NAMES],
                 width=w)

        st.subheader(t("inside.channels.layer_title"))
        st.caption(t("inside.channels.layer_intro"))
        c1, c2, c3, c4 = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
        c_out = c1.slider(t("inside.channels.c_out"), 1, MAX_DEMO_OUT, 4, key=keys.INSIDE_C_OUT, bind="query-params")
        k = choice("segmented_control", t("inside.channels.k"), DEMO_SIZES, default=3, required=True,
                   format_func=lambda n: format_shape((n, n)), key=keys.INSIDE_K, where=c2)
        bias = c3.toggle(t("inside.channels.bias"), value=True, key=keys.INSIDE_BIAS, bind="query-params")
        if st.session_state.get(keys.INSIDE_OUT, 0) >= c_out:
            st.session_state[keys.INSIDE_OUT] = 0  # fewer output channels than before
        o = c4.selectbox(t("inside.channels.out"), list(range(c_out)), key=keys.INSIDE_OUT,
                         format_func=lambda i: f"{i}: {t(f'inside.channels.demo.{DEMO_CHANNELS[i][0]}')}")
        layer = layer_parts(key, c_out, k, o, planes)  # the demo bias is 0: with or without it, the same
        n_params = conv_params(k, 3, c_out, bias=bias)
        st.markdown(t("inside.channels.weight_shape", c_out=c_out, k=k, h=h, w=w, p=layer.padding))
        st.markdown(t("inside.channels.params_bias" if bias else "inside.channels.params", k=k, c_out=c_out,
                      n=n_params))

        st.markdown(t("inside.channels.kernel_of", k=k, o=o, name=t(f"inside.channels.demo.{layer.names[o]}")))
        st.html(kernel_slices_html(layer.weight[o]))
        st.markdown("**" + t("inside.channels.partials_title", o=o) + "**")
        pics, legends = display_maps(layer.maps, how=how)
        map_grid(pics, [t("inside.channels.partial", name=t(f"inside.channels.planes.{n}")) for n in PLANE_NAMES]
                 + [t("inside.channels.sum", o=o)], width=w)
        legend(how, *legends[0])
        if bias:
            st.caption(t("inside.channels.bias_note", b=format_significant(layer.parts.bias)))
        outputs = layer.outputs
        st.markdown(t("inside.channels.all_outputs", c_out=c_out, h=outputs.shape[1], w=outputs.shape[2]))
        pics, legends = display_maps(outputs, how=how, per_channel=True)
        map_grid(pics, [t("inside.channels.out_caption", o=i, name=t(f"inside.channels.demo.{layer.names[i]}"),
                          white=scale_text(how, legends[i][1])) for i in range(c_out)], width=w, zoom=0.75)
        st.caption(t(f"inside.legend_each.{how}"))

# --- 1x1 convolution: mixing channels -----------------------------------------------------------
if tab_mix.open:
    with tab_mix:
        st.subheader(t("inside.mix.title"))
        st.caption(t("inside.mix.intro"))
        pick_col, _ = st.columns([1, 1])
        preset = choice("selectbox", t("inside.mix.preset"), [*MIX_PRESETS, "custom"], key=keys.INSIDE_MIX,
                        where=pick_col, format_func=lambda p: t(f"inside.mix.presets.{p}"))
        if preset == "custom":
            matrix = custom_mix()
        else:
            matrix = MIX_PRESETS[preset]
        if matrix is not None:
            mixed = mix_channels(small, matrix)
            m_out = matrix.shape[0]
            mix_bias = st.toggle(t("inside.mix.bias"), value=False, key=keys.INSIDE_MIX_BIAS, bind="query-params")
            left, right = st.columns([1, 2])
            left.markdown(t("inside.mix.weights", c_out=m_out))
            left.html(matrix_html(matrix))
            right.markdown(t("inside.mix.shapes", c_out=m_out, h=mixed.shape[1], w=mixed.shape[2]))
            right.markdown(t("inside.mix.params_bias" if mix_bias else "inside.mix.params", c_out=m_out,
                             n=conv_params(1, 3, m_out, bias=mix_bias)))
            ex = mix_example(small, matrix, mixed)
            right.markdown(t("inside.mix.example", row=ex.row, col=ex.col, r=ex.pixel[0], g=ex.pixel[1], b=ex.pixel[2]))
            for oo, (weights, value) in enumerate(zip(ex.weights, ex.values)):
                terms = " + ".join(f"{format_significant(wt, 3)}·{p}" for wt, p in zip(weights, ex.pixel))
                right.markdown(t("inside.mix.example_line", o=oo, terms=terms, value=format_significant(value, 5)))
            # Only negative weights can make negative values; otherwise every choice would draw the same.
            mix_how = how if mixes_negative(matrix) else "clip"
            if mix_how != how:
                st.caption(t("inside.mix.no_negative"))
            whole = mix_picture(mixed)
            if whole is not None:
                whole = convviz.to_display(whole, how=mix_how)
                mix_caption = t("inside.mix.as_rgb" if whole.ndim == 3 else "inside.mix.as_grey")
                st.image(whole, caption=mix_caption, alt=mix_caption, width=zoomed(w, 2), output_format="PNG")
            pics, legends = display_maps(mixed, how=mix_how, scale=255.0)
            map_shape = format_shape((1, *mixed.shape[1:]), style="tuple")
            map_grid(pics, [f"{t('inside.mix.channel', o=oo)} {map_shape}" for oo in range(m_out)], width=w)
            legend(mix_how, *legends[0])

# --- feature maps ---------------------------------------------------------------------------------
if tab_maps.open:
    with tab_maps:
        st.subheader(t("inside.maps.title"))
        st.caption(t("inside.maps.intro"))
        colour = st.toggle(t("inside.maps.colour"), key=keys.INSIDE_FM_COLOUR, bind="query-params")
        try:
            stages = photo_maps(key, colour, image)
        except convviz.ConvVizError as err:
            show_error(err, prefix_key="inside.maps.error")
            st.stop()
        st.markdown(t("inside.maps.chain", chain=" → ".join(
            f"{t(f'inside.maps.stages.{s.name}')} {format_shape(s.shape, style='tuple')}" for s in stages)))
        st.caption(t("inside.maps.scale_note"))
        for stage in stages:
            shape = format_shape(stage.shape, style="tuple")
            head = f"**{t(f'inside.maps.stages.{stage.name}')}** — C, H, W = **{shape}**"
            st.markdown(head + (f" · `{stage.layer}`" if stage.layer else ""))
            st.caption(t(f"inside.maps.stage_help.{stage.name}"))
            shown_how = how if stage.signed else "clip"
            pics, legends = display_maps(stage.values, how=shown_how, per_channel=stage.name != "input",
                                         scale=1.0 if stage.name == "input" else None)
            # One common magnification, so the pictures shrink exactly as the maps do.
            map_grid(pics, [f"{t(f'inside.maps.channels.{name}')} · {scale_text(shown_how, lg[1])}"
                            for name, lg in zip(stage.labels, legends)], width=stage.shape[2], zoom=1.25)
            if stage.name != "input":
                st.caption(t(f"inside.legend_each.{shown_how}"))

# Streamlit keeps a page's globals alive between reruns (its widgets' callables refer to them):
# drop the per-run arrays so an idle session holds none of them.
small = planes = layer = outputs = pics = mixed = whole = stages = image = None
