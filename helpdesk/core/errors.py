"""Why a service refused: typed errors with parameters and no user text.

A person reads the refusal in one of ten languages, so the domain only says *what* went wrong
(the type) and *with what* (the fields); ``helpdesk/errors.py`` writes the sentence in the
reader's language. ``str()`` of an error is for logs: the type and its fields, in English.
Categories (``TicketError``…) let a caller catch one area's refusals; only their subclasses
are raised.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Message


@dataclass(eq=False)  # identity equality and hashing, as exceptions need
class DomainError(Exception):
    """A refusal a person can act on."""

    def __str__(self) -> str:
        params = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return f"{type(self).__name__}({params})"

    @property
    def params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- tickets: assignment, status, merging, tags -------------------------------------------------


class TicketError(DomainError):
    """The change to the ticket is not allowed."""


@dataclass(eq=False)
class AssigneeInactive(TicketError):
    name: str


class AlreadyAssigned(TicketError):
    """Claiming a ticket that already has a liaison."""


@dataclass(eq=False)
class QueueNotWorked(TicketError):
    """Claiming a ticket in a language the liaison does not work."""

    language: str


class StatusRequired(TicketError):
    """A status change without a status."""


class MergeError(DomainError):
    """These tickets cannot be merged."""


class MergeIntoItself(MergeError):
    pass


class AlreadyMerged(MergeError):
    pass


@dataclass(eq=False)
class MergeNeedsTwoTickets(MergeError):
    count: int


class TagError(DomainError):
    """The tag name cannot be used."""


class TagNameEmpty(TagError):
    pass


@dataclass(eq=False)
class TagNameTooLong(TagError):
    max_chars: int


class RoutingError(DomainError):
    """The ticket cannot be moved as asked."""


@dataclass(eq=False)
class LanguageNotOffered(RoutingError):
    """Moving a ticket to a language the helpdesk has no (active) queue for."""

    code: str


# --- who may do what ----------------------------------------------------------------------------


class NotPermitted(DomainError):
    """The acting user may not do this (the web answers 403)."""


@dataclass(eq=False)
class AddressSettingNotPermitted(NotPermitted):
    """Only coordinators and admins give a requester an address."""

    email: str


@dataclass(eq=False)
class OversightRequired(NotPermitted):
    """Bulk changes and merges are for coordinators and admins."""

    email: str


@dataclass(eq=False)
class TemplateEditingNotPermitted(NotPermitted):
    email: str


class PrivacyNotPermitted(NotPermitted):
    """Exports are for coordinators and admins, erasure for admins only."""


# --- accounts and signatures --------------------------------------------------------------------


class UserError(DomainError):
    """The account cannot be created or changed as asked."""


@dataclass(eq=False)
class InvalidEmail(UserError):
    email: str


@dataclass(eq=False)
class PasswordTooShort(UserError):
    min_length: int


@dataclass(eq=False)
class EmailTaken(UserError):
    email: str


@dataclass(eq=False)
class UnknownLanguages(UserError):
    codes: tuple[str, ...]


class ReturnDateInPast(UserError):
    pass


@dataclass(eq=False)
class PasswordTooWeak(UserError):
    """zxcvbn's verdict: its score (0-4) and its English feedback, translated for display."""

    score: int
    min_score: int
    warning: str
    suggestions: tuple[str, ...]


class WrongPassword(UserError):
    """The current password given to confirm a change is not the account's."""


class ResetLinkInvalid(UserError):
    """A password reset link that is unknown, used, expired or for a deactivated account."""


class SecondFactorCodeWrong(UserError):
    """An authenticator or recovery code that does not match (or was used already)."""


class SecondFactorNotEnrolling(UserError):
    """Confirming a second factor that was never started (or is already on)."""


class SignInRefused(DomainError):
    """Why a sign-in did not happen; returned, not raised, so the failure's record commits."""


class WrongCredentials(SignInRefused):
    pass


@dataclass(eq=False)
class SignInLocked(SignInRefused):
    """Too many failures for that email, or from that address: the same words for both, and
    whether or not an account exists."""

    minutes: int


