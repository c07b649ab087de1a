"""How the Parameter Counts page writes a count or a formula in words (no counting happens here).

The numbers come from :mod:`convviz.nets`; digits are written by :mod:`convviz.numbers`.
"""
from __future__ import annotations

from convviz.nets import Formula
from convviz.numbers import format_count, format_scaled
from ui.common.i18n import t


def in_words(n: int) -> str:
    """A big count the way people say it: ``"32.8 billion"`` / ``"328억"``; small ones stay digits.

    The unit names and the group size (3 digits in English, 4 in Korean) come from the locale.
    """
    value, unit = format_scaled(n, t("params.words.units").split(","), step=int(t("params.words.step")))
    return value if unit is None else t("params.words.number", value=value, unit=unit.strip())


def formula_numbers(formula: Formula, *, with_biases: bool = True) -> str:
    """``"3 × 3 × 128 × 64 = 73,728 + 64 biases"``; ``"—"`` for a layer without parameters."""
    if not formula.weight_terms:
        return "—"
    text = format_count(formula.weights)
    if len(formula.weight_terms) > 1:
        text = " × ".join(format_count(term.value) for term in formula.weight_terms) + f" = {text}"
    if formula.bias_terms and with_biases:
        text += t("params.formula.plus_bias", n=format_count(formula.biases))
    return text


def formula_words(formula: Formula) -> str:
    """``"kernel height × kernel width × input channels × output channels + one bias per output channel"``."""
    if not formula.weight_terms:
        return t(f"params.note.{formula.note}")
    text = " × ".join(t(f"params.term.{term.name}") for term in formula.weight_terms)
    if formula.bias_terms:
        text += t("params.formula.plus_bias_words", what=t(f"params.bias_per.{formula.bias_terms[0].name}"))
    return text
