"""The Image Kernels page: where the photo comes from, the kernel controls, the results and the pixel inspector."""
