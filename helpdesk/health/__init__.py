"""Liveness, readiness and Prometheus metrics for operators and their monitoring."""

from .views import blueprint

__all__ = ["blueprint"]
