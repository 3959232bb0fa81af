from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from participatie.db import db
from participatie.themes.codebook import DEFAULT_SLUGS
from participatie.themes.models import Theme
from participatie.themes.operations import ensure_codebook
from participatie.themes.queries import active_codebook


def test_ensure_codebook_adds_the_default_themes_once(app: Flask, ctx: None) -> None:
    added = ensure_codebook()
    assert [theme.slug for theme in added] == list(DEFAULT_SLUGS)
    assert ensure_codebook() == []
    assert db.session.scalar(select(func.count(Theme.id))) == 10
    theme = db.session.scalar(select(Theme).where(Theme.slug == "continuity"))
    assert theme.label("en") == "Reachability and continuity"
    assert theme.label("nl") == "Bereikbaarheid en continuïteit"
    assert "vast contactpersoon" in theme.indicators["nl"]["phrases"]


def test_ensure_codebook_keeps_staff_edits_and_retired_themes(app: Flask, ctx: None) -> None:
    ensure_codebook()
    roles = db.session.scalar(select(Theme).where(Theme.slug == "roles"))
    roles.label_nl = "Wie doet wat"
    roles.is_active = False
    db.session.flush()
    assert ensure_codebook() == []
    assert roles.label_nl == "Wie doet wat"
    assert "roles" not in [spec.slug for spec in active_codebook()]


def test_active_codebook_falls_back_to_defaults_only_for_an_empty_table(
    app: Flask, ctx: None
) -> None:
    assert [spec.slug for spec in active_codebook()] == list(DEFAULT_SLUGS)
    ensure_codebook()
    for theme in db.session.scalars(select(Theme)):
        theme.is_active = False
    db.session.flush()
    assert active_codebook() == []


def test_a_merged_theme_points_at_another_and_is_inactive(app: Flask, ctx: None) -> None:
    ensure_codebook()
    roles, cooperation = (
        db.session.scalar(select(Theme).where(Theme.slug == slug))
        for slug in ("roles", "cooperation")
    )
    roles.merged_into = cooperation
    roles.is_active = False
    db.session.flush()
    assert roles.merged_into_id == cooperation.id


@pytest.mark.parametrize("active", [True, False])
def test_a_theme_cannot_be_merged_into_itself_or_stay_active_when_merged(
    app: Flask, ctx: None, active: bool
) -> None:
    ensure_codebook()
    roles = db.session.scalar(select(Theme).where(Theme.slug == "roles"))
    other = db.session.scalar(select(Theme).where(Theme.slug == "reporting"))
    roles.merged_into_id = other.id if active else roles.id
    roles.is_active = active
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_slugs_are_unique(app: Flask, ctx: None) -> None:
    ensure_codebook()
    db.session.add(Theme(slug="roles", label_nl="x", label_en="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
