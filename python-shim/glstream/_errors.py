"""Exception classes raised by glstream."""


class GlstreamError(Exception):
    """Base class of every error glstream raises on its own account."""


class SidecarError(GlstreamError):
    """The renderer (the Node sidecar) could not be found, started, or reached, or it failed."""


class SourceGoneError(GlstreamError):
    """The window a live view showed was closed, or its program ended: the view makes no more frames."""


class GlstreamWarning(UserWarning):
    """Something glstream did may not have the effect asked for; the message says what and why."""
