"""Which language a text is written in: by script, then (Latin and Cyrillic) by function words.

Questions are routed by it (:mod:`.crosslingual`): an English question about an English article
keeps the fast English model; any other pair goes to the multilingual one. So the detector is
cautious where that matters: a Latin-script text is English only when its English function words
outnumber every other language's, and a text with no evidence at all (``"Mariupol mayor?"``) is
undecided (None), which routing reads as "the article's language".

No model and no dependency: a question costs about 10 µs (a few set lookups per word). Measured on
XQuAD's questions (README, Languages): every language's own label for nearly all questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class LanguageFacts:
    """What the engine knows of one language besides its function words: its English name, PyStemmer's Snowball
    algorithm for it (None: words are cut short instead) and the measured language whose confidence thresholds it
    borrows (None: its own, or the default)."""

    name: str
    snowball: str | None = None
    neighbour: str | None = None


# The one language table. The engine reads its stemmers (:mod:`.lexical`) and threshold neighbours
# (:mod:`.crosslingual`) here; the bot writes replies in each language of this table that has a locale folder
# (bot/i18n/locales/<code>/). Adding a language: its entry here (and its function words below), then its folder.
LANGUAGE_TABLE: dict[str, LanguageFacts] = {
    "en": LanguageFacts("English", "english"),
    "uk": LanguageFacts("Ukrainian", None, "ru"),
    "ru": LanguageFacts("Russian", "russian"),
    "pl": LanguageFacts("Polish", "polish", "de"),
    "de": LanguageFacts("German", "german"),
    "es": LanguageFacts("Spanish", "spanish"),
    "fr": LanguageFacts("French", "french", "es"),
    "it": LanguageFacts("Italian", "italian", "es"),
    "pt": LanguageFacts("Portuguese", "portuguese", "es"),
    "nl": LanguageFacts("Dutch", "dutch", "de"),
    "ro": LanguageFacts("Romanian", "romanian", "es"),
    "tr": LanguageFacts("Turkish", "turkish"),
    "vi": LanguageFacts("Vietnamese"),
    "el": LanguageFacts("Greek", "greek"),
    "ar": LanguageFacts("Arabic", "arabic"),
    "hi": LanguageFacts("Hindi", "hindi"),
    "zh": LanguageFacts("Chinese"),
    "ja": LanguageFacts("Japanese", None, "zh"),
    "ko": LanguageFacts("Korean", None, "zh"),
    "fa": LanguageFacts("Persian", None, "ar"),
    "be": LanguageFacts("Belarusian", None, "ru"),
    "bg": LanguageFacts("Bulgarian", None, "ru"),
    "cs": LanguageFacts("Czech", None, "de"),
}

# Function words by language (lower case). They are each language's BM25 stop words too
# (:mod:`.lexical`); for detection only the words no other list holds count (see ``_EXCLUSIVE``).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": """the a an of and or to in on at by for with from into about is are was were be been being
            has have had do does did done what which who whom whose when where why how many much not no
            this that these those it its it's he she they them their his her we you i my our your there
            than then also can could would should will shall may might must said says say tell told if
            as but any all some other such only very just after before during while between""",
        "de": """der die das den dem des ein eine einer eines einem einen und oder aber ist sind war waren
            wird werden wurde wurden hat haben hatte hatten wie was wer wen wem wessen wo wann warum welche
            welcher welches welchen welchem wieso weshalb woher wohin viele vielen nicht kein keine keinen
            im ins auf aus bei mit nach von vom zu zum zur für über unter vor zwischen durch gegen ohne es
            er sie ihr ihm ihn sich ich du wir man dass als auch noch schon nur sehr dies diese dieser
            dieses sein seine seiner seinen ihre ihren gibt gab nachdem kann können machen macht einige
            manche jeder jede oft wozu worüber wogegen wofür womit wodurch wovon woran worauf wieviel""",
        "es": """el la los las un una unos unas y o pero es son era eran fue fueron ser está están estaba
            ha han había habían qué que quién quiénes cuál cuáles cuándo dónde cómo cuánto cuántos cuánta
            cuántas por para con sin sobre entre hasta desde del al de en lo le les se su sus sí no muy
            más este esta estos estas ese esa eso también ya según cual donde como cuando""",
        "fr": """le la les un une des du de et ou mais est sont était étaient été a ont avait avaient
            que qui quoi quel quelle quels quelles quand où comment combien pourquoi lequel laquelle dans
            sur sous avec sans pour par entre vers chez cet cette ces il elle ils elles on se sa son ses
            leur leurs ne pas plus aussi très été au aux y en qu est-ce""",
        "it": """il lo la gli le un uno una e o ma è sono era erano fu furono stato stata ha hanno aveva
            che chi cosa quale quali quando dove come quanto quanti quanta quante perché di del della dei
            delle degli nel nella nei con senza su per tra fra da dal dalla si suo sua suoi non più anche
            molto questo questa questi quelle""",
        "pt": """o a os as um uma uns umas e ou mas é são era eram foi foram ser está estão estava tem
            têm tinha que quem qual quais quando onde como quanto quantos quanta quantas porque por para
            com sem sobre entre até desde do da dos das no na nos nas ao aos se seu sua seus suas não
            muito mais este esta estes estas esse essa também já""",
        "nl": """de het een en of maar is zijn was waren wordt worden werd werden heeft hebben had hadden
            wat wie wanneer waar waarom hoe hoeveel welke welk van voor met zonder op aan in uit bij naar
            over onder tussen door tegen dat dit deze die er hij zij ze wij niet geen ook nog al zeer""",
        "pl": """i oraz lub albo ale jest są był była było byli były będzie jak co kto kogo komu czego czym
            gdzie kiedy dlaczego ile ilu jaki jaka jakie jakiego który która które którego w we z ze na do
            od dla przez przy pod nad po o u za się nie to ten ta te tego jego jej ich on ona oni my wy
            czy także też bardzo już""",
        "ro": """și sau dar este sunt era erau fost a au avea cine ce care când unde cum cât câte câți
            de la în din pe cu fără pentru prin între până despre al ai ale lui ei lor se nu mai foarte
            acest această acești aceste""",
        "tr": """ve veya ama fakat bir bu şu o ne kim kimin nerede ne zaman neden niçin nasıl kaç hangi
            mi mı mu mü ile için gibi kadar daha çok en de da ki değil var yok olan olarak sonra önce nedir
            neydi kimdir kimdi neyi kime kimi nereye hangisi""",
        "vi": """và hoặc nhưng là của có không được trong trên với cho từ đến khi nào gì ai đâu tại sao
            bao nhiêu mấy như thế này đó những các một người đã sẽ đang""",
        "ru": """и в во с со на до от для о об про ли не это был была было были есть его её ее их он она
            они мы вы я ты но или после под над между через без что как кто где когда почему сколько
            какой какая какое какие каком который которая которые которого чем кого кому чего также уже
            очень только""",
        "uk": """і й та в у з із зі на до від для про чи не це був була було були є його її їх він вона
            вони ми ви я ти але або після під над між через без що як хто де коли чому скільки який
            яка яке які якого котрий чим кого кому чого також вже дуже тільки лише""",
    }.items()
}

# Letters that tell languages apart: each occurrence is one word's evidence, shared by the languages
# that write it (a name's "ç" says little; three "ö" and an "ü" say German or Turkish).
_LETTERS: dict[str, str] = {
    "uk": "іїєґ", "ru": "ыэъё", "de": "ßäöü", "es": "ñ¿¡áéíóú", "fr": "çéèêàùâîôœ", "pt": "ãõçáéâêó",
    "it": "àèéìòù", "pl": "łąęśźżńó", "ro": "ăâîșțşţ", "tr": "ığşçöü",
    "vi": "ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
}

_TELLING = frozenset("".join(_LETTERS.values()))
_LATIN = frozenset(FUNCTION_WORDS) - {"ru", "uk"}
_WORD = re.compile(r"[^\W\d_]+")

# Scripts that name their language outright (first character range wins).
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("GREEK", "el"), ("ARABIC", "ar"), ("HEBREW", "he"), ("DEVANAGARI", "hi"), ("THAI", "th"),
    ("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("CJK", "zh"), ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"), ("BENGALI", "bn"), ("TAMIL", "ta"), ("CYRILLIC", "cyrillic"), ("LATIN", "latin"),
)


@lru_cache(maxsize=1)
def _evidence() -> dict[str, tuple[tuple[str, float], ...]]:
    """What each function word or telling letter says: the languages that use it, each given an equal
    share of one ("was" is half English, half German)."""
    users: dict[str, list[str]] = {}
    for code, words in FUNCTION_WORDS.items():
        for word in words:
            users.setdefault(word, []).append(code)
    for code, letters in _LETTERS.items():
        for letter in letters:
            users.setdefault(letter, []).append(code)
    return {token: tuple((code, 1.0 / len(codes)) for code in codes) for token, codes in users.items()}


@lru_cache(maxsize=4096)
def _script(character: str) -> str | None:
    name = unicodedata.name(character, "")
    for prefix, script in _SCRIPTS:
        if name.startswith(prefix):
            return script
    return None


def _scripts(text: str) -> Counter[str]:
    """Letters per script (kana outweighs the Han characters Japanese shares with Chinese)."""
    counts: Counter[str] = Counter()
    for character in text:
        if character.isalpha():
            script = _script(character)
            if script is not None:
                counts[script] += 1
    if counts["ja"]:
        counts["ja"] += counts.pop("zh", 0)
    return counts


def _by_words(words: list[str], letters: str, candidates: frozenset[str] | set[str]) -> str | None:
    """The candidate language the words and letters give the most evidence for; None without evidence or
    when English ties another (a tie between two others: the first listed, not English either way)."""
    evidence = _evidence()
    score: dict[str, float] = {}
    for token in [*words, *letters]:
        for code, share in evidence.get(token, ()):
            if code in candidates:
                score[code] = score.get(code, 0.0) + share
    if not score:
        return None
    best = max(score.values())
    tied = [code for code in FUNCTION_WORDS if code in score and score[code] >= best - 1e-9]
    return None if ENGLISH in tied and len(tied) > 1 else tied[0]  # other ties: not English, any of them


def detect_language(text: str, *, sample: int = 20_000) -> str | None:
    """The ISO 639-1 code of ``text``'s language (its first ``sample`` characters), or None when
    undecided (no letters, or a Latin or Cyrillic text with no telling word or letter)."""
    text = text[:sample]
    scripts = _scripts(text)
    if not scripts:
        return None
    script = _main_script(scripts)
    if script not in ("latin", "cyrillic"):
        return script
    # Capitalised words past the first are names ("Doctor Who"), capitals acronyms ("UN"): not function words.
    found = _WORD.findall(text)
    words = [w.lower() for i, w in enumerate(found)
             if (i == 0 or not w[0].isupper()) and not (len(w) > 1 and w.isupper()) and _script(w[0]) == script]
    letters = "".join(c for c in text.lower() if c in _TELLING)
    candidates = {"uk", "ru"} if script == "cyrillic" else _LATIN
    return _by_words(words, letters, candidates) or ("ru" if script == "cyrillic" else None)


def _main_script(scripts: Counter[str]) -> str:
    """The text's script: any other than Latin writing a quarter of its weight (a Han character
    weighs three letters: it is a word), else the most written."""
    weight = {script: count * (3 if script in ("zh", "ja", "ko") else 1) for script, count in scripts.items()}
    total = sum(weight.values())
    other = max((s for s in weight if s != "latin"), key=weight.__getitem__, default=None)
    if other is not None and weight[other] >= total / 4:
        return other
    return max(weight, key=weight.__getitem__)


def routes_across(article_language: str, question_language: str | None) -> bool:
    """True when a question detected as ``question_language`` (None: undecided, read as the article's)
    about an article in ``article_language`` takes the cross-lingual route (:mod:`.crosslingual`):
    every question about an article not in English, and one in another language about an English one."""
    return article_language != ENGLISH or (question_language is not None and question_language != ENGLISH)
