"""Exceptions raised by :mod:`convviz`. All are ``ValueError`` subclasses with messages meant for a student."""


class ConvVizError(ValueError):
    """Base class of every error :mod:`convviz` raises on bad input.

    ``str(err)`` is a complete English message. ``code`` and ``params`` (optional) let a user
    interface show the same message in another language: ``code`` names the problem
    (``"too_large"``) and ``params`` holds the values the message quotes.

    >>> err = ImageError("This image is 400 megapixels; the limit is 60.", code="too_large", megapixels="400", limit="60")
    >>> isinstance(err, ValueError), err.code, err.params["limit"]
    (True, 'too_large', '60')
    """

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class ImageError(ConvVizError):
    """An upload that is not an image we can read, or is too large."""


class KernelError(ConvVizError):
    """A kernel that is not 2-D, odd-sized, finite or small enough."""


class GeometryError(ConvVizError):
    """An impossible size / stride / padding / dilation combination."""


class LayerError(ConvVizError):
    """A layer stack whose shapes do not fit together."""