@dataclass(eq=False)
class InterfaceLanguageUnknown(UserError):
    code: str


@dataclass(eq=False)
class TimeZoneUnknown(UserError):
    name: str


class SignatureError(DomainError):
    """The signature cannot be saved as written."""


@dataclass(eq=False)
class SignatureLanguageNotWorked(SignatureError):
    code: str


@dataclass(eq=False)
class SignatureTooLong(SignatureError):
    max_chars: int


# --- languages and mailboxes --------------------------------------------------------------------


class LanguageError(DomainError):
    """The language cannot be added or changed as asked."""


@dataclass(eq=False)
class LanguageNotDetectable(LanguageError):
    code: str


@dataclass(eq=False)
class LanguageAlreadyActive(LanguageError):
    code: str


@dataclass(eq=False)
class SlaPolicyError(DomainError):
    """A queue's SLA policy cannot be saved as given: ``field`` names the setting (the web
    layer words it and puts it beside that field), ``value`` what was given."""

    field: str
    value: str
    max_hours: int = 0


class MailboxError(DomainError):
    """A configured inbound address cannot be used."""


@dataclass(eq=False)
class MailboxAddressInvalid(MailboxError):
    address: str


@dataclass(eq=False)
class MailboxLanguageUnknown(MailboxError):
    code: str


# --- replies, notes, attachments, coordination --------------------------------------------------


@dataclass(eq=False)
class RequesterNotFound(DomainError):
    """No requester has this address (export, erasure)."""

    address: str


@dataclass(eq=False)
class RetentionMonthsInvalid(MailboxError):
    """A retention period is a whole number of months from 1 to ``max_months``."""

    value: str
    max_months: int


class RequesterAddressError(DomainError):
    """A requester's address cannot be set to this."""


@dataclass(eq=False)
class RequesterAddressInvalid(RequesterAddressError):
    """Not an address a mail server would take."""

    address: str


@dataclass(eq=False)
class RequesterAddressIsOurs(RequesterAddressError):
    """One of our own mailboxes: replies would come back to us."""

    address: str


@dataclass(eq=False)
class RequesterAddressAlreadySet(RequesterAddressError):
    """The requester has an address; this is not the way to change it."""

    address: str


class ReplyError(DomainError):
    """The reply or note cannot be sent as written."""


@dataclass(eq=False)
class StaleReplyError(ReplyError):
    """Messages arrived (or colleagues answered) after the view the reply was written from."""

    newer: list[Message]


@dataclass(eq=False)
class NoReplyAddressError(ReplyError):
    """The requester has no address (their mail came without a usable one): nothing can be
    sent until a coordinator sets it; notes still work."""

    ticket_id: int


class DuplicateReply(ReplyError):
    """The same text by the same person on the same ticket moments ago: a double click."""


class ReplyEmpty(ReplyError):
    pass


@dataclass(eq=False)
class ReplyTooLong(ReplyError):
    max_chars: int


@dataclass(eq=False)
class UndeliverableAddress(ReplyError):
    """An address no mail server would take (ours or the requester's)."""

    address: str


class MailNotComposable(ReplyError):
    """The email package refused the mail for a reason our own checks did not foresee."""


class AttachmentError(ReplyError):
    """The files cannot be sent as given."""


@dataclass(eq=False)
class TooManyAttachments(AttachmentError):
    max_files: int


@dataclass(eq=False)
class AttachmentsTooLarge(AttachmentError):
    max_megabytes: int


class CoordinationError(DomainError):
    """The summary or highlight cannot be saved as given."""


@dataclass(eq=False)
class SummaryTooLong(CoordinationError):
    max_chars: int


class HighlightReasonMissing(CoordinationError):
    pass


@dataclass(eq=False)
class HighlightReasonTooLong(CoordinationError):
    max_chars: int


# --- reply templates ----------------------------------------------------------------------------


class TemplateError(DomainError):
    """The template cannot be changed as asked."""


class TemplateKeyMissing(TemplateError):
    """The name gives no key (e.g. it is in a script with no Latin transliteration)."""


@dataclass(eq=False)
class TemplateKeyInvalid(TemplateError):
    max_chars: int


