"""The fixed texts of answers, summaries, buttons and refusals, per language (quotes are never translated).

Every key has all seven languages and the same ``{placeholders}`` in each (tests/bot/test_i18n.py)."""

from __future__ import annotations

from .languages import Language

Texts = dict[Language, str]

ANSWERS: dict[str, Texts] = {
    "not_answered": {
        "en": "The article doesn't say.", "uk": "У статті про це не сказано.", "ru": "В статье об этом не сказано.",
        "pl": "Artykuł o tym nie mówi.", "de": "Das steht nicht im Artikel.", "es": "El artículo no lo dice.",
        "fr": "L’article ne le dit pas.",
    },
    "absent_closest_one": {
        "en": "The article never uses the word {words}; these are the closest passages.",
        "uk": "У статті ніде немає слова {words}; ось найближчі уривки.",
        "ru": "В статье нигде нет слова {words}; вот самые близкие отрывки.",
        "pl": "Artykuł nigdzie nie używa słowa {words}; oto najbliższe fragmenty.",
        "de": "Der Artikel verwendet das Wort {words} nirgends; dies sind die nächstliegenden Stellen.",
        "es": "El artículo nunca usa la palabra {words}; estos son los pasajes más cercanos.",
        "fr": "L’article n’emploie jamais le mot {words} ; voici les passages les plus proches.",
    },
    "absent_closest_many": {
        "en": "The article never uses the words {words}; these are the closest passages.",
        "uk": "У статті ніде немає слів {words}; ось найближчі уривки.",
        "ru": "В статье нигде нет слов {words}; вот самые близкие отрывки.",
        "pl": "Artykuł nigdzie nie używa słów {words}; oto najbliższe fragmenty.",
        "de": "Der Artikel verwendet die Wörter {words} nirgends; dies sind die nächstliegenden Stellen.",
        "es": "El artículo nunca usa las palabras {words}; estos son los pasajes más cercanos.",
        "fr": "L’article n’emploie jamais les mots {words} ; voici les passages les plus proches.",
    },
    "absent_abstain_one": {
        "en": "It never uses the word {words}.", "uk": "Слово {words} у ній ніде не трапляється.",
        "ru": "Слово {words} в ней ни разу не встречается.", "pl": "Nigdzie nie używa słowa {words}.",
        "de": "Das Wort {words} kommt darin nicht vor.", "es": "Nunca usa la palabra {words}.",
        "fr": "Il n’emploie jamais le mot {words}.",
    },
    "absent_abstain_many": {
        "en": "It never uses the words {words}.", "uk": "Слова {words} у ній ніде не трапляються.",
        "ru": "Слова {words} в ней ни разу не встречаются.", "pl": "Nigdzie nie używa słów {words}.",
        "de": "Die Wörter {words} kommen darin nicht vor.", "es": "Nunca usa las palabras {words}.",
        "fr": "Il n’emploie jamais les mots {words}.",
    },
    "quoted_word": {
        "en": "“{word}”", "uk": "«{word}»", "ru": "«{word}»", "pl": "„{word}”", "de": "„{word}“", "es": "«{word}»",
        "fr": "«\u00a0{word}\u00a0»",
    },
    "word_pair": {
        "en": "{first} and {last}", "uk": "{first} і {last}", "ru": "{first} и {last}", "pl": "{first} i {last}",
        "de": "{first} und {last}", "es": "{first} y {last}", "fr": "{first} et {last}",
    },
    "words_and_more": {
        "en": "{words} and {count} more", "uk": "{words} і ще {count}", "ru": "{words} и ещё {count}",
        "pl": "{words} i jeszcze {count}", "de": "{words} und {count} weitere", "es": "{words} y {count} más",
        "fr": "{words} et {count} autres",
    },
    "nearest_paragraphs": {
        "en": "Nearest paragraphs", "uk": "Найближчі абзаци", "ru": "Ближайшие абзацы", "pl": "Najbliższe akapity",
        "de": "Nächstliegende Absätze", "es": "Párrafos más cercanos", "fr": "Paragraphes les plus proches",
    },
    "article_as_of": {
        "en": "article as of {moment} UTC", "uk": "стаття станом на {moment} UTC",
        "ru": "статья по состоянию на {moment} UTC", "pl": "stan artykułu z {moment} UTC",
        "de": "Artikelstand {moment} UTC", "es": "artículo a fecha de {moment} UTC", "fr": "article au {moment} UTC",
    },
    "summary": {
        "en": "Summary", "uk": "Підсумок", "ru": "Краткое содержание", "pl": "Podsumowanie", "de": "Zusammenfassung",
        "es": "Resumen", "fr": "Résumé",
    },
    "summary_of_topic": {
        "en": "Summary: {topic}", "uk": "Підсумок: {topic}", "ru": "Краткое содержание: {topic}",
        "pl": "Podsumowanie: {topic}", "de": "Zusammenfassung: {topic}", "es": "Resumen: {topic}",
        "fr": "Résumé : {topic}",
    },
    "no_sentence": {
        "en": "No sentence to quote.", "uk": "Немає речення для цитування.", "ru": "Нет предложения для цитирования.",
        "pl": "Brak zdania do zacytowania.", "de": "Kein Satz zum Zitieren.", "es": "No hay ninguna frase que citar.",
        "fr": "Aucune phrase à citer.",
    },
    "more_context": {
        "en": "More context", "uk": "Більше контексту", "ru": "Больше контекста", "pl": "Więcej kontekstu",
        "de": "Mehr Kontext", "es": "Más contexto", "fr": "Plus de contexte",
    },
    "context_gone": {
        "en": "The cited paragraphs are no longer in the article.",
        "uk": "Процитованих абзаців у статті більше немає.", "ru": "Процитированных абзацев в статье больше нет.",
        "pl": "Cytowanych akapitów nie ma już w artykule.", "de": "Die zitierten Absätze stehen nicht mehr im Artikel.",
        "es": "Los párrafos citados ya no están en el artículo.",
        "fr": "Les paragraphes cités ne figurent plus dans l’article.",
    },
    "cited": {
        "en": "(cited)", "uk": "(процитовано)", "ru": "(процитировано)", "pl": "(cytowany)", "de": "(zitiert)",
        "es": "(citado)", "fr": "(cité)",
    },
    "cited_changed": {
        "en": "{count} cited paragraph(s) changed or were removed since this answer.",
        "uk": "Процитованих абзаців, що змінилися або зникли після цієї відповіді: {count}.",
        "ru": "Процитированных абзацев, изменённых или удалённых после этого ответа: {count}.",
        "pl": "Cytowane akapity zmienione lub usunięte od czasu tej odpowiedzi: {count}.",
        "de": "Zitierte Absätze, die seit dieser Antwort geändert oder entfernt wurden: {count}.",
        "es": "Párrafos citados que cambiaron o se eliminaron desde esta respuesta: {count}.",
        "fr": "Paragraphes cités modifiés ou supprimés depuis cette réponse : {count}.",
    },
}

