"""Every ``st.session_state`` key and widget ``key=`` of the app, its pages and the ``ui`` helpers.

One module, so two pages never disagree about a key's spelling and a search finds every reader.
Widget keys are also the names of URL parameters (``?kernels_preset=emboss``): renaming one breaks
the links teachers have shared, so these strings never change. Keys starting with ``_`` are
bookkeeping that never reaches a URL. A key with a number or id in it comes from a function
here (:func:`kernels_custom_editor`), never from an f-string in a page; ``tests/test_purity.py``
fails on a literal key anywhere else.

Shared between pages
--------------------
:data:`PICTURE` holds the Image Kernels page's current :class:`ui.common.photo.Picture`; its
``.image`` is the working copy, an ``(H, W, 3)`` uint8 array that the other pages start from
(absent until that page ran: fall back to a sample). :data:`LANG` holds the session's language.
"""
from __future__ import annotations

#: The current picture (:class:`ui.common.photo.Picture`), written by ``ui.common.photo``.
PICTURE = "cv_picture"

# --- the whole app (app.py, ui.common.i18n, ui.common.presentation) ---------------------------------------
#: The language switch (``?lang=ko``); its value (``"en"``, ``"ko"``) is the session's language.
LANG = "lang"
#: The language chosen last: a page change through ``st.page_link`` resets the switch's own state.
LANG_REMEMBERED = "_lang"
#: The presentation-mode toggle (``?present=true``).
PRESENT = "present"
#: Presentation mode in the previous run (the sidebar collapses or opens once, when it changes).
PRESENT_WAS = "_present_was"

# --- bookkeeping of the ui helpers ----------------------------------------------------------
#: ``ui.common.share``: the run's page, the keys it knows, a link's problems and the managed widgets.
SHARE_STATE = "_share"
#: ``ui.common.choice``: widget key -> language the widget was last drawn in.
CHOICE_LANGS = "_choice_lang"
#: ``ui.common.bounded``: widget key -> (given, used) of its last clamp.
BOUNDED_NOTES = "_bounded_notes"
#: ``ui.common.predict``: guess box key -> digest of the setting its guess was typed for.
PREDICTIONS = "_cv_predictions"

# --- Learn page, "Try it" (ui/learn/try_it.py, ui/learn/draw.py) ------------------------------
#: The default key of :func:`ui.learn.try_it.render`; its widgets' keys come from :func:`learn_try`.
LEARN_TRY = "learn_try"


def learn_try(key: str, part: str) -> str:
    """The key of one part of a Try-it section keyed ``key`` (never bound to the URL).

    Parts: ``source`` (draw, upload or camera), ``canvas`` (the drawing component: its state
    holds the drawing), ``upload``, ``camera``, ``another`` (the "upload another photo" button);
    ``_photo`` (bookkeeping: the last photo read, as a digit) starts with ``_``.

    >>> learn_try(LEARN_TRY, "canvas"), learn_try(LEARN_TRY, "_photo")
    ('learn_try_canvas', '_learn_try_photo')
    """
    return f"_{key}{part}" if part.startswith("_") else f"{key}_{part}"

# --- Image Kernels page: where the picture comes from (ui.common.photo) ----------------------
KERNELS_SOURCE = "kernels_source"
KERNELS_SAMPLE = "kernels_sample"
KERNELS_UPLOAD = "kernels_upload"
KERNELS_CAMERA = "kernels_camera"
#: The "Upload another photo" button (shown instead of the uploader once a photo is in).
KERNELS_UPLOAD_ANOTHER = "kernels_upload_another"
#: The last upload that decoded (a Picture): kept while the student looks at samples, so
#: switching back to "Upload" brings it back.
LAST_UPLOAD = "_cv_upload"
#: Set by "Upload another photo": show the uploader again although a photo is in.
UPLOAD_REPLACING = "_cv_upload_replace"
#: Why the last upload could not be decoded (shown once, under the uploader).
UPLOAD_ERROR = "_cv_upload_error"

