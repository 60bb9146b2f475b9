"""Package version (the wire protocol's version is separate: _protocol.PROTOCOL_VERSION)."""

__version__ = "0.1.0"
