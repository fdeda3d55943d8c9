"""Signing in and out, and accepting an invitation."""

from . import invitation_views  # noqa: F401 - registers its routes on the blueprint
from .views import blueprint

__all__ = ["blueprint"]
