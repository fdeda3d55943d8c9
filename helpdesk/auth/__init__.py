"""Signing in and out, the second step, password reset by email, accepting an invitation."""

from . import invitation_views  # noqa: F401 - registers its routes on the blueprint
from . import reset as _reset  # noqa: F401  (its routes join the blueprint)
from .views import blueprint

__all__ = ["blueprint"]
