"""Start here: a guided lesson in the order of the course notes.

Each step is a short explanation, the notes' formula (``ui.common.formula.show_maths``) and links that
open a page already set up for that step (``ui.home.lesson.link``). ``tests/ui/common/test_i18n.py`` opens
every link and fails if a page rejects a value.
"""
import streamlit as st

from convviz import format_count, format_percent, output_size, separable_counts
from convviz.predict import CLOSE
from ui.common import keys
from ui.common.formula import show_maths
from ui.common.i18n import t
from ui.common.predict import count_guess
from ui.home.lesson import (
    INSIDE,
    KERNELS,
    LEARN,
    PARAMS,
    RECEPTIVE,
    STRIDE,
    counts,
    dense_weights,
    field_size,
    link,
    networks,
    step,
)

st.title(t("home.title"))
st.markdown(t("home.intro"))
st.caption(t("home.how"))

with st.container(border=True):
    step(1, "conv1d")
    show_maths([r"(f * g)(t)", r"= \sum_{i=-\infty}^{\infty} f(i)\,g(t-i)",
                r"= \sum_{i=-\infty}^{\infty} f(t-i)\,g(i)"], key=keys.lesson_formula(1))
    st.markdown(t("home.steps.conv1d.after"))
    link(STRIDE, "home.links.conv1d", {keys.STRIDE_F: "0, 1, 2, 3, 2, 1, 0", keys.STRIDE_G: "1, 0, -1"})

with st.container(border=True):
    step(2, "conv2d")
    show_maths([r"(I * K)(i, j)", r"= \sum_{m}\sum_{n} I(m, n)\,K(i-m, j-n)",
                r"= \sum_{m}\sum_{n} I(i-m, j-n)\,K(m, n)"], key=keys.lesson_formula(2))
    st.markdown(t("home.steps.conv2d.after"))
    link(STRIDE, "home.links.conv2d_grid", {keys.STRIDE_STRIDE: "1", keys.STRIDE_PADDING: "0"})
    link(KERNELS, "home.links.conv2d_flip", {keys.KERNELS_PRESET: "emboss", keys.KERNELS_FLIP: "true"})
    link(STRIDE, "home.links.typed", {keys.STRIDE_VALUES: "typed", keys.STRIDE_WEIGHTS: "typed",
                                      keys.STRIDE_TYPED_VALUES: "1,2,0,1;0,1,3,1;2,1,0,0;1,0,1,2",
                                      keys.STRIDE_TYPED_WEIGHTS: "1,0;0,-1", keys.STRIDE_STRIDE: "1",
                                      keys.STRIDE_PADDING: "0"})

with st.container(border=True):
    step(3, "kernels")
    link(KERNELS, "home.links.blur", {keys.KERNELS_PRESET: "box_blur"})
    link(KERNELS, "home.links.emboss", {keys.KERNELS_PRESET: "emboss"})
    link(KERNELS, "home.links.outline", {keys.KERNELS_PRESET: "outline"})

with st.container(border=True):
    step(4, "stride", out=output_size(7, 3, stride=2), out1=output_size(7, 3, stride=1))
    link(STRIDE, "home.links.stride", {keys.STRIDE_STRIDE: "2", keys.STRIDE_PADDING: "0"})

with st.container(border=True):
    step(5, "padding")
    link(STRIDE, "home.links.padding3", {keys.STRIDE_STRIDE: "1", keys.STRIDE_PADDING: "1"})
    link(STRIDE, "home.links.padding5",
         {keys.STRIDE_STRIDE: "1", keys.STRIDE_PADDING: "2", keys.STRIDE_K_H: "5", keys.STRIDE_K_W: "5"})

with st.container(border=True):
    step(6, "output")
    show_maths([r"O = \left\lfloor \frac{N + 2P - D\,(K-1) - 1}{S} \right\rfloor + 1",
                r"\quad (D = 1:\ O = \left\lfloor \frac{N + 2P - K}{S} \right\rfloor + 1)"], key=keys.lesson_formula(6))
    st.markdown(t("home.steps.output.example", out=output_size(7, 3, stride=2, padding=1)))
    link(STRIDE, "home.links.output",
         {keys.STRIDE_IN_H: "7", keys.STRIDE_IN_W: "7", keys.STRIDE_STRIDE: "2", keys.STRIDE_PADDING: "1"})
    link(STRIDE, "home.links.predict", {keys.STRIDE_IN_H: "9", keys.STRIDE_IN_W: "9", keys.STRIDE_STRIDE: "2",
                                        keys.STRIDE_PADDING: "1", keys.STRIDE_PREDICT: "true"})

