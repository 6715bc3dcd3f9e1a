"""Every kind of notification reaches the mail server once, though the worker sending it
is killed in the middle of the job (before or after the server accepted the e-mail) and a
new worker takes the job up again: a real RQ worker, the real Redis and an SMTP peer."""

from __future__ import annotations

import time
from collections import Counter
from itertools import cycle

from flask_babel import force_locale
from rq import Retry

from app import unit_of_work
from app.jobs import queue
from app.jobs.models import JobStatus
from app.notifications import services
from app.notifications.catalogue import KIND_LABELS, Delivery, Kind
from app.tenancy.context import acting_as, tenant_scope
from tests import factories

# The two ways a worker dies mid-job (tests/jobs/worker_faults.py), taken in turn by the kinds.
FAULTS = ("die_in_the_middle_of_the_first_run", "die_after_sending_on_the_first_run")
ADDRESS = "h.hendrysiak@echo.org.pl"


def _labels() -> dict[Kind, str]:
    with force_locale("pl"):
        return {kind: str(KIND_LABELS[kind]) for kind in Kind}


def test_every_kind_is_mailed_once_though_its_worker_dies_mid_job(
    app, redis_queue, mailbox, make_user, tenants, monkeypatch
):
    person = make_user(ADDRESS, name="Hanna Hendrysiak", locale="pl")
    faults = cycle(FAULTS)
    records: list[str] = []

    def through_a_dying_worker(record_id: str, name: str, attempts_made: int = 0) -> None:
        records.append(record_id)
        queue.queue_for(name).enqueue(
            f"tests.jobs.worker_faults.{next(faults)}", record_id, job_id=record_id, retry=Retry(1)
        )

    monkeypatch.setattr(queue, "dispatch", through_a_dying_worker)
    with redis_queue(retry_intervals=(0,)), tenant_scope(tenants["leszno"].id):
        for kind in Kind:
            with acting_as(person.id):  # a person's own choice, behind their wall
                services.choose(person, kind, Delivery.IMMEDIATELY)
            services.notify(
                kind,
                [person],
                about=f"delivered-once-{kind.value}",
                title=_labels()[kind],
                link="http://localhost/leszno/",
            )
        unit_of_work.commit()
    assert len(records) == len(Kind)

    for _restart in range(len(Kind) + 1):  # each kind's first run kills its worker
        redis_queue.run_worker(check=False, JOB_HEARTBEAT_SECONDS="1")
        if all(factories.job(r).status == JobStatus.DONE for r in records):
            break
        time.sleep(3.5)  # three heartbeats missed: the next worker takes the job up again

    finished = [factories.job(r) for r in records]
    assert {(job.status, job.attempts) for job in finished} == {(JobStatus.DONE, 2)}
    subjects = Counter(m["Subject"] for m in mailbox.messages if m["To"] == ADDRESS)
    assert subjects == Counter(_labels().values())