MEMBERS: dict[str, Texts] = {
    "how_to_ask": {
        "en": "Ask me a question about the article, e.g. “Who commands the Azov Regiment?”",
        "uk": "Поставте мені запитання про статтю, наприклад: «Хто командує полком „Азов“?»",
        "ru": "Задайте мне вопрос о статье, например: «Кто командует полком „Азов“?»",
        "pl": "Zadaj mi pytanie o artykuł, np. „Kto dowodzi pułkiem Azow?”",
        "de": "Stell mir eine Frage zum Artikel, z. B. „Wer befehligt das Asow-Regiment?“",
        "es": "Hazme una pregunta sobre el artículo, p. ej., «¿Quién comanda el Regimiento Azov?»",
        "fr": "Posez-moi une question sur l’article, par exemple «\u00a0Qui commande le régiment Azov\u00a0?\u00a0»",
    },
    "cooldown": {
        "en": "You're asking faster than I can keep up: try again in {seconds} s.",
        "uk": "Ви питаєте швидше, ніж я встигаю відповідати: спробуйте ще раз за {seconds} с.",
        "ru": "Вы спрашиваете быстрее, чем я успеваю отвечать: попробуйте снова через {seconds} с.",
        "pl": "Pytasz szybciej, niż nadążam odpowiadać: spróbuj ponownie za {seconds} s.",
        "de": "Du fragst schneller, als ich antworten kann: Versuch es in {seconds} s noch einmal.",
        "es": "Preguntas más rápido de lo que puedo responder: vuelve a intentarlo en {seconds} s.",
        "fr": "Vous posez des questions plus vite que je ne peux suivre : réessayez dans {seconds} s.",
    },
    "vote_recorded": {
        "en": "Thanks, your {symbol} is recorded. Press the other button to change it.",
        "uk": "Дякую, ваш {symbol} зараховано. Щоб змінити його, натисніть іншу кнопку.",
        "ru": "Спасибо, ваш {symbol} учтён. Чтобы изменить его, нажмите другую кнопку.",
        "pl": "Dzięki, twój {symbol} został zapisany. Aby go zmienić, naciśnij drugi przycisk.",
        "de": "Danke, dein {symbol} ist gespeichert. Drück den anderen Knopf, um ihn zu ändern.",
        "es": "Gracias, tu {symbol} quedó registrado. Pulsa el otro botón para cambiarlo.",
        "fr": "Merci, votre {symbol} est enregistré. Appuyez sur l’autre bouton pour le modifier.",
    },
    "vote_no_record": {
        "en": "I have no record of this answer any more, so the vote was not saved.",
        "uk": "Я більше не маю запису цієї відповіді, тож голос не збережено.",
        "ru": "У меня больше нет записи об этом ответе, поэтому голос не сохранён.",
        "pl": "Nie mam już zapisu tej odpowiedzi, więc głos nie został zapisany.",
        "de": "Zu dieser Antwort habe ich keinen Eintrag mehr, daher wurde die Stimme nicht gespeichert.",
        "es": "Ya no tengo registro de esta respuesta, así que el voto no se guardó.",
        "fr": "Je n’ai plus de trace de cette réponse, le vote n’a donc pas été enregistré.",
    },
    "vote_failed": {
        "en": "Your vote was not saved: {error}", "uk": "Ваш голос не збережено: {error}",
        "ru": "Ваш голос не сохранён: {error}", "pl": "Twój głos nie został zapisany: {error}",
        "de": "Deine Stimme wurde nicht gespeichert: {error}", "es": "Tu voto no se guardó: {error}",
        "fr": "Votre vote n’a pas été enregistré : {error}",
    },
    "answer_unreadable": {
        "en": "I can't read that answer now: {error}", "uk": "Зараз я не можу прочитати цю відповідь: {error}",
        "ru": "Сейчас я не могу прочитать этот ответ: {error}", "pl": "Nie mogę teraz odczytać tej odpowiedzi: {error}",
        "de": "Ich kann diese Antwort gerade nicht lesen: {error}", "es": "Ahora no puedo leer esa respuesta: {error}",
        "fr": "Je ne peux pas lire cette réponse pour l’instant : {error}",
    },
    "answer_no_record": {
        "en": "I have no record of this answer any more.", "uk": "Я більше не маю запису цієї відповіді.",
        "ru": "У меня больше нет записи об этом ответе.", "pl": "Nie mam już zapisu tej odpowiedzi.",
        "de": "Zu dieser Antwort habe ich keinen Eintrag mehr.", "es": "Ya no tengo registro de esta respuesta.",
        "fr": "Je n’ai plus de trace de cette réponse.",
    },
    "every_out_of_range": {
        "en": "{value} is out of range: refresh every {low} to {high}, or off, or default.",
        "uk": "{value} поза допустимими межами: оновлювати можна кожні {low}–{high}, або off, або default.",
        "ru": "{value} вне допустимого диапазона: обновлять можно каждые {low}–{high}, или off, или default.",
        "pl": "{value} jest poza zakresem: odświeżanie co {low}–{high}, albo off, albo default.",
        "de": "{value} liegt außerhalb des Bereichs: Aktualisierung alle {low} bis {high}, oder off oder default.",
        "es": "{value} está fuera de rango: actualiza cada {low} a {high}, u off, o default.",
        "fr": "{value} est hors limites : actualisation toutes les {low} à {high}, ou off, ou default.",
    },
    "every_not_a_duration": {
        "en": "{value} is not a duration: write it like 15m, 2h, 1d or 1h30m (from {low} to {high}), or off, "
              "or default.",
        "uk": "{value} — не тривалість: напишіть, наприклад, 15m, 2h, 1d або 1h30m (від {low} до {high}), або off, "
              "або default.",
        "ru": "{value} — не длительность: напишите, например, 15m, 2h, 1d или 1h30m (от {low} до {high}), или off, "
              "или default.",
        "pl": "{value} to nie czas trwania: napisz np. 15m, 2h, 1d lub 1h30m (od {low} do {high}), albo off, "
              "albo default.",
        "de": "{value} ist keine Dauer: schreib z. B. 15m, 2h, 1d oder 1h30m (von {low} bis {high}), oder off "
              "oder default.",
        "es": "{value} no es una duración: escríbela como 15m, 2h, 1d o 1h30m (de {low} a {high}), u off, "
              "o default.",
        "fr": "{value} n’est pas une durée : écrivez-la comme 15m, 2h, 1d ou 1h30m (de {low} à {high}), ou off, "
              "ou default.",
    },
    "not_here": {
        "en": "You can't use this command here.", "uk": "Цю команду тут використовувати не можна.",
        "ru": "Эту команду здесь использовать нельзя.", "pl": "Nie możesz tu użyć tego polecenia.",
        "de": "Diesen Befehl kannst du hier nicht verwenden.", "es": "No puedes usar este comando aquí.",
        "fr": "Vous ne pouvez pas utiliser cette commande ici.",
    },
    "went_wrong": {
        "en": "Sorry, something went wrong answering that. It has been logged.",
        "uk": "Вибачте, під час відповіді щось пішло не так. Помилку записано в журнал.",
        "ru": "Извините, при ответе что-то пошло не так. Ошибка записана в журнал.",
        "pl": "Przepraszam, coś poszło nie tak przy odpowiedzi. Błąd został zapisany w logach.",
        "de": "Entschuldige, bei der Antwort ist etwas schiefgegangen. Der Fehler wurde protokolliert.",
        "es": "Lo siento, algo salió mal al responder. Quedó registrado.",
        "fr": "Désolé, un problème est survenu en répondant. Il a été consigné.",
    },
    "moderators_only": {
        "en": "Only moderators (Manage Server or the moderator role) can do that.",
        "uk": "Це можуть робити лише модератори (з правом «Керувати сервером» або з роллю модератора).",
        "ru": "Это могут делать только модераторы (с правом «Управлять сервером» или с ролью модератора).",
        "pl": "Mogą to robić tylko moderatorzy (z uprawnieniem „Zarządzanie serwerem” lub rolą moderatora).",
        "de": "Das dürfen nur Moderatoren (mit „Server verwalten“ oder der Moderatorrolle).",
        "es": "Solo los moderadores (con «Gestionar servidor» o el rol de moderador) pueden hacer eso.",
        "fr": "Seuls les modérateurs (avec «\u00a0Gérer le serveur\u00a0» ou le rôle de modérateur) "
              "peuvent faire cela.",
    },
    "manage_server_only": {
        "en": "Only members with Manage Server can do that.",
        "uk": "Це можуть робити лише учасники з правом «Керувати сервером».",
        "ru": "Это могут делать только участники с правом «Управлять сервером».",
        "pl": "Mogą to robić tylko członkowie z uprawnieniem „Zarządzanie serwerem”.",
        "de": "Das dürfen nur Mitglieder mit „Server verwalten“.",
        "es": "Solo los miembros con «Gestionar servidor» pueden hacer eso.",
        "fr": "Seuls les membres avec «\u00a0Gérer le serveur\u00a0» peuvent faire cela.",
    },
    "forgotten": {
        "en": "Done: deleted {questions} question(s) and {votes} vote(s) stored for you.",
        "uk": "Готово: видалено збережені для вас запитання ({questions}) і голоси ({votes}).",
        "ru": "Готово: удалены сохранённые для вас вопросы ({questions}) и голоса ({votes}).",
        "pl": "Gotowe: usunięto zapisane dla ciebie pytania ({questions}) i głosy ({votes}).",
        "de": "Erledigt: {questions} gespeicherte Frage(n) und {votes} Stimme(n) von dir gelöscht.",
        "es": "Hecho: se borraron {questions} pregunta(s) y {votes} voto(s) guardados para ti.",
        "fr": "C’est fait : {questions} question(s) et {votes} vote(s) enregistrés pour vous ont été supprimés.",
    },
}
