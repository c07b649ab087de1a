"""The Learn page's controls: the experiment, the training settings, and the request they make.

The settings travel in links (``?learn_experiment=centred&learn_epochs=10``): the experiment is a
:func:`ui.common.choice.choice` (its id in the URL), the numbers are bound to the URL. Their
limits are within :class:`convviz.learn.TrainRequest`'s, so only the service's own bounds
(the cost of a training) can refuse what they allow.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from convviz import ConvVizError, summarize
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
from convviz.numbers import format_count, format_significant
from ui.common import keys
from ui.common.bounded import bounded_int
from ui.common.choice import choice
from ui.common.i18n import t
from ui.server import training

__all__ = ["N_TRAIN", "EPOCHS", "LR", "labels", "lr_text", "experiment_picker", "network_names", "guess_options",
           "request_from", "networks_overview"]

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


def request_from(experiment: str, exp: Experiment) -> tuple[TrainRequest | None, ConvVizError | None]:
    """Draw the settings; the request they make, or the coded error that refuses it (nothing submitted).

    The dense net's hidden widths are typed (``512, 256``: make it bigger, or smaller); the conv net
    is the experiment's.
    """
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
    widths = st.text_input(t("learn.dense_hidden"), value=", ".join(str(w) for w in exp.dense_hidden()),
                           key=keys.learn_dense(experiment), bind="query-params", max_chars=60,
                           help=t("learn.dense_hidden_help", layers=MAX_HIDDEN_LAYERS, width=format_count(MAX_WIDTH)))
    try:
        dense = exp.dense_with(parse_widths(widths or ""))
        request = TrainRequest.from_experiment(experiment, networks={"dense": dense}, n_train=n_train, epochs=epochs,
                                               lr=lr, optimizer=optimizer)
        training.service().check(request)  # the cost bound, before anything is pressed
    except ConvVizError as err:
        return None, err
    return request, None


def networks_overview(exp: Experiment, names: dict[str, str], request: TrainRequest | None) -> None:
    """One line per network: its name, its parameters (what convviz.summarize counts) and its layers."""
    stacks = dict(request.networks) if request is not None else {net.key: net.layers for net in exp.networks}
    for key, stack in stacks.items():
        layers = ", ".join(type(layer).__name__ for layer in stack)
        st.markdown(t("learn.network_line", name=names[key], params=format_count(summarize(stack, exp.input_shape)
                                                                                 .total_params), layers=layers))
