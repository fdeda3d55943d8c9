"""Texts to and from translators: download a PO file (or a zip of them), upload one back."""

from __future__ import annotations

import io
import zipfile

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.errors import TemplateImportError
from ..core.models import Language
from ..core.services.languages import active_languages
from ..core.services.template_exchange import (
    MAX_PO_BYTES,
    ImportPlan,
    export_po,
    import_po,
    read_po,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import ImportForm
from .views import blueprint, editor_required, render_list

EXPORT_CHOICES = {
    "todo": (True, True),
    "missing": (True, False),
    "outdated": (False, True),
    "every": (False, False),
}


@blueprint.route("/export")
@editor_required
def export() -> Response:
    """One language's texts as a PO file, or every language's as a zip of PO files."""
    missing, outdated = EXPORT_CHOICES.get(request.args.get("what", "todo"), (True, True))
    code = request.args.get("language", "")
    if code == "all":
        return _download(_all_languages(missing, outdated), "templates.zip", "application/zip")
    chosen = db.session.get(Language, code)
    if chosen is None:
        abort(404)
    language: Language = chosen
    po = export_po(db.session, language, missing, outdated)
    return _download(
        str(po).encode(), f"templates-{language.code}.po", "text/x-gettext-translation"
    )


def _all_languages(missing: bool, outdated: bool) -> bytes:
    """A zip with a PO file for each active language that has something to translate."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for language in active_languages(db.session):
            po = export_po(db.session, language, missing, outdated)
            if len(po):
                archive.writestr(f"templates-{language.code}.po", str(po))
    return buffer.getvalue()


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.route("/import", methods=["POST"])
@editor_required
def import_translations() -> str | Response:
    """Check the whole file, then import all of it or nothing; a refused file comes back to
    the form with every reason."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_list(import_form=form), 400  # type: ignore[return-value]
    try:
        po = read_po(form.file.data.read(MAX_PO_BYTES + 1))
        with unit_of_work(db.session):
            plan = import_po(db.session, current_user, po, dry_run=bool(form.dry_run.data))
    except TemplateImportError as error:
        form.file.errors = [*form.file.errors, describe(error)]
        return render_list(import_form=form), 400  # type: ignore[return-value]
    flash(_summary(plan, bool(form.dry_run.data)), "success")
    return redirect(url_for("templates_admin.index", language=plan.language_code))


def _summary(plan: ImportPlan, dry_run: bool) -> str:
    count, code = len(plan.changes), plan.language_code
    if dry_run:
        done = ngettext(
            "Check only, nothing saved: %(num)d text in %(language)s would be imported.",
            "Check only, nothing saved: %(num)d texts in %(language)s would be imported.",
            count,
            language=code,
        )
    else:
        done = ngettext(
            "Imported %(num)d text in %(language)s.",
            "Imported %(num)d texts in %(language)s.",
            count,
            language=code,
        )
    details = _(
        "%(changed)d with new wording; skipped %(fuzzy)d fuzzy and %(empty)d empty entries.",
        changed=sum(change.text_changes for change in plan.changes),
        fuzzy=plan.skipped_fuzzy,
        empty=plan.skipped_empty,
    )
    return f"{done} {details}"
