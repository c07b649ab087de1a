"""AppTest of the guided lesson (Start here): the steps added for issues 15 and 16 sit in the notes' order."""
from __future__ import annotations

import pytest

from tests.conftest import texts
from tests.ui.common.test_i18n import open_page
from ui.common import keys


def _links(at):
    return [link.proto.label for link in at.get("page_link")]


@pytest.mark.parametrize(("locale", "words"), [
    ("en-US", ["288 + 2,048 = 2,336", "18,432", "8.0%", "96.0%"]),
    ("ko-KR", ["288 + 2,048 = 2,336", "18,432", "8.0%", "96.0%"]),
])
def test_the_lesson_states_the_depthwise_and_trend_numbers(locale, words):
    at = open_page("views/home.py", locale=locale)
    assert not at.exception
    at.text_input(key=keys.HOME_GUESS_ALEXNET).input("60000000").run()  # step 9's trend follows the guess
    shown = texts(at)
    for word in words:
        assert word in shown, word


def test_new_links_follow_the_notes_order():
    labels = _links(open_page("views/home.py", locale="en-US"))
    order = ["Type a textbook exercise", "7 × 7 input, 3 × 3 kernel", "Predict first",
             "Click your photo", "Count the notes' example", "One kernel of depth 3",
             "AlexNet, layer by layer", "Guess AlexNet", "The trend as a chart",
             "A ResNet bottleneck block", "Depthwise convolution step by step"]
    at = [next(i for i, label in enumerate(labels) if label.startswith(o)) for o in order]
    assert at == sorted(at)
