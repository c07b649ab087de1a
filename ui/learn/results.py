"""A finished training on the Learn page: the table, the overfitting note, the kernels before and after.

Every number is :func:`convviz.learn.compare_results`'s or a :class:`~convviz.learn.TrainResult`'s,
written by :mod:`convviz.numbers`; kernels are :func:`convviz.learn.first_conv_kernels`, drawn with the
sign colours of the Image kernels page (:mod:`ui.common.number_cells`).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from convviz.learn import NEAR_CHANCE, Comparison
from convviz.numbers import format_count, format_number, format_percent, format_significant
from ui.common.i18n import t
from ui.common.number_cells import cell_html, signed_colour, table_html

__all__ = ["MAX_KERNELS", "KERNELS_PER_ROW", "table_frame", "overfitting_text", "stuck_text", "kernel_html",
           "kernel_rows", "kernels_note", "guess_text"]

#: Kernels drawn per network, before and after training (an edited first conv layer can have hundreds).
MAX_KERNELS = 16
#: Kernels side by side (the experiments' conv nets have 8).
KERNELS_PER_ROW = 8


def table_frame(comparison: Comparison, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per network: parameters, final training and test accuracy, their gap, epochs, seconds."""
    rows = [{t("learn.table.network"): names.get(key, key),
             t("learn.table.params"): format_count(o.params),
             t("learn.table.train"): format_percent(o.train_accuracy),
             t("learn.table.test"): format_percent(o.test_accuracy),
             t("learn.table.gap"): t("learn.table.points", points=format_number(o.gap_points, places=1)),
             t("learn.table.epochs"): format_count(o.epochs),
             t("learn.table.seconds"): format_significant(o.seconds, 2)}
            for key, o in comparison.outcomes.items()]
    return pd.DataFrame(rows)


def overfitting_text(comparison: Comparison, names: Mapping[str, str]) -> str:
    """Which network overfits (its gap between training and test accuracy, in points), from the numbers."""
    if comparison.overfits is None:
        return t("learn.overfit.none", points=format_number(comparison.overfit_points, places=1))
    o = comparison.outcomes[comparison.overfits]
    lines = [t("learn.overfit.yes", name=names.get(o.key, o.key), train=format_percent(o.train_accuracy),
               test=format_percent(o.test_accuracy), points=format_number(o.gap_points, places=1))]
    lines += [t("learn.overfit.other", name=names.get(key, key), points=format_number(other.gap_points, places=1))
              for key, other in comparison.outcomes.items() if key != o.key]
    return " ".join(lines)


def stuck_text(comparison: Comparison, names: Mapping[str, str]) -> str | None:
    """A plain warning for the networks that did not learn (training accuracy near chance), or None."""
    stuck = comparison.near_chance
    if not stuck:
        return None
    return t("learn.stuck", names=", ".join(names.get(k, k) for k in stuck),
             accuracy=", ".join(format_percent(comparison.outcomes[k].train_accuracy) for k in stuck),
             limit=format_percent(NEAR_CHANCE))


def kernel_rows(kernels: np.ndarray) -> list[list[tuple[int, np.ndarray]]]:
    """The first :data:`MAX_KERNELS` kernels, numbered from 1, in rows of :data:`KERNELS_PER_ROW`.

    >>> [[n for n, _ in row] for row in kernel_rows(np.zeros((20, 3, 3)))]
    [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]]
    """
    numbered = list(enumerate(kernels[:MAX_KERNELS], start=1))
    return [numbered[i:i + KERNELS_PER_ROW] for i in range(0, len(numbered), KERNELS_PER_ROW)]


def kernels_note(kernels: np.ndarray) -> str | None:
    """"The first 16 of its 64 kernels." when :func:`kernel_rows` leaves some out, else None."""
    if len(kernels) <= MAX_KERNELS:
        return None
    return t("learn.kernels.first", shown=format_count(MAX_KERNELS), n=format_count(len(kernels)))


def guess_text(answer: str, options: Mapping[str, str]) -> str:
    """The name of an answer of the guess (a network's name, or "about the same")."""
    return options.get(answer, answer)


def kernel_html(kernel: np.ndarray, caption: str) -> str:
    """One kernel as a small table: each weight to 2 places (exact in its tooltip), in the sign colours."""
    rows = [[cell_html(format_number(v, places=2), fg=signed_colour(v), title=format_significant(v, 6), small=True)
             for v in row] for row in np.asarray(kernel, dtype=float)]
    return table_html(caption, rows)
