"""The one place that turns a service's typed refusal into a sentence in the reader's language.

Every ``DomainError`` raised by ``helpdesk.core`` has an entry here (a test makes sure), so no
refusal reaches a page untranslated or in the domain's English. The CLI uses the same texts
(in the default locale).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from .core import errors as e
from .password_feedback import describe_weak_password


def _braced(names: tuple[str, ...]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


def _texts(error: e.TemplateTextsError) -> str:
    return "; ".join(f"{code}: {describe(refusal)}" for code, refusal in error.by_language.items())


def _placeholder_mismatch(error: e.TemplatePlaceholderMismatch) -> str:
    if error.missing:
        return _(
            "Template %(key)s: the translation lacks the placeholder %(name)s.",
            key=error.key,
            name=_braced((error.placeholder,)),
        )
    return _(
        "Template %(key)s: the translation adds the placeholder %(name)s, which the source"
        " does not use.",
        key=error.key,
        name=_braced((error.placeholder,)),
    )


def _sla_policy(error: e.SlaPolicyError) -> str:
    texts = {
        "first_response_hours": lambda: _(
            "Enter a number of hours between 1 and %(max)d.", max=error.max_hours
        ),
        "resolution_hours": lambda: _(
            "Enter a number of hours between 1 and %(max)d.", max=error.max_hours
        ),
        "timezone": lambda: _(
            "Unknown time zone %(value)s (for example Europe/Paris).", value=error.value
        ),
        "opens_at": lambda: _("%(value)s is not a time of day.", value=error.value),
        "closes_at": lambda: _("The working day must close after it opens."),
        "working_days": lambda: _("Choose at least one working day."),
        "holidays": lambda: _(
            "Write each holiday as a date, for example 2026-12-25 (not %(value)s).",
            value=error.value,
        ),
    }
    if error.field not in texts:
        return _("This setting is not valid: %(value)s", value=error.value)
    return texts[error.field]()


# One entry per concrete refusal; the lambdas run at display time, in the reader's locale.
MESSAGES: dict[type[e.DomainError], Callable[[Any], str]] = {
    e.AssigneeInactive: lambda x: _("%(name)s is not an active user.", name=x.name),
    e.AlreadyAssigned: lambda x: _("This ticket already has a liaison."),
    e.QueueNotWorked: lambda x: _("You do not work the %(language)s queue.", language=x.language),
    e.StatusRequired: lambda x: _("Choose a status."),
    e.MergeIntoItself: lambda x: _("A ticket cannot be merged into itself."),
    e.AlreadyMerged: lambda x: _("One of these tickets was already merged into another."),
    e.MergeNeedsTwoTickets: lambda x: _("Tick exactly two tickets to merge them."),
    e.TagNameEmpty: lambda x: _("A tag needs a name."),
    e.TagNameTooLong: lambda x: _("A tag name has at most %(max)d characters.", max=x.max_chars),
    e.LanguageNotOffered: lambda x: _(
        "%(code)s is not one of the helpdesk's languages.", code=x.code
    ),
    e.OversightRequired: lambda x: _("Only coordinators and admins may change tickets in bulk."),
    e.AddressSettingNotPermitted: lambda x: _(
        "Only coordinators and admins may set a requester's address."
    ),
    e.PrivacyNotPermitted: lambda x: _(
        "Only admins may erase a requester, and only coordinators and admins may export one."
    ),
    e.RequesterNotFound: lambda x: _(
        "No requester has the address %(address)s.", address=x.address
    ),
    e.RetentionMonthsInvalid: lambda x: _(
        "%(value)s is not a retention period: enter a number of months from 1 to %(max)d.",
        value=x.value,
        max=x.max_months,
    ),
    e.RequesterAddressInvalid: lambda x: _(
        "%(address)s is not a valid email address.", address=x.address
    ),
    e.RequesterAddressIsOurs: lambda x: _(
        "%(address)s is one of the helpdesk's own addresses.", address=x.address
    ),
    e.RequesterAddressAlreadySet: lambda x: _(
        "This requester already has an address; %(address)s was not set.", address=x.address
    ),
    e.NoReplyAddressError: lambda x: _(
        "The requester has no address to reply to; save your text as an internal note."
    ),
    e.TemplateEditingNotPermitted: lambda x: _(
        "Only coordinators and admins may edit reply templates."
    ),
    e.InvalidEmail: lambda x: _("%(email)s is not an email address.", email=x.email),
    e.PasswordTooShort: lambda x: _(
        "The password needs at least %(min)d characters.", min=x.min_length
    ),
    e.EmailTaken: lambda x: _("A user with the email %(email)s already exists.", email=x.email),
    e.UnknownLanguages: lambda x: _("Unknown language(s): %(codes)s", codes=", ".join(x.codes)),
    e.ReturnDateInPast: lambda x: _("The return date must be in the future."),
    e.PasswordTooWeak: describe_weak_password,
    e.WrongPassword: lambda x: _("Your current password is not right."),
    e.ResetLinkInvalid: lambda x: _(
        "This link has expired or was already used. Ask for a new one."
    ),
    e.SecondFactorCodeWrong: lambda x: _("That code is not right (or was used already)."),
    e.SecondFactorNotEnrolling: lambda x: _("Start setting up the authenticator app again."),
    e.WrongCredentials: lambda x: _("Wrong email or password."),
    e.SignInLocked: lambda x: _(
        "Too many failed sign-ins. Try again in %(minutes)d minutes.", minutes=x.minutes
    ),
    e.InterfaceLanguageUnknown: lambda x: _(
        "The interface is not available in %(code)s.", code=x.code
    ),
    e.TimeZoneUnknown: lambda x: _(
        "Unknown time zone %(value)s (for example Europe/Paris).", value=x.name
    ),
    e.SignatureLanguageNotWorked: lambda x: _("You do not answer in %(code)s.", code=x.code),
    e.SignatureTooLong: lambda x: _("A signature is at most %(max)d characters.", max=x.max_chars),
    e.LanguageNotDetectable: lambda x: _(
        "Language detection does not know the language code %(code)s.", code=x.code
    ),
    e.LanguageAlreadyActive: lambda x: _(
        "%(code)s is already one of the helpdesk's languages.", code=x.code
    ),
    e.SlaPolicyError: lambda x: _sla_policy(x),
    e.MailboxAddressInvalid: lambda x: _(
        "A mailbox address needs an @: %(address)s", address=x.address
    ),
    e.MailboxLanguageUnknown: lambda x: _(
        "%(code)s is not one of the helpdesk's languages.", code=x.code
    ),
    e.StaleReplyError: lambda x: ngettext(
        "%(num)d new message since you opened the ticket.",
        "%(num)d new messages since you opened the ticket.",
        len(x.newer),
    ),
    e.DuplicateReply: lambda x: _("This reply was just sent (submitted twice?)."),
    e.ReplyEmpty: lambda x: _("The message is empty."),
    e.ReplyTooLong: lambda x: _("The message is longer than %(max)d characters.", max=x.max_chars),
    e.UndeliverableAddress: lambda x: _(
        "%(address)s is not an address mail can be sent to.", address=x.address
    ),
    e.MailNotComposable: lambda x: _("This mail cannot be composed; check the addresses."),
    e.TooManyAttachments: lambda x: _("At most %(max)d files can be attached.", max=x.max_files),
    e.AttachmentsTooLarge: lambda x: _(
        "The attachments are larger than %(max)d MB together.", max=x.max_megabytes
    ),
    e.SummaryTooLong: lambda x: _(
        "The summary is longer than %(max)d characters.", max=x.max_chars
    ),
    e.HighlightReasonMissing: lambda x: _("Say why coordinators should look at this ticket."),
    e.HighlightReasonTooLong: lambda x: _(
        "The reason is longer than %(max)d characters.", max=x.max_chars
    ),
    e.TemplateKeyMissing: lambda x: _("The name gives no key: type one (letters a-z, digits, _)."),
    e.TemplateKeyInvalid: lambda x: _(
        "A key is up to %(max)d letters a-z, digits and _, starting with a letter or digit.",
        max=x.max_chars,
    ),
    e.TemplateKeyTaken: lambda x: _("The key %(key)s is already taken.", key=x.key),
    e.SystemTemplateUndeletable: lambda x: _(
        "A system template cannot be deleted; edit its texts instead."
    ),
    e.TemplateLanguageUnknown: lambda x: _("There is no language %(code)s.", code=x.code),
    e.TemplateTextTooLong: lambda x: _(
        "A template text is at most %(max)d characters.", max=x.max_chars
    ),
    e.TemplateNameMissing: lambda x: _("A name is required."),
    e.TemplateNameTooLong: lambda x: _("A name is at most %(max)d characters.", max=x.max_chars),
    e.UnknownPlaceholderError: lambda x: _(
        "Unknown placeholder %(names)s. This template can use: %(allowed)s",
        names=_braced(x.names),
        allowed=_braced(x.allowed),
    ),
    e.TemplateTextsError: _texts,
    e.TemplateCategoryTooLong: lambda x: _(
        "A category is at most %(max)d characters.", max=x.max_chars
    ),
    e.TemplateVariantNotTranslation: lambda x: _(
        "The text in %(code)s is not a translation that can be confirmed.", code=x.code
    ),
    e.TemplateImportUnreadable: lambda x: _("This is not a PO file that can be read."),
    e.TemplateImportLanguageUnknown: lambda x: _(
        "The file's language %(code)s is not a language of this helpdesk.", code=x.code or "—"
    ),
    e.TemplateImportUnknownEntry: lambda x: _(
        "The entry %(context)s names no template.", context=x.context or "—"
    ),
    e.TemplateImportIsSource: lambda x: _(
        "%(code)s is the source language of template %(key)s: edit it in the editor.",
        code=x.code,
        key=x.key,
    ),
    e.TemplateImportSourceChanged: lambda x: _(
        "The source text of template %(key)s changed since the file was exported: export it again.",
        key=x.key,
    ),
    e.TemplatePlaceholderMismatch: _placeholder_mismatch,
    e.TemplateImportTextRefused: lambda x: _(
        "Template %(key)s: %(reason)s", key=x.key, reason=describe(x.reason)
    ),
    e.TemplateImportRejected: lambda x: " ".join(describe(error) for error in x.errors),
    e.NotQuarantined: lambda x: _("Only quarantined mail can be retried or deleted."),
    e.LastAdminError: lambda x: _(
        "This is the last active admin: make someone else an admin first."
    ),
    e.CannotDeactivateSelf: lambda x: _("You cannot deactivate your own account."),
    e.InvitationInvalid: lambda x: _("This invitation link is not valid."),
    e.InvitationExpired: lambda x: _(
        "This invitation has expired: ask an admin to send a new one."
    ),
    e.InvitationUsed: lambda x: _("This invitation has already been used: sign in instead."),
    e.SecretsKeyMissing: lambda x: _(
        "Passwords cannot be stored: HELPDESK_SECRETS_KEY is not a valid key."
    ),
    e.SettingPinned: lambda x: _(
        "This setting is set by the environment variable %(variable)s.", variable=x.variable
    ),
    e.SettingInvalid: lambda x: _("%(value)s is not a valid value here.", value=x.value),
    e.ImapAccountInvalid: lambda x: _("%(value)s is not a valid value here.", value=x.value),
}


def describe(error: e.DomainError) -> str:
    """The refusal as a sentence in the current locale. A refusal missing from ``MESSAGES``
    (the test suite forbids it) still reads as a refusal, not as the domain's English."""
    for kind in type(error).__mro__:
        if kind in MESSAGES:
            return MESSAGES[kind](error)
    return _("This cannot be done.")
