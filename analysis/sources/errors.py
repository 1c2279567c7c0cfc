"""The error a user sees when a whole file cannot be loaded."""


class InputError(ValueError):
    """A file that cannot be read as the format it claims: names the file and what is wrong."""
