"""Exported frames carry the page's language: Korean labels are drawn with a font that has them."""
import numpy as np

from convviz.pictures.fonts import missing_glyphs
from convviz.sliding.animation import DEFAULT_LABELS, render_frame
from convviz.sliding.frames import conv_frames
from ui.common.i18n import catalog


def test_korean_labels_change_the_picture_and_have_glyphs():
    fs = conv_frames(np.ones((5, 5), int), np.ones((3, 3), int), padding=1)
    ko = {word: catalog("ko")[f"stride.player.{word}"] for word in DEFAULT_LABELS}
    for text in ko.values():
        assert not missing_glyphs(text), text
    en = np.asarray(render_frame(fs, 0, size=(640, 360)))
    kr = np.asarray(render_frame(fs, 0, size=(640, 360), labels=ko))
    top = slice(0, 60)  # the label band above the grids; the grids themselves are identical
    assert (en[top] != kr[top]).any()
    np.testing.assert_array_equal(en[80:], kr[80:])