@dataclass(eq=False)
class TemplateKeyTaken(TemplateError):
    key: str


class SystemTemplateUndeletable(TemplateError):
    pass


@dataclass(eq=False)
class TemplateLanguageUnknown(TemplateError):
    code: str


@dataclass(eq=False)
class TemplateTextTooLong(TemplateError):
    max_chars: int


class TemplateNameMissing(TemplateError):
    pass


@dataclass(eq=False)
class TemplateNameTooLong(TemplateError):
    max_chars: int


@dataclass(eq=False)
class UnknownPlaceholderError(TemplateError):
    """A body uses placeholders its template does not fill; ``allowed`` are those it does."""

    names: tuple[str, ...]
    allowed: tuple[str, ...] = ()


@dataclass(eq=False)
class TemplateTextsError(TemplateError):
    """Some of the texts saved together were refused (and none was saved)."""

    by_language: dict[str, TemplateError]


@dataclass(eq=False)
class TemplateCategoryTooLong(TemplateError):
    max_chars: int


@dataclass(eq=False)
class TemplateVariantNotTranslation(TemplateError):
    """Only a translation can be confirmed: the language has no text, or is the source."""

    code: str


# --- exchanging template texts with translators (PO files) ------------------------------------


class TemplateImportError(TemplateError):
    """A returned translation file is refused as a whole."""


class TemplateImportUnreadable(TemplateImportError):
    """Not a PO file we can read (or larger than allowed)."""


@dataclass(eq=False)
class TemplateImportLanguageUnknown(TemplateImportError):
    """The file's Language header is missing or names no language of the helpdesk."""

    code: str


@dataclass(eq=False)
class TemplateImportUnknownEntry(TemplateImportError):
    """An entry's context names no template (or no part of one)."""

    context: str


@dataclass(eq=False)
class TemplateImportIsSource(TemplateImportError):
    key: str
    code: str


@dataclass(eq=False)
class TemplateImportSourceChanged(TemplateImportError):
    """The source text changed since the file was exported: export again."""

    key: str


@dataclass(eq=False)
class TemplatePlaceholderMismatch(TemplateImportError):
    """The translation lacks a placeholder of the source text, or adds one it does not have."""

    key: str
    placeholder: str
    missing: bool  # True: in the source, not in the translation; False: the other way round


@dataclass(eq=False)
class TemplateImportTextRefused(TemplateImportError):
    """The translation breaks an editor rule (length, name)."""

    key: str
    reason: TemplateError


@dataclass(eq=False)
class TemplateImportRejected(TemplateImportError):
    """Every refusal found in the file; nothing of it was imported."""

    errors: tuple[TemplateImportError, ...]


# --- quarantined mail ---------------------------------------------------------------------------


class RawMailError(DomainError):
    """The stored mail cannot be handled as asked."""


@dataclass(eq=False)
class NotQuarantined(RawMailError):
    """Only quarantined mail can be retried or deleted."""

    raw_mail_id: int


# --- administration: staff, invitations, mailboxes, settings ------------------------------------


class LastAdminError(UserError):
    """The change would leave no active admin: nobody could administer the helpdesk."""


class CannotDeactivateSelf(UserError):
    """An admin deactivating their own account would lock themselves out mid-session."""


class InvitationError(DomainError):
    """The invitation link cannot be used."""


class InvitationInvalid(InvitationError):
    """No invitation has this link (mistyped, or replaced by a newer one)."""


class InvitationExpired(InvitationError):
    pass


class InvitationUsed(InvitationError):
    pass


class SettingsError(DomainError):
    """A setting typed in the browser cannot be stored."""


class SecretsKeyMissing(SettingsError):
    """No usable HELPDESK_SECRETS_KEY: a password typed in the browser cannot be stored safely."""


@dataclass(eq=False)
class SettingPinned(SettingsError):
    """The environment sets this setting; the browser cannot override it."""

    variable: str


@dataclass(eq=False)
class SettingInvalid(SettingsError):
    name: str
    value: str


@dataclass(eq=False)
class ImapAccountInvalid(SettingsError):
    field: str
    value: str
