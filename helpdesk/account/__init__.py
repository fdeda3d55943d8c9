"""The signed-in person's own settings: being away, signatures, and account security."""

from . import security as _security  # noqa: F401  (its routes join the blueprint)
from .views import blueprint

__all__ = ["blueprint"]
