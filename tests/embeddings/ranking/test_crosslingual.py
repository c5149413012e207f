"""Questions across languages: multilingual-e5-small ranks, quotes stay verbatim in the article's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.answers import ArticleService
from embeddings.text import default_article_path
from embeddings.vectors import EmbeddingCache

TRAM_UK = Path(__file__).parents[1] / "fixtures" / "tram-uk.txt"  # a Ukrainian article (a new tram line)


@pytest.fixture(scope="module")
def e5_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One on-disk cache for the module, so each article's e5 rows are encoded once."""
    return tmp_path_factory.mktemp("crosslingual-cache")


def service(encoder, cache: Path, article: Path, *, waits: bool = False) -> ArticleService:
    """A service as the bot runs it (the e5 index built in the background; see :func:`ask`)."""
    return ArticleService(encoder, EmbeddingCache(cache), article, second_opinion=True, second_opinion_waits=waits)


def ask(service: ArticleService, question: str):
    """Ask as the bot does: an answer whose e5 index is being built waits for the build (the bot awaits
    it without holding a thread), then the question is asked again."""
    answer = service.answer(question)
    if answer.index_pending:
        for build in service.index_builds(service.library):
            build.result(120)
        answer = service.answer(question)
    return answer


def verbatim(service: ArticleService, answer) -> bool:
    text = service.library.latest.article.text
    return all(text[c.start : c.end] == c.quote for c in answer.citations)


def test_a_ukrainian_question_is_answered_from_the_english_paragraph(encoder, e5_cache):
    bot = service(encoder, e5_cache, default_article_path())
    answer = ask(bot, "Скільки людей евакуювали з Маріуполя?")
    assert answer.answered and answer.citations[0].paragraph == 5
    assert "More than 300 people were evacuated" in answer.citations[0].quote and verbatim(bot, answer)


def test_a_russian_question_is_answered_from_the_english_paragraph(encoder, e5_cache):
    bot = service(encoder, e5_cache, default_article_path())
    answer = ask(bot, "Кто командует полком Азов?")
    assert answer.answered and answer.citations[0].paragraph == 2
    assert "Denys Prokopenko" in answer.citations[0].quote and verbatim(bot, answer)


def test_an_english_question_is_answered_from_a_ukrainian_article(encoder, e5_cache):
    bot = service(encoder, e5_cache, TRAM_UK)
    answer = ask(bot, "What did the construction cost?")
    assert answer.answered and answer.citations[0].paragraph == 3
    assert "1,2 мільярда гривень" in answer.citations[0].quote and verbatim(bot, answer)


def test_a_ukrainian_question_is_answered_from_a_ukrainian_article(encoder, e5_cache):
    bot = service(encoder, e5_cache, TRAM_UK)
    answer = ask(bot, "Скільки зупинок на новій лінії?")
    assert answer.answered and answer.citations[0].paragraph == 4


def test_an_out_of_scope_russian_question_is_declined(encoder, e5_cache):
    answer = ask(service(encoder, e5_cache, default_article_path()), "Какая погода будет завтра в Париже?")
    assert not answer.answered and answer.suggestions


def test_an_english_question_about_an_english_article_never_asks_e5(encoder, e5_cache):
    """The fast route answers it alone: e5's index is not even queued."""
    bot = service(encoder, e5_cache, default_article_path())
    assert bot.answer("Who commands the Azov Regiment?").answered
    second = bot.answerer.second
    assert second is not None and second.asked == 0 and second.indexes.building() == 0


def test_loading_an_article_not_in_english_starts_its_e5_index(encoder, tmp_path):
    """Every question about it takes the cross-lingual route, so the index is built at load, in the background."""
    bot = service(encoder, tmp_path, TRAM_UK)
    bot.reload()
    second = bot.answerer.second
    assert second is not None
    second.indexes.wait(60)
    assert second.indexes.ready(bot.index) is not None


def test_loading_an_english_article_leaves_e5_alone(encoder, tmp_path):
    bot = service(encoder, tmp_path, default_article_path())
    bot.reload()
    second = bot.answerer.second
    assert second is not None and second.indexes.building() == 0


def test_a_library_of_an_english_and_a_ukrainian_article_routes_each(encoder, e5_cache):
    """A Russian question of a two-article library is answered from the English article's ¶2, and the answer
    carries the question's language."""
    bot = service(encoder, e5_cache, default_article_path(), waits=True)
    bot.reload()
    bot.add(TRAM_UK)
    answer = bot.answer("Кто командует полком Азов?")
    assert answer.answered and answer.language == "ru"
    first = answer.citations[0]
    assert first.paragraph == 2 and first.article is not None and first.article.source.endswith("article.txt")


def test_an_answer_names_the_route_that_ranked_it(encoder, e5_cache):
    """What the operators' metrics count: a Russian question about the English article is ranked by the
    cross-lingual route (once its e5 index is built), an English one by the fast route, and an English question
    about the Ukrainian article crosses too."""
    bot = service(encoder, e5_cache, default_article_path())
    assert ask(bot, "Кто командует полком Азов?").route == "cross_lingual"
    assert ask(bot, "Who commands the Azov Regiment?").route == "fast"
    assert ask(service(encoder, e5_cache, TRAM_UK), "When will the new tram line open?").route == "cross_lingual"
