"""A long load run on the real topology (tests/deploy/stack.py, with the demo data): wrk
through nginx for some minutes, then what held: requests, errors, gunicorn worker restarts,
crashes in the logs, and each gunicorn worker's memory at the start and at the end.

    make soak                      # 10 minutes
    make soak SOAK_MINUTES=5 SOAK_CONNECTIONS=20

Not part of `make test`: it takes minutes and both cores."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import free_port
from tests.deploy.stack import Stack

SCRIPT = Path(__file__).with_name("soak.lua")
CRASHES = re.compile(r"SIGSEGV|signal 11|Segmentation fault|core dumped|WORKER TIMEOUT")


def worker_memory(stack: Stack) -> dict[int, int]:
    """Resident memory (kB) of each gunicorn worker, by pid."""
    memory = {}
    for master in stack.gunicorns:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        for pid in map(int, children):
            status = Path(f"/proc/{pid}/status").read_text()
            memory[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return memory


def in_logs(stack: Stack, pattern: re.Pattern | str) -> list[str]:
    lines = []
    for log in sorted(stack.folder.glob("*.log")):
        lines += [f"{log.name}: {line}" for line in log.read_text().splitlines()]
    return [line for line in lines if re.search(pattern, line)]


def load(stack: Stack, minutes: float, connections: int) -> str:
    command = [
        *("wrk", "--threads", "2", "--connections", str(connections)),
        *("--duration", f"{int(minutes * 60)}s", "--timeout", "30s", "--latency"),
        *("--script", str(SCRIPT), stack.base),
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def figure(report: str, pattern: str) -> int:
    found = re.search(pattern, report)
    return sum(int(n) for n in found.groups()) if found else 0


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--minutes", type=float, default=10)
    options.add_argument("--connections", type=int, default=20)
    arguments = options.parse_args()

    stack = Stack(mail_port=free_port())
    try:
        stack.flask("demo", "load", RAZEM_ENV="development")
        boots_at_start = len(in_logs(stack, "Booting worker"))
        memory_at_start = worker_memory(stack)
        report = load(stack, arguments.minutes, arguments.connections)
        memory_at_end = worker_memory(stack)
        alive = all(process.poll() is None for process in (*stack.gunicorns, stack.nginx))
        restarts = len(in_logs(stack, "Booting worker")) - boots_at_start
        crashes = in_logs(stack, CRASHES)
    finally:
        stack.stop()

    requests = figure(report, r"(\d+) requests in")
    errors = figure(report, r"Non-2xx or 3xx responses: (\d+)") + figure(
        report, r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    )
    print(report)
    print(f"requests {requests}, errors {errors} (non-2xx/3xx and socket errors)")
    print(
        f"gunicorn worker restarts {restarts} (max_requests recycling included;"
        f" {boots_at_start} boots before the load)"
    )
    print(f"crashes in the logs {len(crashes)}", *crashes[:20], sep="\n  ")
    print(f"gunicorns and nginx alive at the end: {alive}")
    for name, memory in (("start", memory_at_start), ("end", memory_at_end)):
        sizes = ", ".join(f"{pid}: {kb / 1024:.0f} MB" for pid, kb in sorted(memory.items()))
        print(f"worker RSS at the {name}: {sizes}")
    return 0 if alive and not errors and not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
