"""Channels and feature maps of a photo: the numbers of the Inside a Conv Layer page.

* :mod:`~convviz.features.planes` -- a photo as R, G, B planes, a kernel as deep as its input,
  1x1 channel mixing;
* :mod:`~convviz.features.maps` -- feature maps through a small hand-set network;
* :mod:`~convviz.features.worked` -- the page's worked examples, as numbers.

>>> conv_params(3, 3, 4)
112
"""
from __future__ import annotations

from .planes import (thumbnail, split_rgb, conv_params, demo_weights, DEMO_CHANNELS, MAX_DEMO_OUT, DEMO_SIZES,
                     Contributions, contributions, MIX_PRESETS, check_mix_matrix, mix_channels)
from .maps import (CONV1, POOL, CONV2, FM_SIZE, CHANNEL_NAMES, Stage, network, prepare_input, feature_maps,
                   display_maps)
from .worked import DemoLayer, demo_layer, MixExample, mix_example, mix_picture, mixes_negative

__all__ = ["thumbnail", "split_rgb", "conv_params", "demo_weights", "DEMO_CHANNELS", "MAX_DEMO_OUT", "DEMO_SIZES",
           "Contributions", "contributions", "MIX_PRESETS", "check_mix_matrix", "mix_channels", "CONV1",
           "POOL", "CONV2", "FM_SIZE", "CHANNEL_NAMES", "Stage", "network", "prepare_input",
           "feature_maps", "display_maps", "DemoLayer", "demo_layer", "MixExample", "mix_example",
           "mix_picture", "mixes_negative"]
