"""Administration: users, mailboxes, outgoing mail, languages, the quarantine, retention, the
audit log."""

from . import (
    audit_views,  # noqa: F401 - registers its routes on the blueprint
    language_views,  # noqa: F401 - registers its routes on the blueprint
    mail_settings_views,  # noqa: F401 - registers its routes on the blueprint
    mailbox_views,  # noqa: F401 - registers its routes on the blueprint
    retention_views,  # noqa: F401 - registers its routes on the blueprint
    staff_views,  # noqa: F401 - registers its routes on the blueprint
)
from .views import blueprint

__all__ = ["blueprint"]