# --- Image Kernels page ---------------------------------------------------------------------
KERNELS_PRESET = "kernels_preset"
#: The before / after pictures (a keyed container: the phone layout in ``ui/static/base.css`` finds it).
KERNELS_PICTURES = "kernels_pictures"
KERNELS_SIZE = "kernels_size"
KERNELS_MODE = "kernels_mode"
KERNELS_FLIP = "kernels_flip"
KERNELS_SIGNED = "kernels_signed"
KERNELS_GREY = "kernels_grey"
KERNELS_DOWNLOAD = "kernels_download"
#: The custom kernel's weights in the URL (``?kernels_custom=-1,-1,-1;...``).
KERNELS_CUSTOM = "kernels_custom"
KERNELS_CUSTOM_SIZE = "kernels_custom_size"
#: Starting table of the custom kernel editor, per size (the editor applies its edits on top).
KERNELS_CUSTOM_START = "_kernels_custom_start"


def kernels_custom_editor(size: int) -> str:
    """The custom kernel editor's key for a ``size x size`` kernel (one editor per size).

    >>> kernels_custom_editor(5)
    'kernels_custom_5'
    """
    return f"{KERNELS_CUSTOM}_{size}"


# --- the pixel inspector (on the Image Kernels page) ----------------------------------------
INSPECT_ROW = "kernels_px_row"
INSPECT_COL = "kernels_px_col"
#: The click-to-pick chart's selection.
INSPECT_PICK = "kernels_px_pick"
#: The inspector's expander: its open state is a widget (and in the URL, so a link can open it).
INSPECT_OPEN = "kernels_inspect"

# --- Inside a Conv Layer page ---------------------------------------------------------------
INSIDE_SIGNED = "inside_signed"
INSIDE_TAB = "inside_tab"
INSIDE_C_OUT = "inside_cout"
INSIDE_K = "inside_k"
INSIDE_BIAS = "inside_bias"
INSIDE_OUT = "inside_out"
INSIDE_MIX = "inside_mix"
INSIDE_MIX_MATRIX = "inside_mix_matrix"
INSIDE_MIX_BIAS = "inside_mix_bias"
INSIDE_FM_COLOUR = "inside_fm_colour"

# --- Stride & Padding page ------------------------------------------------------------------
STRIDE_OP = "stride_op"
STRIDE_IN_H = "stride_in_h"
STRIDE_IN_W = "stride_in_w"
STRIDE_K_H = "stride_k_h"
STRIDE_K_W = "stride_k_w"
STRIDE_STRIDE = "stride_stride"
STRIDE_PADDING = "stride_padding"
STRIDE_DILATION = "stride_dilation"
STRIDE_OUTPUT_PADDING = "stride_output_padding"
#: Where the grid's values come from (pattern, random, the Image Kernels picture).
STRIDE_VALUES = "stride_values"
STRIDE_WEIGHTS = "stride_weights"
#: Seed of the random values and weights; the re-roll button adds one.
STRIDE_SEED = "stride_seed"
STRIDE_REROLL = "stride_reroll"
STRIDE_DOWNLOAD_GIF = "stride_download_gif"
#: The step whose frame the PNG download holds.
STRIDE_PNG_STEP = "stride_png_step"
STRIDE_DOWNLOAD_PNG = "stride_download_png"
#: The 1-D convolution's two signals.
STRIDE_F = "stride_f"
STRIDE_G = "stride_g"
#: The typed input values and kernel weights (compact text "1,2;3,4", channels split by "|").
STRIDE_TYPED_VALUES = "stride_typed_values"
STRIDE_TYPED_WEIGHTS = "stride_typed_weights"
#: Predict-then-reveal: the switch (in the URL) and the student's guess of the output height and
#: width (never in the URL: see GUESSES).
STRIDE_PREDICT = "stride_predict"
STRIDE_GUESS_H = "stride_guess_h"
STRIDE_GUESS_W = "stride_guess_w"
#: Channels and groups: the expander, channel counts, groups, the output cell the player steps through,
#: and the channel counts of the standard vs depthwise-separable comparison.
STRIDE_CHANNELS_OPEN = "stride_channels"
STRIDE_C_IN = "stride_c_in"
STRIDE_C_OUT = "stride_c_out"
STRIDE_GROUPS = "stride_groups"
STRIDE_POS_ROW = "stride_pos_row"
STRIDE_POS_COL = "stride_pos_col"
STRIDE_CMP_IN = "stride_cmp_in"
STRIDE_CMP_OUT = "stride_cmp_out"


