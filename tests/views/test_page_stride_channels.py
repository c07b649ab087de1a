"""AppTest for the Stride and Padding page's issue-15 controls: typed grids, predict-then-reveal,
channels and groups (the channel player, the wiring diagram, the parameter comparison)."""
import numpy as np

import convviz
from convviz.sliding.grids import channel_bias, channel_values, channel_weights
from tests.conftest import open_link, texts
from tests.views.test_page_stride import PAGE, player_data, players


def channel_player(at):
    return [h for h in players(at) if "channels.js" in h or '"reads"' in h]


def test_typed_values_and_weights_reach_the_player():
    at = open_link(PAGE, {"stride_values": "typed", "stride_weights": "typed", "stride_padding": "0",
                          "stride_stride": "1", "stride_typed_values": "1,2,3;4,5,6;7,8,9",
                          "stride_typed_weights": "1,0;0,-1"})
    assert not at.exception and not at.error
    data = player_data(players(at)[0])
    assert data["grid"] == [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    assert data["kernel"] == [["1", "0"], ["0", "−1"]]
    expected = convviz.conv2d(np.arange(1, 10).reshape(1, 3, 3), np.array([[[[1, 0], [0, -1]]]]))[0]
    assert [[float(v.replace("−", "-")) for v in row] for row in data["output"]] == expected.tolist()
    assert "input 3 × 3, kernel 2 × 2" in texts(at)
    assert sorted(e.value.shape for e in at.data_editor) == [(2, 2), (3, 3)]


def test_typing_in_the_text_box_updates_grid_and_link():
    at = open_link(PAGE, {"stride_values": "typed"})
    at.text_input(key="stride_typed_values").set_value("0,1;2,3").run()
    assert not at.exception
    assert player_data(players(at)[0])["grid"][1] == ["0", "0", "1", "0"]   # padding 1 around 2 x 2


def test_bad_typed_value_is_a_translated_message_and_the_text_is_kept():
    for locale, word in (("en", "row 2, column 1"), ("ko", "2행 1열")):
        at = open_link(PAGE, {"stride_values": "typed", "stride_typed_values": "1,2;x,4"}, locale=locale)
        assert not at.exception
        assert any(word in e.value for e in at.error), [e.value for e in at.error]
        assert at.text_input(key="stride_typed_values").value == "1,2;x,4"
        assert players(at)    # falls back to the pattern: the page still works


def test_ragged_typed_kernel_names_the_kernel_control():
    at = open_link(PAGE, {"stride_weights": "typed", "stride_typed_weights": "1,2;3"})
    assert not at.exception
    assert any("Your kernel weights" in e.value for e in at.error)


def test_predict_hides_until_both_guesses_then_grades():
    at = open_link(PAGE, {"stride_predict": "true"})
    assert not at.exception
    assert not players(at)[1:] and "(16 steps)" not in texts(at)    # only the 1-D player is left
    assert len(players(at)) == 1
    at.number_input(key="stride_guess_h").set_value(4).run()
    assert len(players(at)) == 1                       # one guess is not enough
    at.number_input(key="stride_guess_w").set_value(3).run()
    assert not at.exception
    assert any("you said 4 × 3" in e.value for e in at.error)
    assert len(players(at)) == 2 and "(16 steps)" in texts(at)
    at.number_input(key="stride_guess_w").set_value(4).run()
    assert any("Right!" in s.value for s in at.success)


def test_predict_follows_the_geometry_and_korean():
    # 9 x 7, 3 x 3, stride 2, padding 1 -> 5 x 4: a guess of 5 x 5 is wrong, 5 x 4 right
    at = open_link(PAGE, {"stride_predict": "true", "stride_in_h": "9"}, locale="ko")
    assert not at.exception
    at.number_input(key="stride_guess_h").set_value(5).run()
    at.number_input(key="stride_guess_w").set_value(5).run()
    assert any("5 × 5" in e.value and "**5 × 4**" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success
    at.number_input(key="stride_guess_w").set_value(4).run()
    assert any("맞았습니다" in s.value for s in at.success)


def test_channels_player_steps_equal_conv2d():
    at = open_link(PAGE, {"stride_channels": "true", "stride_c_in": "3", "stride_c_out": "2",
                          "stride_pos_row": "1", "stride_pos_col": "2"})
    assert not at.exception and not at.error
    data = player_data(channel_player(at)[0])
    assert data["reads"] == [[0, 1, 2], [0, 1, 2]] and data["position"] == [1, 2]
    assert [s["phase"] for s in data["steps"]] == ["channel"] * 3 + ["sum", "bias"] + ["channel"] * 3 + ["sum", "bias"]
    x = channel_values("pattern", (7, 7), 3)
    w = channel_weights("edge_v", 2, 3, (3, 3))
    y = convviz.conv2d(x, w, channel_bias(2), stride=2, padding=1)
    assert data["result"] == [convviz.format_number(v) for v in y[:, 1, 2]]
    assert "(2, 3, 3, 3)" in texts(at) or "2 × 3 × 3 × 3" in texts(at)


def test_depthwise_groups_and_diagram():
    at = open_link(PAGE, {"stride_channels": "true", "stride_c_in": "3", "stride_c_out": "3", "stride_groups": "3"})
    assert not at.exception and not at.error
    data = player_data(channel_player(at)[0])
    assert data["reads"] == [[0], [1], [2]]
    assert "Output channel 2 reads input channel(s) **2**" in texts(at)
    assert len(at.get("image")) >= 1


def test_groups_control_offers_only_divisors():
    at = open_link(PAGE, {"stride_channels": "true", "stride_c_in": "3", "stride_c_out": "2"})
    assert at.segmented_control(key="stride_groups").options == ["standard (1)"]
    at.number_input(key="stride_c_out").set_value(3).run()
    assert at.segmented_control(key="stride_groups").options == ["standard (1)", "depthwise (3)"]
    at.segmented_control(key="stride_groups").set_value(3).run()
    assert not at.exception
    assert player_data(channel_player(at)[0])["reads"] == [[0], [1], [2]]


def test_separable_counts_are_the_notes_numbers():
    at = open_link(PAGE, {"stride_channels": "true"})
    assert not at.exception
    text = texts(at)
    assert "**18,432**" in text and "**288**" in text and "**2,048**" in text and "**2,336**" in text
    at.number_input(key="stride_cmp_in").set_value(128).run()
    c = convviz.separable_counts(128, 64)
    assert f"**{convviz.format_count(c.standard)}**" in texts(at)


def test_channels_with_typed_channels_and_pooling_note():
    at = open_link(PAGE, {"stride_channels": "true", "stride_values": "typed", "stride_padding": "0",
                          "stride_stride": "1", "stride_typed_values": "1,2;3,4|5,6;7,8", "stride_c_in": "2",
                          "stride_c_out": "1", "stride_k_h": "1", "stride_k_w": "1", "stride_weights": "ones"})
    assert not at.exception and not at.error
    data = player_data(channel_player(at)[0])
    assert data["grid"][1] == [["5", "6"], ["7", "8"]]
    at.segmented_control(key="stride_op").set_value("max").run()
    assert not at.exception and "step through it" in texts(at)


def test_pooling_with_typed_weights_has_no_kernel_to_type():
    at = open_link(PAGE, {"stride_weights": "typed", "stride_op": "max", "stride_channels": "true"})
    assert not at.exception and not at.error
    assert player_data(players(at)[0])["kernel"] is None
    assert not [e for e in at.text_input if e.key == "stride_typed_weights"]


def test_every_new_control_drives_the_page():
    at = open_link(PAGE, {"stride_channels": "true"})
    at.toggle(key="stride_predict").set_value(True).run()
    assert not at.exception and not [h for h in players(at) if '"frames"' in h and '"kernel"' in h]
    at.toggle(key="stride_predict").set_value(False).run()
    at.number_input(key="stride_c_in").set_value(2).run()
    at.number_input(key="stride_c_out").set_value(2).run()
    at.segmented_control(key="stride_groups").set_value(2).run()
    at.number_input(key="stride_pos_row").set_value(3).run()
    at.number_input(key="stride_pos_col").set_value(1).run()
    assert not at.exception and not at.error
    data = player_data(channel_player(at)[0])
    assert data["reads"] == [[0], [1]] and data["position"] == [3, 1]
    at.number_input(key="stride_cmp_out").set_value(128).run()
    assert f"**{convviz.format_count(convviz.separable_counts(32, 128).separable)}**" in texts(at)
    at.segmented_control(key="stride_values").set_value("typed").run()
    at.text_input(key="stride_typed_values").set_value("1,2,3;4,5,6;7,8,9|9,8,7;6,5,4;3,2,1").run()
    assert not at.exception and not at.error
    data = player_data(channel_player(at)[0])
    assert data["grid"][1][1] == ["0", "9", "8", "7", "0"]      # channel 1, first input row (padding 1)
