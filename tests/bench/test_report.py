"""The benchmark's report (bench/report.py): issue #17's goal is checked against the bare
ceiling, whatever else the report shows beside it."""

from __future__ import annotations

from bench.dataset import Dataset
from bench.load import Load
from bench.pages import Page, Probe
from bench.report import scale_report
from bench.run import Row, Run


def load(requests_per_second: float, p95_ms: float = 60) -> Load:
    return Load(
        requests=int(requests_per_second * 15),
        requests_per_second=requests_per_second,
        p50_ms=p95_ms / 2,
        p95_ms=p95_ms,
        p99_ms=p95_ms * 1.2,
        errors=0,
        restarts=0,
        crashes=0,
        peak_rss_mb=170,
    )


def row(label: str, who: str | None, requests_per_second: float) -> Row:
    return Row(Page(label, "/", who), Probe(200, 3, 10_000, 9.0, 7.5), load(requests_per_second))


def table_row(report: str, label: str) -> list[str]:
    line = next(line for line in report.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_signed_in_page_is_shown_against_the_signed_in_baseline_but_judged_by_the_ceiling():
    rows = [
        row("landing /", None, 900),
        row("notifications (staff)", "office", 200),
        row("API programmes", "token", 330),
    ]
    run = Run(
        scale=1,
        data=Dataset(scale=1),
        build_seconds=20,
        ceiling=load(1_000),
        ceiling_after=load(1_200),
        signed_in=load(420),
        signed_in_after=load(380),
        rows=rows,
        restarts=0,
        crashes=0,
        workers=5,
    )
    report = scale_report(run, {"commit": "abc1234 A commit", "cores": "2", "load": "1.0"})

    assert "their mean, 400 req/s, is 36% of the ceiling" in report
    header = table_row(report, "page")
    signed_in = header.index("of signed-in")
    goal = header.index("goal")
    assert table_row(report, "notifications (staff)")[signed_in] == "50%"
    # 200 req/s is half the signed-in baseline but 9 % of the ceiling: missed all the same
    assert table_row(report, "notifications (staff)")[goal] == "missed: ceiling"
    assert table_row(report, "landing /")[signed_in] == "—"
    assert table_row(report, "API programmes")[signed_in] == "—"  # a token, no session
    assert table_row(report, "API programmes")[goal] == "met"
    assert "no errors, no crashes): 2 of 3 pages." in report
