"""The postgres search plan of another commit against this one, interleaved search by search
in one process, so both see the same load: wall and CPU figures of each, and whether both give
the same results.

    .venv/bin/python bench/search_interleaved.py --before main --services 50000 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_bench

Run bench/search.py with the same arguments first (it generates the data and builds the search
rows). "Before" is app/search/pg_plan.py as it was at --before (read with `git show`), run
with everything else of this checkout (and pg_text.py of the same commit), so it measures a
change of the statement and of the planning around it; the search rows must suit both.
`--cold` forgets the remembered lookups (app.search.pg_lookups) and page rows
(app.search.page_rows) before every search.
`--before-page-one-by-one` reads the page of "before" statement by statement, as before the
page's statements were pipelined (app.search.page_rows.read), "after" in one round trip.
Same results means, for every search of bench/search.py: the same total, facets, hidden
counts, page (services, tiers, distances, hidden reasons) and scores equal to within 1e-9.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _module_at(ref: str, path: str, name: str, renames: dict[str, str]) -> types.ModuleType:
    source = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "show", f"{ref}:{path}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for old, new in renames.items():
        source = source.replace(old, new)
    module = types.ModuleType(name)
    module.__file__ = f"{ref}:{path}"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
    return module


def _plan_at(ref: str) -> types.ModuleType:
    """pg_plan.py at `ref`, with pg_text.py of the same commit (the statement's words part)."""
    _module_at(ref, "app/search/pg_text.py", "pg_text_before", {})
    renames = {"from app.search.pg_text import": "from pg_text_before import"}
    return _module_at(ref, "app/search/pg_plan.py", "pg_plan_before", renames)


def _same(a, b) -> bool:  # noqa: ANN001
    """Plans give the same answer: counts exactly, scores to within 1e-9."""
    if (a.total, a.facets, a.hidden, a.did_you_mean) != (
        b.total,
        b.facets,
        b.hidden,
        b.did_you_mean,
    ):
        return False
    if [(s, t) for s, t, _ in a.page] != [(s, t) for s, t, _ in b.page]:
        return False
    if any(abs(x - y) > 1e-9 for (_, _, x), (_, _, y) in zip(a.page, b.page, strict=True)):
        return False
    return a.nearby == b.nearby and a.hidden_of == b.hidden_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git commit or branch of 'before'")
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="forget the remembered lookups and page rows before every search",
    )
    parser.add_argument(
        "--before-page-one-by-one",
        action="store_true",
        help="read the page of 'before' one statement at a time (app.search.page_rows.PIPELINE)",
    )
    args = parser.parse_args()
    args.seed, args.fresh = 1, False
    bench = _bench()
    app, _ = bench.setup(args, generate=False)
    app.config["SEARCH_BACKEND"] = "postgres"
    import app.search.pg_plan as after_module
    from app.search import page_rows, pg_lookups

    before = _plan_at(args.before)

    def before_plan(session, ext, ctx):  # noqa: ANN001,ANN202
        # a plan that does not send its settings itself had the backend send them first
        if not hasattr(before, "SETTINGS_SQL"):
            from sqlalchemy import text

            session.execute(text(after_module.SETTINGS_SQL))
        return before.plan(session, ext, ctx)

    plans = {"before": before_plan, "after": after_module.plan}
    with app.app_context():
        from app.common import utcnow
        from app.extensions import db
        from app.search import search

        requests = bench._requests()  # noqa: SLF001
        same = total = 0
        now = utcnow()
        for batch in requests.values():  # warm up, and compare the answers
            for request in batch:
                found = {}
                for name, plan in plans.items():
                    grabbed: list = []

                    def grab(session, ext, ctx, plan=plan, grabbed=grabbed):  # noqa: ANN001,ANN202
                        grabbed.append(plan(session, ext, ctx))
                        return grabbed[-1]

                    after_module.plan = grab
                    search(request, now=now)
                    db.session.rollback()
                    found[name] = grabbed[-1]
                total += 1
                same += _same(found["before"], found["after"])
        print(f"same results: {same} of {total} searches")
        figures: dict = {}
        for kind, batch in requests.items():
            samples: dict = {name: ([], []) for name in plans}
            for _ in range(args.repeat):
                for request in batch:
                    for name, plan in plans.items():  # interleaved: the same load for both
                        after_module.plan = plan
                        page_rows.PIPELINE = not (name == "before" and args.before_page_one_by_one)
                        if args.cold:
                            pg_lookups.forget()
                            page_rows.forget()
                        used = bench._cpu_ms(db)  # noqa: SLF001
                        started = time.perf_counter()
                        search(request)
                        samples[name][0].append((time.perf_counter() - started) * 1000)
                        samples[name][1].append(used())
                        db.session.rollback()
            figures[kind] = {
                name: (bench.percentiles(wall), bench.percentiles(cpu))
                for name, (wall, cpu) in samples.items()
            }
        after_module.plan = plans["after"]
        page_rows.PIPELINE = True
    print(f"{'ms':<14} {'before: wall p50 / p95 · CPU p50 / p95':>40} {'after':>28}")
    for kind, by_name in figures.items():
        cells = [
            f"{w['p50']:7.1f} / {w['p95']:7.1f} · {c['p50']:6.1f} / {c['p95']:6.1f}"
            for w, c in by_name.values()
        ]
        print(f"{kind:<14} {cells[0]:>40} {cells[1]:>40}")
    with open("/proc/loadavg", encoding="ascii") as load:
        print("load average:", " ".join(load.read().split()[:3]))


if __name__ == "__main__":
    main()
