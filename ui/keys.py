"""Every ``st.session_state`` key the Image Kernels, Inside a Conv Layer and Parameter Counts pages use.

One module, so two pages never disagree about a key's spelling and a search finds every reader.
Widget keys are also the names of URL parameters (``?kernels_preset=emboss``): renaming one breaks
the links teachers have shared, so these strings never change. Keys starting with ``_`` are
bookkeeping that never reaches a URL.

Shared between pages
--------------------
:data:`PICTURE` holds the Image Kernels page's current :class:`ui.image_source.Picture`; its
``.image`` is the working copy, an ``(H, W, 3)`` uint8 array that the other pages start from
(absent until that page ran: fall back to a sample).
"""
from __future__ import annotations

#: The current picture (:class:`ui.image_source.Picture`), written by ``ui.image_source``.
PICTURE = "cv_picture"

# --- Image Kernels page ---------------------------------------------------------------------
KERNELS_PRESET = "kernels_preset"
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

# --- Parameter Counts page ------------------------------------------------------------------
PARAMS_ARCH = "params_arch"
PARAMS_DENSE = "params_dense"
PARAMS_EDITOR = "params_editor"
PARAMS_CSV = "params_csv"
PARAMS_CODE = "params_code"


def params_input(axis: str, preset: str) -> str:
    """The input-shape field ``axis`` (``"c"``, ``"h"``, ``"w"``) of a preset: each preset keeps its own.

    >>> params_input("h", "alexnet")
    'params_in_h_alexnet'
    """
    return f"params_in_{axis}_{preset}"
