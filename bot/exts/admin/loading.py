"""Getting an article's bytes from a moderator's upload or URL (shared by /reload and /article add)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import discord

from bot.config import Settings
from bot.door import LoadMode, LoadResult
from bot.i18n import Worded, text
from bot.pages import FetchedPage, Validators, fetch_article
from bot.storage import Origin, Scope, StorageError
from embeddings.errors import ArticleError, ArticleTooLargeError, UnsupportedFormatError
from embeddings.text import HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES

if TYPE_CHECKING:
    from bot.gateway import Services

UPLOAD_SUFFIXES = (TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES) - {""}


class UploadRefused(Worded, ArticleError):
    """An upload or URL the command cannot take (worded in the moderator's language)."""


class UnsupportedUpload(Worded, UnsupportedFormatError):
    """A file whose suffix the bot does not read."""


class UploadTooLarge(Worded, ArticleTooLargeError):
    """A file over RELOAD_MAX_BYTES."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Upload:
    """An article's bytes and where they came from."""

    data: bytes
    name: str
    source: str
    content_type: str | None
    origin: Origin
    validators: Validators | None = None  # a page's ETag / Last-Modified, for the scheduled refresh


async def _fetch(settings: Settings, url: str) -> tuple[FetchedPage, str]:
    page = await fetch_article(
        url, max_bytes=settings.reload_max_bytes, allow_private=settings.reload_allow_private_urls
    )
    return page, PurePosixPath(page.url.split("?", 1)[0]).name or "page.html"


async def fetch_url(settings: Settings, url: str) -> tuple[bytes, str, str | None]:
    """Fetch a page (SSRF-guarded, size-capped): its bytes, a file name and its Content-Type."""
    page, name = await _fetch(settings, url)
    return page.data, name, page.content_type


async def article_bytes(settings: Settings, file: discord.Attachment | None, url: str | None) -> Upload | None:
    """The bytes of an uploaded file or a URL (None when neither was given); refusals raise ArticleError."""
    if file is not None and url:
        raise UploadRefused("upload_both")
    if file is not None:
        suffix = PurePosixPath(file.filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise UnsupportedUpload("upload_unsupported", suffix=suffix or text("upload_no_suffix"))
        if file.size > settings.reload_max_bytes:
            raise UploadTooLarge("upload_too_large", size=f"{file.size:,}", limit=f"{settings.reload_max_bytes:,}")
        try:
            data = await file.read()
        except discord.HTTPException as error:
            raise UploadRefused("upload_download_failed", status=error.status) from error
        return Upload(data, file.filename, f"attachment:{file.filename}", None, "upload")
    if url:
        page, name = await _fetch(settings, url)
        return Upload(page.data, name, url, page.content_type, "url", page.validators)
    return None


async def load_upload(bot: Services, upload: Upload, scope: Scope, mode: LoadMode, loaded_by: int) -> LoadResult:
    """Parse, index and store an upload for ``scope``; errors change nothing. A page's validators are
    kept for its scheduled refresh (best effort: without them the first check is a plain request)."""
    engine, settings = bot.engine, bot.settings
    result = await engine.load_bytes(
        upload.data, name=upload.name, source=upload.source, content_type=upload.content_type,
        max_bytes=settings.reload_max_bytes, scope=scope, mode=mode, origin=upload.origin, loaded_by=loaded_by,
    )
    held = upload.validators
    if held and (held.etag or held.last_modified) and result.article_id and engine.store is not None:
        try:
            await bot.records.refresh.remember_validators(int(result.article_id), scope.guild_id, held.etag,
                                                          held.last_modified)
        except (StorageError, ValueError) as error:  # the article is loaded either way; the first check is plain
            log.warning("could not keep the validators of %s: %s", upload.source, error)
    return result
