"""Forms on the queue page: the filter bar (GET) and the coordinators' bulk actions (POST)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..core.models import TAG_NAME_MAX, Language, Status, User
from ..core.services.queues import NO_LANGUAGE, NOBODY, QueueFilters, QueueSort

STATUS_LABELS = {
    Status.NEW: _l("New"),
    Status.OPEN: _l("Open"),
    Status.PENDING: _l("Pending"),
    Status.RESOLVED: _l("Resolved"),
    Status.CLOSED: _l("Closed"),
}
STATUS_CHOICES = [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()]
AGES = {
    "1d": (timedelta(days=1), _l("1 day")),
    "3d": (timedelta(days=3), _l("3 days")),
    "7d": (timedelta(days=7), _l("1 week")),
    "30d": (timedelta(days=30), _l("30 days")),
}
SORT_LABELS = {
    QueueSort.WAITING: _l("Waiting longest"),
    QueueSort.LATEST_MESSAGE: _l("Latest requester message"),
    QueueSort.NEWEST: _l("Newest"),
    QueueSort.OLDEST: _l("Oldest"),
}
_TRIAGE = "triage"  # in URLs; NO_LANGUAGE is the service's value
_UNASSIGNED = "nobody"


class QueueFilterForm(FlaskForm):
    """Read-only and bookmarkable, so sent by GET and without a CSRF token (nothing changes)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status")), *STATUS_CHOICES],
        default="",
    )
    language = SelectField(_l("Language"), default="")
    assignee = SelectField(_l("Assignee"), default="")
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=TAG_NAME_MAX)])
    age = SelectField(
        _l("Opened more than"),
        choices=[SelectChoice("", _l("Any time ago"))]
        + [SelectChoice(key, label) for key, (_, label) in AGES.items()],
        default="",
    )
    needs_first_response = BooleanField(_l("Needs first response"))
    sla = SelectField(
        _l("Service level"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("due_soon", _l("About to breach")),
            SelectChoice("breached", _l("In breach")),
        ],
        default="",
    )
    sort = SelectField(
        _l("Sort"),
        choices=[SelectChoice(s.value, label) for s, label in SORT_LABELS.items()],
        default=QueueSort.WAITING.value,
    )
    apply = SubmitField(_l("Filter"))

    def set_choices(self, languages: list[Language], staff: list[User]) -> None:
        self.language.choices = [
            SelectChoice("", _l("Any language")),
            SelectChoice(_TRIAGE, _l("Triage")),
        ] + [
            SelectChoice(language.code, f"{language.name} ({language.code})")
            for language in languages
        ]
        self.assignee.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice(_UNASSIGNED, _l("Unassigned")),
        ] + [SelectChoice(str(user.id), user.name) for user in staff]

    def _valid(self, name: str) -> Any:
        """A field's value, or None when it failed validation: a bad filter is ignored."""
        field = self[name]
        return None if field.errors else field.data

    def filters(self) -> QueueFilters:
        status, language = self._valid("status"), self._valid("language")
        assignee, age = self._valid("assignee"), self._valid("age")
        tag = self._valid("tag")
        return QueueFilters(
            status=Status(status) if status else None,
            language=(NO_LANGUAGE if language == _TRIAGE else str(language)) if language else None,
            assignee_id=(NOBODY if assignee == _UNASSIGNED else int(assignee))
            if assignee
            else None,
            tag=(tag.strip() or None) if tag else None,
            older_than=AGES[age][0] if age else None,
            needs_first_response=bool(self._valid("needs_first_response")),
            sla_state=self._valid("sla") or None,
        )

    def sort_order(self) -> QueueSort:
        sort = self._valid("sort")
        return QueueSort(sort) if sort else QueueSort.WAITING

    def query_args(self) -> dict[str, str]:
        """The valid, non-default filters as URL parameters: kept by pagination links."""
        args: dict[str, str] = {}
        for name in ("status", "language", "assignee", "tag", "age", "sla", "sort"):
            value = self._valid(name)
            if value and value != self[name].default:
                args[name] = str(value)
        if self._valid("needs_first_response"):
            args["needs_first_response"] = "y"
        return args


class BulkAction:
    ASSIGN = "assign"
    STATUS = "status"
    TAG = "tag"
    MERGE = "merge"


class BulkForm(FlaskForm):
    """Coordinators' changes to the tickets ticked on the queue page."""

    # Ids of their own: the filter bar on the same page has fields of the same names.
    ticket_ids = SelectMultipleField(
        _l("Tickets"), coerce=int, validate_choice=False, validators=[DataRequired()]
    )
    assignee = SelectField(_l("Assign to"), validators=[Optional()], id="bulk-assignee")
    status = SelectField(
        _l("Status"), choices=STATUS_CHOICES, validators=[Optional()], id="bulk-status"
    )
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=TAG_NAME_MAX)], id="bulk-tag")
    return_to = HiddenField(validators=[Optional(), Length(max=2000)])
    assign = SubmitField(_l("Assign"))
    change_status = SubmitField(_l("Set status"))
    add_tag = SubmitField(_l("Add tag"))
    merge = SubmitField(_l("Merge two tickets"))

    def set_choices(self, staff: list[User]) -> None:
        self.assignee.choices = [SelectChoice(_UNASSIGNED, _l("Nobody (back to the queue)"))] + [
            SelectChoice(str(user.id), user.name) for user in staff
        ]

    def action(self) -> str | None:
        for action, button in (
            (BulkAction.ASSIGN, self.assign),
            (BulkAction.STATUS, self.change_status),
            (BulkAction.TAG, self.add_tag),
            (BulkAction.MERGE, self.merge),
        ):
            if button.data:
                return action
        return None

    def assignee_id(self) -> int | None:
        """The chosen user's id, or None for "nobody"."""
        value = self.assignee.data
        return None if not value or value == _UNASSIGNED else int(value)
