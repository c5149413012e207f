"""Pages that are not the article: subscriber walls, geo-blocks, rate-limit and bot-challenge pages; and a
fresh copy of an article that lost most of its text.

Built from measured features (benchmarks/junk_pages.py measures them):
- known phrases of each kind of page in English, German, French, Spanish, Russian, Ukrainian and Polish,
  matched per sentence and in the page's title (phrases, never single words: an article may mention
  cookies or subscriptions in passing);
- the share of the text in sentences carrying such a phrase: a wall keeps a teaser but its own sentences are
  a large part of what is left, while on 1,149 CNN/DailyMail articles and the XQuAD contexts in de/es/ru no
  article has a share above :data:`MAX_MARKED_SHARE`;
- the length of a re-fetched page against the version serving now (:func:`check_not_shrunk`).
The HTTP status and the challenge header are checked where the page is fetched (bot/fetch.py).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Literal

from ..errors import ArticleShrankError, JunkPageError

if TYPE_CHECKING:
    from .article import Article

JunkKind = Literal["paywall", "geo_block", "rate_limit", "challenge"]

MAX_MARKED_SHARE = 0.1  # above this share of the text in marked sentences, a page is the wall, not the article
MAX_MARKED_WORDS = 1500  # longer texts are articles whatever they discuss
MAX_TITLED_WORDS = 400  # a page titled "Just a moment…" or "429 Too Many Requests" with fewer words is that page
KEEP_SHARE = 0.5  # a re-fetched page with less than this share of the serving version's text lost the article

_PHRASES: dict[JunkKind, tuple[str, ...]] = {
    "paywall": (
        # en
        r"subscribe (?:now |today )?to (?:continue|keep) reading", r"subscribers? only", r"already a subscriber",
        r"(?:available|reserved|exclusive) (?:only )?(?:to|for) (?:paying |premium |our )?subscribers",
        r"(?:article|content|story) is (?:only )?for (?:paying |premium )?subscribers",
        r"to (?:continue|keep) reading,? (?:please )?(?:subscribe|sign in|log in|register)",
        r"(?:sign|log) in to (?:continue|read)",
        r"you(?:'ve| have) (?:reached|used up) your (?:free )?(?:article )?limit",
        r"create a free account to (?:continue|read)", r"become a (?:member|subscriber) to (?:read|continue)",
        r"unlock (?:this|the full) (?:article|story)",
        # de
        r"nur für abonnent(?:en|innen)", r"bereits abonnent", r"abonnieren,? um weiterzulesen",
        r"(?:jetzt )?(?:weiterlesen|lesen sie weiter) mit (?:einem )?(?:abo|abonnement)",
        r"exklusiv für abonnent", r"(?:mit|ohne) (?:ein(?:em)? )?(?:abo|abonnement) weiterlesen",
        # fr
        r"réservée? aux abonnés", r"déjà abonné", r"abonnez-vous pour (?:lire|continuer|poursuivre)",
        r"pour lire la suite", r"la suite est réservée",
        # es
        r"(?:exclusiv[oa]|solo|sólo|únicamente) para suscriptores", r"ya (?:eres|soy|es) suscriptor",
        r"suscríbete para (?:seguir|continuar) leyendo", r"para (?:seguir|continuar) leyendo,? suscríbete",
        # ru
        r"(?:только|лишь) (?:для подписчиков|подписчикам)", r"доступ\w* (?:только|лишь) (?:для )?подписчик",
        r"оформите подписку", r"чтобы (?:продолжить чтение|читать дальше)", r"уже (?:есть подписка|подписаны)",
        # uk
        r"(?:лише|тільки) для (?:передплатників|підписників)",
        r"доступн\w* (?:лише|тільки) (?:для )?(?:передплатник|підписник)", r"оформіть (?:передплату|підписку)",
        r"щоб (?:продовжити читання|читати далі)", r"вже (?:маєте передплату|є передплатником)",
        # pl
        r"(?:tylko|wyłącznie) dla (?:subskrybentów|prenumeratorów|abonentów)",
        r"(?:wykup|kup|zamów) (?:subskrypcję|prenumeratę|dostęp)",
        r"aby czytać dalej",
        r"czytaj dalej z (?:subskrypcją|prenumeratą)",
        r"masz już (?:subskrypcję|prenumeratę)",
    ),
    "geo_block": (
        r"(?:not|isn't|is not|are not) available in your (?:country|region|location|area|territory)",
        r"unavailable in your (?:country|region|location|area)",
        r"(?:due to|because of) (?:legal|licensing) restrictions",
        r"not available (?:to|for) (?:users|visitors|readers) (?:in|from) (?:your|the european|the eu|europe)",
        r"(?:in ihrem|in deinem) land nicht verfügbar", r"in ihrer region nicht verfügbar",
        r"aus rechtlichen gründen nicht (?:verfügbar|abrufbar)",
        r"(?:pas|plus) disponible dans votre (?:pays|région|zone)",
        r"no (?:está|esta) disponible en (?:tu|su) (?:país|pais|región|region|ubicación)",
        r"недоступ\w* (?:в|для) вашей (?:стран|регион)", r"не доступ\w* в вашей (?:стран|регион)",
        r"недоступн\w* (?:у|в) вашій (?:країн|регіон)",
        r"niedostępn\w* w (?:twoim|twojej|pana|pani) (?:kraju|regionie)",
    ),
    "rate_limit": (
        r"too many requests", r"you(?:'ve| have) (?:sent|made) too many", r"rate limit(?:ed|ing)? (?:exceeded|reached)",
        r"zu viele anfragen", r"trop de (?:requêtes|demandes)", r"demasiadas (?:solicitudes|peticiones)",
        r"слишком много запросов", r"(?:забагато|занадто багато) запитів", r"zbyt (?:wiele|dużo) (?:żądań|zapytań)",
    ),
    "challenge": (
        r"just a moment\s*(?:\.\.\.|…)", r"checking (?:if the site connection is secure|your browser)",
        r"verify(?:ing)? (?:that )?you are (?:a )?human", r"enable javascript and cookies to continue",
        r"ddos protection by", r"performance (?:&|and) security by", r"needs to review the security of your connection",
        r"(?:complete|solve) the (?:security check|captcha)",
        r"are you a robot",
        r"attention required! ?\| ?cloudflare",
        r"einen moment,? bitte", r"(?:überprüfen|bestätigen)(?: sie)?,? (?:ob|dass) sie ein mensch sind",
        r"(?:überprüfung|prüfung) ihres browsers",
        r"vérifi\w+ que vous (?:êtes|n'êtes pas) un (?:humain|robot)",
        r"vérification de (?:votre navigateur|la sécurité)",
        r"un instant\s*(?:\.\.\.|…)",
        r"verific\w+ que (?:eres|usted es|no eres) (?:un )?(?:ser humano|humano|robot)",
        r"comprobando (?:su|tu) navegador", r"un momento\s*(?:\.\.\.|…)",
        r"один момент\s*(?:\.\.\.|…)", r"подтвердите,? что вы (?:не робот|человек)", r"проверка (?:вашего )?браузера",
        r"зачекайте\s*(?:\.\.\.|…)", r"підтвердіть,? що ви (?:не робот|людина)", r"перевірка (?:вашого )?браузера",
        r"chwileczkę\s*(?:\.\.\.|…)", r"potwierdź,? że (?:jesteś człowiekiem|nie jesteś robotem)",
        r"sprawdzanie (?:twojej )?przeglądarki",
    ),
}


def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    spaced = (phrase.replace(" ", r"\s+") for phrase in phrases)
    return re.compile("|".join(f"(?:{p})" for p in spaced), re.IGNORECASE)


_MARKERS: dict[JunkKind, re.Pattern[str]] = {kind: _compile(phrases) for kind, phrases in _PHRASES.items()}
_WORD = re.compile(r"\w+")
_TITLE_KINDS: tuple[JunkKind, ...] = ("challenge", "rate_limit", "geo_block")

DESCRIPTIONS: dict[JunkKind, str] = {
    "paywall": "a subscriber wall",
    "geo_block": "a notice that the page is not available in this country or region",
    "rate_limit": "a rate-limit page (too many requests)",
    "challenge": "a bot check (a \"just a moment\" or CAPTCHA page)",
}


def marker_kind(text: str) -> JunkKind | None:
    """The kind of non-article page whose phrase ``text`` carries (None: none)."""
    for kind, pattern in _MARKERS.items():
        if pattern.search(text):
            return kind
    return None


def marked_share(article: Article) -> tuple[float, Counter[JunkKind]]:
    """The share of the article's sentence text in sentences that carry a known phrase, and those phrases'
    kinds by sentence count."""
    total = marked = 0
    kinds: Counter[JunkKind] = Counter()
    for paragraph in article.paragraphs:
        for span in paragraph.sentences:
            sentence = article.sentence_text(span)
            total += len(sentence)
            kind = marker_kind(sentence)
            if kind is not None:
                marked += len(sentence)
                kinds[kind] += 1
    return (marked / total if total else 0.0), kinds


def check_not_junk(article: Article) -> None:
    """Refuse a subscriber wall, a geo-block notice, a rate-limit or a bot-challenge page (JunkPageError)."""
    words = sum(len(_WORD.findall(p.text)) for p in article.paragraphs)
    titled = marker_kind(article.title)
    if titled in _TITLE_KINDS and words < MAX_TITLED_WORDS:
        raise JunkPageError(titled, _message(titled))
    if words >= MAX_MARKED_WORDS:
        return
    share, kinds = marked_share(article)
    if kinds and share > MAX_MARKED_SHARE:
        kind = kinds.most_common(1)[0][0]
        raise JunkPageError(kind, _message(kind))


def _message(kind: JunkKind) -> str:
    return f"This page looks like {DESCRIPTIONS[kind]}, not an article."


def check_not_shrunk(before: Article, after: Article, keep: float = KEEP_SHARE) -> None:
    """Refuse a fresh copy of an article that kept less than ``keep`` of its text (ArticleShrankError): a
    wall or an error page in the article's place, not a new version."""
    old = sum(len(text) for text in before.paragraph_texts)
    new = sum(len(text) for text in after.paragraph_texts)
    if old and new < keep * old:
        raise ArticleShrankError(
            len(before.paragraphs), len(after.paragraphs), old, new,
            f"The page now has {len(after.paragraphs)} paragraph(s) ({new:,} characters) instead of "
            f"{len(before.paragraphs)} ({old:,}): it lost most of the article, so it is not taken as a new "
            "version (reload it by hand if the article really was cut).",
        )
