"""The contract between the helpdesk and search: what one message contributes to the index."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Bump when analysis changes: every stored digest then differs and check-index repairs them all.
ANALYSIS_VERSION = "1"

# Indexed columns, in storage order, with their weight relative to the body. Quoted text is a
# copy of older mail, so it counts for little; "people" holds senders and the requester (what
# ``from:`` searches), "ticket" the ticket's summary and tags (carried by its first message).
FIELDS = ("subject", "body", "people", "quoted", "ticket")
WEIGHTS = {"subject": 3.0, "body": 1.0, "people": 1.0, "quoted": 0.3, "ticket": 1.0}


@dataclass(frozen=True)
class Document:
    """One message as search sees it. ``language`` is the ticket's (None while in triage);
    ``quoted_language`` lets English quoted text be analysed as English."""

    message_id: int
    language: str | None
    subject: str = ""
    body: str = ""
    people: str = ""
    quoted: str = ""
    ticket: str = ""
    quoted_language: str | None = None

    def field_text(self, name: str) -> str:
        return str(getattr(self, name))

    def field_language(self, name: str) -> str | None:
        if name == "people":  # names and addresses are never stemmed
            return None
        if name == "quoted" and self.quoted_language:
            return self.quoted_language
        return self.language

    @property
    def digest(self) -> str:
        """A fingerprint of what was indexed: check-index compares it with the stored one."""
        parts = [ANALYSIS_VERSION, self.language or "", self.quoted_language or ""]
        parts += [self.field_text(name) for name in FIELDS]
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
