"""The store (SQLite, or PostgreSQL with DATABASE_URL): answers, votes, article versions and libraries, threads."""

from .database import Database, StorageError
from .records import AnswerRecord, InsightReport, VersionRecord

__all__ = ["AnswerRecord", "Database", "InsightReport", "StorageError", "VersionRecord"]
