"""One clock: what day it is depends on the city's time zone (app/tenancy/clock.py), not on
the server's, and tests move that clock to put a request exactly on a deadline. A file name,
a deadline or a window read from `date.today()` or a naive `datetime.now()` is a day off
around midnight on a server in UTC; one read from `datetime.now(UTC)` ignores the clock tests
move. Only the job runner, which times its own work, reads the machine's time; the code is
read for the rest, and so are the tests, whose days would otherwise be a day off the
application's around midnight too."""

from __future__ import annotations

import ast
from pathlib import Path

import app

SOURCES = Path(app.__file__).parent
TESTS = Path(__file__).parents[1]
ALLOWED = {SOURCES / "tenancy" / "clock.py", *(SOURCES / "jobs").glob("*.py")}
# (class, method): the machine's day or time, local or not.
MACHINE_CLOCK = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("datetime", "now"),
}


def _machine_clock_reads(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in MACHINE_CLOCK
    ]


def _files_reading_the_machines_clock(folder: Path, allowed=frozenset()) -> list[str]:
    return [
        f"{path.relative_to(folder.parent)}:{line}"
        for path in sorted(folder.rglob("*.py"))
        if path not in allowed
        for line in _machine_clock_reads(ast.parse(path.read_text(), str(path)))
    ]


def test_only_the_clock_and_the_job_runner_read_the_machines_time():
    found = _files_reading_the_machines_clock(SOURCES, ALLOWED)
    assert found == [], "use app.tenancy.clock.today() / now() instead"


def test_tests_read_the_day_from_the_same_clock():
    found = _files_reading_the_machines_clock(TESTS)
    assert found == [], "use app.tenancy.clock.today() / now() instead"


def test_the_reader_finds_what_it_forbids():
    sample = "date.today()\ndatetime.now()\ndatetime.utcnow()\ndatetime.now(UTC)\nclock.now()\n"
    assert _machine_clock_reads(ast.parse(sample)) == [1, 2, 3, 4]
