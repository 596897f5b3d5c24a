"""The one table `make bench` ends with: every benchmark's headline figures beside the peer
measured in the same run, the ratio, and whether the goal of its issue is met.

Run: .venv/bin/python bench/summary.py (reads bench/results/summary.jsonl, written by the
benchmarks through common.record_summary; `make bench` empties it first). A benchmark run
again on its own replaces its figures: the newest row of each figure is shown, in first-seen
order.
"""

from __future__ import annotations

import json
import operator

from common import SUMMARY, print_table

OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def goal_met(ours: float, goal: str | None) -> str:
    if not goal:
        return ""
    for sign in ("<=", ">=", "<", ">"):
        if goal.startswith(sign):
            return "yes" if OPS[sign](ours, float(goal[len(sign) :])) else "NO"
    return "?"


def main() -> None:
    if not SUMMARY.exists():
        raise SystemExit(f"no benchmark figures in {SUMMARY}: run `make bench`")
    newest: dict[str, dict] = {}
    for line in SUMMARY.read_text().splitlines():
        r = json.loads(line)
        newest[r["metric"]] = r  # a dict keeps the key's first place
    rows = []
    for r in newest.values():
        ratio = r["ours"] / r["peer_value"] if r.get("peer_value") else None
        rows.append(
            [
                r["metric"],
                r["ours"],
                r.get("peer") or "",
                r["peer_value"] if r.get("peer_value") is not None else "",
                f"{ratio:.2f}" if ratio is not None else "",
                r.get("goal") or "",
                goal_met(r["ours"], r.get("goal")),
            ]
        )
    print_table(
        "Summary: our figures, the peers' measured in the same run, ratios and goals",
        ["figure", "ours", "peer", "peer's", "ours/peer", "goal", "met"],
        rows,
    )


if __name__ == "__main__":
    main()
