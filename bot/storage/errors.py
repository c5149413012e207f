"""The one error the store raises."""


class StorageError(Exception):
    """The database cannot be used (corrupt, locked, unwritable, unreachable); the message is fit for users."""
