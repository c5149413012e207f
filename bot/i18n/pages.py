"""Why a fetched page or file was not taken as the article: walls, geo-blocks, rate-limit and challenge pages, a
page that lost most of the article. ``refusal`` words an engine error in a moderator's language."""

from __future__ import annotations

from embeddings.errors import ArticleShrankError, JunkPageError

from .languages import ENGLISH, Language
from .replies import Texts

PAGES: dict[str, Texts] = {
    "page_paywall": {
        "en": "This page is a subscriber wall, not the article.",
        "uk": "Ця сторінка — вимога передплати, а не стаття.",
        "ru": "Эта страница — требование подписки, а не статья.",
        "pl": "Ta strona to paywall dla subskrybentów, a nie artykuł.",
        "de": "Diese Seite ist eine Abo-Schranke, nicht der Artikel.",
        "es": "Esta página es un muro para suscriptores, no el artículo.",
        "fr": "Cette page est un mur réservé aux abonnés, pas l’article.",
    },
    "page_geo_block": {
        "en": "This page says the content is not available in this country or region; it is not the article.",
        "uk": "Ця сторінка повідомляє, що вміст недоступний у цій країні чи регіоні; це не стаття.",
        "ru": "Эта страница сообщает, что содержимое недоступно в этой стране или регионе; это не статья.",
        "pl": "Ta strona informuje, że treść jest niedostępna w tym kraju lub regionie; to nie jest artykuł.",
        "de": "Diese Seite meldet, dass der Inhalt in diesem Land oder dieser Region nicht verfügbar ist; sie ist "
              "nicht der Artikel.",
        "es": "Esta página dice que el contenido no está disponible en este país o región; no es el artículo.",
        "fr": "Cette page indique que le contenu n’est pas disponible dans ce pays ou cette région ; ce n’est pas "
              "l’article.",
    },
    "page_rate_limit": {
        "en": "The site answered with a “too many requests” page, not the article; try again later.",
        "uk": "Сайт відповів сторінкою «забагато запитів», а не статтею; спробуйте пізніше.",
        "ru": "Сайт ответил страницей «слишком много запросов», а не статьёй; попробуйте позже.",
        "pl": "Witryna odpowiedziała stroną „zbyt wiele żądań”, a nie artykułem; spróbuj później.",
        "de": "Die Website hat mit einer „Zu viele Anfragen“-Seite geantwortet, nicht mit dem Artikel; versuchen "
              "Sie es später erneut.",
        "es": "El sitio respondió con una página de «demasiadas solicitudes», no con el artículo; inténtalo más "
              "tarde.",
        "fr": "Le site a répondu par une page « trop de requêtes », pas par l’article ; réessayez plus tard.",
    },
    "page_challenge": {
        "en": "The site answered with a bot check (a “just a moment” or CAPTCHA page), not the article.",
        "uk": "Сайт відповів перевіркою на бота (сторінка «зачекайте» або CAPTCHA), а не статтею.",
        "ru": "Сайт ответил проверкой на бота (страница «один момент» или CAPTCHA), а не статьёй.",
        "pl": "Witryna odpowiedziała weryfikacją botów (strona „chwileczkę” lub CAPTCHA), a nie artykułem.",
        "de": "Die Website hat mit einer Bot-Prüfung („Einen Moment bitte“ oder CAPTCHA) geantwortet, nicht mit "
              "dem Artikel.",
        "es": "El sitio respondió con una comprobación antibots (una página de «un momento» o un CAPTCHA), no "
              "con el artículo.",
        "fr": "Le site a répondu par une vérification anti-robots (une page « un instant » ou un CAPTCHA), pas "
              "par l’article.",
    },
    "page_shrank": {
        "en": "The page now has {new_paragraphs} paragraph(s) ({new_chars} characters) instead of "
              "{old_paragraphs} ({old_chars}): it lost most of the article, so it was not taken as a new version "
              "(reload it by hand if the article really was cut).",
        "uk": "Тепер на сторінці {new_paragraphs} абз. ({new_chars} символів) замість {old_paragraphs} "
              "({old_chars}): вона втратила більшу частину статті, тож її не взято як нову версію (перезавантажте "
              "вручну, якщо статтю справді скоротили).",
        "ru": "Теперь на странице {new_paragraphs} абз. ({new_chars} символов) вместо {old_paragraphs} "
              "({old_chars}): она потеряла бо́льшую часть статьи, поэтому не принята как новая версия "
              "(перезагрузите вручную, если статью действительно сократили).",
        "pl": "Strona ma teraz {new_paragraphs} akap. ({new_chars} znaków) zamiast {old_paragraphs} "
              "({old_chars}): straciła większość artykułu, więc nie przyjęto jej jako nowej wersji (przeładuj "
              "ręcznie, jeśli artykuł naprawdę skrócono).",
        "de": "Die Seite hat jetzt {new_paragraphs} Absatz/Absätze ({new_chars} Zeichen) statt {old_paragraphs} "
              "({old_chars}): Sie hat den Großteil des Artikels verloren und wurde daher nicht als neue Fassung "
              "übernommen (laden Sie sie von Hand neu, wenn der Artikel wirklich gekürzt wurde).",
        "es": "La página tiene ahora {new_paragraphs} párrafo(s) ({new_chars} caracteres) en lugar de "
              "{old_paragraphs} ({old_chars}): perdió la mayor parte del artículo, así que no se tomó como una "
              "versión nueva (recárgala a mano si el artículo de verdad se recortó).",
        "fr": "La page compte maintenant {new_paragraphs} paragraphe(s) ({new_chars} caractères) au lieu de "
              "{old_paragraphs} ({old_chars}) : elle a perdu l’essentiel de l’article, elle n’a donc pas été prise "
              "comme nouvelle version (rechargez-la à la main si l’article a vraiment été raccourci).",
    },
}


def refusal(error: Exception, language: Language = ENGLISH) -> str:
    """Why ``error`` refused a page, in ``language`` when the catalogue words it; else its own message."""
    if isinstance(error, JunkPageError) and f"page_{error.kind}" in PAGES:
        texts = PAGES[f"page_{error.kind}"]
        return texts.get(language, texts[ENGLISH])
    if isinstance(error, ArticleShrankError):
        texts = PAGES["page_shrank"]
        return texts.get(language, texts[ENGLISH]).format(
            new_paragraphs=error.new_paragraphs, old_paragraphs=error.old_paragraphs,
            new_chars=f"{error.new_chars:,}", old_chars=f"{error.old_chars:,}")
    return str(error)
