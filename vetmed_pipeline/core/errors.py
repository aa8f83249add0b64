"""The one exception type whose message is shown to the user as is: one line, the problem and what to do."""


class PipelineError(Exception):
    """A problem the user can fix (a URL, a server, a schema). The CLI prints it without a traceback."""
