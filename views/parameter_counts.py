"""Parameter Counts: conv vs dense, layer by layer, from the course example to AlexNet."""
import streamlit as st

from convviz import ARCHITECTURES, ConvVizError, summarize, to_pytorch
from convviz.nets import bottleneck_comparison, compare_dense, summarize_records
from convviz.numbers import format_count, format_number, format_percent
from ui.common import keys
from ui.common.bounded import bounded_int
from ui.common.choice import choice
from ui.common.i18n import t
from ui.common.layer_table import editor_column_config, error_text, records_from_editor
from ui.common.predict import masked
from ui.params import chart, dense, guess, metrics, options, paste, table, tree, trend, words

st.title(t("params.title"), anchor=keys.PARAMS_TOP)  # the trend chart's note links up here
st.caption(t("params.intro"))

PRESETS = [name for name in ARCHITECTURES if name != "resnet_plain"]  # the plain block is the comparison
pick, shape_c, shape_h, shape_w, dense_col = st.columns([3, 1, 1, 1, 2], vertical_alignment="bottom")
name = choice("selectbox", t("params.preset"), PRESETS, format_func=lambda n: t(f"params.arch.{n}.title"),
              key=keys.PARAMS_ARCH, where=pick)
arch = ARCHITECTURES[name]
# Keyed per preset so picking another preset starts from its own input shape.
c0, h0, w0 = arch.input_shape
c = bounded_int(t("params.in_c"), 1, options.MAX_INPUT, c0, key=keys.params_input("c", name), where=shape_c,
                 bind="query-params")
h = bounded_int(t("params.in_h"), 1, options.MAX_INPUT, h0, key=keys.params_input("h", name), where=shape_h,
                 bind="query-params")
w = bounded_int(t("params.in_w"), 1, options.MAX_INPUT, w0, key=keys.params_input("w", name), where=shape_w,
                 bind="query-params")
show_dense = dense_col.toggle(t("params.dense_toggle"), key=keys.PARAMS_DENSE, bind="query-params",
                         help=t("params.dense_toggle_help"))
input_shape = (int(c), int(h), int(w))
opts = options.count_options()  # batch size, MACs/FLOPs, bias & BatchNorm, predict-then-reveal
about_box = st.container()  # the preset's description, once it is known whether it may show its total
options.conventions(opts)
# The headline (numbers left, chart right) sits above the layer table; it is filled in once the
# stack is counted, so a student sees AlexNet's dense share without scrolling.
head_left, head_right = st.columns([5, 4], gap="medium")
dense_box = st.container()

branching, start_frame = paste.start(name, arch.layers, branching=arch.branching)
st.subheader(t("params.tree.title") if branching is not None else t("params.editor_title"))
paste.paste_box(name, [keys.params_input(axis, name) for axis in "chw"], input_shape)
if branching is not None:  # ResNet, GoogLeNet, MobileNetV2 or a pasted branching model: read-only
    tree.editor_note()
    paste.clear_link()
    summary, layers, error, labels = tree.count(branching, input_shape)
else:
    st.caption(t("params.editor_help"))
    edited = st.data_editor(start_frame, key=keys.PARAMS_EDITOR, num_rows="dynamic", hide_index=True,
                            column_config=editor_column_config(), placeholder="")
    records, labels = records_from_editor(edited)
    paste.sync_link(records, name)
    try:
        summary, layers, error = summarize_records(records, input_shape)
    except ConvVizError as err:  # e.g. an impossible input shape: nothing to count
        summary, layers, error = summarize([], input_shape), [], err
st.session_state[keys.PARAMS_STACK] = (tuple(layers), input_shape)  # the Receptive fields page can trace it
by_category = summary.count_by_category()
memory, ops = options.counts(summary, opts)

with head_left:
    # Predict mode: until a guess of this table is in, no number on the page gives its count away
    # (totals, per-layer counts and operations, the chart, the dense comparison, the CSV, the trend).
    shown = guess.reveal(summary, opts)
    paste.about(about_box, name, arch.description_key, shown=shown)
    top = st.columns(2)
    top[0].metric(t("params.metric.total"), masked(format_count(summary.total_params), shown),
                  masked(words.in_words(summary.total_params), shown),
                  delta_color="gray", delta_arrow="off", help=t("params.metric.total_help"))
    top[1].metric(t("params.metric.no_bias"), masked(format_count(summary.total_params_without_biases), shown),
                  masked(t("params.metric.biases", n=format_count(summary.total_biases)), shown), delta_color="gray",
                  delta_arrow="off")
    bottom = st.columns(2)
    # (a share and the dense layers' count give the total: it waits for the guess too)
    bottom[0].metric(t("params.metric.dense_share"), masked(format_percent(summary.share_of("dense")), shown),
                     t("params.metric.dense_layers", n=by_category["dense"]), delta_color="gray", delta_arrow="off",
                     help=t("params.metric.dense_share_help"))
    metrics.ops_metric(bottom[1], summary, ops, opts, shown=shown)  # a Linear layer's multiply-adds are its weights
    metrics.memory_metrics(memory, shown=shown)
    guess.worked(summary, opts, shown=shown)
    guess.row_guess(summary, opts)
    if error is not None:
        st.error(error_text(error, labels), icon=":material/error:")
        st.caption(t("params.err.rows_kept", n=len(summary.rows)))
    # The callouts quote the shares or the largest conv's count: they wait for the guess too.
    if shown and by_category["dense"] and summary.total_params:
        mostly_dense = summary.share_of("dense") >= 0.5  # AlexNet, VGG16; not GoogLeNet, ResNet, MobileNet
        st.info(t("params.callout.dense" if mostly_dense else "params.callout.dense_small",
                  share=format_percent(summary.share_of("dense")), conv_share=format_percent(summary.share_of("conv"))),
                icon=":material/lightbulb:")
    elif shown and by_category["conv"]:
        biggest = summary.largest("conv")
        st.info(t("params.callout.conv", formula=words.formula_numbers(biggest.formula),
                  k=biggest.layer.kernel_size[0], cin=biggest.layer.in_channels, cout=biggest.layer.out_channels),
                icon=":material/lightbulb:")

