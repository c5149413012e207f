"""Article bytes in other encodings than UTF-8: declared (HTTP, <meta>), marked (BOM) or detected; binary refused."""

from __future__ import annotations

import os

import pytest

from embeddings.errors import ArticleEncodingError, BinaryArticleError
from embeddings.text.article import decode_bytes, parse_bytes
from embeddings.text.encodings import charset_of, declared_charset

FRENCH = ("Le café de la gare a fermé ses portes après trente ans, a annoncé jeudi la mairie de Lyon. "
          "Les habitués regrettent déjà l’ambiance « unique » du comptoir, où l’on servait le meilleur crème. "
          "Le propriétaire, âgé de soixante-dix ans, part à la retraite — sans repreneur.")
RUSSIAN = ("Жители Киева жалуются на шум стройки, а чиновники обещают, что ситуация улучшится на следующей неделе. "
           "Мэр города заявил в четверг, что работы будут закончены до конца октября. "
           "По его словам, новая линия метро откроется весной следующего года.")
CHINESE = ("北京市政府星期四表示，新的地铁线路将于明年年底开通，届时市民出行将更加方便。"
           "这条线路全长三十公里，共设二十个车站。市长说，工程已经完成了百分之八十。")
UKRAINIAN = ("Мешканці Львова скаржаться на шум, а чиновники обіцяють, що ситуація покращиться наступного тижня. "
             "Мер міста заявив у четвер, що роботи завершать до кінця жовтня. Нова лінія трамваю відкриється навесні.")


def html_page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>News</title></head><body><article><p>{body}</p></article></body></html>"


@pytest.mark.parametrize(("text", "codec"), [(FRENCH, "windows-1252"), (RUSSIAN, "koi8-r"), (CHINESE, "gbk"),
                                             (UKRAINIAN, "koi8-u"), (RUSSIAN, "windows-1251")])
def test_an_http_charset_is_honoured(text, codec):
    """The charset of the HTTP Content-Type decodes the bytes (old code: "not valid UTF-8")."""
    assert decode_bytes(text.encode(codec), charset=charset_of(f"text/plain; charset={codec}")) == text


@pytest.mark.parametrize(("text", "codec"), [(FRENCH, "windows-1252"), (RUSSIAN, "koi8-r"), (CHINESE, "gbk")])
def test_a_meta_charset_is_honoured(text, codec):
    """<meta charset> in an HTML page decodes it; the paragraphs are the page's text, verbatim."""
    data = html_page(text, f'<meta charset="{codec}">').encode(codec)
    article = parse_bytes(data, source="page.html", kind="html")
    assert article.paragraphs[0].text == text


def test_a_meta_http_equiv_content_type_is_honoured():
    """<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"> is a declaration too."""
    head = '<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">'
    article = parse_bytes(html_page(RUSSIAN, head).encode("koi8-r"), source="page.html", kind="html")
    assert article.paragraphs[0].text == RUSSIAN


def test_the_http_charset_wins_over_meta():
    """When HTTP and <meta> disagree, the HTTP header decides (as in browsers)."""
    data = html_page(RUSSIAN, '<meta charset="iso-8859-5">').encode("koi8-r")
    assert RUSSIAN in decode_bytes(data, charset="koi8-r", html=True)


def test_a_utf8_page_labelled_latin1_is_read_as_utf8():
    """A server's default label (ISO-8859-1) on a UTF-8 page does not turn it into mojibake."""
    assert decode_bytes(FRENCH.encode("utf-8"), charset="iso-8859-1") == FRENCH


def test_a_wrong_declaration_falls_back_to_what_fits():
    """A page declared as UTF-8 that is not (KOI8-R bytes) is still read, by detection."""
    assert decode_bytes((RUSSIAN * 3).encode("koi8-r"), charset="utf-8") == RUSSIAN * 3


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_load(codec):
    """UTF-16 / UTF-32 text with a byte-order mark (old code: "binary")."""
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    assert decode_bytes(bom + FRENCH.encode(codec)) == FRENCH


def test_declared_utf16_without_a_bom_loads():
    """UTF-16LE without a BOM loads when HTTP declares it (its NUL bytes are not binary then)."""
    assert decode_bytes(RUSSIAN.encode("utf-16-le"), charset="utf-16le") == RUSSIAN


@pytest.mark.parametrize(("text", "codec"), [(FRENCH, "windows-1252"), (RUSSIAN, "koi8-r"), (CHINESE, "gbk"),
                                             (RUSSIAN, "windows-1251")])
def test_undeclared_text_is_detected(text, codec):
    """A text file with no declaration and not UTF-8 is read by the detector (old code: "not valid UTF-8")."""
    assert decode_bytes((text + "\n\n" + text).encode(codec)) == text + "\n\n" + text


def test_binary_is_still_refused():
    """A PNG header, an executable and random bytes stay refused, with a clear error."""
    with pytest.raises(BinaryArticleError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryArticleError):
        decode_bytes(open("/bin/sh", "rb").read(65536))  # noqa: SIM115 - a few bytes of a real executable
    random = bytes(b for b in os.urandom(20000) if b)[:8000]
    with pytest.raises((BinaryArticleError, ArticleEncodingError)):
        decode_bytes(random)


def test_a_nul_in_declared_single_byte_text_is_binary():
    """A declaration does not let NUL bytes through unless it is UTF-16 or UTF-32."""
    with pytest.raises(BinaryArticleError):
        decode_bytes(b"plain text\x00 more", charset="windows-1252")


def test_a_bom_that_lies_is_refused():
    """A UTF-8 BOM before bytes that are not UTF-8 is a clear encoding error."""
    with pytest.raises(ArticleEncodingError, match="byte-order mark"):
        decode_bytes(b"\xef\xbb\xbf" + "café".encode("latin-1"))


def test_charset_parameters_and_meta_declarations_are_read():
    """The charset is found in Content-Type values and <meta> tags however they are spelled."""
    assert charset_of('text/html; charset="KOI8-R"') == "KOI8-R"
    assert charset_of("text/html;Charset=gbk") == "gbk"
    assert charset_of("text/html") is None and charset_of(None) is None
    assert declared_charset(b"<html><head><META CHARSET=windows-1252>") == "windows-1252"
    assert declared_charset(b"<meta http-equiv=content-type content='text/html; charset=gb2312'>") == "gb2312"
    assert declared_charset(b"<html><body>charset=koi8-r in prose</body>") is None
