"""The signed-in person's own settings: being away."""

from .views import blueprint

__all__ = ["blueprint"]