def stride_typed_editor(what: str, text: str) -> str:
    """The table editor of the typed grid ``what`` (``"values"``/``"weights"``), one per text it started
    from: when the text changes (typed, or written back by an edit) a fresh editor shows it."""
    import hashlib

    return f"stride_typed_{what}_editor_{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def stride_formula(axis: str) -> str:
    """The container key of the output-size formula for ``axis`` (``"h"``, ``"w"`` or ``"both"``).

    It becomes the element's CSS class (``st-key-cv_formula_h``), which ``ui/static/base.css``
    styles and the browser tests look for: keep the ``cv_formula_`` prefix.

    >>> stride_formula("h")
    'cv_formula_h'
    """
    return f"cv_formula_{axis}"


def lesson_formula(step: int) -> str:
    """The container key of the guided lesson's formula in ``step`` (centred, see ``ui/static/base.css``).

    >>> lesson_formula(2)
    'cv_formula_lesson_2'
    """
    return f"cv_formula_lesson_{step}"


# --- Parameter Counts page ------------------------------------------------------------------
PARAMS_ARCH = "params_arch"
PARAMS_DENSE = "params_dense"
PARAMS_EDITOR = "params_editor"
PARAMS_CSV = "params_csv"
PARAMS_CODE = "params_code"
PARAMS_TREND = "params_trend"  # the trend chart: clicking a network picks that preset
#: The network a click on the trend chart just picked (said under the chart in the next run only).
PARAMS_TREND_PICKED = "_cv_params_trend_picked"
#: The Parameter Counts title's anchor: the note under the trend chart links back up to it.
PARAMS_TOP = "params-top"
#: The Parameter Counts page's current stack ``(layers, input_shape)``, written each time it counts
#: (read by the Receptive fields page's "current layer table" option).
PARAMS_STACK = "_cv_params_stack"


def params_input(axis: str, preset: str) -> str:
    """The input-shape field ``axis`` (``"c"``, ``"h"``, ``"w"``) of a preset: each preset keeps its own.

    >>> params_input("h", "alexnet")
    'params_in_h_alexnet'
    """
    return f"params_in_{axis}_{preset}"

# --- Parameter Counts page: memory, operations, pasted models, table links, predictions ----
# (ui/params/paste.py)
#: Batch size of the activation memory (``?params_batch=32``).
PARAMS_BATCH = "params_batch"
#: Operations as multiply-adds or FLOPs (``?params_unit=flops``), through ``ui.common.choice``.
PARAMS_UNIT = "params_unit"
#: Count bias additions and BatchNorm among the operations (``?params_extras=true``).
PARAMS_EXTRAS = "params_extras"
#: Predict-then-reveal: hide the total until a guess is typed (``?params_predict=true``).
PARAMS_PREDICT = "params_predict"
#: The typed guess (not in the URL: a shared link asks every student afresh; see GUESSES).
PARAMS_GUESS = "params_guess"
#: Predict mode, one layer: which row (``?params_guess_row=4``, by position) and the guess (not in the URL).
PARAMS_GUESS_ROW = "params_guess_row"
PARAMS_GUESS_ROW_VALUE = "params_guess_row_value"
#: The layer table carried by a link (``?params_table=t1....``, :mod:`convviz.nets.links`).
PARAMS_TABLE = "params_table"
#: Where the editor's starting table came from (preset, link, pasted code) and what the URL holds.
PARAMS_TABLE_STATE = "_params_table"
#: The "paste your own model" text area, and its text kept across pages.
PARAMS_SOURCE = "params_source"
PARAMS_SOURCE_SAVED = "_params_source"
PARAMS_EXAMPLE = "params_example"
PARAMS_USE_SOURCE = "params_use_source"
PARAMS_RESET_TABLE = "params_reset_table"

