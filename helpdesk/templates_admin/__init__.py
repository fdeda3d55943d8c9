"""The template editor: reply templates and the automatic acknowledgement, in every language."""

from . import edit_views, exchange_views, history_views  # noqa: F401 - register their routes
from .views import blueprint

__all__ = ["blueprint"]
