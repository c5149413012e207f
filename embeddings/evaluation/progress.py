"""A tqdm progress bar on stderr that can be switched off."""

from __future__ import annotations

import logging
import sys

from tqdm import tqdm

log = logging.getLogger(__name__)


def progress_bar(*, total: int, desc: str, enabled: bool) -> tqdm:
    """A tqdm bar writing to stderr; a disabled bar does nothing."""
    return tqdm(total=total, desc=desc, disable=not enabled, file=sys.stderr, leave=False, unit="it")
