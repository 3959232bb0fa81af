"""The pipeline runs without NLTK data and without the network (nothing is downloaded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, socket

    import nltk.data

    def refuse(*args, **kwargs):
        raise AssertionError(f"NLTK data was asked for: {args!r}")

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    # Any attempt to find or load NLTK data, or to open a connection, fails loudly.
    nltk.data.find = refuse
    nltk.data.load = refuse
    socket.socket.connect = no_network

    from participatie.themes.coder import Coder
    from participatie.themes.text.blob import make_blob

    coded = Coder().code("Mevrouw Bakker belde nooit terug. Ik kreeg geen uitleg!")
    blob = make_blob("Ik kreeg geen uitleg. De gezinsvoogd belde nooit terug.")
    english = make_blob("Nobody told me anything. The judge listened to me.")
    print(json.dumps({
        "coded": coded.as_dict(),
        "sentences": [str(s) for s in blob.sentences],
        "words": list(blob.words),
        "noun_phrases": list(blob.noun_phrases),
        "sentiment": blob.sentiment.label,
        "english_sentences": len(english.sentences),
        "english_sentiment": english.sentences[0].sentiment.label,
    }))
    """
)


def test_pipeline_runs_with_an_empty_nltk_data_folder(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    environment = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    output = json.loads(completed.stdout)
    assert output["coded"] == {
        "themes": ["continuity", "information"],
        "sentiment": -1,
        "language": "nl",
        "scrubbed": "Mevrouw [naam] belde nooit terug. Ik kreeg geen uitleg!",
    }
    assert output["sentences"] == ["Ik kreeg geen uitleg.", "De gezinsvoogd belde nooit terug."]
    assert output["words"][:4] == ["Ik", "kreeg", "geen", "uitleg"]
    assert output["sentiment"] == -1
    assert output["english_sentences"] == 2
    assert output["english_sentiment"] == -1
    assert list(empty.iterdir()) == []
