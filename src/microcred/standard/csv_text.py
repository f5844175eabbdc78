"""Turning an uploaded CSV (text, bytes or a stream) into lines, UTF-8 only, with errors
that name the byte offset and line a person should look at.

Why its own module: the decoding rules (a BOM is dropped; UTF-16 is recognised and named;
streams are decoded chunk by chunk so a large file never sits in memory) are independent of
what the columns mean.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import IO, TextIO

__all__ = ["CsvFormatError", "csv_lines"]

_READ_CHUNK = 1 << 16


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header, size): no row is trustworthy."""


def _not_utf8(offset: int, line: int, data: bytes) -> CsvFormatError:
    shown = data[:1].hex() if data else "?"
    hint = "save the file as 'CSV UTF-8'"
    if offset == 0 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        hint = "the file looks UTF-16; " + hint
    return CsvFormatError(
        f"the file is not UTF-8: byte 0x{shown} at byte offset {offset} (line {line}) "
        f"cannot be decoded; {hint}"
    )


def _decode_bytes(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise _not_utf8(err.start, line, data[err.start :]) from None
    return text.removeprefix("\ufeff")


def _split_lines(pending: str, text: str) -> tuple[list[str], str]:
    """Cut decoded text into lines ending with '\\n' (the csv module wants '\\r\\n' kept)."""
    pending += text
    lines = pending.split("\n")
    rest = lines.pop()
    return [line + "\n" for line in lines], rest


def _decode_stream(stream: IO[bytes]) -> Iterator[str]:
    """Decode a byte stream chunk by chunk, keeping the absolute offset for error messages."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fed = 0  # bytes handed to the decoder so far
    newlines = 0
    pending = ""
    first = True
    while True:
        chunk = stream.read(_READ_CHUNK)
        final = not chunk
        buffered = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as err:
            data = bytes(err.object)
            line = newlines + data.count(b"\n", 0, err.start) + 1
            raise _not_utf8(fed - len(buffered) + err.start, line, data[err.start :]) from None
        fed += len(chunk)
        if first and text:
            text = text.removeprefix("\ufeff")
            first = False
        lines, pending = _split_lines(pending, text)
        newlines += len(lines)
        yield from lines
        if final:
            break
    if pending:
        yield pending


def _decode_text_stream(stream: IO[str]) -> Iterator[str]:
    """Lines of an already-decoding text stream; a decoding failure becomes a clear error."""
    first = True
    try:
        for line in stream:
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            yield line
    except UnicodeDecodeError as err:
        raise CsvFormatError(
            f"the file is not UTF-8: byte 0x{bytes(err.object)[err.start : err.start + 1].hex()} "
            "cannot be decoded; save the file as 'CSV UTF-8' (open it in binary mode to get "
            "the exact byte offset)"
        ) from None


def csv_lines(source: str | bytes | TextIO | IO[bytes]) -> Iterator[str]:
    if isinstance(source, str):
        return iter(io.StringIO(source.removeprefix("\ufeff"), newline=""))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return iter(io.StringIO(_decode_bytes(bytes(source)), newline=""))
    if isinstance(source.read(0), bytes):
        return _decode_stream(source)  # type: ignore[arg-type]
    return _decode_text_stream(source)  # type: ignore[arg-type]
