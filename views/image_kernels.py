"""Image Kernels: your own photo through blur, emboss, outline and more."""
from functools import partial

import streamlit as st

import convviz
from convviz.filters import MODES, SIGNED_DISPLAYS, display_legend
from convviz.numbers import format_shape, format_significant
from ui.common import keys
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.messages import show_error
from ui.kernels.captions import before_caption
from ui.kernels.inspector import inspector_panel
from ui.kernels.results import before_jpeg, full_resolution_png, shown_result
from ui.kernels.source import pick_picture
from ui.kernels.widgets import custom_kernel_editor, kernel_table

st.title(t("kernels.title"))
st.caption(t("kernels.intro"))

controls, result = st.columns([2, 5], gap="large")
with result:
    # The kernel is chosen right under the pictures, so the result stays in view while choosing
    # (on a phone too, where this column comes first). The pictures are drawn last, once the kernel
    # and the options are known.
    pictures = st.container(key=keys.KERNELS_PICTURES)
    pick, size_box = st.columns([3, 2], vertical_alignment="bottom")
    preset = choice("selectbox", t("kernels.preset"), [*convviz.KERNEL_INFO, "custom"], where=pick,
                    format_func=lambda n: t(f"kernels.presets.{n}.name"), default="emboss", key=keys.KERNELS_PRESET)
    st.caption(t(f"kernels.presets.{preset}.desc"))
    if preset == "custom":
        kernel = custom_kernel_editor()
    else:
        sizes = convviz.KERNEL_INFO[preset].sizes
        size = sizes[0]
        if len(sizes) > 1:
            size = choice("select_slider", t("kernels.size"), sizes, key=keys.KERNELS_SIZE, where=size_box,
                          format_func=lambda n: format_shape((n, n)))
        kernel = convviz.make_kernel(preset, size)

with controls:
    picture = pick_picture()
    with st.expander(t("kernels.options"), expanded=True):
        # The border modes by their scipy names (short enough for the narrow column), the chosen
        # one explained under the box.
        mode = choice("selectbox", t("kernels.mode"), MODES, format_func=lambda m: t(f"kernels.mode_names.{m}"),
                      key=keys.KERNELS_MODE, help=t("kernels.mode_help"))
        st.caption(t(f"kernels.modes.{mode}"))
        flip = st.toggle(t("kernels.flip"), key=keys.KERNELS_FLIP, bind="query-params")
        st.caption(t("kernels.flip_on" if flip else "kernels.flip_off"))
        how = choice("segmented_control", t("kernels.signed"), SIGNED_DISPLAYS, default="clip", required=True,
                     format_func=lambda h: t(f"kernels.signed_modes.{h}"), key=keys.KERNELS_SIGNED)
        grey = st.toggle(t("kernels.grey"), key=keys.KERNELS_GREY, bind="query-params")

source = convviz.to_grey(picture.image) if grey else picture.image
with pictures:
    try:
        result_image = None if kernel is None else shown_result(picture, source, kernel, grey=grey, mode=mode,
                                                                   flip=flip, how=how)
    except convviz.ConvVizError as err:
        result_image = None
        show_error(err)
    before, after = st.columns(2)
    h, w = source.shape[:2]
    before.image(before_jpeg(picture.digest, grey, source), caption=before_caption(picture, h, w),
                 alt=t("kernels.before_alt"))
    if result_image is None:
        after.info(t("kernels.no_result"))
    else:
        black, white = display_legend(how)
        after.image(result_image, caption=t(f"kernels.legend.{how}", black=format_significant(black),
                                            white=format_significant(white)),
                    alt=t("kernels.after_alt", kernel=t(f"kernels.presets.{preset}.name")))

with result:
    numbers, download = st.columns([2, 1])
    with numbers:
        if kernel is not None:
            kernel_table(kernel, flipped=flip)
    with download:
        if result_image is not None:
            st.download_button(
                t("kernels.download"), type="primary", icon=":material/download:",
                data=partial(full_resolution_png, picture, kernel, mode=mode, flip=flip, grey=grey, how=how),
                file_name=f"{picture.stem}_{preset}.png", mime="image/png", key=keys.KERNELS_DOWNLOAD,
                on_click="ignore", help=t("kernels.download_help"))

if kernel is not None:
    inspector_panel(picture=picture, grey=grey, kernel=kernel, mode=mode, flip=flip, how=how)

# Streamlit keeps a page's globals alive between reruns (its widgets' callables refer to them):
# drop the per-run data so an idle session holds only its working copy.
result_image = source = None
