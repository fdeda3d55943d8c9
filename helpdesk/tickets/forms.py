"""Forms on the ticket page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.models import Language, ReplyTemplateVariant, Status

STATUS_LABELS = {
    Status.NEW: _l("New"),
    Status.OPEN: _l("Open"),
    Status.PENDING: _l("Pending (waiting on requester)"),
    Status.RESOLVED: _l("Resolved"),
    Status.CLOSED: _l("Closed"),
}
AFTER_REPLY = [
    SelectChoice(status.value, STATUS_LABELS[status])
    for status in (Status.PENDING, Status.OPEN, Status.RESOLVED)
]


class ReplyForm(FlaskForm):
    template = SelectField(_l("Template"), coerce=int, validators=[Optional()])
    body = TextAreaField(_l("Reply"), validators=[Length(max=100_000)])
    status_after = SelectField(_l("Then set the ticket to"), choices=AFTER_REPLY, default="pending")
    insert = SubmitField(_l("Insert template"))
    send = SubmitField(_l("Send reply"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=100_000)])
    add_note = SubmitField(_l("Add note"))


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


class ClaimForm(FlaskForm):
    claim = SubmitField(_l("Take this ticket"))


def template_choices(variants: list[ReplyTemplateVariant]) -> list[SelectChoice]:
    return [SelectChoice("0", "—")] + [SelectChoice(str(v.id), v.name) for v in variants]
