"""SQLite state: answers, votes, content versions and bot threads (user ids only, never names)."""

from .database import Database, StorageError
from .records import AnswerRecord, InsightReport, VersionRecord

__all__ = ["AnswerRecord", "Database", "InsightReport", "StorageError", "VersionRecord"]