with head_right:
    spec = chart.params_chart(summary.top_level()) if shown else None  # a block is one bar
    if spec is None:
        st.info(t("params.chart.empty") if shown else t("params.predict.chart_hidden"))
    else:
        st.vega_lite_chart(spec, width="stretch")
        st.caption(t("params.chart.caption"))

if show_dense:
    with dense_box:
        st.subheader(t("params.dense.title"))
        comparison = compare_dense(layers, input_shape) if shown else None
        if comparison is None:  # conv total = dense total / factor: it waits for the guess too
            st.info(t("params.predict.dense_hidden"), icon=":material/visibility_off:")
        elif not comparison.swaps:
            st.info(t("params.dense.no_conv"))
        else:
            left, right, ratio = st.columns(3)
            left.metric(t("params.dense.conv_total"), format_count(comparison.conv.total_params),
                        words.in_words(comparison.conv.total_params), delta_color="gray", delta_arrow="off")
            right.metric(t("params.dense.dense_total"), format_count(comparison.dense.total_params),
                         words.in_words(comparison.dense.total_params), delta_color="red", delta_arrow="up")
            ratio.metric(t("params.dense.factor"), f"× {format_count(comparison.factor)}")
            st.dataframe(dense.dense_frame(comparison), hide_index=True, column_config=dense.dense_column_config())
            st.caption(t("params.dense.why"))

st.subheader(t("params.table.title"))
if summary.rows:
    st.dataframe(table.summary_frame(summary, memory, ops, shown=shown), hide_index=True,
                 column_config=table.summary_column_config(opts, nested=summary.is_nested),
                 height=420 if summary.is_nested else "auto")
    if summary.is_nested:
        tree.caption(summary)
    st.markdown(t("params.table.legend") + "\n" + "\n".join(table.formula_legend(summary)))
else:
    st.info(t("params.table.empty"))

down_csv, down_code = st.columns(2)
down_csv.download_button(t("params.download_csv"), summary.to_csv() if shown else "", file_name=f"{name}_summary.csv",
                         mime="text/csv", icon=":material/table:", key=keys.PARAMS_CSV, disabled=not shown,
                         help=None if shown else t("params.predict.csv_hidden"))
code = to_pytorch(layers, input_shape=input_shape)  # once: the download and the preview show the same text
down_code.download_button(t("params.download_code"), code,
                          file_name=f"{name}_model.py", mime="text/x-python", icon=":material/code:",
                          key=keys.PARAMS_CODE, help=t("params.download_code_help"))
with st.expander(t("params.code_preview")):
    st.code(code, language="python")

st.divider()
st.subheader(t("params.trend.title"))
if shown:
    trend.show(PRESETS[0])
else:  # its labels are the presets' totals
    st.info(t("params.predict.trend_hidden"), icon=":material/visibility_off:")

st.divider()
st.subheader(t("params.bottleneck.title"))
if not shown:  # the bottleneck block is a preset too: its counts wait for the guess
    st.info(t("params.predict.bottleneck_hidden"), icon=":material/visibility_off:")
else:
    blocks = bottleneck_comparison()
    for col, key, block, weights in zip(st.columns(2), ("resnet_plain", "resnet_bottleneck"),
                                        (blocks.plain, blocks.bottleneck), blocks.conv_weights):
        with col:
            st.markdown(f"**{t(f'params.arch.{key}.title')}**")
            st.metric(t("params.bottleneck.conv_weights"), format_count(weights),
                      t("params.bottleneck.with_bn", n=format_count(block.total_params)), delta_color="gray",
                      delta_arrow="off")
            st.markdown("\n".join(
                t("params.bottleneck.step", k=f"{r.layer.kernel_size[0]}×{r.layer.kernel_size[1]}",
                  cin=r.layer.in_channels, cout=r.layer.out_channels, formula=words.formula_numbers(r.formula))
                for r in block.rows if r.category == "conv"))
    st.info(t("params.bottleneck.why", ratio=format_number(blocks.factor, places=1)), icon=":material/compress:")
