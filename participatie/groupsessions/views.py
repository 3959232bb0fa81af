"""Public pages of group sessions: the agenda, a session's page with sign-up, the manage link."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("groupsessions", __name__, url_prefix="/bijeenkomsten")
