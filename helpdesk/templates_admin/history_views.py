"""A language's text over time, and "still correct" for a translation the source outgrew."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.errors import TemplateError
from ..core.models import Language
from ..core.services.template_history import variant_history
from ..core.services.template_translations import confirm_translation, variant_state
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import SaveAllForm
from .views import blueprint, editor_required, template_or_404


@blueprint.route("/<int:template_id>/history/<code>")
@editor_required
def history(template_id: int, code: str) -> str:
    """Who saved which text when, newest first, each with its changes to the one before."""
    template = template_or_404(template_id)
    language = db.session.get(Language, code)
    if language is None:
        abort(404)
    return render_template(
        "templates_admin/history.html",
        template=template,
        language=language,
        state=variant_state(template, code),
        entries=variant_history(db.session, template, code),
    )


@blueprint.route("/<int:template_id>/confirm", methods=["POST"])
@editor_required
def confirm(template_id: int) -> Response:
    """The edit page's "still correct" button (its value is the language): the translation
    says what the new source says, so it is current again without a change."""
    template = template_or_404(template_id)
    if not SaveAllForm().validate_on_submit():
        abort(400)
    code = request.form.get("confirm", "")
    try:
        with unit_of_work(db.session):
            confirm_translation(db.session, current_user, template, code)
    except TemplateError as error:
        flash(describe(error), "error")
    else:
        language = db.session.get(Language, code)
        flash(
            _(
                "The text in %(language)s is marked current.",
                language=language.name if language else code,
            ),
            "success",
        )
    return redirect(
        url_for("templates_admin.edit", template_id=template.id, _anchor=f"text-{code}")
    )
