"""The template editor: reply templates and the automatic acknowledgement, in every language."""

from . import edit_views  # noqa: F401 - registers its routes on the blueprint
from .views import blueprint

__all__ = ["blueprint"]