with st.container(border=True):
    step(7, "receptive", three=field_size("three_3x3"), alexnet=field_size("alexnet_features"))
    show_maths([r"r_l = r_{l-1} + (k_l - 1)\,d_l\,j_{l-1},", r"\quad j_l = j_{l-1}\,s_l"], key=keys.lesson_formula(7))
    link(RECEPTIVE, "home.links.receptive", {keys.RF_STACK: "three_3x3"})
    link(RECEPTIVE, "home.links.receptive_alexnet", {keys.RF_STACK: "alexnet_features"})

with st.container(border=True):
    step(8, "params")
    show_maths([r"3 \times 3 \times 128 \times 64", r"= 73{,}728"], key=keys.lesson_formula(8))
    st.markdown(t("home.steps.params.after",
                  dense=dense_weights("course_example")))
    link(PARAMS, "home.links.params", {keys.PARAMS_ARCH: "course_example"})
    link(PARAMS, "home.links.params_dense", {keys.PARAMS_ARCH: "course_example", keys.PARAMS_DENSE: "true"})
    link(STRIDE, "home.links.channels", {keys.STRIDE_CHANNELS_OPEN: "true", keys.STRIDE_C_IN: "3",
                                         keys.STRIDE_C_OUT: "2", keys.STRIDE_GROUPS: "1"})

with st.container(border=True):
    step(9, "dense")
    # Predict, then reveal (ui.common.predict, as on the Parameter counts page): AlexNet's counts wait for a guess.
    alexnet = counts("alexnet")
    total = alexnet["total"]
    ask, _ = st.columns([3, 2])
    revealed = count_guess(keys.HOME_GUESS_ALEXNET, "alexnet", total, label=t("home.steps.dense.guess"),
                           prefix="params.predict", help=t("params.predict.guess_help", close=format_percent(CLOSE)),
                           waiting=t("home.steps.dense.waiting"), where=ask) is not None
    if revealed:
        st.markdown(t("home.steps.dense.counts", conv=format_count(alexnet["conv"]),
                      dense=format_count(alexnet["dense"]), total=format_count(total)))
    link(PARAMS, "home.links.dense", {keys.PARAMS_ARCH: "alexnet"})
    link(PARAMS, "home.links.params_predict", {keys.PARAMS_ARCH: "alexnet", keys.PARAMS_PREDICT: "true"})
    if revealed:  # AlexNet's dense share and its dense layers' count would give the total away
        net = networks()
        st.markdown(t("home.steps.dense.trend", googlenet=net["googlenet"].depth,
                      resnet50=net["resnet50"].depth, mobilenet=net["mobilenet_v2"].depth,
                      resnet_share=format_percent(net["resnet50"].dense_share),
                      alexnet_share=format_percent(net["alexnet"].dense_share)))
    link(PARAMS, "home.links.trend", {keys.PARAMS_ARCH: "resnet50"})

with st.container(border=True):
    step(10, "bottleneck", bottleneck=format_count(counts("resnet_bottleneck")["conv"]),
         plain=format_count(counts("resnet_plain")["conv"]))
    link(PARAMS, "home.links.bottleneck", {keys.PARAMS_ARCH: "resnet_bottleneck"})
    separable = separable_counts(32, 64)
    st.markdown(t("home.steps.bottleneck.depthwise", dw=format_count(separable.depthwise),
                  pw=format_count(separable.pointwise), sep=format_count(separable.separable),
                  std=format_count(separable.standard)))
    link(STRIDE, "home.links.depthwise", {keys.STRIDE_CHANNELS_OPEN: "true", keys.STRIDE_C_IN: "3",
                                          keys.STRIDE_C_OUT: "3", keys.STRIDE_GROUPS: "3"})
    link(INSIDE, "home.links.inside")

with st.container(border=True):
    step(11, "learn")
    link(LEARN, "home.links.learn", {keys.LEARN_EXPERIMENT: "shifted"})
    link(LEARN, "home.links.learn_bigger", {keys.LEARN_EXPERIMENT: "bigger_dense"})

st.caption(t("home.source"))
