"""The offline geocoder's tables (towns and ZIP points), worked out from the `zipcodes` package.

Once `zipcodes` has answered one question, its compiled data holds ~40 MB of native memory
that a process never gives back; reading every state for the town table adds ~30 MB more. So
`tables()` runs this file as a child process and keeps only what it prints: the town table and
one row per ZIP. Nothing here imports the app (the child starts with the bare interpreter).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

# Every state and territory the zipcodes data covers (USPS codes).
# fmt: off
STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW", "AA",
    "AE", "AP",
)
# fmt: on


def compute() -> list[list]:
    """Rows ["T", town (lower case), state, lat, lon, label]: the mean of the town's standard ZIP
    centroids (any ZIP when it has none); and ["Z", zip, lat, lon, city, state]: the first record
    of each ZIP that has a point (as zipcodes.matching would find it)."""
    import zipcodes

    standard: dict[tuple[str, str], list[tuple[float, float]]] = {}
    other: dict[tuple[str, str], list[tuple[float, float]]] = {}
    names: dict[tuple[str, str], str] = {}
    zips: dict[str, list[Any]] = {}
    for z in (z for state in STATES for z in zipcodes.filter_by(state=state)):  # one at a time
        if not (z.get("lat") and z.get("long")):
            continue
        lat, lon = float(z["lat"]), float(z["long"])
        zips.setdefault(z["zip_code"], [z["zip_code"], lat, lon, z["city"], z["state"]])
        key = (z["city"].lower(), z["state"].upper())
        names.setdefault(key, z["city"])
        bucket = standard if z.get("zip_code_type") == "STANDARD" else other
        bucket.setdefault(key, []).append((lat, lon))
    towns = []
    for key in sorted(set(standard) | set(other)):
        points = standard.get(key) or other[key]
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        towns.append(["T", key[0], key[1], lat, lon, f"{names[key]}, {key[1]}"])
    return towns + [["Z", *z] for z in sorted(zips.values())]


def tables() -> Iterator[list]:
    """compute()'s rows from a child process, one JSON line at a time (so the whole answer is
    never held at once); computed here if no child can be started."""
    try:
        child = subprocess.run(  # noqa: S603 - our own file, with this interpreter
            [sys.executable, "-I", __file__],
            capture_output=True,
            check=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        yield from compute()
        return
    for line in child.stdout.splitlines():
        yield json.loads(line)


if __name__ == "__main__":
    for row in compute():
        sys.stdout.write(json.dumps(row, separators=(",", ":")) + "\n")
