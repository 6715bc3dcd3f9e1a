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


def share(load: Load, ceiling_rps: float) -> float:
    return load.requests_per_second / ceiling_rps if ceiling_rps else 0


def misses(load: Load, ceiling_rps: float) -> list[str]:
    missed = []
    if not load.requests:
        missed.append("no answer in the window")
    elif load.p95_ms >= GOAL_P95_MS:
        missed.append("p95")
    if share(load, ceiling_rps) < GOAL_SHARE_OF_CEILING:
        missed.append("ceiling")
    if load.errors:
        missed.append("errors")
    if load.crashes:
        missed.append("crashes")
    return missed


def progress(row: Row, ceiling_rps: float) -> str:
    load = row.load
    return (
        f"{row.page.label}: {load.requests_per_second:.1f} req/s, p95 {load.p95_ms:.0f} ms, "
        f"{share(load, ceiling_rps):.0%} of ceiling, {row.probe.queries} queries, "
        f"{load.errors} errors, {load.restarts} restarts"
    )


def scale_report(run: Run, context: dict[str, str]) -> str:
    ceiling, after, ceiling_rps = run.ceiling, run.ceiling_after, run.ceiling_rps
    signed_in_rps = run.signed_in_rps
    lines = [
        f"# Benchmark at scale {run.scale:g}",
        "",
        f"App: {context['commit']}; {context['cores']} cores, load average {context['load']} "
        f"at the end; gunicorn as deploy/gunicorn.conf.py ({run.workers} workers, recycling on); "
        f"wrk 20 connections.",
        f"Data set built in {run.build_seconds:.0f} s: "
        + ", ".join(f"{n:,} {table}" for table, n in sorted(run.data.counts.items())),
        f"Ceiling (bare /healthz, same server, same run): "
        f"{ceiling.requests_per_second:,.0f} req/s before the pages (p95 {ceiling.p95_ms:.1f} ms), "
        f"{after.requests_per_second:,.0f} after them (p95 {after.p95_ms:.1f} ms); "
        f"the shares below are of their mean, {ceiling_rps:,.0f} req/s; "
        f"{ceiling.errors + after.errors} errors.",
        f"Signed-in baseline (the same /healthz with a staff member's session cookie: the person "
        f"with their roles and facts and the database's scope loaded, nothing rendered): "
        f"{run.signed_in.requests_per_second:,.0f} req/s before the pages, "
        f"{run.signed_in_after.requests_per_second:,.0f} after them; their mean, "
        f"{signed_in_rps:,.0f} req/s, is {signed_in_rps / ceiling_rps:.0%} of the ceiling. "
        f"The column *of signed-in* is a signed-in page's share of it: the goal is not "
        f"measured against it.",
        f"Whole run: {run.restarts} worker restarts, {run.crashes} crashes.",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | of ceiling | of signed-in "
        "| queries | kB | render ms | kept ms | restarts | peak RSS MB | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | --- |",
    ]
    for row in run.rows:
        load = row.load
        missed = misses(load, ceiling_rps)
        latencies = (
            f"{load.p50_ms:,.0f} | {load.p95_ms:,.0f} | {load.p99_ms:,.0f}"
            if load.requests
            else "— | — | —"
        )
        lines.append(
            f"| {row.page.label} | {load.requests_per_second:,.1f} | {latencies} | {load.errors} "
            f"| {share(load, ceiling_rps):.0%} | {_signed_in_share(row, signed_in_rps)} "
            f"| {row.probe.queries} "
            f"| {row.probe.size / 1024:,.0f} | {row.probe.render_ms:,.1f} "
            f"| {row.probe.kept_ms:,.1f} "
            f"| {load.restarts} | {load.peak_rss_mb:,.0f} "
            f"| {'met' if not missed else 'missed: ' + ', '.join(missed)} |"
        )
    met = sum(1 for row in run.rows if not misses(row.load, ceiling_rps))
    lines += [
        "",
        f"Goal (p95 < {GOAL_P95_MS} ms, ≥ {GOAL_SHARE_OF_CEILING:.0%} of the ceiling, no errors, "
        f"no crashes): {met} of {len(run.rows)} pages.",
        "Render ms: the median of five requests in-process with nothing kept; kept ms: the same "
        "with the page cache on, what a reader after the first pays (a public page kept whole, "
        "a signed-in page its kept parts), one request at a time.",
    ]
    return "\n".join(lines) + "\n"


def _signed_in_share(row: Row, signed_in_rps: float) -> str:
    """A page of a session's share of the signed-in baseline; none for an anonymous page or
    one of a bearer token, which carries no session."""
    if row.page.who in (None, "token"):
        return "—"
    return f"{share(row.load, signed_in_rps):.0%}"


def comparison(probes: dict[float, dict[str, list[int]]]) -> str:
    """Queries and answer size of each page ([queries, bytes] by label) at the largest and the
    smallest scale."""
    large, small = max(probes), min(probes)
    lines = [
        f"# Queries and size, scale {large:g} against {small:g}",
        "",
        f"| page | queries {large:g} | queries {small:g} | kB {large:g} | kB {small:g} | flag |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, (queries, size) in probes[large].items():
        if label not in probes[small]:
            continue
        small_queries, small_size = probes[small][label]
        flags = []
        if queries != small_queries:
            flags.append("queries differ")
        if size > GROWS * small_size:
            flags.append("grows with the data")
        lines.append(
            f"| {label} | {queries} | {small_queries} | {size / 1024:,.0f} "
            f"| {small_size / 1024:,.0f} | {', '.join(flags)} |"
        )
    return "\n".join(lines) + "\n"
