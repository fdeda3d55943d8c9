"""Forms on the ticket page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..core.models import TAG_NAME_MAX, Language, ReplyTemplateVariant, Status, User

STATUS_LABELS = {
    Status.NEW: _l("New"),
    Status.OPEN: _l("Open"),
    Status.PENDING: _l("Pending (waiting on requester)"),
    Status.RESOLVED: _l("Resolved"),
    Status.CLOSED: _l("Closed"),
}


class ReplyForm(FlaskForm):
    """One composer: a reply that sets the status, or an internal note from the same text."""

    template = SelectField(_l("Template"), coerce=int, validators=[Optional()])
    body = TextAreaField(_l("Reply"), validators=[Length(max=100_000)])
    files = MultipleFileField(_l("Attach files"))
    # The newest message the liaison had on screen: a newer one makes the reply stale.
    seen_message_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    insert = SubmitField(_l("Insert template"))
    send = SubmitField(_l("Send and set pending"))
    send_resolve = SubmitField(_l("Send and resolve"))
    send_open = SubmitField(_l("Send, keep open"))
    note = SubmitField(_l("Save as internal note"))

    def status_after(self) -> Status | None:
        """The status the pressed send button asks for; None when no send button was pressed."""
        for button, status in (
            (self.send, Status.PENDING),
            (self.send_resolve, Status.RESOLVED),
            (self.send_open, Status.OPEN),
        ):
            if button.data:
                return status
        return None


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    change_status = SubmitField(_l("Change status"))


class LanguageForm(FlaskForm):
    """A person's correction of the detected language; the empty choice is the triage queue."""

    language = SelectField(_l("Language"))
    change_language = SubmitField(_l("Move to this language"))


def language_choices(languages: list[Language]) -> list[SelectChoice]:
    return [SelectChoice("", _l("Triage (language unknown)"))] + [
        SelectChoice(language.code, f"{language.name} ({language.code})") for language in languages
    ]


class SummaryForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary in English, for coordinators"), validators=[Length(max=4_000)]
    )
    save_summary = SubmitField(_l("Save summary"))


class HighlightForm(FlaskForm):
    reason = StringField(_l("Why coordinators should look"), validators=[Length(max=500)])
    highlight = SubmitField(_l("Highlight for coordinators"))
    clear = SubmitField(_l("Remove highlight"))


class RequesterAddressForm(FlaskForm):
    """Coordinators give a requester whose mail had no usable address one (checked by the
    service with email-validator)."""

    address = StringField(_l("Their email address"), validators=[DataRequired(), Length(max=254)])
    set_address = SubmitField(_l("Set address"))


class ClaimForm(FlaskForm):
    claim = SubmitField(_l("Take this ticket"))


def template_choices(variants: list[ReplyTemplateVariant]) -> list[SelectChoice]:
    return [SelectChoice("0", "—")] + [SelectChoice(str(v.id), v.name) for v in variants]


class TagForm(FlaskForm):
    """Add a tag (``name``), or remove the one named in ``remove``."""

    name = StringField(_l("Add a tag"), validators=[Optional(), Length(max=TAG_NAME_MAX)])
    remove = HiddenField()
    add_tag = SubmitField(_l("Add"))


class AssignForm(FlaskForm):
    """Coordinators give a ticket to someone, or back to its language's queue ("")."""

    assignee = SelectField(_l("Give to"))
    reassign = SubmitField(_l("Reassign"))


def assignee_choices(users: list[User], language: str | None) -> list[SelectChoice]:
    """Who can take it: those who speak the ticket's language first, the others marked."""
    speakers = [u for u in users if language in u.language_codes]
    others = [u for u in users if language not in u.language_codes]
    return (
        [SelectChoice("", _l("Nobody (back to the queue)"))]
        + [SelectChoice(str(u.id), u.name) for u in speakers]
        + [SelectChoice(str(u.id), f"{u.name} ({_l('other languages')})") for u in others]
    )


class RequesterExportForm(FlaskForm):
    """The requester card's export button (a POST: an export is an audited action)."""

    export = SubmitField(_l("Export their data (zip)"))


class RequesterEraseForm(FlaskForm):
    """The confirmation page's button: erasure cannot be undone."""

    erase = SubmitField(_l("Erase this requester for good"))
