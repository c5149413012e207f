"""The fixed texts of corrected answers: the note, the "¶n now" button and what it shows, the thread note."""

from __future__ import annotations

from .replies import Texts

CORRECTIONS: dict[str, Texts] = {
    "changed_field": {
        "en": "⚠️ The article changed since this answer", "uk": "⚠️ Після цієї відповіді стаття змінилася",
        "ru": "⚠️ После этого ответа статья изменилась", "pl": "⚠️ Artykuł zmienił się od czasu tej odpowiedzi",
        "de": "⚠️ Der Artikel hat sich seit dieser Antwort geändert",
        "es": "⚠️ El artículo cambió desde esta respuesta",
        "fr": "⚠️ L’article a changé depuis cette réponse",
    },
    "utc_time": {
        "en": "{time} UTC on {date}", "uk": "{date} о {time} UTC", "ru": "{date} в {time} UTC",
        "pl": "{date} o {time} UTC", "de": "am {date} um {time} UTC", "es": "el {date} a las {time} UTC",
        "fr": "le {date} à {time} UTC",
    },
    "paragraph_removed": {
        "en": "¶{paragraph} was removed at {when} — this quote may be out of date.",
        "uk": "¶{paragraph} видалено {when} — ця цитата може бути застарілою.",
        "ru": "¶{paragraph} удалён {when} — эта цитата может быть устаревшей.",
        "pl": "¶{paragraph} usunięto {when} — ten cytat może być nieaktualny.",
        "de": "¶{paragraph} wurde {when} entfernt — dieses Zitat ist womöglich veraltet.",
        "es": "¶{paragraph} se eliminó {when}: esta cita puede estar desactualizada.",
        "fr": "¶{paragraph} a été supprimé {when} — cette citation est peut-être dépassée.",
    },
    "paragraph_updated": {
        "en": "¶{paragraph} was updated at {when}{moved} — this quote may be out of date.",
        "uk": "¶{paragraph} оновлено {when}{moved} — ця цитата може бути застарілою.",
        "ru": "¶{paragraph} обновлён {when}{moved} — эта цитата может быть устаревшей.",
        "pl": "¶{paragraph} zaktualizowano {when}{moved} — ten cytat może być nieaktualny.",
        "de": "¶{paragraph} wurde {when} aktualisiert{moved} — dieses Zitat ist womöglich veraltet.",
        "es": "¶{paragraph} se actualizó {when}{moved}: esta cita puede estar desactualizada.",
        "fr": "¶{paragraph} a été mis à jour {when}{moved} — cette citation est peut-être dépassée.",
    },
    "now_at": {
        "en": " (now ¶{new})", "uk": " (тепер ¶{new})", "ru": " (теперь ¶{new})", "pl": " (teraz ¶{new})",
        "de": " (jetzt ¶{new})", "es": " (ahora ¶{new})", "fr": " (désormais ¶{new})",
    },
    "corrections_in_all": {
        "en": "({count} corrections in all)", "uk": "(усього виправлень: {count})",
        "ru": "(всего исправлений: {count})",
        "pl": "(łącznie poprawek: {count})", "de": "({count} Korrekturen insgesamt)",
        "es": "({count} correcciones en total)",
        "fr": "({count} corrections au total)",
    },
    "thread_note": {
        "en": "The article changed: {numbers} quoted in {link} may be out of date; the answer now says what changed.",
        "uk": "Стаття змінилася: {numbers}, процитовані в {link}, можуть бути застарілими; тепер у відповіді сказано, "
              "що змінилося.",
        "ru": "Статья изменилась: {numbers}, процитированные в {link}, могут быть устаревшими; "
              "теперь в ответе сказано, что изменилось.",
        "pl": "Artykuł się zmienił: {numbers} zacytowane w {link} mogą być nieaktualne; odpowiedź mówi teraz, "
              "co się zmieniło.",
        "de": "Der Artikel hat sich geändert: Das Zitat von {numbers} in {link} ist womöglich veraltet; die Antwort "
              "zeigt jetzt, was sich geändert hat.",
        "es": "El artículo cambió: lo citado de {numbers} en {link} puede estar desactualizado; la respuesta indica "
              "ahora qué cambió.",
        "fr": "L’article a changé : ce qui est cité de {numbers} dans {link} est peut-être dépassé ; la réponse "
              "indique désormais ce qui a changé.",
    },
    "new_text_of": {
        "en": "¶{paragraph} now", "uk": "¶{paragraph} зараз", "ru": "¶{paragraph} сейчас", "pl": "¶{paragraph} teraz",
        "de": "¶{paragraph} jetzt", "es": "¶{paragraph} ahora", "fr": "¶{paragraph} maintenant",
    },
    "new_text": {
        "en": "New text", "uk": "Новий текст", "ru": "Новый текст", "pl": "Nowy tekst", "de": "Neuer Text",
        "es": "Texto nuevo", "fr": "Nouveau texte",
    },
    "reads_now": {
        "en": "¶{paragraph} as it reads now", "uk": "¶{paragraph} у поточній редакції",
        "ru": "¶{paragraph} в текущей редакции", "pl": "¶{paragraph} w obecnym brzmieniu",
        "de": "¶{paragraph} in der aktuellen Fassung", "es": "¶{paragraph} tal como dice ahora",
        "fr": "¶{paragraph} tel qu’il se lit maintenant",
    },
    "updated_at": {
        "en": "Updated at {when}", "uk": "Оновлено {when}", "ru": "Обновлено {when}", "pl": "Zaktualizowano {when}",
        "de": "Aktualisiert {when}", "es": "Actualizado {when}", "fr": "Mis à jour {when}",
    },
    "version_gone": {
        "en": "That version of the article is no longer stored, so its new text cannot be shown.",
        "uk": "Ця версія статті більше не зберігається, тож її новий текст показати неможливо.",
        "ru": "Эта версия статьи больше не хранится, поэтому её новый текст показать нельзя.",
        "pl": "Ta wersja artykułu nie jest już przechowywana, więc nie można pokazać jej nowego tekstu.",
        "de": "Diese Fassung des Artikels ist nicht mehr gespeichert, daher kann ihr neuer Text nicht "
              "angezeigt werden.",
        "es": "Esa versión del artículo ya no está guardada, así que no se puede mostrar su texto nuevo.",
        "fr": "Cette version de l’article n’est plus conservée, son nouveau texte ne peut donc pas être affiché.",
    },
    "cannot_read_now": {
        "en": "I can't read that now: {error}", "uk": "Зараз я не можу це прочитати: {error}",
        "ru": "Сейчас я не могу это прочитать: {error}", "pl": "Nie mogę teraz tego odczytać: {error}",
        "de": "Das kann ich gerade nicht lesen: {error}", "es": "Ahora no puedo leer eso: {error}",
        "fr": "Je ne peux pas lire cela pour l’instant : {error}",
    },
    "correction_no_record": {
        "en": "I have no record of this correction any more.", "uk": "Я більше не маю запису цього виправлення.",
        "ru": "У меня больше нет записи об этом исправлении.", "pl": "Nie mam już zapisu tej poprawki.",
        "de": "Zu dieser Korrektur habe ich keinen Eintrag mehr.", "es": "Ya no tengo registro de esta corrección.",
        "fr": "Je n’ai plus de trace de cette correction.",
    },
}
