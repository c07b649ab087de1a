"""Learn: train a small conv net and a dense net side by side, live, and watch the notes' claim happen."""
import streamlit as st

from convviz import ConvVizError
from convviz.learn import compare_results, first_conv_kernels
from ui.common import keys
from ui.common.i18n import current_language, t
from ui.common.messages import describe
from ui.common.predict import option_guess, option_verdict
from ui.kernels.widgets import CUSTOM_SIZES, format_kernel
from ui.learn import charts, live, networks, results as shown, session, settings, try_it
from ui.server import training


def open_on_image_kernels(kernel) -> None:
    """Open ``kernel`` as the custom kernel of the Image kernels page, on the session's photo."""
    size = kernel.shape[0]
    # That page reads a linked custom kernel once per session and size: forget the one it has.
    st.session_state.pop(keys.KERNELS_CUSTOM_START, None)
    st.session_state.pop(keys.kernels_custom_editor(size), None)
    target = {keys.LANG: current_language(), keys.KERNELS_PRESET: "custom", keys.KERNELS_CUSTOM_SIZE: str(size),
              keys.KERNELS_CUSTOM: format_kernel(kernel)}
    upload = st.session_state.get(keys.LAST_UPLOAD)
    if upload is not None and st.session_state.get(keys.PICTURE) is upload:
        target[keys.KERNELS_SOURCE] = "upload"  # the student's own photo, kept by the session
    st.switch_page("views/image_kernels.py", query_params=target)


st.title(t("learn.title"))
st.caption(t("learn.intro"))

experiment, exp = settings.experiment_picker()  # a whole row: the longest name fits in presentation mode
st.caption(t(exp.description_key))
names = settings.network_names(experiment)
tables, problem = networks.edit(experiment, exp, names)  # each network's line and layer table (problem: the widths)
chosen = settings.training_settings(exp)
stacks = networks.stacks(tables)  # None while a table cannot train: it says why, under its name
request = None
if problem is None and stacks is not None:
    request, problem = settings.request_for(experiment, stacks, chosen)

# Predict, then reveal (ui.common.predict): the guess belongs to these settings, and is judged
# only once the training finished.
options = settings.guess_options(names)
guess = option_guess(keys.LEARN_GUESS, request if request is not None else experiment, list(options),
                     label=t(f"learn.guess.question_{exp.placement}"), format_func=options.__getitem__,
                     waiting=t("learn.guess.waiting"))
if problem is not None:
    st.error(describe(problem, labels=settings.labels()), icon=":material/error:")
if st.button(t("learn.train"), key=keys.LEARN_TRAIN, type="primary", icon=":material/model_training:",
             disabled=request is None):
    try:
        training.submit(request, guess=guess, context=(experiment, names))
    except ConvVizError as err:  # too costly, too much memory, the queue is full
        st.error(describe(err, labels=settings.labels()), icon=":material/error:")

handle = training.current()
if handle is not None and not handle.job.done:
    live.live_curves(handle.context[1])  # a fragment: polls the job, then reruns the page
elif handle is not None:
    session.finish(handle)
    training.forget()

finished = session.last()
if finished is not None:
    with st.container(key=keys.LEARN_DONE):
        st.subheader(t("learn.results.title", experiment=t(f"learn.experiment_{finished.experiment}")))
        st.caption(t("learn.results.settings", n=finished.request.n_train, epochs=finished.request.epochs,
                     lr=settings.lr_text(finished.request.lr),
                     optimizer=t(f"learn.optimizers.{finished.request.optimizer}")))
        if finished.error is not None:
            st.error(describe(finished.error, labels=settings.labels()), icon=":material/error:")
        spec = charts.curves_spec(finished.progress, finished.names, epochs=finished.request.epochs)
        if spec is not None:
            st.vega_lite_chart(spec, width="stretch")
            st.caption(t("learn.chart.caption"))
        if finished.complete:
            comparison = compare_results(finished.results)
            answers = settings.guess_options(finished.names)
            option_verdict(finished.guess, comparison.better, "learn.verdict",
                           format_func=lambda a: shown.guess_text(a, answers))
            stuck = shown.stuck_text(comparison, finished.names)
            if stuck is not None:  # a learning rate far off: say so, not "no overfitting"
                st.warning(stuck, icon=":material/warning:")
            st.markdown(shown.overfitting_text(comparison, finished.names))
            st.dataframe(shown.table_frame(comparison, finished.names), hide_index=True)
            st.caption(t("learn.table.caption"))

    kernels = {key: (first_conv_kernels(r.initial_params), first_conv_kernels(r.params))
               for key, r in finished.results.items()}
    for key, (before, after) in kernels.items():
        if after is None:
            continue
        st.subheader(t("learn.kernels.title", name=finished.names[key]))
        st.caption(t("learn.kernels.caption"))
        for row_label, stack, clickable in ((t("learn.kernels.before"), before, False),
                                            (t("learn.kernels.after"), after, True)):
            st.markdown(f"**{row_label}**")
            for row in shown.kernel_rows(stack):  # the first 16, 8 to a row
                for col, (i, kernel) in zip(st.columns(shown.KERNELS_PER_ROW), row):
                    col.html(shown.kernel_html(kernel, t("learn.kernels.number", n=i)))
                    if clickable and kernel.shape[0] in CUSTOM_SIZES and col.button(
                            t("learn.kernels.open"), key=keys.learn_open_kernel(i, key), icon=":material/open_in_new:",
                            help=t("learn.kernels.open_help")):
                        open_on_image_kernels(kernel)
            note = shown.kernels_note(stack)
            if note is not None:
                st.caption(note)

    if finished.results:
        st.subheader(t("learn.try.title"))
        results, names = dict(finished.results), dict(finished.names)  # key -> TrainResult, key -> name
        try_it.render(results, names=names)

st.divider()
st.subheader(t("learn.runs.title"))
runs_spec = charts.runs_spec(session.runs())
if runs_spec is None:
    st.info(t("learn.runs.empty"))
else:
    st.vega_lite_chart(runs_spec, width="stretch")
    st.caption(t("learn.runs.caption"))

# Nothing trained stays in the page's globals after its run (Streamlit keeps them alive through its lambdas).
finished = handle = kernels = results = tables = stacks = request = None
