"""Slash command and option descriptions (and choice names) in the members' languages, through discord.py's
``app_commands.Translator``: Discord shows each member the text of their client's language. Command and
option names stay English."""

from __future__ import annotations

from discord import Locale, app_commands

from embeddings.answers import DEFAULT_SENTENCES, MAX_SENTENCES

from .languages import language_of
from .replies import Texts

# English description (as the cogs declare it) -> its translations; Discord allows 1-100 characters each.
DESCRIPTIONS: dict[str, Texts] = {
    "Ask a question about the article.": {
        "uk": "Поставити запитання про статтю.", "ru": "Задать вопрос о статье.", "pl": "Zadaj pytanie o artykuł.",
        "de": "Stell eine Frage zum Artikel.", "es": "Haz una pregunta sobre el artículo.",
        "fr": "Poser une question sur l’article.",
    },
    "Your question about the article (up to 500 characters).": {
        "uk": "Ваше запитання про статтю (до 500 символів).", "ru": "Ваш вопрос о статье (до 500 символов).",
        "pl": "Twoje pytanie o artykuł (do 500 znaków).", "de": "Deine Frage zum Artikel (bis zu 500 Zeichen).",
        "es": "Tu pregunta sobre el artículo (hasta 500 caracteres).",
        "fr": "Votre question sur l’article (500 caractères max.).",
    },
    "Summarise an article in quoted sentences.": {
        "uk": "Підсумок статті цитованими реченнями.", "ru": "Краткое содержание статьи цитатами из неё.",
        "pl": "Streszczenie artykułu w cytowanych zdaniach.", "de": "Einen Artikel in zitierten Sätzen zusammenfassen.",
        "es": "Resume un artículo con frases citadas.", "fr": "Résumer un article en phrases citées.",
    },
    f"How many sentences (1-{MAX_SENTENCES}, default {DEFAULT_SENTENCES}).": {
        "uk": f"Скільки речень (1-{MAX_SENTENCES}, типово {DEFAULT_SENTENCES}).",
        "ru": f"Сколько предложений (1-{MAX_SENTENCES}, по умолчанию {DEFAULT_SENTENCES}).",
        "pl": f"Ile zdań (1-{MAX_SENTENCES}, domyślnie {DEFAULT_SENTENCES}).",
        "de": f"Wie viele Sätze (1-{MAX_SENTENCES}, Standard {DEFAULT_SENTENCES}).",
        "es": f"Cuántas frases (1-{MAX_SENTENCES}, por defecto {DEFAULT_SENTENCES}).",
        "fr": f"Combien de phrases (1-{MAX_SENTENCES}, {DEFAULT_SENTENCES} par défaut).",
    },
    "Focus the summary on this topic (optional).": {
        "uk": "Зосередити підсумок на цій темі (необов’язково).",
        "ru": "Сосредоточить краткое содержание на этой теме (необязательно).",
        "pl": "Skup streszczenie na tym temacie (opcjonalnie).",
        "de": "Die Zusammenfassung auf dieses Thema ausrichten (optional).",
        "es": "Centra el resumen en este tema (opcional).", "fr": "Centrer le résumé sur ce sujet (facultatif).",
    },
    "Which article (default: the only one, or the most recently loaded).": {
        "uk": "Яка стаття (типово: єдина або остання завантажена).",
        "ru": "Какая статья (по умолчанию: единственная или последняя загруженная).",
        "pl": "Który artykuł (domyślnie: jedyny lub ostatnio wczytany).",
        "de": "Welcher Artikel (Standard: der einzige oder der zuletzt geladene).",
        "es": "Qué artículo (por defecto: el único o el último cargado).",
        "fr": "Quel article (par défaut : le seul, ou le dernier chargé).",
    },
    "Replace the article(s) this server answers from (moderators).": {
        "uk": "Замінити статті, за якими відповідає цей сервер (модератори).",
        "ru": "Заменить статьи, по которым отвечает этот сервер (модераторы).",
        "pl": "Zastąp artykuły, z których odpowiada ten serwer (moderatorzy).",
        "de": "Die Artikel ersetzen, aus denen dieser Server antwortet (Moderatoren).",
        "es": "Sustituye los artículos con los que responde este servidor (moderadores).",
        "fr": "Remplacer les articles dont ce serveur tire ses réponses (modérateurs).",
    },
    "A .txt, .md or .html file to load instead.": {
        "uk": "Файл .txt, .md або .html, який завантажити замість них.",
        "ru": "Файл .txt, .md или .html, который загрузить вместо них.",
        "pl": "Plik .txt, .md lub .html do wczytania zamiast nich.",
        "de": "Eine .txt-, .md- oder .html-Datei, die stattdessen geladen wird.",
        "es": "Un archivo .txt, .md o .html para cargar en su lugar.",
        "fr": "Un fichier .txt, .md ou .html à charger à la place.",
    },
    "An http(s) page to load the article from.": {
        "uk": "Сторінка http(s), з якої завантажити статтю.", "ru": "Страница http(s), с которой загрузить статью.",
        "pl": "Strona http(s), z której wczytać artykuł.",
        "de": "Eine http(s)-Seite, von der der Artikel geladen wird.",
        "es": "Una página http(s) de la que cargar el artículo.", "fr": "Une page http(s) d’où charger l’article.",
    },
    "Only for this channel (threads follow it), not the whole server.": {
        "uk": "Лише для цього каналу (гілки слідують за ним), а не для всього сервера.",
        "ru": "Только для этого канала (ветки следуют за ним), а не для всего сервера.",
        "pl": "Tylko dla tego kanału (wątki podążają za nim), nie dla całego serwera.",
        "de": "Nur für diesen Kanal (Threads folgen ihm), nicht für den ganzen Server.",
        "es": "Solo para este canal (los hilos lo siguen), no para todo el servidor.",
        "fr": "Seulement pour ce salon (ses fils le suivent), pas pour tout le serveur.",
    },
    "What article is loaded, from where, and when.": {
        "uk": "Яку статтю завантажено, звідки й коли.", "ru": "Какая статья загружена, откуда и когда.",
        "pl": "Jaki artykuł jest wczytany, skąd i kiedy.", "de": "Welcher Artikel geladen ist, woher und wann.",
        "es": "Qué artículo está cargado, de dónde y cuándo.", "fr": "Quel article est chargé, d’où et quand.",
    },
    "The articles this server answers from.": {
        "uk": "Статті, за якими відповідає цей сервер.", "ru": "Статьи, по которым отвечает этот сервер.",
        "pl": "Artykuły, z których odpowiada ten serwer.", "de": "Die Artikel, aus denen dieser Server antwortet.",
        "es": "Los artículos con los que responde este servidor.",
        "fr": "Les articles dont ce serveur tire ses réponses.",
    },
    "Server settings for article-bot (Manage Server).": {
        "uk": "Налаштування article-bot для сервера («Керувати сервером»).",
        "ru": "Настройки article-bot для сервера («Управлять сервером»).",
        "pl": "Ustawienia article-bot dla serwera („Zarządzanie serwerem”).",
        "de": "Servereinstellungen für article-bot („Server verwalten“).",
        "es": "Ajustes de article-bot del servidor («Gestionar servidor»).",
        "fr": "Paramètres d’article-bot pour le serveur (« Gérer le serveur »).",
    },
    "Add an article to the ones this server answers from (moderators).": {
        "uk": "Додати статтю до тих, за якими відповідає цей сервер (модератори).",
        "ru": "Добавить статью к тем, по которым отвечает этот сервер (модераторы).",
        "pl": "Dodaj artykuł do tych, z których odpowiada ten serwer (moderatorzy).",
        "de": "Einen Artikel hinzufügen, aus dem dieser Server antwortet (Moderatoren).",
        "es": "Añade un artículo a los que usa este servidor para responder (moderadores).",
        "fr": "Ajouter un article à ceux dont ce serveur tire ses réponses (modérateurs).",
    },
    "A .txt, .md or .html file.": {
        "uk": "Файл .txt, .md або .html.", "ru": "Файл .txt, .md или .html.", "pl": "Plik .txt, .md lub .html.",
        "de": "Eine .txt-, .md- oder .html-Datei.", "es": "Un archivo .txt, .md o .html.",
        "fr": "Un fichier .txt, .md ou .html.",
    },
    "An http(s) page.": {
        "uk": "Сторінка http(s).", "ru": "Страница http(s).", "pl": "Strona http(s).", "de": "Eine http(s)-Seite.",
        "es": "Una página http(s).", "fr": "Une page http(s).",
    },
    "Stop answering from an article (moderators).": {
        "uk": "Більше не відповідати за статтею (модератори).", "ru": "Больше не отвечать по статье (модераторы).",
        "pl": "Przestań odpowiadać z artykułu (moderatorzy).",
        "de": "Nicht mehr aus einem Artikel antworten (Moderatoren).",
        "es": "Deja de responder con un artículo (moderadores).",
        "fr": "Ne plus répondre à partir d’un article (modérateurs).",
    },
    "The article to remove.": {
        "uk": "Стаття, яку прибрати.", "ru": "Статья, которую убрать.", "pl": "Artykuł do usunięcia.",
        "de": "Der zu entfernende Artikel.", "es": "El artículo que quitar.", "fr": "L’article à retirer.",
    },
    "Remove it from this channel's articles, not the server's.": {
        "uk": "Прибрати її зі статей цього каналу, а не сервера.",
        "ru": "Убрать её из статей этого канала, а не сервера.",
        "pl": "Usuń go z artykułów tego kanału, nie serwera.",
        "de": "Aus den Artikeln dieses Kanals entfernen, nicht aus denen des Servers.",
        "es": "Quitarlo de los artículos de este canal, no de los del servidor.",
        "fr": "Le retirer des articles de ce salon, pas de ceux du serveur.",
    },
    "Re-fetch a URL article on a schedule (moderators).": {
        "uk": "Регулярно повторно завантажувати статтю за URL (модератори).",
        "ru": "Регулярно заново загружать статью по URL (модераторы).",
        "pl": "Pobieraj artykuł z URL ponownie według harmonogramu (moderatorzy).",
        "de": "Einen URL-Artikel regelmäßig neu abrufen (Moderatoren).",
        "es": "Vuelve a descargar un artículo de URL periódicamente (moderadores).",
        "fr": "Récupérer à nouveau un article d’URL à intervalles réguliers (modérateurs).",
    },
    "The URL article to re-fetch.": {
        "uk": "Стаття за URL, яку завантажувати повторно.", "ru": "Статья по URL, которую загружать заново.",
        "pl": "Artykuł z URL do ponownego pobierania.", "de": "Der URL-Artikel, der neu abgerufen wird.",
        "es": "El artículo de URL que volver a descargar.", "fr": "L’article d’URL à récupérer à nouveau.",
    },
    "off, default (REFRESH_INTERVAL), or 15m to 7d: 30m, 2h, 1d, 1h30m.": {
        "uk": "off, default (REFRESH_INTERVAL) або від 15m до 7d: 30m, 2h, 1d, 1h30m.",
        "ru": "off, default (REFRESH_INTERVAL) или от 15m до 7d: 30m, 2h, 1d, 1h30m.",
        "pl": "off, default (REFRESH_INTERVAL) albo od 15m do 7d: 30m, 2h, 1d, 1h30m.",
        "de": "off, default (REFRESH_INTERVAL) oder 15m bis 7d: 30m, 2h, 1d, 1h30m.",
        "es": "off, default (REFRESH_INTERVAL) o de 15m a 7d: 30m, 2h, 1d, 1h30m.",
        "fr": "off, default (REFRESH_INTERVAL) ou de 15m à 7d : 30m, 2h, 1d, 1h30m.",
    },
    "The articles answering here.": {
        "uk": "Статті, за якими тут відповідають.", "ru": "Статьи, по которым здесь отвечают.",
        "pl": "Artykuły, z których tu odpowiadam.", "de": "Die Artikel, aus denen hier geantwortet wird.",
        "es": "Los artículos con los que se responde aquí.", "fr": "Les articles utilisés pour répondre ici.",
    },
    "Members with this role may manage articles (Manage Server).": {
        "uk": "Учасники з цією роллю можуть керувати статтями («Керувати сервером»).",
        "ru": "Участники с этой ролью могут управлять статьями («Управлять сервером»).",
        "pl": "Członkowie z tą rolą mogą zarządzać artykułami („Zarządzanie serwerem”).",
        "de": "Mitglieder mit dieser Rolle dürfen Artikel verwalten („Server verwalten“).",
        "es": "Los miembros con este rol pueden gestionar artículos («Gestionar servidor»).",
        "fr": "Les membres ayant ce rôle peuvent gérer les articles (« Gérer le serveur »).",
    },
    "The moderator role for this server.": {
        "uk": "Роль модератора для цього сервера.", "ru": "Роль модератора для этого сервера.",
        "pl": "Rola moderatora na tym serwerze.", "de": "Die Moderatorrolle für diesen Server.",
        "es": "El rol de moderador de este servidor.", "fr": "Le rôle de modérateur de ce serveur.",
    },
    "Where article changes are reported (Manage Server).": {
        "uk": "Куди повідомляти про зміни статей («Керувати сервером»).",
        "ru": "Куда сообщать об изменениях статей («Управлять сервером»).",
        "pl": "Gdzie zgłaszać zmiany artykułów („Zarządzanie serwerem”).",
        "de": "Wo Artikeländerungen gemeldet werden („Server verwalten“).",
        "es": "Dónde se informan los cambios de artículos («Gestionar servidor»).",
        "fr": "Où signaler les modifications d’articles (« Gérer le serveur »).",
    },
    "The channel for reports; leave it out to stop reporting.": {
        "uk": "Канал для звітів; не вказуйте його, щоб припинити звіти.",
        "ru": "Канал для отчётов; не указывайте его, чтобы отключить отчёты.",
        "pl": "Kanał na raporty; pomiń go, aby wyłączyć raporty.",
        "de": "Der Kanal für Meldungen; weglassen, um keine mehr zu senden.",
        "es": "El canal para los informes; omítelo para dejar de informar.",
        "fr": "Le salon des rapports ; laissez vide pour arrêter les rapports.",
    },
    "What people asked and what went unanswered (moderators).": {
        "uk": "Що питали й на що не знайшлося відповіді (модератори).",
        "ru": "О чём спрашивали и что осталось без ответа (модераторы).",
        "pl": "O co pytano i co zostało bez odpowiedzi (moderatorzy).",
        "de": "Was gefragt wurde und was unbeantwortet blieb (Moderatoren).",
        "es": "Qué se preguntó y qué quedó sin respuesta (moderadores).",
        "fr": "Ce qui a été demandé et ce qui est resté sans réponse (modérateurs).",
    },
    "How far back to look.": {
        "uk": "За який період дивитися.", "ru": "За какой период смотреть.", "pl": "Jak daleko wstecz sprawdzić.",
        "de": "Wie weit zurückgeschaut wird.", "es": "Hasta cuándo mirar atrás.", "fr": "Jusqu’où remonter.",
    },
    "Page of the report (starts at 1).": {
        "uk": "Сторінка звіту (з 1).", "ru": "Страница отчёта (с 1).", "pl": "Strona raportu (od 1).",
        "de": "Seite des Berichts (ab 1).", "es": "Página del informe (empieza en 1).",
        "fr": "Page du rapport (à partir de 1).",
    },
    "Delete the questions and votes the bot stored for you.": {
        "uk": "Видалити ваші запитання й голоси, збережені ботом.",
        "ru": "Удалить ваши вопросы и голоса, сохранённые ботом.",
        "pl": "Usuń pytania i głosy, które bot zapisał dla ciebie.",
        "de": "Die Fragen und Stimmen löschen, die der Bot von dir gespeichert hat.",
        "es": "Borra las preguntas y votos que el bot guardó de ti.",
        "fr": "Supprimer les questions et votes que le bot a enregistrés pour vous.",
    },
}

# Choice names (/insights window).
CHOICES: dict[str, Texts] = {
    "day": {"uk": "день", "ru": "день", "pl": "dzień", "de": "Tag", "es": "día", "fr": "jour"},
    "week": {"uk": "тиждень", "ru": "неделя", "pl": "tydzień", "de": "Woche", "es": "semana", "fr": "semaine"},
    "all": {"uk": "усе", "ru": "всё", "pl": "wszystko", "de": "alles", "es": "todo", "fr": "tout"},
}

_DESCRIBED = {
    app_commands.TranslationContextLocation.command_description,
    app_commands.TranslationContextLocation.group_description,
    app_commands.TranslationContextLocation.parameter_description,
}


class CommandTranslator(app_commands.Translator):
    """Descriptions and choice names in the seven reply languages; None (Discord shows the English) for
    names, for English locales and for any other language."""

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        if context.location in _DESCRIBED:
            texts = DESCRIPTIONS.get(string.message)
        elif context.location is app_commands.TranslationContextLocation.choice_name:
            texts = CHOICES.get(string.message)
        else:
            return None
        return texts.get(language_of(locale)) if texts is not None else None
