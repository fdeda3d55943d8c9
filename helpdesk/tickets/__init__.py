"""The ticket page and what a liaison does there."""

from . import (
    attachment_views,
    coordination_views,
    privacy_views,
    requester_views,
    tag_views,
    views,
)
from .blueprint import blueprint

__all__ = [
    "attachment_views",
    "blueprint",
    "coordination_views",
    "privacy_views",
    "requester_views",
    "tag_views",
    "views",
]
