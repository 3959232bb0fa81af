"""Benchmark of the theme coder: answers per second on one core, and peak memory.

A deterministic generator makes open answers of the survey's kind (Dutch and English, one to four
sentences, some with names, phone numbers, addresses or case numbers) and streams them through
`Coder.code()` one at a time, as a survey wave would. Each corpus size runs in a fresh process
pinned to one core, so peak memory (the process's maximum resident set size) is comparable: if
it is the same for 10,000 and 100,000 answers, memory does not grow with the corpus.

    python bench/bench_themes.py                 # 10,000 and 100,000 answers
    python bench/bench_themes.py --sizes 2000    # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 2026

DUTCH_PARTS = [
    "Ik kreeg nooit uitleg over wat de ondertoezichtstelling inhield.",
    "De gezinsvoogd was slecht bereikbaar en belde zelden terug.",
    "We hebben in twee jaar vier verschillende jeugdbeschermers gehad.",
    "Er werd echt naar ons geluisterd, dat was fijn.",
    "Ik voelde me niet serieus genomen door de Raad.",
    "Het wijkteam en de GI werkten langs elkaar heen.",
    "Steeds opnieuw moest ik mijn verhaal vertellen.",
    "We stonden een jaar op de wachtlijst voor therapie.",
    "De hulp kwam pas toen het al te laat was.",
    "De medewerker had weinig kennis van autisme.",
    "In het rapport stonden dingen die niet klopten.",
    "De cliëntondersteuner heeft me enorm geholpen.",
    "Ik mag mijn kinderen maar één keer per maand zien.",
    "Sinds kort woont mijn zoon weer thuis.",
    "Niemand wist wie er verantwoordelijk was.",
    "Het contact met de pleegouders verloopt goed.",
    "Geen verdere opmerkingen.",
    "Ik ben tevreden over de begeleiding.",
    "Het was een zware periode voor ons gezin.",
    "De bezoekregeling werd vaak afgezegd.",
]
ENGLISH_PARTS = [
    "Nobody explained what the supervision order meant.",
    "My calls went unanswered for weeks.",
    "The guardian really listened to my daughter.",
    "We waited eight months for specialised help.",
    "The report was based on wrong facts.",
    "The school and the wijkteam never talked to each other.",
    "I can only see my son twice a month.",
    "Our caseworker changed three times in one year.",
    "Nothing to add.",
    "The help came quickly and it fitted our family.",
]
PERSONAL = [
    "Mevrouw {surname} zei dat ik moest wachten.",
    "Mijn zoon {name} is nu {age}.",
    "Bel me gerust op 06-{digits}.",
    "Mijn dossiernummer is 2023-{digits4}.",
    "We wonen op Kerkweg {house}, 3811 AB.",
    "Mail naar {lower}@example.org als er iets is.",
]
NAMES = ["Daan", "Femke", "Sanne", "Mohamed", "Lotte", "Emre", "Noor", "Bram", "Priya", "Tim"]
SURNAMES = ["Bakker", "de Vries", "Jansen", "Yilmaz", "El Amrani", "van Dijk", "Visser"]


def generate(count: int, seed: int = SEED) -> Iterator[tuple[str, str | None]]:
    """`count` (text, language hint) pairs, the same ones for the same seed, made lazily."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    for _ in range(count):
        english = rng.random() < 0.15
        parts = ENGLISH_PARTS if english else DUTCH_PARTS
        sentences = rng.sample(parts, rng.randint(1, 4))
        if not english and rng.random() < 0.2:
            name = rng.choice(NAMES)
            sentences.insert(
                rng.randint(0, len(sentences)),
                rng.choice(PERSONAL).format(
                    name=name,
                    lower=name.lower(),
                    surname=rng.choice(SURNAMES),
                    age=rng.randint(4, 17),
                    digits=rng.randint(10_000_000, 99_999_999),
                    digits4=rng.randint(1000, 9999),
                    house=rng.randint(1, 200),
                ),
            )
        text = " ".join(sentences)
        if rng.random() < 0.3:
            text = text.lower()
        yield text, rng.choice(["nl", "en", None])


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(count: int) -> dict[str, float]:
    """Code `count` generated answers in this process; the figures for one corpus size."""
    pin_to_one_core()
    started = time.perf_counter()
    from participatie.themes.coder import Coder

    coder = Coder()
    coder.code("opwarmen: lexicons laden")  # load lexicons and dictionaries before timing
    setup = time.perf_counter() - started
    themes = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for text, hint in generate(count):
        themes += len(coder.code(text, hint).themes)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "answers": count,
        "seconds": round(elapsed, 2),
        "answers_per_second": round(count / elapsed),
        "answers_per_cpu_second": round(count / cpu),
        "setup_seconds": round(setup, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "themes_per_answer": round(themes / count, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(measure(arguments.one)))
        return
    results = []
    for size in arguments.sizes:
        completed = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    print("Theme coder, one core (scrub + language + lemmas + themes + sentiment per answer)")
    print(
        f"{'answers':>9} {'seconds':>8} {'answers/s':>10} {'per CPU s':>10} "
        f"{'peak RSS MiB':>13} {'setup s':>8}"
    )
    for result in results:
        print(
            f"{result['answers']:>9} {result['seconds']:>8} {result['answers_per_second']:>10} "
            f"{result['answers_per_cpu_second']:>10} {result['peak_rss_mib']:>13} "
            f"{result['setup_seconds']:>8}"
        )
    if len(results) > 1:
        growth = results[-1]["peak_rss_mib"] - results[0]["peak_rss_mib"]
        print(f"peak memory growth from smallest to largest corpus: {growth:+.1f} MiB")
    output = ROOT / "bench" / "results"
    output.mkdir(exist_ok=True)
    (output / "themes.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
