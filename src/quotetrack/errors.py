"""Errors the library raises for conditions a user can fix; the CLI prints them as one line."""


class QuotetrackError(Exception):
    """Base class: the message is shown to the user as `Error: <message>`."""


class ModelError(QuotetrackError):
    """No usable spaCy model."""


class InputError(QuotetrackError):
    """A file or record that cannot be read as an article."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why
