"""The tickets blueprint, shared by the page's view modules."""

from flask import Blueprint

blueprint = Blueprint("tickets", __name__)
