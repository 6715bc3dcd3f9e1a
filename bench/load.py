"""One page under load: wrk from a second process, the workers' memory sampled meanwhile,
gunicorn's log read for restarts and crashes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from bench.stack import USER_AGENT, Gunicorn

LUA = Path(__file__).with_name("report.lua")
CRASH = re.compile(r"SIGSEGV|was sent SIG|Worker exited|exited with code")


@dataclass
class Load:
    requests: int  # answered within the window (wrk does not count those still running)
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    restarts: int
    crashes: int
    peak_rss_mb: float  # the highest VmHWM of a worker serving the page


def ensure_wrk() -> str:
    """wrk from Debian, installed as scripts/test installs chromium when it is missing."""
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def drive(
    server: Gunicorn, path: str, headers: dict[str, str], seconds: int, connections: int
) -> Load:
    log_start = server.log_size()
    memory = _MemorySampler(server)
    memory.start()
    try:
        summary = _wrk(server.base + path, headers, seconds, connections)
    finally:
        memory.stop()
    log = server.log_text(log_start)
    return Load(
        requests=summary["requests"],
        requests_per_second=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50"] / 1000,
        p95_ms=summary["p95"] / 1000,
        p99_ms=summary["p99"] / 1000,
        errors=sum(summary[k] for k in ("connect", "read", "write", "status", "timeout")),
        restarts=log.count("Booting worker"),
        crashes=len(CRASH.findall(log)),
        peak_rss_mb=memory.peak_kb / 1024,
    )


def _wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict:
    command = [
        ensure_wrk(),
        *("-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"),
        *("-s", str(LUA)),
        *(
            item
            for name, value in {"User-Agent": USER_AGENT, **headers}.items()
            for item in ("-H", f"{name}: {value}")
        ),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


class _MemorySampler(threading.Thread):
    """The peak resident memory (VmHWM) of every worker alive while the page is driven."""

    def __init__(self, server: Gunicorn) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.peak_kb = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(0.5):
            self._sample()

    def stop(self) -> None:
        self._sample()
        self._stopped.set()
        self.join()

    def _sample(self) -> None:
        for pid in self.server.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue  # recycled in the meantime
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                self.peak_kb = max(self.peak_kb, int(match.group(1)))
