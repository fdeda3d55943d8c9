"""The coordinators' dashboard and the engagement report."""

from . import report_views  # noqa: F401 - registers its routes on the blueprint
from .views import blueprint

__all__ = ["blueprint"]
