"""deploy/gunicorn.conf.py as it is loaded by gunicorn's master, with its defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOAD = """
import json, runpy, sys
settings = runpy.run_path("deploy/gunicorn.conf.py")
names = ("worker_class", "max_requests", "max_requests_jitter", "preload_app", "workers")
print(json.dumps({
    **{name: settings[name] for name in names},
    "app_loaded": any(name == "app" or name.startswith("app.") for name in sys.modules),
    "libraries_loaded": all(name in sys.modules for name in settings["PRELOADED_LIBRARIES"]),
}))
"""


def _settings(**environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "WEB_"))}
    output = subprocess.run(
        [sys.executable, "-c", LOAD],
        cwd=ROOT,
        env={**env, **environment},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def test_workers_never_restart_together_and_take_a_request_only_when_free():
    settings = _settings()
    # a busy gthread worker queued requests behind its own while others idled (#17);
    # more threads: SIGSEGV under load (#13, #14)
    assert settings["worker_class"] == "sync" and "threads" not in settings
    # each worker restarts after a number of requests spread over half as many again
    assert settings["max_requests_jitter"] >= settings["max_requests"] / 2
    assert _settings(GUNICORN_MAX_REQUESTS="4000")["max_requests_jitter"] == 2000


def test_the_master_shares_the_libraries_but_not_the_application():
    settings = _settings()
    assert settings["libraries_loaded"]
    # a reload (HUP) must load the new release: the application is imported by each worker
    assert not settings["preload_app"] and not settings["app_loaded"]
