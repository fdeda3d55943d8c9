"""Property: whatever bytes arrive, the ingester never raises and never loses them."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.core.models import RawMail
from mail_ingest.parsing import MailParseError, dedup_key, parse_message
from mail_ingest.senders import is_plausible_address

from ..factories import make_mail, sample_mail

SEEDS = [make_mail(), sample_mail("ja"), sample_mail("ar"), sample_mail("ru")]


@st.composite
def mutated_mail(draw):
    """A real message with bytes flipped, cut, duplicated or spliced in."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        position = rng.randrange(len(data))
        action = rng.choice(["flip", "cut", "dup", "insert", "truncate"])
        if action == "flip":
            data[position] = rng.randrange(256)
        elif action == "cut":
            del data[position : position + rng.randrange(1, 40)]
        elif action == "dup":
            data[position:position] = data[position : position + rng.randrange(1, 80)]
        elif action == "insert":
            data[position:position] = rng.choice(
                [
                    b"\r\n",
                    b"\n\n",
                    b"=?utf-8?b?",
                    b"--",
                    b'Content-Type: multipart/mixed; boundary="x"\r\n',
                    b"\x00",
                    b"\xff\xfe",
                    b"=\r\n",
                    b"?=",
                ]
            )
        elif len(data) > 10:
            del data[position:]
        if not data:
            data = bytearray(b"x")
    return bytes(data)


@given(mutated_mail())
@settings(max_examples=300, deadline=None)
def test_parser_either_parses_or_says_why(data):
    try:
        parsed = parse_message(data)
    except MailParseError as error:
        assert str(error)
    else:
        assert isinstance(parsed.text, str)
        assert parsed.from_email == "" or is_plausible_address(parsed.from_email)


@given(st.lists(mutated_mail(), min_size=1, max_size=5))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_pipeline_never_raises_and_keeps_every_message(session, deliver, ingest_context, batch):
    for data in batch:
        result = deliver(data)
        raw = session.get(RawMail, result.raw_mail_id)
        assert raw is not None and raw.dedup_key == dedup_key(data)
        if result.outcome != "duplicate":
            assert ingest_context.raw_store.get(raw.sha256) == data
            assert raw.state in ("processed", "failed")
