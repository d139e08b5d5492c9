"""What matching Spanish stems costs the Whoosh backend: the same index, the same queries, with
the Spanish alternative of each word off and on, interleaved so machine load hits both alike.

    .venv/bin/python bench/spanish_search.py --services 5000 [--repeat 10]

Uses bench/search.py's throw-away SQLite database and index under --workdir. Prints p50/p95 of
English text searches (bench/search.py's list) and Spanish lay-term searches, off vs on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import TEXTS, percentiles, setup, timed  # noqa: E402

SPANISH = ("vivienda", "comida", "albergue", "casa sobria", "trabajo", "ayuda legal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workdir", default="/tmp/partners-bench-es")  # noqa: S108 - throw-away
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    args.database_url = None
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    app, _ = setup(args)
    app.config["SEARCH_BACKEND"] = "whoosh"
    with app.app_context():
        from app.extensions import db
        from app.search import SearchRequest, search, whoosh_view
        from app.search.index import rebuild_index

        rebuild_index()
        samples: dict[tuple[str, bool], list[float]] = {}
        totals: dict[tuple[str, bool], int] = {}
        for _ in range(args.repeat + 1):  # the first round warms up and is dropped
            for group, texts in (("english", TEXTS), ("spanish", SPANISH)):
                for text in texts:
                    for on in (False, True):
                        whoosh_view.SPANISH_STEMS = on
                        request = SearchRequest(text=text)
                        samples.setdefault((group, on), []).extend(
                            timed(lambda r=request: search(r), 1)
                        )
                        totals[(text, on)] = search(request).total
                        db.session.rollback()
        whoosh_view.SPANISH_STEMS = True
    print(f"services {args.services}, repeat {args.repeat}")
    print(f"{'latency (ms)':<26} {'p50':>8} {'p95':>8} {'n':>6}")
    for group in ("english", "spanish"):
        for on in (False, True):
            warm_up = len(TEXTS if group == "english" else SPANISH)
            row = percentiles(samples[(group, on)][warm_up:])
            label = f"{group}, Spanish stems {'on' if on else 'off'}"
            print(f"{label:<26} {row['p50']:>8} {row['p95']:>8} {row['n']:>6}")
    changed = {t: (totals[(t, False)], totals[(t, True)]) for t in (*TEXTS, *SPANISH)}
    print("matches off -> on:", ", ".join(f"{t}={a}->{b}" for t, (a, b) in changed.items()))


if __name__ == "__main__":
    main()
