"""DATA read in chunks: the same message and the same refusals as line by line, in a fraction
of the time and memory when the lines are many and short."""

import asyncio
import time

import pytest

from mail_ingest.smtp_data import TOO_LONG, TOO_MUCH, read_data


def _read(pieces, size_limit=1_000_000, line_limit=1001):
    """Feed ``pieces`` (as separate network reads) and read one DATA; also what is left."""

    async def run():
        reader = asyncio.StreamReader(limit=line_limit)

        async def feed():
            for piece in pieces:
                reader.feed_data(piece)
                await asyncio.sleep(0)

        feeder = asyncio.ensure_future(feed())
        result = await read_data(reader, size_limit, line_limit)
        await feeder
        reader.feed_eof()
        return result, await reader.read()

    return asyncio.run(run())


@pytest.mark.parametrize("split", [None, 1, 3, 7])
def test_dot_stuffing_is_undone_and_the_end_found_across_reads(split):
    wire = b"Subject: dots\r\n\r\n..leading dot\r\nmiddle . dot\r\n...\r\n.\r\n"
    pieces = [wire] if split is None else [wire[i : i + split] for i in range(0, len(wire), split)]
    (content, refusal), left = _read(pieces)
    assert content == b"Subject: dots\r\n\r\n.leading dot\r\nmiddle . dot\r\n..\r\n"
    assert (refusal, left) == (None, b"")


def test_an_empty_message_and_a_one_line_message():
    assert _read([b".\r\n"])[0] == (b"", None)
    assert _read([b"x\r\n", b".\r\n"])[0] == (b"x\r\n", None)


def test_bytes_after_the_end_stay_for_the_next_command():
    (content, _), left = _read([b"body\r\n.\r\nQUIT\r\n"])
    assert (content, left) == (b"body\r\n", b"QUIT\r\n")


def test_refusals_come_after_the_whole_message_is_read():
    (content, refusal), left = _read([b"x" * 500 + b"\r\n"] * 40 + [b".\r\nNOOP\r\n"], 10_000)
    assert (content, refusal, left) == (None, TOO_MUCH, b"NOOP\r\n")
    (content, refusal), _ = _read([b"y" * 1000 + b"\r\n.\r\n"])
    assert (content, refusal) == (None, TOO_LONG)
    assert _read([b"y" * 999 + b"\r\n.\r\n"])[0] == (b"y" * 999 + b"\r\n", None)


def test_thirty_megabytes_of_short_lines_take_a_moment_not_a_minute():
    wire = b"=\r\n" * (10 << 20)
    started = time.monotonic()
    (content, refusal), _ = _read(
        [wire[i : i + 65536] for i in range(0, len(wire), 65536)] + [b".\r\n"], 40 << 20
    )
    assert (len(content), refusal) == (len(wire), None)
    assert time.monotonic() - started < 5
