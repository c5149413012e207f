"""Articles in windows-1252, KOI8-R, GBK and UTF-16 load through Discord, by URL and as uploads, and are quoted
verbatim (the article text is the decoded text)."""

from __future__ import annotations

from bot.door import Place
from bot.storage import Scope

CAFE = ("The café’s owner, Zoë Ménard, said the “last espresso” will be poured on Friday — after thirty-one years "
        "on the square. She sold the building to the city council in March for two million euros. "
        "Regulars say the new library planned there will be quieter, but they will miss the terrace in summer. "
        "The council promised to keep the old zinc counter in the library’s reading room.")
KIEV = ("Жители Киева жалуются на шум стройки у вокзала, а чиновники обещают закончить работы к октябрю. "
        "Мэр города заявил в четверг, что новая линия метро откроется весной следующего года. "
        "По его словам, стоимость строительства составит около двух миллиардов гривен. "
        "Жители соседних домов требуют ограничить работы ночью и установить шумовые экраны.")
BEIJING = ("北京市政府星期四表示，新的地铁线路将于明年年底开通，届时市民出行将更加方便。"
           "这条线路全长三十公里，共设二十个车站，连接机场和火车站。"
           "市长说，工程已经完成了百分之八十，总投资约为两百亿元。"
           "附近居民希望夜间施工能够减少，以免影响休息。")


def html_page(text: str, head: str = "") -> str:
    body = f"<p>{text}</p>"
    return f"<html><head>{head}<title>City news</title></head><body><article>{body}</article></body></html>"


PAGES = {  # name: (bytes, Content-Type, the article's one paragraph)
    "windows-1252 (HTTP charset)": (html_page(CAFE).encode("windows-1252"), "text/html; charset=windows-1252", CAFE),
    "KOI8-R (meta charset)": (html_page(KIEV, '<meta charset="koi8-r">').encode("koi8-r"), "text/html", KIEV),
    "GBK (meta http-equiv)": (
        html_page(BEIJING, '<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode("gbk"),
        "text/html", BEIJING),
    "UTF-16 (BOM)": (html_page(CAFE).encode("utf-16"), "text/html", CAFE),
}
UPLOADS = {  # file name: (bytes, the article's one paragraph); no declaration: BOM or detection
    "cafe.txt": (CAFE.encode("windows-1252"), CAFE),
    "kiev.txt": ((KIEV + "\n").encode("koi8-r"), KIEV),
    "beijing.txt": (BEIJING.encode("gbk"), BEIJING),
    "cafe16.txt": (CAFE.encode("utf-16"), CAFE),
    "kiev.html": (html_page(KIEV, '<meta charset="koi8-r">').encode("koi8-r"), KIEV),
}


async def served_text(discord) -> str:
    """The text of the one article the guild now answers from (as stored, the text its library serves)."""
    guild = int(discord.server.guild_id)
    [info] = await discord.bot.engine.articles(Place(guild))
    [row] = [r for r in await discord.bot.engine.store.articles(Scope(guild)) if str(r.id) == info.ref.id]
    assert row.digest == info.ref.version
    return row.text


LOOSE = {"article_min_words": 5, "article_min_sentences": 1}  # pysbd reads the Chinese paragraph as one sentence


async def test_pages_in_other_encodings_load_by_url(start_discord):
    """/reload url of pages in legacy encodings (old code: "not valid UTF-8" / "binary") loads their exact text."""
    async with start_discord(**LOOSE) as discord:
        for number, (name, (data, content_type, paragraph)) in enumerate(PAGES.items()):
            url = discord.server.add_page(f"/news/city{number}.html", data, content_type)
            _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
            assert "1 added" in followup.json["content"], (name, followup.json["content"])
            assert paragraph in await served_text(discord), name


async def test_uploaded_files_in_other_encodings_load(start_discord):
    """/reload file: text files with no declaration (detected, or marked by a BOM) and an HTML file with its
    <meta charset> load their exact text."""
    async with start_discord(**LOOSE) as discord:
        for name, (data, paragraph) in UPLOADS.items():
            attachment = discord.server.add_attachment(name, data, "text/plain")
            options = [{"name": "file", "type": 11, "value": attachment["id"]}]
            _, followup = await discord.command("reload", options)
            assert "added" in followup.json["content"] and "failed" not in followup.json["content"], name
            assert paragraph in await served_text(discord), name


async def test_a_windows_1252_article_is_quoted_verbatim(start_discord):
    """An answer from a windows-1252 page quotes its sentence exactly: curly quotes, accents and the dash."""
    data, content_type, _ = PAGES["windows-1252 (HTTP charset)"]
    async with start_discord(**LOOSE) as discord:
        url = discord.server.add_page("/news/cafe.html", data, content_type)
        await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        embed = await discord.ask("When will the last espresso be poured?")
        assert "“last espresso” will be poured on Friday — after thirty-one years" in embed["description"]
