"""Settings parsing: defaults, values, and errors that name the setting."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, settings_from


def test_defaults_without_environment():
    """No settings: console-ready defaults."""
    settings = settings_from({})
    assert settings.discord_token is None and settings.guild_ids == ()
    assert not settings.reload_allow_private_urls


def test_ids_and_flags_are_parsed():
    """Comma-separated ids and booleans are parsed."""
    settings = settings_from({
        "ASK_CHANNEL_IDS": "111, 222", "GUILD_ID": "333", "MODERATOR_ROLE_ID": "444",
        "RELOAD_ALLOW_PRIVATE_URLS": "true", "DISCORD_API_BASE": "http://127.0.0.1:1/api/v10/",
    })
    assert settings.ask_channel_ids == {111, 222} and settings.guild_ids == (333,)
    assert settings.moderator_role_id == 444 and settings.reload_allow_private_urls
    assert settings.discord_api_base == "http://127.0.0.1:1/api/v10"


@pytest.mark.parametrize(
    ("name", "value"),
    [("GUILD_ID", "abc"), ("ASK_CHANNEL_IDS", "1,x"), ("MODERATOR_ROLE_ID", "-5"),
     ("RELOAD_ALLOW_PRIVATE_URLS", "maybe"), ("DISCORD_API_BASE", "ftp://x"),
     ("DISCORD_GATEWAY_URL", "http://x"), ("ARTICLE_PATH", "/no/such/file.txt"),
     ("LOG_LEVEL", "LOUD"), ("DISCORD_TOKEN", "has space in it and is long enough")],
)
def test_invalid_setting_names_itself(name, value):
    """Each invalid value raises SettingsError whose message names the setting."""
    with pytest.raises(SettingsError, match=name):
        settings_from({name: value})


def test_redacted_hides_token():
    """The token never appears in the redacted view."""
    settings = settings_from({"DISCORD_TOKEN": "A" * 30})
    assert "A" * 30 not in str(settings.redacted())


def test_article_minimums_are_read_and_checked():
    """ARTICLE_MIN_WORDS and ARTICLE_MIN_SENTENCES take whole numbers ≥ 0; others name the setting."""
    settings = settings_from({"ARTICLE_MIN_WORDS": "10", "ARTICLE_MIN_SENTENCES": "0"})
    assert (settings.article_min_words, settings.article_min_sentences) == (10, 0)
    assert (settings_from({}).article_min_words, settings_from({}).article_min_sentences) == (50, 3)
    for name, value in (("ARTICLE_MIN_WORDS", "-1"), ("ARTICLE_MIN_SENTENCES", "many")):
        with pytest.raises(SettingsError, match=name):
            settings_from({name: value})
