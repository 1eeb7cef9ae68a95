"""Errors the command line turns into messages (never tracebacks)."""


class BuildError(Exception):
    """A build stage failed; the message says which and why."""


class ContentError(BuildError):
    """Hand-written content is missing a translation or clashes with a generated page."""
