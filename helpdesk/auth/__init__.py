"""Signing in and out, the second step, and password reset by email."""

from . import reset as _reset  # noqa: F401  (its routes join the blueprint)
from .views import blueprint

__all__ = ["blueprint"]
