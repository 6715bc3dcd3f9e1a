"""The benchmark's tables in Markdown, and the goal of issue #17 checked page by page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.load import Load

if TYPE_CHECKING:
    from bench.run import Row, Run

GOAL_P95_MS = 100
GOAL_SHARE_OF_CEILING = 0.25
# A page whose answer is this much larger at full scale than at a tenth grows with the data.
GROWS = 1.5


def share(load: Load, ceiling: Load) -> float:
    return (
        load.requests_per_second / ceiling.requests_per_second if ceiling.requests_per_second else 0
    )


def misses(load: Load, ceiling: Load) -> list[str]:
    missed = []
    if load.p95_ms >= GOAL_P95_MS:
        missed.append("p95")
    if share(load, ceiling) < GOAL_SHARE_OF_CEILING:
        missed.append("ceiling")
    if load.errors:
        missed.append("errors")
    if load.crashes:
        missed.append("crashes")
    return missed


def progress(row: Row, ceiling: Load) -> str:
    load = row.load
    return (
        f"{row.page.label}: {load.requests_per_second:.1f} req/s, p95 {load.p95_ms:.0f} ms, "
        f"{share(load, ceiling):.0%} of ceiling, {row.probe.queries} queries, "
        f"{load.errors} errors, {load.restarts} restarts"
    )


def scale_report(run: Run, context: dict[str, str]) -> str:
    ceiling = run.ceiling
    lines = [
        f"# Benchmark at scale {run.scale:g}",
        "",
        f"App: {context['commit']}; {context['cores']} cores, load average {context['load']} "
        f"at the end; gunicorn as deploy/gunicorn.conf.py ({run.workers} workers, recycling on); "
        f"wrk 20 connections.",
        f"Data set built in {run.build_seconds:.0f} s: "
        + ", ".join(f"{n:,} {table}" for table, n in sorted(run.data.counts.items())),
        f"Ceiling (bare /healthz, same server, same run): "
        f"{ceiling.requests_per_second:,.0f} req/s, "
        f"p95 {ceiling.p95_ms:.1f} ms, {ceiling.errors} errors.",
        f"Whole run: {run.restarts} worker restarts, {run.crashes} crashes.",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | of ceiling | queries | kB "
        "| restarts | peak RSS MB | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in run.rows:
        load = row.load
        missed = misses(load, ceiling)
        lines.append(
            f"| {row.page.label} | {load.requests_per_second:,.1f} | {load.p50_ms:,.0f} "
            f"| {load.p95_ms:,.0f} | {load.p99_ms:,.0f} | {load.errors} "
            f"| {share(load, ceiling):.0%} | {row.probe.queries} | {row.probe.size / 1024:,.0f} "
            f"| {load.restarts} | {load.peak_rss_mb:,.0f} "
            f"| {'met' if not missed else 'missed: ' + ', '.join(missed)} |"
        )
    met = sum(1 for row in run.rows if not misses(row.load, ceiling))
    lines += [
        "",
        f"Goal (p95 < {GOAL_P95_MS} ms, ≥ {GOAL_SHARE_OF_CEILING:.0%} of the ceiling, no errors, "
        f"no crashes): {met} of {len(run.rows)} pages.",
    ]
    return "\n".join(lines) + "\n"


def comparison(runs: list[Run]) -> str:
    """Queries and answer size of each page at the largest and the smallest scale."""
    large, small = max(runs, key=lambda r: r.scale), min(runs, key=lambda r: r.scale)
    at_small = {row.page.label: row.probe for row in small.rows}
    lines = [
        f"# Queries and size, scale {large.scale:g} against {small.scale:g}",
        "",
        f"| page | queries {large.scale:g} | queries {small.scale:g} | kB {large.scale:g} "
        f"| kB {small.scale:g} | flag |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in large.rows:
        other = at_small.get(row.page.label)
        if other is None:
            continue
        flags = []
        if row.probe.queries != other.queries:
            flags.append("queries differ")
        if row.probe.size > GROWS * other.size:
            flags.append("grows with the data")
        lines.append(
            f"| {row.page.label} | {row.probe.queries} | {other.queries} "
            f"| {row.probe.size / 1024:,.0f} | {other.size / 1024:,.0f} | {', '.join(flags)} |"
        )
    return "\n".join(lines) + "\n"
