"""The one-shot command line's settings (no pydantic) agree with the full declaration, field by field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, settings_from
from bot.engine_settings import READERS, EngineSettings, engine_settings_from

FIELDS = [field.name for field in dataclasses.fields(EngineSettings)]


@pytest.mark.parametrize("name", FIELDS)
def test_each_field_has_the_declared_name_and_default(name: str):
    """Every field is a Settings field, read from the same environment name, with the same default."""
    assert str(Settings.model_fields[name].validation_alias) == name.upper()
    assert getattr(EngineSettings(), name) == getattr(Settings(), name)


# Values, good and bad, for each field the command line reads.
VALUES = {
    "log_level": ["warning", "LOUD"], "article_path": [str(Path(__file__)), "/no/such/file"],
    "model": ["x/y"], "embedding_backend": [" TORCH ", "tensorflow"], "cache_dir": ["~/c", "/tmp/x"],
    "embedding_threads": ["3", "0", "99999999999999999999", "x"], "index_memory_mb": ["1", "0", "9" * 400],
    "max_articles_per_scope": ["2", "-1"], "article_min_words": ["0", "many"], "article_min_sentences": ["7", "-2"],
    "second_opinion": ["off", "maybe"], "cross_lingual": ["TRUE", "2"],
}


def test_every_field_has_values_to_compare():
    """Every field has its reader, and the table below covers every field the command line reads."""
    assert set(READERS) == set(FIELDS) == set(VALUES)


@pytest.mark.parametrize(("name", "text"), [(name, text) for name, texts in VALUES.items() for text in texts])
def test_a_value_reads_the_same_or_fails_with_the_same_message(name: str, text: str):
    """The same text gives the same value, or the same SettingsError word for word."""
    env = {name.upper(): text}
    try:
        expected = getattr(settings_from(env), name)
    except SettingsError as error:
        with pytest.raises(SettingsError) as raised:
            engine_settings_from(env)
        assert str(raised.value) == str(error)
    else:
        assert getattr(engine_settings_from(env), name) == expected
