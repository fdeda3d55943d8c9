"""Signing in and out."""

from .views import blueprint

__all__ = ["blueprint"]
