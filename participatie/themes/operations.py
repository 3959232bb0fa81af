"""Changes to the codebook."""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..audit.operations import record
from ..auth.models import User
from ..db import db
from .codebook import DEFAULT_THEMES
from .models import INDICATOR_GROUPS, LEARNED, Theme

logger = logging.getLogger(__name__)


def ensure_codebook() -> list[Theme]:
    """Add the default themes that are missing, by slug (idempotent).

    Existing themes are left exactly as they are — staff may have edited, retired or merged
    them — so running this again never undoes their work. Returns the themes it added.
    """
    known = set(db.session.scalars(select(Theme.slug)))
    added = []
    for spec in DEFAULT_THEMES:
        if spec.slug in known:
            continue
        theme = Theme(
            slug=spec.slug,
            label_nl=spec.label_nl,
            label_en=spec.label_en,
            description_nl=spec.description_nl,
            description_en=spec.description_en,
            indicators=spec.indicators,
        )
        db.session.add(theme)
        added.append(theme)
    if added:
        db.session.flush()
        logger.info("codebook themes added count=%s", len(added))
    return added


# --- staff changes to the codebook ------------------------------------------------------------
# Every change is written to the audit log with the fields that changed (never answer text), and
# themes are never deleted: answers keep the slug they were coded with.


class ThemeError(Exception):
    """`reason`: "slug_taken", "slug_invalid", "merge_target" (not active, or itself),
    "inactive" (already retired or merged), "active" (already active)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
DEFAULT_WEIGHT = 0.6  # a term typed without a weight decides the theme on its own


@dataclass(frozen=True)
class ThemeTexts:
    label_nl: str
    label_en: str
    description_nl: str
    description_en: str


def split_terms(entries: dict[str, float]) -> dict[str, dict[str, float]]:
    """pattern → weight into the stored groups: single lemmas and phrases."""
    return {
        "lemmas": {key: weight for key, weight in entries.items() if " " not in key.strip()},
        "phrases": {key: weight for key, weight in entries.items() if " " in key.strip()},
    }


def seeded_terms(theme: Theme, language: str) -> dict[str, float]:
    """The terms staff typed (or the codebook seeded) for one language, without learned ones."""
    groups = (theme.indicators or {}).get(language) or {}
    terms: dict[str, float] = {}
    for group in INDICATOR_GROUPS:
        terms.update(groups.get(group) or {})
    return terms


def _with_terms(theme: Theme | None, terms: dict[str, dict[str, float]]) -> dict[str, Any]:
    """New indicators: the given terms per language, keeping what was learned."""
    old = copy.deepcopy(theme.indicators or {}) if theme else {}
    result: dict[str, Any] = {}
    for language in sorted(set(old) | set(terms)):
        groups = (
            split_terms(terms[language])
            if language in terms
            else {
                group: dict((old.get(language) or {}).get(group) or {})
                for group in INDICATOR_GROUPS
            }
        )
        learned = (old.get(language) or {}).get(LEARNED)
        if learned:
            groups[LEARNED] = dict(learned)
        result[language] = groups
    return result


def create_theme(
    actor: User | None,
    slug: str,
    texts: ThemeTexts,
    terms: dict[str, dict[str, float]],
    *,
    source: str = "staff",
) -> Theme:
    """Add an active theme. Raises ThemeError("slug_invalid") or ThemeError("slug_taken")."""
    if not SLUG_PATTERN.match(slug):
        raise ThemeError("slug_invalid")
    if db.session.scalar(select(Theme.id).where(Theme.slug == slug)):
        raise ThemeError("slug_taken")
    theme = Theme(
        slug=slug,
        label_nl=texts.label_nl,
        label_en=texts.label_en or texts.label_nl,
        description_nl=texts.description_nl,
        description_en=texts.description_en,
        indicators=_with_terms(None, terms),
        is_active=True,
    )
    db.session.add(theme)
    db.session.flush()
    record(actor, "theme.created", "theme", theme.id, slug=slug, source=source)
    logger.info("theme created id=%s slug=%s", theme.id, slug)
    return theme


def update_theme(
    actor: User | None, theme: Theme, texts: ThemeTexts, terms: dict[str, dict[str, float]]
) -> list[str]:
    """Change labels, descriptions and indicator terms; learned weights stay. Returns the names
    of the fields that changed (empty: nothing to record)."""
    changed = [
        name
        for name in ("label_nl", "label_en", "description_nl", "description_en")
        if getattr(theme, name) != getattr(texts, name)
    ]
    for name in changed:
        setattr(theme, name, getattr(texts, name))
    for language, entries in terms.items():
        if seeded_terms(theme, language) != entries:
            changed.append(f"indicators_{language}")
    if any(name.startswith("indicators_") for name in changed):
        theme.indicators = _with_terms(theme, terms)
    if changed:
        db.session.flush()
        record(actor, "theme.updated", "theme", theme.id, slug=theme.slug, fields=changed)
        logger.info("theme updated id=%s fields=%s", theme.id, ",".join(changed))
    return changed


def retire_theme(actor: User | None, theme: Theme) -> None:
    """Stop coding with a theme. Raises ThemeError("inactive") when it is retired already."""
    if not theme.is_active:
        raise ThemeError("inactive")
    theme.is_active = False
    db.session.flush()
    record(actor, "theme.retired", "theme", theme.id, slug=theme.slug)
    logger.info("theme retired id=%s", theme.id)


def reactivate_theme(actor: User | None, theme: Theme) -> None:
    """Code with a retired theme again; a merge is undone too. Raises ThemeError("active")."""
    if theme.is_active:
        raise ThemeError("active")
    merged_into = theme.merged_into_id
    theme.merged_into_id = None
    theme.is_active = True
    db.session.flush()
    record(
        actor, "theme.reactivated", "theme", theme.id, slug=theme.slug, was_merged_into=merged_into
    )
    logger.info("theme reactivated id=%s", theme.id)


def merge_theme(actor: User | None, theme: Theme, target: Theme) -> None:
    """Merge `theme` into `target`: it stops being coded, and answers coded with it count under
    the target from now on (mapped when read; the answers keep their slug).

    Raises ThemeError("inactive") when `theme` is already merged or retired and
    ThemeError("merge_target") when the target is the theme itself or not active."""
    if not theme.is_active:
        raise ThemeError("inactive")
    if target.id == theme.id or not target.is_active:
        raise ThemeError("merge_target")
    theme.is_active = False
    theme.merged_into_id = target.id
    db.session.flush()
    record(
        actor,
        "theme.merged",
        "theme",
        theme.id,
        slug=theme.slug,
        into=target.slug,
        into_id=target.id,
    )
    logger.info("theme merged id=%s into=%s", theme.id, target.id)


def theme_from_phrase(actor: User | None, phrase: str, lemmas: str, language: str) -> Theme:
    """One step from an emerging phrase to a theme: slug from the phrase, the phrase as label in
    both languages (until someone edits it), the lemmas as its indicator.

    Raises ThemeError("slug_invalid") for a phrase without letters, ThemeError("slug_taken")
    when a theme with that slug exists."""
    from .queries import slug_for

    slug = slug_for(lemmas)
    label = phrase.strip()[:1].upper() + phrase.strip()[1:]
    theme = create_theme(
        actor,
        slug if slug[:1].isalpha() else f"t_{slug}",
        ThemeTexts(label, label, "", ""),
        {language: {lemmas: 1.0}},
        source="emerging_phrase",
    )
    return theme
