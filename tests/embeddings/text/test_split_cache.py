"""Sentence spans kept on disk: a text seen before is not split again, and nothing stale is trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embeddings.text import article as article_module
from embeddings.text.article import default_article_path, parse_text
from embeddings.text.split_cache import SplitCache

SEED = default_article_path().read_text(encoding="utf-8")


def _no_splitting(*args, **kwargs):
    raise AssertionError("the text was split again")


def _stored(tmp_path: Path) -> Path:
    [path] = (tmp_path / "splits").glob("*.json")
    return path


def test_a_text_seen_before_is_not_split_again_and_parses_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    splits = SplitCache(tmp_path)
    first = parse_text(SEED, source="seed", splits=splits)
    monkeypatch.setattr(article_module, "split_sentences", _no_splitting)
    again = parse_text(SEED, source="seed", splits=SplitCache(tmp_path))
    assert again == first


def test_an_edited_text_is_split_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    parse_text(SEED, splits=SplitCache(tmp_path))
    monkeypatch.setattr(article_module, "split_sentences", _no_splitting)
    with pytest.raises(AssertionError, match="split again"):
        parse_text(SEED.replace("Mariupol", "Mariupol city", 1), splits=SplitCache(tmp_path))


def test_splits_of_other_splitting_code_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    expected = parse_text(SEED)
    parse_text(SEED, splits=SplitCache(tmp_path))
    stored = _stored(tmp_path)
    payload = json.loads(stored.read_text())
    payload["fingerprint"] = "an older splitter"
    payload["paragraphs"] = [[[0, 1]] for _ in payload["paragraphs"]]  # would give one-letter sentences
    stored.write_text(json.dumps(payload))
    assert parse_text(SEED, splits=SplitCache(tmp_path)) == expected
    assert json.loads(stored.read_text())["paragraphs"] != payload["paragraphs"]  # stored afresh


@pytest.mark.parametrize("damage", ["not json", '{"fingerprint": 1}', "[]", "{}"])
def test_an_unreadable_file_is_split_again(tmp_path: Path, damage: str):
    expected = parse_text(SEED)
    parse_text(SEED, splits=SplitCache(tmp_path))
    stored = _stored(tmp_path)
    stored.write_text(damage)
    assert parse_text(SEED, splits=SplitCache(tmp_path)) == expected


def test_spans_that_do_not_fit_the_paragraphs_are_not_trusted(tmp_path: Path):
    expected = parse_text(SEED)
    parse_text(SEED, splits=SplitCache(tmp_path))
    stored = _stored(tmp_path)
    payload = json.loads(stored.read_text())
    payload["paragraphs"][0] = [[0, 10_000_000]]  # past the end of ¶1
    stored.write_text(json.dumps(payload))
    assert parse_text(SEED, splits=SplitCache(tmp_path)) == expected


def test_without_a_directory_nothing_is_kept(tmp_path: Path):
    splits = SplitCache(None)
    assert parse_text(SEED, splits=splits) == parse_text(SEED)
    assert splits.read("0" * 64) is None
