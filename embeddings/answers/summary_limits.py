"""How many sentences a summary has by default and at most (apart from :mod:`.summary`, so the command
line's argument parser imports no engine code before the model starts loading)."""

DEFAULT_SENTENCES = 3
MAX_SENTENCES = 10
