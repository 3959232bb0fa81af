"""Labelled answers written for these tests (not the shared development file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
# Tuned on: the coder's lexicons were developed against these, and they are part of the corpus
# the learned layer is trained on (participatie/themes/data/training.jsonl).
LABELLED = DATA / "labelled.jsonl"
HELDOUT = DATA / "heldout.jsonl"
# Never trained or tuned on: written by two other people than the corpus, without seeing the
# coder, to measure how it does on answers it has never seen. Do not add them to the corpus.
UNSEEN = (DATA / "unseen_a.jsonl", DATA / "unseen_b.jsonl")
# A copy of the project's shared development file (shared/data/themes_dev.jsonl): the rules
# were tuned on it; it is not in the learned layer's training corpus.
SHARED_DEV = DATA / "shared_dev.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
