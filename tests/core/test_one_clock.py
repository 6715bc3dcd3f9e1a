"""One clock: what day it is depends on the city's time zone (app/tenancy/clock.py), not on
the server's. A file name, a deadline or a window read from `date.today()` or a naive
`datetime.now()` is a day off around midnight on a server in UTC; the code is read for them."""

from __future__ import annotations

import ast
from pathlib import Path

import app

SOURCES = Path(app.__file__).parent
CLOCK = SOURCES / "tenancy" / "clock.py"
# (class, method) read without a time zone: the server's local day or time.
SERVER_LOCAL = {("date", "today"), ("datetime", "today"), ("datetime", "utcnow")}


def _local_clock_reads(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if not isinstance(owner, ast.Name):
            continue
        call = (owner.id, node.func.attr)
        naive_now = call == ("datetime", "now") and not node.args and not node.keywords
        if call in SERVER_LOCAL or naive_now:
            lines.append(node.lineno)
    return lines


def test_no_code_reads_the_servers_local_day():
    found = [
        f"{path.relative_to(SOURCES.parent)}:{line}"
        for path in sorted(SOURCES.rglob("*.py"))
        if path != CLOCK
        for line in _local_clock_reads(ast.parse(path.read_text(), str(path)))
    ]
    assert found == [], "use app.tenancy.clock.today() / now() instead"


def test_the_reader_finds_what_it_forbids():
    sample = "date.today()\ndatetime.now()\ndatetime.utcnow()\ndatetime.now(UTC)\n"
    assert _local_clock_reads(ast.parse(sample)) == [1, 2, 3]
