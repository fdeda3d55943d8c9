"""The template list: every template's state in every language; create and delete."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import ReplyTemplate
from ..core.services.languages import active_languages
from ..core.services.permissions import can_edit_templates
from ..core.services.reply_templates import TemplateError, create_template, delete_template
from ..core.services.template_translations import VariantState, translation_matrix
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import DeleteForm, ImportForm, NewTemplateForm

blueprint = Blueprint("templates_admin", __name__, url_prefix="/admin/templates")


@blueprint.app_context_processor
def template_permissions() -> dict[str, Any]:
    """Lets the nav offer the editor to those who may use it."""
    return {"can_edit_templates": can_edit_templates}


def editor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Coordinators and admins only: templates speak for the whole helpdesk."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_edit_templates(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def template_or_404(template_id: int) -> ReplyTemplate:
    template = db.session.get(ReplyTemplate, template_id)
    if template is None:
        abort(404)
    return template


def render_list(form: NewTemplateForm | None = None, import_form: ImportForm | None = None) -> str:
    """The matrix; ``?language=fr`` shows one language's column, ``?state=outdated`` (or
    missing) only the templates with a text in that state."""
    languages = active_languages(db.session)
    codes = [language.code for language in languages]
    chosen = request.args.get("language", "")
    shown = [language for language in languages if language.code == chosen] or languages
    state = request.args.get("state", "")
    only = VariantState(state) if state in ("outdated", "missing") else None
    rows = translation_matrix(db.session, shown, only)
    return render_template(
        "templates_admin/list.html",
        languages=languages,
        shown_languages=shown,
        chosen_language=chosen if chosen in codes else "",
        chosen_state=state if only else "",
        reply_templates=[row for row in rows if not row.is_system],
        system_templates=[row for row in rows if row.is_system],
        form=form or NewTemplateForm(),
        import_form=import_form or ImportForm(),
    )


@blueprint.route("")
@editor_required
def index() -> str:
    """Every template, and in which active languages it has no text yet."""
    return render_list()


@blueprint.route("", methods=["POST"])
@editor_required
def create() -> str | Response:
    form = NewTemplateForm()
    if not form.validate_on_submit():
        return render_list(form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            template = create_template(
                db.session, current_user, form.name.data or "", form.key.data or None
            )
    except TemplateError as error:
        form.key.errors = [*form.key.errors, describe(error)]
        return render_list(form), 400  # type: ignore[return-value]
    flash(_("Template %(name)s created; now write its texts.", name=template.name), "success")
    return redirect(url_for("templates_admin.edit", template_id=template.id))


@blueprint.route("/<int:template_id>/delete")
@editor_required
def confirm_delete(template_id: int) -> str:
    """Asks before deleting: a template's texts in every language go with it."""
    template = template_or_404(template_id)
    return render_template("templates_admin/delete.html", template=template, form=DeleteForm())


@blueprint.route("/<int:template_id>/delete", methods=["POST"])
@editor_required
def delete(template_id: int) -> Response:
    template = template_or_404(template_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    name = template.name
    try:
        with unit_of_work(db.session):
            delete_template(db.session, current_user, template)
    except TemplateError as error:
        flash(describe(error), "error")
        return redirect(url_for("templates_admin.edit", template_id=template_id))
    flash(_("Template %(name)s deleted.", name=name), "success")
    return redirect(url_for("templates_admin.index"))
