"""convviz: the numbers behind ConvViz, as a plain numpy/scipy/Pillow package.

Nothing here imports streamlit, so a teacher can use it from a notebook:

>>> import numpy as np, convviz
>>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 90
>>> convviz.filter_image(img, convviz.KERNELS["box_blur"])[1:4, 1:4]
array([[10, 10, 10],
       [10, 10, 10],
       [10, 10, 10]], dtype=uint8)
"""
from .errors import ConvVizError, GeometryError, ImageError, KernelError, LayerError

# --- image kernels (issue 2) ---
from .images import load_image, MAX_PIXELS
from .kernels import KERNELS, KERNEL_INFO, as_fraction, make_kernel, validate_kernel
from .filtering import filter_image
from .display import to_display

# --- geometry: stride, padding, pooling, transposed conv (issue 3) ---

# --- parameter counts (issue 4) ---

# --- inside a conv layer (issue 5) ---
