"""One error-code registry, one message table: every code raised is registered, every registered code
is raised by a real bad input below and has a message in both languages that its params fill."""
from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path

import numpy as np
import pytest

import convviz
from convviz import learn, predict
from convviz.errors import ERROR_CODES, ConvVizError, GeometryError, LayerError
from convviz.features import maps, planes
from convviz.filters import inspector
from convviz.learn import _worker, jobs
from convviz.nets import blocks, layers, links, records
from convviz.nets.to_torch import to_pytorch
from convviz.sliding.animation import render_frame
from convviz.sliding.signal1d import conv1d_frames, parse_signal
from tests.corpus import corpus

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "ko")


def _messages(lang: str) -> dict[str, str]:
    with (ROOT / "locales" / lang / "errors.toml").open("rb") as fh:
        return {k: v for k, v in tomllib.load(fh).items() if isinstance(v, str)}


def _fields(template: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


X = np.ones((1, 4, 4))
W = np.ones((1, 1, 3, 3))
DIGITS = learn.digits_data(n_train=30, seed=0)
TRAIN = dict(epochs=1, batch_size=10, lr=1e-3, seed=0)
IMG = np.zeros((8, 8), np.uint8)
DENSE_PARAMS = learn.init_params(learn.dense_net(), (1, 16, 16), seed=0)

#: (code, a call with a bad input that raises it). At least one per registered code (image
#: codes come from the upload corpus below).
BAD_INPUTS = [
    ("not_int", lambda: convviz.output_size(5, 2.5)),
    ("not_int", lambda: layers.Conv2d(3, 8, "3")),
    ("not_int", lambda: inspector.inspect_pixel(IMG, [[1]], 1.5, 0)),
    ("not_float", lambda: layers.Dropout(float("nan"))),
    ("not_float", lambda: maps.display_maps(np.zeros((1, 2, 2)), scale="big")),
    ("not_bool", lambda: layers.Linear(4, 2, bias="yes")),
    ("not_pair", lambda: convviz.as_pair((1, 2, 3), "stride")),
    ("not_pair", lambda: layers.AdaptiveAvgPool2d((1, 2, 3))),
    ("not_sizes", lambda: convviz.summarize([], (0, 4, 4))),
    ("not_sizes", lambda: layers.Unflatten(1, (4, 0))),
    ("too_small", lambda: convviz.output_size(5, 3, stride=0)),
    ("too_small", lambda: layers.Conv2d(0, 8, 3)),
    ("too_small", lambda: convviz.conv_params(3, 3, 0)),
    ("not_positive", lambda: maps.display_maps(np.zeros((1, 2, 2)), scale=0.0)),
    ("out_of_range", lambda: inspector.inspect_pixel(IMG, [[1]], 8, 0)),
    ("out_of_range", lambda: planes.demo_weights(9)),
    ("out_of_range", lambda: layers.Dropout(1.5)),
    ("out_of_range", lambda: render_frame(convviz.conv_frames(np.ones((2, 2)), np.ones((1, 1))), 9)),
    ("bad_choice", lambda: convviz.pool2d(X, 2, op="median")),
    ("bad_choice", lambda: convviz.animation_frames(np.ones((3, 3)), op="median")),
    ("bad_choice", lambda: convviz.sample_values("noise", (3, 3))),
    ("bad_choice", lambda: planes.demo_weights(2, 4)),
    ("bad_choice", lambda: maps.display_maps(np.zeros((1, 2, 2)), how="log")),
    ("bad_choice", lambda: convviz.make_kernel("sharpest")),
    ("bad_choice", lambda: convviz.make_kernel("box_blur", size=4)),
    ("bad_choice", lambda: convviz.to_display(np.zeros(2), how="log")),
    ("not_positive", lambda: convviz.to_display(np.zeros(2), how="midgrey", scale=-1.0)),
    ("too_small", lambda: convviz.load_image(b"x", max_pixels=0)),
    ("out_of_range", lambda: convviz.load_image(b"x", target_slack=2)),
    ("bad_shape", lambda: convviz.conv2d(np.ones((3, 3)), W)),
    ("bad_shape", lambda: convviz.conv_frames(np.ones(3), np.ones((1, 1)))),
    ("bad_shape", lambda: planes.contributions(X, np.ones((3, 3)), out_channel=0)),
    ("bad_shape", lambda: maps.display_maps(np.zeros((2, 2)))),
    ("kernel_empty", lambda: convviz.validate_kernel(np.zeros((0, 3)))),
    ("not_numbers", lambda: convviz.validate_kernel([[1, "x", 3]])),
    ("not_2d", lambda: convviz.validate_kernel([1, 2, 3])),
    ("even", lambda: convviz.validate_kernel([[1, 2]])),
    ("too_big", lambda: convviz.validate_kernel(np.ones((99, 99)))),
    ("not_finite", lambda: convviz.validate_kernel([[float("inf")]])),
    ("weight_too_large", lambda: convviz.validate_kernel([[1e30]])),
    ("kernel_too_large", lambda: convviz.output_shape((7, 3), (3, 5))),
    ("kernel_too_large", lambda: convviz.output_size(2, 3)),
    ("kernel_too_large", lambda: layers.MaxPool2d(2).output_shape((3, 1, 4))),
    ("same_needs_stride_1", lambda: convviz.conv2d(X, W, stride=2, padding="same")),
    ("same_needs_stride_1", lambda: layers.Conv2d(1, 1, 3, stride=2, padding="same")),
    ("same_only_conv", lambda: convviz.pool_frames(np.ones((4, 4)), 2, padding="same")),
    ("bad_padding", lambda: convviz.resolve_padding("full", 3)),
    ("bad_padding", lambda: layers.Conv2d(1, 1, 3, padding="full")),
    ("output_padding_too_large", lambda: convviz.transposed_output_shape(3, 3, stride=2, output_padding=2)),
    ("transposed_empty", lambda: convviz.transposed_output_shape(1, 1, padding=1)),
    ("pool_padding_too_large", lambda: convviz.pool2d(X, 3, padding=2)),
    ("pool_padding_too_large", lambda: layers.MaxPool2d(2, padding=2)),
    ("too_many_cells", lambda: convviz.conv2d(X, W, padding=5000)),
    ("too_many_frames", lambda: convviz.conv_frames(np.ones((40, 40)), np.ones((1, 1)))),
    ("bad_signal", lambda: parse_signal("1, two", name="g")),
    ("grid_cell", lambda: convviz.sliding.grids.parse_grid("1,2;3,x")),
    ("grid_cell", lambda: convviz.sliding.grids.parse_grid("1,99999", name="kernel")),
    ("grid_ragged", lambda: convviz.sliding.grids.parse_grid("1,2;3")),
    ("grid_ragged", lambda: convviz.sliding.grids.parse_grid("1,2|3", max_channels=2)),
    ("grid_too_big", lambda: convviz.sliding.grids.parse_grid("1,2,3,4", max_size=3)),
    ("grid_too_big", lambda: convviz.sliding.grids.parse_grid("1|2")),
    ("channels", lambda: layers.Conv2d(3, 8, 3).output_shape((4, 8, 8))),
    ("features", lambda: layers.Linear(20, 2).output_shape((27,))),
    ("needs_image", lambda: layers.Conv2d(3, 8, 3).output_shape((27,))),
    ("needs_flat", lambda: layers.Linear(27, 2).output_shape((3, 3, 3))),
    ("groups_divide", lambda: layers.Conv2d(3, 8, 3, groups=2)),
    ("groups_divide", lambda: convviz.conv2d(np.ones((3, 4, 4)), np.ones((2, 1, 3, 3)), groups=2)),
    ("groups_divide", lambda: convviz.sliding.groups.group_reads(2, 3, groups=2)),
    ("unflatten_dim", lambda: layers.Unflatten(2, (4, 4))),
    ("unknown_type", lambda: records.layer_from_record({"type": "Conv3d"}, (1, 4, 4))),
    ("missing", lambda: records.layer_from_record({"type": "Conv2d", "kernel": "3"}, (1, 4, 4))),
    ("size_text", lambda: records.layer_from_record({"type": "Conv2d", "out": 4, "kernel": "x"}, (1, 4, 4))),
    ("not_tabular", lambda: records.layer_to_record(layers.Unflatten(1, (4, 4)))),
    ("not_layer", lambda: convviz.summarize(["Conv2d"], (1, 4, 4))),
    ("not_layer", lambda: to_pytorch(["Conv2d"], input_shape=(1, 4, 4))),
    ("block_empty", lambda: blocks.Residual(())),
    ("block_empty", lambda: blocks.Concat(())),
    ("residual_shape", lambda: convviz.summarize([blocks.Residual((layers.Conv2d(3, 4, 1),))], (3, 4, 4))),
    ("concat_shape", lambda: convviz.summarize(
        [blocks.Concat(((layers.Conv2d(3, 4, 1),), (layers.MaxPool2d(2),)))], (3, 4, 4))),
    ("rf_block", lambda: convviz.receptive_field([blocks.Residual((layers.ReLU(),))], (3, 8, 8))),
    ("rf_needs_image", lambda: convviz.receptive_field([layers.Linear(4, 2)], (4,))),
    ("rf_position", lambda: convviz.receptive_field([layers.Conv2d(1, 1, 3)], (1, 8, 8)).rect(2)),
    ("rf_out_of_range", lambda: convviz.receptive_field([layers.Conv2d(1, 1, 3)], (1, 8, 8)).rect(1, 6, 0)),
    ("source_type", lambda: convviz.from_pytorch(b"model")),
    ("source_too_long", lambda: convviz.from_pytorch("x" * 100_001)),
    ("source_syntax", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU() $)")),
    ("source_unclosed", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU()")),
    ("source_unmatched", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU()))")),
    ("source_mismatched", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU(])")),
    ("source_unterminated_string",
     lambda: convviz.from_pytorch("model = nn.Sequential(nn.Conv2d(3, 8, 3, padding='same))")),
    ("source_indentation", lambda: convviz.from_pytorch("  model = nn.Sequential()")),
    ("source_bad_character", lambda: convviz.from_pytorch("model = nn.Sequential(\u2028)")),
    ("source_missing_comma", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU() nn.ReLU())")),
    ("source_not_sequential", lambda: convviz.from_pytorch("x = 1")),
    ("source_not_layer", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU(), __import__)")),
    ("source_import_alias", lambda: convviz.from_pytorch("import torch as nn\nmodel = nn.Sequential()")),
    ("source_not_int", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Linear(1e7, 2))")),
    ("source_too_deep", lambda: convviz.from_pytorch("model = nn.Sequential(" + "(" * 40 + ")" * 40 + ")")),
    ("source_number_too_large", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Conv2d(3, 1000001, 3))")),
    ("source_bad_number", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Dropout(1e999))")),
    ("source_not_supported", lambda: convviz.from_pytorch("import os\nmodel = nn.Sequential()")),
    ("source_no_model", lambda: convviz.from_pytorch("import torch\n")),
    ("source_too_many_layers", lambda: convviz.from_pytorch("model = nn.Sequential(" + "nn.ReLU(), " * 501 + ")")),
    ("source_unknown_layer", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Conv3d(3, 8, 3))")),
    ("source_too_many_arguments", lambda: convviz.from_pytorch("model = nn.Sequential(nn.ReLU(False, False))")),
    ("source_unknown_argument", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Linear(4, 2, in_channels=4))")),
    ("source_duplicate_argument",
     lambda: convviz.from_pytorch("model = nn.Sequential(nn.Linear(4, 2, bias=True, bias=False))")),
    ("source_missing_argument", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Linear(4))")),
    ("source_unsupported_value", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Flatten(2))")),
    ("source_value", lambda: convviz.from_pytorch("model = nn.Sequential(nn.Conv2d(3, 8, k))")),
    ("table_link_version", lambda: links.decode_table("t2.eNqLjgUAARUAuQ")),
    ("table_link_corrupt", lambda: links.decode_table("t1.eNqLjgUAAR")),
    ("table_link_too_large", lambda: links.decode_table("t1." + "A" * 20_000)),
    ("guess_not_count", lambda: predict.parse_guess("lots")),
    ("guess_negative", lambda: predict.parse_guess("-5")),
    ("guess_not_whole", lambda: predict.parse_guess("2.5")),
    ("guess_too_large", lambda: predict.parse_guess("1e19")),
    ("matrix_not_numbers", lambda: planes.check_mix_matrix([["a", 0, 0]])),
    ("matrix_shape", lambda: planes.check_mix_matrix([[1, 0]])),
    ("matrix_not_finite", lambda: planes.check_mix_matrix([[np.nan, 0, 0]])),
    ("learn_unsupported", lambda: learn.init_params([blocks.Residual((layers.ReLU(),))], (1, 4, 4), seed=0)),
    ("learn_params", lambda: learn.loss_and_grads([layers.Flatten(), layers.Linear(4, 2)], [], np.ones((1, 4)), [0])),
    ("learn_params", lambda: learn.predict([layers.Flatten(), layers.Linear(4, 2)],
                                           [np.ones((4, 2)), np.ones(2)], np.ones((1, 4)))),
    ("learn_classes", lambda: learn.train([layers.Flatten(), layers.Linear(256, 2)], DIGITS, **TRAIN)),
    ("learn_labels", lambda: learn.loss_and_grads([layers.Linear(4, 2)], [np.ones((2, 4)), np.ones(2)],
                                                  np.ones((2, 4)), [0, -1])),
    ("learn_batch_stats", lambda: learn.loss_and_grads([layers.BatchNorm2d(1), layers.Flatten(), layers.Linear(1, 2)],
                                                       [np.ones(1), np.zeros(1), np.ones((2, 1)), np.zeros(2)],
                                                       np.ones((1, 1, 1, 1)), [0])),
    ("learn_no_images", lambda: learn.train(learn.dense_net(), learn.Dataset(
        np.zeros((0, 1, 16, 16)), np.zeros(0, int), DIGITS.x_test, DIGITS.y_test), **TRAIN)),
    ("learn_data", lambda: learn.train(learn.dense_net(), "digits", **TRAIN)),
    ("learn_diverged", lambda: learn.train([layers.Flatten(), *[layers.Linear(256, 256)] * 3, layers.Linear(256, 10)],
                                           DIGITS, epochs=3, batch_size=10, lr=10, optimizer="sgd", seed=0)),
    ("learn_too_costly", lambda: jobs.TrainingService().check(jobs.TrainRequest.from_experiment(epochs=150))),
    ("learn_too_much_memory", lambda: jobs.TrainingService().check(jobs.TrainRequest.from_experiment(
        n_train=1500, batch_size=1500, networks={"conv": [layers.Conv2d(1, 64, 3), layers.MaxPool2d(14),
                                                          layers.Flatten(), layers.Linear(64, 10)]}))),
    ("learn_busy", lambda: jobs.TrainingService(max_pending=1).submit(jobs.TrainRequest.from_experiment())),
    ("learn_cancelled", lambda: _trained(owner_replaced=True)),
    ("learn_time_limit", lambda: _trained(time_limit=0)),
    ("out_of_range", lambda: learn.train(learn.dense_net(), DIGITS, **{**TRAIN, "lr": 1e9})),
    ("out_of_range", lambda: learn.digits_data(n_train=0)),
    ("drawing_empty", lambda: learn.digit_from_drawing(np.full((64, 64), 255, np.uint8))),
    ("drawing_empty", lambda: learn.digit_from_photo(np.full((48, 64, 3), 180, np.uint8))),
    ("drawing_not_finite", lambda: learn.digit_from_drawing(np.full((8, 8), np.nan))),
    ("drawing_not_finite", lambda: learn.network_input(np.full((8, 8), np.inf), (1, 16, 16))),
    ("too_large", lambda: learn.digit_from_drawing(np.broadcast_to(np.uint8(0), (10_000, 10_000)))),
    ("bad_shape", lambda: learn.digit_from_photo(np.zeros((4, 4, 5)))),
    ("bad_shape", lambda: learn.network_input(np.ones((8, 8)), (1, 4, 4))),
    ("not_sizes", lambda: learn.network_input(np.ones((8, 8)), (16, 16))),
    ("bad_shape", lambda: learn.inspect_image(learn.dense_net(), DENSE_PARAMS, np.ones((2, 1, 16, 16)))),
]


def _trained(*, owner_replaced: bool = False, time_limit: float | None = None) -> None:
    """A tiny request through a real training service: replaced by the same owner, or past a time limit."""
    tiny = jobs.TrainRequest((("tiny", (layers.Flatten(), layers.Linear(256, 10))),), n_train=50, epochs=2)
    with jobs.TrainingService(workers=1, time_limit=time_limit) as service:
        job = service.submit(tiny, owner="session")
        if owner_replaced:
            service.submit(jobs.TrainRequest(tiny.networks, n_train=50, epochs=3), owner="session")
        job.result(timeout=60)


def _image_errors() -> list[tuple[str, ConvVizError]]:
    out = []
    for sample in corpus():
        if sample.errors and sample.shape is None:
            try:
                convviz.load_image(sample.data, **sample.options)
            except convviz.ImageError as err:
                out.append((err.code, err))
    return out


def _raised() -> list[tuple[str, ConvVizError]]:
    out = []
    for code, call in BAD_INPUTS:
        with pytest.raises(ConvVizError) as info:
            call()
        assert info.value.code == code, (code, str(info.value))
        out.append((code, info.value))
    # Pillow's own guards reach these before a test file can: built as convviz.pictures.images raises them
    # (their messages quote nothing).
    defensive = [("bomb", convviz.ImageError("too large to decode safely", "bomb")),
                 ("no_pixels", convviz.ImageError("This image has no pixels (0 x 10).", "no_pixels"))]
    # a training worker's own failures (tests/convviz/learn/test_jobs.py kills a worker, caps its memory and
    # feeds it a failing run), built as the service builds them
    defensive += [(e.code, e) for e in (_worker.crash_error(-9), _worker.out_of_memory_error(256),
                                        _worker.failure_error("KeyError: 'x'"))]
    return out + _image_errors() + defensive


@pytest.fixture(scope="module")
def raised():
    return _raised()


def test_every_registered_code_is_raised_by_a_bad_input_above(raised):
    assert set(ERROR_CODES) == {code for code, _ in raised}


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_message_that_its_raises_fill(raised, lang):
    messages = _messages(lang)
    assert set(ERROR_CODES) <= set(messages)
    assert set(messages) - set(ERROR_CODES) == {"generic"}
    for code, err in raised:
        text = messages[code].format(**err.params)
        assert text.strip() and "{" not in text, (lang, code, text)


def test_both_languages_quote_the_same_values():
    en, ko = _messages("en"), _messages("ko")
    for code in en:
        assert _fields(en[code]) == _fields(ko[code]), code


def test_describe_translates_names_and_falls_back_without_a_crash(raised):
    from ui.common.i18n import speaking
    from ui.common.messages import describe

    for lang in LANGS:
        with speaking(lang):
            for code, err in raised:
                text = describe(err)
                assert text and "{" not in text, (lang, code, text)
    err = convviz.GeometryError("kernel does not fit", "kernel_too_large", axis="height", k=3, d=1, span=3,
                                padded=2)
    with speaking("ko"):
        assert describe(err).startswith("높이: ")
        assert describe(err, labels={"height": "높이와 너비"}).startswith("높이와 너비: ")
        # a code whose params do not fill its message (an old raise): the English message, wrapped
        assert describe(convviz.GeometryError("broken", "kernel_too_large")) == "이 설정은 쓸 수 없습니다: broken"
    with speaking("en"):
        assert describe(ConvVizError("no code")) == "This does not work: no code"


def test_an_unregistered_code_fails_at_once():
    with pytest.raises(AssertionError, match="unregistered error code 'positive'"):
        LayerError("x", "positive")


def test_position_and_layer_type_are_set_in_one_place():
    err = convviz.nets.layers.Linear(20, 2)
    with pytest.raises(LayerError) as info:
        convviz.summarize([layers.Flatten(), err], (1, 4, 4))
    e = info.value
    assert (e.position, e.layer_type, e.params["position"], e.params["layer_type"]) == (2, "Linear", 2, "Linear")
    assert LayerError("x", "features").position is None


def test_conv1d_raise_without_value_falls_back(raised):
    """conv1d_frames' bad_signal quotes only ``param``; the page never reaches it (parse_signal first)."""
    with pytest.raises(GeometryError) as info:
        conv1d_frames([], [1])
    assert info.value.code == "bad_signal"


# ---------------------------------------------------------------- every raise carries a registered code

ERROR_CLASSES = {"ConvVizError", "ImageError", "KernelError", "GeometryError", "LayerError", "TrainingError", "error"}
#: Raises that lack a code (count per file): none; a new codeless raise fails.
WITHOUT_CODE: dict[str, int] = {}


def _calls():
    for path in sorted((ROOT / "convviz").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                yield str(path.relative_to(ROOT / "convviz")), name, node


def test_every_raise_carries_a_registered_code():
    without: dict[str, int] = {}
    for file, name, node in _calls():
        code = None
        if name in ERROR_CLASSES and file != "errors.py":
            kw = {k.arg: k.value for k in node.keywords}
            code = node.args[1] if len(node.args) > 1 else kw.get("code")
            if code is None:
                without[file] = without.get(file, 0) + 1
                continue
        elif name == "layer_error" and node.args:
            code = node.args[0]
        if isinstance(code, ast.Constant):
            assert code.value in ERROR_CODES, (file, node.lineno, code.value)
    assert without == WITHOUT_CODE


def test_registry_meanings_are_one_line_and_codes_are_words():
    for code, meaning in ERROR_CODES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code) and meaning and "\n" not in meaning
