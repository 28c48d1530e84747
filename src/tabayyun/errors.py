"""The one exception users see: its message is printed as a single line by every surface."""

__all__ = ["TabayyunError"]


class TabayyunError(Exception):
    """Bad input or an unusable evidence base; the message is meant for a person, in one line."""
