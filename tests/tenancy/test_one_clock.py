"""Business rules read the one clock (app/tenancy/clock.py): the city's day, and a clock that
tests move to put a request exactly on a deadline. Only the job runner, which times its own
work, reads the machine's."""

import ast
from pathlib import Path

import app

APP = Path(app.__file__).parent
MACHINE_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today")}
ALLOWED = {APP / "tenancy" / "clock.py", *(APP / "jobs").glob("*.py")}


def machine_clock_reads(path: Path) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in MACHINE_CLOCK
    ]


def test_only_the_clock_and_the_job_runner_read_the_machines_time():
    found = {
        f"{path.relative_to(APP.parent)}:{line}"
        for path in APP.rglob("*.py")
        if path not in ALLOWED
        for line in machine_clock_reads(path)
    }
    assert not found, f"read app.tenancy.clock instead: {sorted(found)}"


def test_the_guard_sees_a_read_of_the_machines_time(tmp_path):
    module = tmp_path / "rule.py"
    module.write_text("from datetime import date\n\ndef due():\n    return date.today()\n")
    assert machine_clock_reads(module) == [4]
