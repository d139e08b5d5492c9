"""The directory blueprint; its views live in app/directory/routes/ by subject."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")
