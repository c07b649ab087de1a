"""While a training runs: a fragment polls the job and redraws the curves, never blocking a page run.

The fragment reruns alone every :data:`POLL_SECONDS`; it reads ``job.progress()`` (returns at once)
and, once the job is done, reruns the whole page, which shows the results and no longer draws the
fragment: the polling stops.
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ui.common import keys
from ui.common.i18n import t
from ui.learn.charts import curves_spec
from ui.server import training

__all__ = ["POLL_SECONDS", "live_curves", "progress_text"]

#: How often a running training's page asks for news.
POLL_SECONDS = 1.0


def progress_text(progress: Mapping[str, tuple], names: Mapping[str, str], epochs: int) -> str:
    """"Small conv net: epoch 3 of 30 · Dense net: epoch 5 of 30" (epochs finished so far)."""
    return " · ".join(t("learn.live.epoch", name=names.get(key, key), done=len(records), epochs=epochs)
                      for key, records in progress.items())


@st.fragment(run_every=POLL_SECONDS)
def live_curves(names: Mapping[str, str]) -> None:
    """The running job's curves so far; reruns the page when it is done."""
    handle = training.current()
    if handle is None:
        return
    if handle.job.done:
        st.rerun(scope="app")  # the page takes the results, and the fragment is no longer drawn
    progress = handle.job.progress()
    with st.container(key=keys.LEARN_LIVE):
        st.info(t("learn.live.running") + "  \n" + progress_text(progress, names, handle.request.epochs),
                icon=":material/model_training:")
        spec = curves_spec(progress, names, epochs=handle.request.epochs)
        if spec is not None:
            st.vega_lite_chart(spec, width="stretch")
