"""`flask themes code` and `flask themes evaluate`: the coder on JSON-lines files, offline.

Both read the codebook from the database (the built-in default when it is empty) and stream:
one answer in memory at a time, whatever the size of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

import click
from flask.cli import with_appcontext

# The text pipeline (TextBlob, lexicons) is imported inside the commands: `flask` starts fast.


@click.group("themes")
def themes_group() -> None:
    """Code open answers with the codebook: themes, sentiment, language, scrubbed text."""


def _records(stream: IO[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise click.ClickException(f"line {number}: not valid JSON ({error.msg})") from error
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise click.ClickException(f'line {number}: expected an object with a "text" string')
        yield record


@themes_group.command("code")
@click.argument("input_file", metavar="INPUT.jsonl", type=click.File("r", encoding="utf-8"))
@with_appcontext
def code_command(input_file: IO[str]) -> None:
    """Code each {"id", "text", optional "lang"} line; write one JSON line per answer."""
    from .queries import current_coder

    coder = current_coder()
    for record in _records(input_file):
        coded = coder.code(record["text"], record.get("lang"))
        output = {"id": record.get("id"), **coded.as_dict()}
        click.echo(json.dumps(output, ensure_ascii=False))


@themes_group.command("evaluate")
@click.argument("labelled_file", metavar="LABELLED.jsonl", type=click.File("r", encoding="utf-8"))
@click.option("--show-errors", is_flag=True, help="List the ids of answers with any mistake.")
@with_appcontext
def evaluate_command(labelled_file: IO[str], show_errors: bool) -> None:
    """Precision, recall and F1 per theme, micro and macro F1, and sentiment accuracy against
    hand-labelled lines {"id", "text", "themes": [...], "sentiment": -1|0|1}."""
    from .evaluation import evaluate, format_report
    from .queries import active_codebook, current_coder

    codebook = active_codebook()
    coder = current_coder()

    def pairs() -> Iterator[tuple[str, list[str], int, list[str], int]]:
        for record in _records(labelled_file):
            coded = coder.code(record["text"], record.get("lang"))
            yield (
                str(record.get("id", "")),
                list(record.get("themes", [])),
                int(record.get("sentiment", 0)),
                coded.slugs,
                coded.sentiment,
            )

    result = evaluate(pairs(), [theme.slug for theme in codebook])
    if not result.answers:
        raise click.ClickException("no labelled answers in the file")
    click.echo(format_report(result))
    if show_errors and result.errors:
        click.echo("")
        click.echo("answers with a mistake: " + ", ".join(result.errors))


@themes_group.command("train")
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False),
    help="Labelled JSON lines to train on (default: the shipped corpus).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the model (default: the shipped model file in the package).",
)
def train_command(corpus: str | None, output: str | None) -> None:
    """Train the coder's learned layer on labelled answers with the built-in codebook's rules
    and write it as the shipped model (needs no database). Deterministic: the same corpus gives
    the same file."""
    from pathlib import Path

    from .codebook import DEFAULT_THEMES
    from .coder import Coder
    from .model import DEFAULT_MODEL, TRAINING_CORPUS, corpus_digest, read_corpus, train

    source = Path(corpus) if corpus else TRAINING_CORPUS
    target = Path(output) if output else DEFAULT_MODEL
    rules = Coder(DEFAULT_THEMES, model=None)
    examples = read_corpus(source)
    model = train(
        examples,
        rules.features,
        [theme.slug for theme in DEFAULT_THEMES],
        meta={"corpus": corpus_digest(source)},
    )
    target.write_bytes(model.dumps())
    click.echo(
        f"trained on {len(examples)} answers: {len(model.themes.labels)} themes,"
        f" {len(model.themes.weights)} + {len(model.sentiment.weights)} weighted features"
        f" -> {target} ({target.stat().st_size // 1024} KiB)"
    )
