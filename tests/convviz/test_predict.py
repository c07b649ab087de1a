"""convviz.predict: guesses read the way people write large numbers, refused with a code, judged once."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from convviz import LayerError
from convviz.predict import MAX_GUESS, judge, parse_guess

CODES = {"guess_not_count", "guess_negative", "guess_not_whole", "guess_too_large"}


def refused(text: str) -> str:
    with pytest.raises(LayerError) as err:
        parse_guess(text)
    return err.value.code


def korean(n: int, *, small_units: bool = False) -> str:
    """``n`` written with 조/억/만 (``61100840`` -> ``"6110만 840"``); with 천/백/십 inside each group
    closed by a unit (``"6천1백1십만 840"``: "6천5" after the units would be ambiguous, 6,005 or 6,500)."""
    parts = []
    for unit, power in (("조", 12), ("억", 8), ("만", 4), ("", 0)):
        group, n = divmod(n, 10**power)
        if group:
            text = str(group)
            if small_units and unit and group < 10**4:
                text = "".join(f"{d}{u}" for d, u in zip(f"{group:04d}", ("천", "백", "십", "")) if d != "0")
            parts.append(text + unit)
    return " ".join(parts) or "0"


def test_the_forms_of_the_issue():
    assert parse_guess("60 million") == 60_000_000
    assert parse_guess("61.1M") == 61_100_000
    assert parse_guess("6.1e7") == parse_guess("6.1 x 10^7") == parse_guess("6.1×10**7") == 61_000_000
    assert parse_guess("61,100,840") == parse_guess("61 100 840") == parse_guess("61_100_840") == 61_100_840
    assert parse_guess("6천만") == 60_000_000
    assert parse_guess("6100만") == 61_000_000
    assert parse_guess("6,110만") == 61_100_000
    assert parse_guess("6만 1706") == parse_guess("6만1706") == 61_706
    assert parse_guess("1억 2천만") == parse_guess("1.2억") == 120_000_000


def test_words_around_a_guess_and_typed_forms():
    assert parse_guess("about 60k") == parse_guess("~60 thousand") == parse_guess("60K parameters") == 60_000
    assert parse_guess("약 6천만 개") == 60_000_000
    assert parse_guess("６１，７０６") == 61_706  # full-width, as a Korean keyboard may type them
    assert parse_guess("61\u202f706") == parse_guess("61\u00a0706") == 61_706  # pasted from a French text
    assert parse_guess("1.2 billion") == parse_guess("1.2bn") == 1_200_000_000
    assert parse_guess("-0") == 0


@pytest.mark.parametrize(("text", "code"), [
    ("", "guess_not_count"), ("lots", "guess_not_count"), ("1,5", "guess_not_count"), ("12abc", "guess_not_count"),
    ("61 1000", "guess_not_count"), ("6 zillion", "guess_not_count"), ("만억", "guess_not_count"),
    ("6천5", "guess_not_count"), ("1e", "guess_not_count"), ("9" * 61, "guess_not_count"),
    ("-5", "guess_negative"), ("− 3 million", "guess_negative"),
    ("2.5", "guess_not_whole"), ("1.23456k", "guess_not_whole"), ("1e-3", "guess_not_whole"),
    ("1e19", "guess_too_large"), ("9" * 30, "guess_too_large"), ("1e999", "guess_too_large"),
])
def test_refusals_are_coded(text, code):
    assert refused(text) == code


def test_a_refusal_echoes_at_most_40_characters():
    with pytest.raises(LayerError) as err:
        parse_guess("x" * 500)
    assert err.value.params["value"] == "x" * 40 and err.value.params["param"] == "guess"


@given(st.integers(0, MAX_GUESS))
def test_digits_with_any_grouping_read_back(n):
    for text in (str(n), f"{n:,}", f"{n:_}", f"{n:,}".replace(",", " "), f" {n:,} "):
        assert parse_guess(text) == n


@given(st.integers(0, MAX_GUESS))
def test_korean_units_read_back(n):
    assert parse_guess(korean(n)) == n
    assert parse_guess(korean(n, small_units=True)) == n


def _reads_back(text: str, value: Decimal) -> None:
    """``text`` is read as ``value`` when that is a whole count in range, else refused with the reason."""
    if value != value.to_integral_value():
        assert refused(text) == "guess_not_whole"
    elif value > MAX_GUESS:
        assert refused(text) == "guess_too_large"
    else:
        assert parse_guess(text) == int(value)


@given(st.integers(0, 10**6), st.integers(0, 3),
       st.sampled_from([("k", 3), (" thousand", 3), ("M", 6), (" million", 6), ("bn", 9), (" billion", 9),
                        ("만", 4), ("억", 8)]))
def test_scale_words_read_back_when_whole(digits, places, scale):
    word, power = scale
    number = Decimal(digits).scaleb(-places)
    value = number.scaleb(power)
    _reads_back(f"{number}{word}", value)


@given(st.integers(1, 999), st.integers(0, 3), st.integers(0, 20))
def test_scientific_notation_reads_back(mantissa, places, exponent):
    number = Decimal(mantissa).scaleb(-places)
    value = number.scaleb(exponent)
    for text in (f"{number}e{exponent}", f"{number} x 10^{exponent}"):
        _reads_back(text, value)


@pytest.mark.parametrize("texts", [st.text(max_size=70),   # any text
                                   st.text(alphabet="0123456789,._ e+-x^만억조천백십kmMbK약개", max_size=30)],
                         ids=["any", "number_like"])
def test_text_is_a_count_in_range_or_a_coded_refusal(texts):
    @given(texts)
    def check(text):
        try:
            value = parse_guess(text)
        except LayerError as err:
            assert err.code in CODES
        else:
            assert isinstance(value, int) and 0 <= value <= MAX_GUESS

    check()


def test_counts_are_judged_within_five_percent():
    assert judge(61_706, 61_706).verdict == "exact"
    assert judge(64_791, 61_706).verdict == "close"  # +4.9995%
    assert judge(64_792, 61_706).verdict == "high"  # +5.0011%
    assert judge(58_621, 61_706).verdict == "close" and judge(58_620, 61_706).verdict == "low"
    assert judge(60_000_000, 61_100_840).right and not judge(6_000_000, 61_100_840).right


def test_shapes_are_judged_size_by_size_and_exactly():
    j = judge((5, 5), (5, 4))
    assert (j.verdict, j.axes, j.right) == ("wrong", (True, False), False)
    assert judge((5, 4), (5, 4)).verdict == "exact" and judge((5, 4), (5, 4)).right
    assert judge((100, 100), (99, 99)).verdict == "wrong"  # no "close" for a size
