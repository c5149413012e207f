"""Walls, geo-blocks, rate-limit and challenge pages are refused; real articles that mention subscriptions or
cookies in passing load; a fresh copy that lost most of the article is refused."""

from __future__ import annotations

import pytest

from embeddings.errors import ArticleShrankError, JunkPageError
from embeddings.text.article import ArticleRequirements, check_article, parse_html, parse_text
from embeddings.text.page_checks import check_not_shrunk
from tests.junk_pages import ARTICLE, CONTROLS, HARBOUR, JUNK

KINDS = {"wall": "paywall", "geo-block": "geo_block", "too many requests": "rate_limit", "challenge": "challenge"}
TEASER = " ".join(HARBOUR[:2])  # a real article's start, as a wall shows it


@pytest.mark.parametrize("name", list(JUNK))
def test_a_junk_page_is_refused(name):
    """Each kind of page is refused, and says which kind it is (old code: loaded as the article)."""
    with pytest.raises(JunkPageError) as refused:
        check_article(parse_html(JUNK[name]), ArticleRequirements())
    assert refused.value.kind == KINDS[name]


@pytest.mark.parametrize("name", list(CONTROLS))
def test_a_real_article_still_loads(name):
    """The seed article as HTML, and a news article that mentions cookies and subscribing in passing."""
    check_article(parse_html(CONTROLS[name]), ArticleRequirements())


WALLS_ELSEWHERE = {  # language: (the page's own sentences, kind)
    "de": ("Dieser Artikel ist nur für Abonnenten verfügbar. Jetzt abonnieren, um weiterzulesen. "
           "Bereits Abonnent? Hier anmelden.", "paywall"),
    "fr": ("Ce contenu n'est pas disponible dans votre pays. Nous vous prions de nous excuser pour la gêne "
           "occasionnée par cette restriction.", "geo_block"),
    "es": ("Demasiadas solicitudes. Has enviado demasiadas solicitudes en poco tiempo; por favor, inténtalo "
           "de nuevo más tarde.", "rate_limit"),
    "ru": ("Один момент… Подтвердите, что вы человек, чтобы продолжить. Проверка браузера может занять "
           "несколько секунд.", "challenge"),
    "uk": ("Цей матеріал доступний лише для передплатників. Оформіть передплату, щоб продовжити читання.",
           "paywall"),
    "pl": ("Ten materiał jest niedostępny w twoim kraju. Przepraszamy za utrudnienia wynikające z ograniczeń "
           "licencyjnych.", "geo_block"),
}


@pytest.mark.parametrize("language", list(WALLS_ELSEWHERE))
def test_walls_in_other_languages_are_refused(language):
    """The phrases are known in German, French, Spanish, Russian, Ukrainian and Polish too."""
    wall, kind = WALLS_ELSEWHERE[language]
    with pytest.raises(JunkPageError) as refused:
        check_article(parse_text(f"{TEASER}\n\n{wall}\n"), ArticleRequirements())
    assert refused.value.kind == kind


def test_one_marked_sentence_in_a_long_article_is_not_a_wall():
    """A full article with one "subscribers only" sentence (a newsletter line, say) still loads."""
    text = "\n\n".join([*HARBOUR, "The full timetable is available to subscribers only in the print edition."])
    check_article(parse_text(text), ArticleRequirements())


def test_a_copy_that_lost_most_of_the_article_is_refused():
    """Two of ten paragraphs left is not a new version; one paragraph edited or a few dropped is."""
    article = parse_html(ARTICLE)
    with pytest.raises(ArticleShrankError) as refused:
        check_not_shrunk(article, parse_text("\n\n".join(HARBOUR[:2])))
    assert (refused.value.old_paragraphs, refused.value.new_paragraphs) == (10, 2)
    check_not_shrunk(article, parse_text("\n\n".join(HARBOUR[:7])))
    check_not_shrunk(article, parse_text("\n\n".join([HARBOUR[0].replace("seven", "nine"), *HARBOUR[1:]])))
