"""A torch model for a stack of convviz layer specs, built from the app's own code export."""
from __future__ import annotations

import numpy as np

from convviz.nets.to_torch import to_pytorch


def torch_model(stack, params=None, buffers=None):
    """``nn.Sequential`` for ``stack`` (exec of :func:`convviz.nets.to_torch.to_pytorch`), float64, params loaded."""
    import torch

    scope: dict = {}
    exec(to_pytorch(stack), scope)  # noqa: S102  (our own generated source)
    model = scope["model"].double()
    with torch.no_grad():
        for p, q in zip(model.parameters(), params or [], strict=bool(params)):
            assert tuple(p.shape) == q.shape
            p.copy_(torch.from_numpy(np.asarray(q, dtype=np.float64)))
        for b, q in zip(model.buffers(), buffers or [], strict=bool(buffers)):
            b.copy_(torch.from_numpy(np.asarray(q)))
    return model
