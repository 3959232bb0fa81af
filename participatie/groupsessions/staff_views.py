"""Organising group sessions (cliëntambassadeurs): create, publish, invite, attendance, notes."""

from __future__ import annotations

from flask import Blueprint

organise_bp = Blueprint("organise", __name__, url_prefix="/organiseren")