# --- Start page (the lesson) ----------------------------------------------------------------
# --- Learn page (views/learn.py, ui/learn, ui/server/training.py) --------------------------------
#: The ready experiment (``?learn_experiment=shifted``; ids of ``convviz.learn.EXPERIMENTS``).
LEARN_EXPERIMENT = "learn_experiment"
#: Training settings, bound to the URL.
LEARN_N_TRAIN = "learn_n_train"
LEARN_EPOCHS = "learn_epochs"
LEARN_LR = "learn_lr"
LEARN_OPTIMIZER = "learn_optimizer"
#: Which network will do better on the test images (never in the URL: see GUESSES).
LEARN_GUESS = "learn_guess"
#: The "Train both" button.
LEARN_TRAIN = "learn_train"
#: The container that appears once a training finished (``.st-key-learn_done`` in the browser).
LEARN_DONE = "learn_done"
#: The container of the live curves while training (``.st-key-learn_live``).
LEARN_LIVE = "learn_live"
#: The polling fragment.
LEARN_POLL = "learn_poll"
#: This session's running job (a ``ui.server.training.JobHandle``), its last finished training, every
#: run of the session (bounded) and its owner id for the training service.
LEARN_JOB = "_cv_learn_job"
LEARN_FINISHED = "_cv_learn_finished"
LEARN_RUNS = "_cv_learn_runs"
LEARN_OWNER = "_cv_learn_owner"
#: Why the last press of Train was refused (a ConvVizError), shown once.
LEARN_REFUSED = "_cv_learn_refused"


def learn_dense(experiment: str) -> str:
    """The dense net's hidden widths (``?learn_dense_shifted=512,256``), one box per experiment (its own default).

    >>> learn_dense("shifted")
    'learn_dense_shifted'
    """
    return f"learn_dense_{experiment}"


def learn_net(net: str) -> str:
    """A network's layer table carried by a link (``?learn_net_dense=t1....``, :mod:`convviz.nets.links`),
    absent while the table is the experiment's own; one key per network of the experiment.

    >>> learn_net("conv"), learn_net("dense")
    ('learn_net_conv', 'learn_net_dense')
    """
    return f"learn_net_{net}"


def learn_net_editor(experiment: str, net: str, generation: int = 0) -> str:
    """The layer table of network ``net`` of ``experiment`` (``st.data_editor``, never in the URL: its
    table travels as :func:`learn_net`). "Back to the experiment's network" starts a new
    ``generation`` (a new editor, without the old one's edits).

    >>> learn_net_editor("shifted", "dense"), learn_net_editor("shifted", "dense", 2)
    ('learn_edit_shifted_dense', 'learn_edit_shifted_dense_2')
    """
    return f"learn_edit_{experiment}_{net}" + (f"_{generation}" if generation else "")


def learn_net_reset(net: str) -> str:
    """The button that puts the experiment's own network back into the table of ``net``.

    >>> learn_net_reset("conv")
    'learn_reset_conv'
    """
    return f"learn_reset_{net}"


#: Where each network's table started (the experiment's network, a link's table, the typed widths),
#: its editor's generation, and the token this session wrote to the URL (``ui/learn/networks.py``).
LEARN_NETS_STATE = "_cv_learn_nets"


def learn_open_kernel(index: int, net: str = "conv") -> str:
    """The button that opens learned kernel ``index`` of network ``net`` on the Image kernels page
    (an edited dense net can have conv layers too).

    >>> learn_open_kernel(3), learn_open_kernel(1, "dense")
    ('learn_kernel_conv_3', 'learn_kernel_dense_1')
    """
    return f"learn_kernel_{net}_{index}"


#: Step 9: the guess of AlexNet's parameter count, before its conv and dense counts are shown.
HOME_GUESS_ALEXNET = "home_guess_alexnet"

#: Every guess box of the app: never bound to the URL, never in a shared link, and dropped
#: (without a notice) from old links that carried one.
GUESSES = (STRIDE_GUESS_H, STRIDE_GUESS_W, PARAMS_GUESS, PARAMS_GUESS_ROW_VALUE, HOME_GUESS_ALEXNET, LEARN_GUESS)

# --- Receptive fields page ------------------------------------------------------------------
#: The stack: a preset id (``convviz.nets.receptive.FIELD_STACKS``) or ``"table"`` (the Parameter Counts table).
RF_STACK = "rf_stack"
#: The input pixel whose fields are drawn (also set by clicking the photo).
RF_ROW = "rf_row"
RF_COL = "rf_col"
#: The click-to-pick chart's selection.
RF_PICK = "rf_pick"
#: The layer whose formulas are worked out.
RF_LAYER = "rf_layer"
