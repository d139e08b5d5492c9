"""Load figures: wrk against gunicorn on loopback, SQLite + Whoosh beside PostgreSQL, same run.

    .venv/bin/python bench/load.py --services 50000 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_load [--duration 30]

For each deployment (SQLite + Whoosh as the baseline, then PostgreSQL with the search backend
the app chooses there, or --pg-backend) it prepares a database with the demo data plus N
synthetic services (once; --reuse keeps what an earlier run built), builds the search data
outside any request (`flask search rebuild`), starts gunicorn with --workers sync workers, and
runs wrk (--connections, --duration) on the pages: public search (a rotation of eight
searches, half with a town: what visitors repeat, served from each process's search cache), public
search with distinct searches (1,440 of them, words x towns x pages, none asked twice in a run:
every one is searched), staff search (signed in as the demo counselor), a service page,
the demo discharge card, and the provider inbox (signed in as the demo provider). It prints
req/s, p50 / p99 latency and errors (non-2xx/3xx answers and socket errors) per page, and the
resident memory of each gunicorn worker after the load.

--baseline /work/main also measures both public searches with another checkout's code (main's)
on the same data, right after this one. On PostgreSQL the prepared data gets ANALYZE (planner
statistics, as autovacuum would give it a while after the bulk load).

Needs wrk (Debian: apt install wrk) and gunicorn (a dependency of the app). The rate limit on
card lookups is raised for the run (one address sends every request); nothing else is changed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import ROOT, Gunicorn, base_env, flask, request, scratch_postgres, sign_in  # noqa: E402

PUBLIC_SEARCHES = (
    "/search?q=housing",
    "/search?q=food+pantry&near=Hartford",
    "/search?q=sober+house",
    "/search?q=job+training&near=06510",
    "/search?q=legal+aid",
    "/search?q=mental+health&near=Bridgeport",
    "/search?need=housing&near=Waterbury",
    "/search?q=detox",
)


# Distinct searches for the uncached figure: words x towns x pages, each asked once in a run (the
# list is longer than a run's requests), so no process has any of them kept.
WORDS = ("housing", "food", "job training", "legal aid", "mental health", "detox", "shelter",
         "clothing", "recovery", "counseling", "transportation", "id card")  # fmt: skip
TOWNS = ("Hartford", "New Haven", "Bridgeport", "Waterbury", "Stamford", "Norwalk", "Danbury",
         "New Britain", "Meriden", "Bristol", "Middletown", "Norwich", "New London", "Torrington",
         "Manchester", "West Hartford", "Enfield", "Milford", "Stratford", "Hamden", "Groton",
         "Shelton", "Trumbull", "Glastonbury", "Naugatuck", "Vernon", "Wallingford", "Southington",
         "Fairfield", "Greenwich", "East Hartford", "Newington", "Wethersfield", "Willimantic",
         "Ansonia", "Derby", "Windsor", "Bloomfield", "Cheshire", "Branford")  # fmt: skip
DISTINCT_SEARCHES = tuple(
    "/search?" + urllib.parse.urlencode({"q": words, "near": town, "page": page})
    for page in (1, 2, 3)
    for town in TOWNS
    for words in WORDS
)


@dataclass
class Deployment:
    name: str
    env: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def prepare(dep: Deployment, services: int, reuse: bool) -> None:
    """Migrate, load demo + N synthetic services, build the search data (outside requests)."""
    marker = Path(dep.env["SEARCH_INDEX_DIR"]).parent / f"prepared-{dep.name}-{services}"
    if reuse and marker.exists():
        print(f"[{dep.name}] reusing prepared data", flush=True)
        return
    started = time.perf_counter()
    if dep.env["DATABASE_URL"].startswith("postgresql"):
        scratch_postgres(dep.env["DATABASE_URL"])
    flask(dep.env, "db", "upgrade")
    flask(dep.env, "seed", "demo")
    flask(dep.env, "seed", "synthetic", "--services", str(services))
    flask(dep.env, "search", "rebuild")
    if dep.env["DATABASE_URL"].startswith("postgresql"):
        # What autovacuum would do a while after a bulk load: planner statistics for every table
        # (without them the page's small queries scan whole tables).
        subprocess.run(["psql", dep.env["DATABASE_URL"], "-qc", "ANALYZE"], check=True)  # noqa: S603,S607
    marker.write_text("ok")
    print(f"[{dep.name}] prepared in {time.perf_counter() - started:.0f} s", flush=True)


def _service_and_card(port: int) -> tuple[str, str]:
    _, _, page = request(port, "GET", "/search?q=housing")
    service = re.search(r'href="(/services/[0-9a-f-]{36})"', page)
    _, headers, _ = request(port, "GET", "/card?code=" + _sample_code())
    if service is None:
        sys.exit("no service link in public search results")
    return service.group(1), urllib.parse.urlsplit(headers.get("location", "/card")).path


def _sample_code() -> str:
    sys.path.insert(0, str(ROOT))
    from app.public.sample import sample_card_code

    return sample_card_code()


# Each wrk thread takes every other path (thread 1 the odd ones, thread 2 the even ones), so the
# two threads never ask the same search at the same moment.
LUA_ROTATE = """
paths = {%s}
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  i = offset
end
request = function()
  local path = paths[i %% #paths + 1]
  i = i + 2
  return wrk.format("GET", path)
end
"""


def run_wrk(port: int, path: str | tuple[str, ...], cookies: dict[str, str], args, tmp: Path):  # noqa: ANN001,ANN201
    command = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    if cookies:
        command += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    if isinstance(path, tuple):
        script = tmp / "rotate.lua"
        script.write_text(LUA_ROTATE % ", ".join(f'"{p}"' for p in path))
        command += ["-s", str(script)]
        path = path[0]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True).stdout  # noqa: S603
    return parse_wrk(output)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 1)


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"\s99%\s+([\d.]+\w+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": _ms(p50.group(1)) if p50 else None,
        "p99": _ms(p99.group(1)) if p99 else None,
        "errors": errors,
    }


def measure(dep: Deployment, args, workdir: Path, root: Path = ROOT) -> dict:  # noqa: ANN001
    """Every page on this deployment; with another `root` (a baseline checkout), public search
    only."""
    log = workdir / f"gunicorn-{dep.name}-{root.name}.log"
    with Gunicorn(dep.env, args.workers, log, root=root) as server:
        port = server.port
        targets = {
            "public search": (PUBLIC_SEARCHES, {}),
            "public search, distinct": (DISTINCT_SEARCHES, {}),
        }
        if root == ROOT and not args.public_only:
            counselor = sign_in(port, "counselor@example.org", "demo-counselor-2026")
            provider = sign_in(port, "provider@example.org", "demo-provider-2026")
            service, card = _service_and_card(port)
            targets |= {
                "staff search": ("/staff/search?q=housing&near=Hartford", counselor),
                "service page": (service, {}),
                "card page": (card, {}),
                "provider inbox": ("/referrals/inbox", provider),
            }
        figures = {}
        for label, (path, cookies) in targets.items():
            warming = path if isinstance(path, tuple) else (path,)
            if path is DISTINCT_SEARCHES:  # warm the code paths, never these searches
                warming = ("/search?q=warm+up&near=Hartford&page=9",)
            for warm in warming:  # warm every worker's caches
                for _ in range(args.workers * 2):
                    status = request(port, "GET", warm, cookies=dict(cookies))[0]
                    if status != 200:
                        sys.exit(f"[{dep.name}] {label} {warm} answered {status} before the load")
            figures[label] = run_wrk(port, path, cookies, args, workdir)
            rss = server.worker_rss_mb()  # where a worker's memory grows
            print(f"[{dep.name}] {label}: {figures[label]}, workers after it {rss} MB", flush=True)
        figures["worker RSS (MB)"] = server.worker_rss_mb()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50000)
    parser.add_argument("--database-url", required=True, help="postgresql://… (a scratch database)")
    parser.add_argument("--pg-backend", choices=("", "whoosh", "postgres"), default="")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "partners-load"))
    parser.add_argument("--reuse", action="store_true", help="keep data an earlier run prepared")
    parser.add_argument("--only", choices=("sqlite", "postgres"), default=None)
    parser.add_argument(
        "--baseline", default="", help="another checkout (main's) whose public search to measure"
    )
    parser.add_argument("--public-only", action="store_true", help="only the public searches")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt install wrk)")

    workdir = Path(args.workdir)
    deployments = []
    if args.only in (None, "sqlite"):
        sqlite_dir = workdir / "sqlite"
        sqlite_dir.mkdir(parents=True, exist_ok=True)
        env = base_env(f"sqlite:///{sqlite_dir / 'partners.db'}", sqlite_dir)
        env["SEARCH_BACKEND"] = "whoosh"
        deployments.append(Deployment("sqlite+whoosh", env))
    if args.only in (None, "postgres"):
        pg_dir = workdir / "postgres"
        pg_dir.mkdir(parents=True, exist_ok=True)
        env = base_env(args.database_url, pg_dir)
        if args.pg_backend:
            env["SEARCH_BACKEND"] = args.pg_backend
        else:
            env.pop("SEARCH_BACKEND", None)
        deployments.append(Deployment("postgres", env))

    results = {}
    for dep in deployments:
        prepare(dep, args.services, args.reuse)
        backend = flask(dep.env, "search", "status").strip().splitlines()[0]
        print(f"[{dep.name}] {backend}", flush=True)
        results[dep.name] = measure(dep, args, workdir)
        if args.baseline:
            baseline = measure(dep, args, workdir, root=Path(args.baseline).resolve())
            for label, figure in baseline.items():
                results[dep.name][f"{label} (baseline)"] = figure

    print(
        f"\n{args.services} synthetic services + demo; gunicorn {args.workers} sync workers; "
        f"wrk {args.connections} connections, {args.duration} s each\n"
    )
    names = list(results)
    print("| page | " + " | ".join(f"{n} req/s · p50 / p99 ms · errors" for n in names) + " |")
    print("| --- |" + " --- |" * len(names))
    labels = [label for label in results[names[0]] if "worker RSS" not in label]
    for label in labels:
        cells = []
        for name in names:
            f = results[name].get(label)
            if f is None:
                cells.append("–")
                continue
            cells.append(f"{f['rps']:.0f} · {f['p50']} / {f['p99']} · {f['errors']}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(
        "| worker RSS (MB) | "
        + " | ".join(", ".join(str(s) for s in results[n]["worker RSS (MB)"]) for n in names)
        + " |"
    )


if __name__ == "__main__":
    main()
