"""Creating and seeding organisations and municipalities."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..audit.operations import record
from ..db import db
from .models import Municipality, Organisation

if TYPE_CHECKING:
    from ..auth.models import User

logger = logging.getLogger(__name__)

CHAIN_ORGANISATIONS = [
    (
        "veilig-thuis",
        "Veilig Thuis",
        "Advies en meldingen over huiselijk geweld en kindermishandeling.",
        "Advice and reports about domestic violence and child abuse.",
    ),
    (
        "save",
        "SAVE Jeugdbescherming (Samen Veilig Midden-Nederland)",
        "De gecertificeerde instelling die kinderbeschermingsmaatregelen uitvoert.",
        "The certified institution that carries out child protection measures.",
    ),
    (
        "swa",
        "Sociale Wijkteams Amersfoort",
        "Het wijkteam: het vaste gezicht voor een gezin.",
        "The neighbourhood team: the fixed face for a family.",
    ),
    (
        "bsa-jeugdhulp",
        "BSA Jeugdhulp",
        "Gecontracteerde aanbieders van specialistische jeugdhulp.",
        "Contracted providers of specialised youth care.",
    ),
    (
        "raad-kinderbescherming",
        "Raad voor de Kinderbescherming",
        "Onderzoekt of een kind bescherming nodig heeft en adviseert de rechter.",
        "Investigates whether a child needs protection and advises the court.",
    ),
    (
        "gemeente",
        "Gemeente Amersfoort",
        "De gemeente: verantwoordelijk voor jeugdhulp en jeugdbescherming.",
        "The municipality: responsible for youth care and child protection.",
    ),
]

# Jeugdzorgregio Amersfoort, with CBS codes.
REGION_MUNICIPALITIES = [
    ("Amersfoort", "GM0307"),
    ("Baarn", "GM0308"),
    ("Bunschoten", "GM0313"),
    ("Eemnes", "GM0317"),
    ("Leusden", "GM0327"),
    ("Soest", "GM0342"),
    ("Woudenberg", "GM0351"),
]


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "organisatie"


class DuplicateNameError(ValueError):
    """An organisation or municipality with this name already exists."""


def create_organisation(
    actor: User | None, name: str, description_nl: str = "", description_en: str = ""
) -> Organisation:
    """Add a chain organisation. Raises DuplicateNameError when the name or slug is taken."""
    name = name.strip()
    slug = slugify(name)
    exists = db.session.scalar(
        select(Organisation.id).where((Organisation.name == name) | (Organisation.slug == slug))
    )
    if exists:
        raise DuplicateNameError(name)
    organisation = Organisation(
        slug=slug, name=name, description_nl=description_nl, description_en=description_en
    )
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.create", "organisation", organisation.id)
    logger.info("organisation created id=%s", organisation.id)
    return organisation


def create_municipality(actor: User | None, name: str, cbs_code: str | None = None) -> Municipality:
    """Add a municipality. Raises DuplicateNameError when the name or CBS code is taken."""
    name = name.strip()
    condition = Municipality.name == name
    if cbs_code:
        condition = condition | (Municipality.cbs_code == cbs_code)
    if db.session.scalar(select(Municipality.id).where(condition)):
        raise DuplicateNameError(name)
    municipality = Municipality(name=name, cbs_code=cbs_code or None)
    db.session.add(municipality)
    db.session.flush()
    record(actor, "municipality.create", "municipality", municipality.id)
    logger.info("municipality created id=%s", municipality.id)
    return municipality


def ensure_reference_data() -> None:
    """Insert the chain organisations and region municipalities that are missing (idempotent)."""
    known_slugs = set(db.session.scalars(select(Organisation.slug)))
    for slug, name, description_nl, description_en in CHAIN_ORGANISATIONS:
        if slug not in known_slugs:
            db.session.add(
                Organisation(
                    slug=slug,
                    name=name,
                    description_nl=description_nl,
                    description_en=description_en,
                )
            )
    known_names = set(db.session.scalars(select(Municipality.name)))
    for name, code in REGION_MUNICIPALITIES:
        if name not in known_names:
            db.session.add(Municipality(name=name, cbs_code=code))
    db.session.flush()
