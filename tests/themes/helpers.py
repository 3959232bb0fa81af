"""Labelled answers written for these tests (not the shared development file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
# Tuned on: the coder's lexicons were developed against these.
LABELLED = DATA / "labelled.jsonl"
# Never tuned on: written after the lexicons, to measure generalisation.
HELDOUT = DATA / "heldout.jsonl"
SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "themes_dev.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
