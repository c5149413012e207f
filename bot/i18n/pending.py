"""The fixed texts of an answer still to come in the member's language (its article's multilingual index
being built): the note on the quick answer, and the short reply when the quick route found nothing."""

from __future__ import annotations

from .replies import Texts

PENDING: dict[str, Texts] = {
    "better_answer_coming": {
        "en": "⏳ A better answer in your language is coming: this message will be updated.",
        "uk": "⏳ Краща відповідь вашою мовою вже готується: це повідомлення буде оновлено.",
        "ru": "⏳ Ответ получше на вашем языке уже готовится: это сообщение будет обновлено.",
        "pl": "⏳ Lepsza odpowiedź w Twoim języku jest w drodze: ta wiadomość zostanie zaktualizowana.",
        "de": "⏳ Eine bessere Antwort in deiner Sprache kommt gleich: Diese Nachricht wird aktualisiert.",
        "es": "⏳ Una respuesta mejor en tu idioma está en camino: este mensaje se actualizará.",
        "fr": "⏳ Une meilleure réponse dans votre langue arrive : ce message sera mis à jour.",
    },
    "reading_in_your_language": {
        "en": "Reading the article in your language, a moment… A better answer in your language is coming: "
              "this message will be updated.",
        "uk": "Читаю статтю вашою мовою, хвилинку… Краща відповідь вашою мовою вже готується: "
              "це повідомлення буде оновлено.",
        "ru": "Читаю статью на вашем языке, минутку… Ответ получше на вашем языке уже готовится: "
              "это сообщение будет обновлено.",
        "pl": "Czytam artykuł w Twoim języku, chwileczkę… Lepsza odpowiedź w Twoim języku jest w drodze: "
              "ta wiadomość zostanie zaktualizowana.",
        "de": "Ich lese den Artikel in deiner Sprache, einen Moment … Eine bessere Antwort in deiner Sprache "
              "kommt gleich: Diese Nachricht wird aktualisiert.",
        "es": "Leyendo el artículo en tu idioma, un momento… Una respuesta mejor en tu idioma está en camino: "
              "este mensaje se actualizará.",
        "fr": "Je lis l’article dans votre langue, un instant… Une meilleure réponse dans votre langue arrive : "
              "ce message sera mis à jour.",
    },
}
