"""Scoring the locator against an evaluation set (bench/data/locator_eval.jsonl): accuracy by
evidence type, confident-and-wrong share, latency. Used by bench/bench_locator.py and tests."""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path

from . import conf
from .resolve import locate

__all__ = ["error_m", "evaluate", "load_items"]

WRONG_M = 50.0


def load_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def error_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def run_item(item: dict) -> dict:
    started = time.perf_counter()
    result = locate(
        text=item.get("text", ""),
        landmarks=item.get("landmarks"),
        lat=item.get("lat"),
        lon=item.get("lon"),
        accuracy_m=item.get("accuracy_m"),
    )
    ms = (time.perf_counter() - started) * 1000
    out = {"id": item["id"], "type": item["type"], "ms": ms, "confidence": result.confidence}
    if result.candidate is None:
        out.update(error=math.inf, in_candidates=False)
        return out
    from .geo import to_lonlat

    lon, lat = to_lonlat(result.candidate.x, result.candidate.y)
    out["error"] = error_m(lat, lon, item["true_lat"], item["true_lon"])
    out["in_candidates"] = any(
        error_m(*reversed(to_lonlat(c.x, c.y)), item["true_lat"], item["true_lon"]) <= WRONG_M
        for c in result.candidates
    )
    out["explanation"] = result.explanation
    return out


def evaluate(items: list[dict]) -> tuple[dict[str, dict], list[dict]]:
    """Per evidence type: n, share within 10/25/50 m, median error, confident-and-wrong share
    (confident = confidence >= 0.5; wrong = more than 50 m off), and for the ambiguous type
    the share answered as not confident with the true place among the candidates."""
    runs = [run_item(item) for item in items]
    stats = {}
    for kind in sorted({r["type"] for r in runs}) + ["all"]:
        rs = [r for r in runs if kind in ("all", r["type"])]
        errors = [r["error"] for r in rs]
        confident = [r for r in rs if r["confidence"] >= conf.CONFIDENT]
        stats[kind] = {
            "n": len(rs),
            "within_10": sum(e <= 10 for e in errors) / len(rs),
            "within_25": sum(e <= 25 for e in errors) / len(rs),
            "within_50": sum(e <= 50 for e in errors) / len(rs),
            "median_m": statistics.median(errors),
            "confident_wrong": sum(r["error"] > WRONG_M for r in confident) / len(rs),
            "flagged_ambiguous": sum(
                r["confidence"] < conf.CONFIDENT and r["in_candidates"] for r in rs
            )
            / len(rs),
        }
    return stats, runs
