"""Article bytes to text in whatever encoding they were written: BOM, declared charset, or detected.

The order follows what browsers do, with one guard against mislabelled servers:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides;
2. a declared charset: the HTTP ``Content-Type`` one, else (HTML) ``<meta charset>`` or
   ``<meta http-equiv="content-type">`` in the page's first bytes. A page declared as a Western single-byte
   charset (ISO-8859-1, windows-1252, ASCII) whose bytes are valid UTF-8 is read as UTF-8 (a server's default
   label on a UTF-8 page, common; the reverse is practically impossible). A declaration the bytes do not fit
   is ignored;
3. no usable declaration: UTF-8 when the bytes are valid UTF-8, else the charset-normalizer detector (with
   windows-1252 preferred when it fits as well as the best guess: the web's commonest legacy charset).

NUL bytes outside a UTF-16/32 text, or control characters in more than 1% of the text, mean binary data.
The text returned is exactly the decoded text (line ends normalised to ``\\n``): quotes are slices of it.
"""

from __future__ import annotations

import codecs
import re

from ..errors import ArticleEncodingError, BinaryArticleError

__all__ = ["charset_of", "declared_charset", "decode_text"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels browsers read as windows-1252 (WHATWG Encoding): Python's latin-1 would turn 0x80-0x9F into C1 controls.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                                  "windows-1252", "cp1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"})
_PRESCAN_BYTES = 4096  # where a <meta> declaration must be (browsers look at the first 1024 bytes)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PARAMETER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CONTROL_SHARE = 100  # more than one control character in this many: binary
_PREFER_1252_CHAOS = 0.1  # windows-1252 wins over the detector's best guess when no more chaotic than this


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type value (None when there is none)."""
    if not content_type:
        return None
    for parameter in content_type.split(";")[1:]:
        found = _PARAMETER_CHARSET.fullmatch(parameter.strip().rstrip("\"'"))
        if found:
            return found.group(1)
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start (None when it declares none)."""
    found = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return found.group(1).decode("ascii") if found else None


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label (None: no label, or one Python does not know)."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if cleaned in _WINDOWS_1252_LABELS:
        return "cp1252"
    if cleaned in {"x-user-defined", "replacement"}:
        return None
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(data: bytes) -> str | None:
    """The detector's reading of undeclared, non-UTF-8 bytes (None: no encoding fits)."""
    from charset_normalizer import from_bytes  # imported on first use: most articles are UTF-8

    matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]  # those have BOMs
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    for match in matches:
        if (match.encoding == "cp1252" and match.chaos <= best.chaos + _PREFER_1252_CHAOS
                and match.coherence >= best.coherence):
            return str(match)
    return str(best)


def _binary() -> BinaryArticleError:
    return BinaryArticleError(key="article_binary")


def _decode(data: bytes, charset: str | None, html: bool) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            decoded = _strict(data, codec)
            if decoded is None:
                raise ArticleEncodingError(key="article_bad_bom", bom=codec.upper(),
                                           codec=codec.removesuffix("-sig").upper())
            return decoded
    codec = _codec(charset) or (_codec(declared_charset(data)) if html else None)
    wide = codec is not None and codec.startswith(("utf-16", "utf-32"))
    if b"\x00" in data and not wide:  # a memchr; PostgreSQL text cannot hold NUL either
        raise _binary()
    if codec is not None and codec != "utf-8":
        utf8 = _strict(data, "utf-8") if codec == "cp1252" else None
        decoded = utf8 if utf8 is not None else _strict(data, codec)
        if decoded is not None:
            return decoded
    decoded = _strict(data, "utf-8")
    if decoded is not None:
        return decoded
    detected = _detected(data)
    if detected is None:
        raise ArticleEncodingError(key="article_not_text")
    return detected


def decode_text(data: bytes, *, charset: str | None = None, html: bool = False) -> str:
    """The text of article bytes (see the module's docstring for how the encoding is chosen); raises
    BinaryArticleError for binary data, ArticleEncodingError for text in no recognisable encoding."""
    text = _decode(data, charset, html)
    if "\x00" in text:
        raise _binary()
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(sample) // _CONTROL_SHARE):
        raise _binary()
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
