"""The exceptions parkkg raises; catch KgError to catch them all."""


class KgError(Exception):
    """Base of every parkkg error."""


class InputError(KgError):
    """An article or data file cannot be read."""


class QueryError(KgError):
    """A SPARQL query or the graph it runs on is unusable."""


class OptionError(KgError):
    """An option or argument given to a build, a query or a command is unusable."""


class OutputError(KgError):
    """The output folder cannot be written, is busy, or holds files parkkg did not write."""
