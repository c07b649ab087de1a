"""The Learn page's controls: the experiment, the training settings, and the request they make.

The settings travel in links (``?learn_experiment=centred&learn_epochs=10``): the experiment is a
:func:`ui.common.choice.choice` (its id in the URL), the numbers are bound to the URL. Their
limits are within :class:`convviz.learn.TrainRequest`'s, so only the service's own bounds
(the cost of a training) can refuse what they allow. The two networks are edited in their
layer tables (:mod:`ui.learn.networks`).
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from convviz import ConvVizError
from convviz.learn import (
    DEFAULT_EXPERIMENT,
    EXPERIMENTS,
    MAX_HIDDEN_LAYERS,
    MAX_LR,
    MAX_WIDTH,
    OPTIMIZERS,
    SAME,
    Experiment,
    TrainRequest,
    parse_widths,
)
from convviz.nets import Layer
from convviz.numbers import format_count, format_significant
from ui.common import keys
from ui.common.bounded import bounded_int
from ui.common.choice import choice
from ui.common.i18n import t
from ui.server import streamlit_internals as internals, training

__all__ = ["N_TRAIN", "EPOCHS", "LR", "labels", "lr_text", "experiment_picker", "network_names", "guess_options",
           "widths_text", "training_settings", "dense_widths", "request_for"]

#: Training images: at least a few per digit, and enough test images left (1,797 in all).
N_TRAIN = (10, 1500)
#: Epochs: the cost bound of the service refuses long trainings of big networks before this.
EPOCHS = (1, 100)
#: Learning rate: above 0 and at most convviz.learn.MAX_LR.
LR = (1e-5, MAX_LR)


def labels() -> dict[str, str]:
    """The page's words for the names an error may quote (``n_train`` is "training images", ...)."""
    return {"n_train": t("learn.n_train"), "epochs": t("learn.epochs"), "lr": t("learn.lr"),
            "optimizer": t("learn.optimizer"), "hidden": t("learn.dense_hidden_word")}


def lr_text(lr: float) -> str:
    """A learning rate as it is typed (``0.001``, ``1e-05``)."""
    return format_significant(lr)


def experiment_picker(where: Any = None) -> tuple[str, Experiment]:
    """The experiment select box; returns its id and the :class:`~convviz.learn.Experiment`."""
    key = choice("selectbox", t("learn.experiment"), list(EXPERIMENTS), default=DEFAULT_EXPERIMENT,
                 format_func=lambda k: t(EXPERIMENTS[k].name_key), key=keys.LEARN_EXPERIMENT, where=where)
    return key, EXPERIMENTS[key]


def network_names(experiment: str) -> dict[str, str]:
    """Network key -> display name for an experiment (``learn.net.<experiment>.<key>``)."""
    return {net.key: t(f"learn.net.{experiment}.{net.key}") for net in EXPERIMENTS[experiment].networks}


def guess_options(names: dict[str, str]) -> dict[str, str]:
    """The answers of the guess: each network, or "about the same" (:data:`convviz.learn.SAME`)."""
    return {**names, SAME: t("learn.guess.same")}


def widths_text(exp: Experiment) -> str:
    """The experiment's dense net as its hidden widths are typed (``"128, 64"``)."""
    return ", ".join(str(w) for w in exp.dense_hidden())


def training_settings(exp: Experiment) -> dict[str, Any]:
    """Draw the training settings: :class:`~convviz.learn.TrainRequest`'s ``n_train``, ``epochs``, ``lr``,
    ``optimizer``."""
    n_col, e_col, lr_col, opt_col = st.columns(4, vertical_alignment="bottom")
    n_train = bounded_int(t("learn.n_train"), *N_TRAIN, exp.n_train, key=keys.LEARN_N_TRAIN, where=n_col,
                          bind="query-params", help=t("learn.n_train_help"))
    epochs = bounded_int(t("learn.epochs"), *EPOCHS, exp.epochs, key=keys.LEARN_EPOCHS, where=e_col,
                         bind="query-params", help=t("learn.epochs_help"))
    lr = lr_col.number_input(t("learn.lr"), min_value=LR[0], max_value=LR[1], value=exp.lr, step=0.0005,
                             format="%g", key=keys.LEARN_LR, bind="query-params", help=t("learn.lr_help"))
    optimizer = choice("segmented_control", t("learn.optimizer"), list(OPTIMIZERS), default=exp.optimizer,
                       required=True, format_func=lambda o: t(f"learn.optimizers.{o}"), key=keys.LEARN_OPTIMIZER,
                       where=opt_col)
    return {"n_train": n_train, "epochs": epochs, "lr": lr, "optimizer": optimizer}


def dense_widths(experiment: str, exp: Experiment) -> tuple[tuple[Layer, ...] | None, ConvVizError | None]:
    """Draw the dense net's hidden widths box: ``(dense, problem)``.

    The typed widths (``512, 256``: the quick way to make it bigger or smaller) make the dense net
    its layer table starts from (:mod:`ui.learn.networks`); None when they cannot be read
    (``problem`` says why).
    """
    key = keys.learn_dense(experiment)
    # Right after "back to the experiment's network" set the box (ui.learn.networks), it takes its value
    # from its state and is drawn without its default: both at once make Streamlit log a warning.
    widths = st.text_input(t("learn.dense_hidden"), value=None if internals.set_by_api(key) else widths_text(exp),
                           key=key, bind="query-params", max_chars=60,
                           help=t("learn.dense_hidden_help", layers=MAX_HIDDEN_LAYERS, width=format_count(MAX_WIDTH)))
    try:
        return exp.dense_with(parse_widths(widths or "")), None
    except ConvVizError as err:
        return None, err


def request_for(experiment: str, networks: dict[str, tuple[Layer, ...]], chosen: dict[str, Any]
                ) -> tuple[TrainRequest | None, ConvVizError | None]:
    """The request of the experiment with these networks and settings, or the coded error that refuses it
    (a network that does not end in 10 scores, a training too costly: nothing is submitted)."""
    try:
        request = TrainRequest.from_experiment(experiment, networks=networks, **chosen)
        training.service().check(request)  # the cost bound, before anything is pressed
    except ConvVizError as err:
        return None, err
    return request, None
