"""Each of the four events reaches a city's system once, signed (Standard Webhooks), with
what it needs to fetch the record; a receiver that fails is tried again after the backoff;
a delivery job run twice, or taken up again after its worker died, sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from app import unit_of_work
from app.extensions import db
from app.jobs.models import JobRecord, JobStatus
from app.jobs.runner import perform
from app.meetings.models import Meeting
from app.organisations.models import OrganisationMember
from app.programmes import proposals
from app.programmes import services as programmes
from app.programmes.catalogue import Stage
from app.programmes.models import Programme
from app.regions import services as regions
from app.regions.models import Adoption
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.webhooks import services
from app.webhooks.catalogue import EventKind
from app.webhooks.models import Delivery
from tests import factories
from tests.conftest import log_in, post_form


def _deliveries(tenant) -> list[Delivery]:
    with tenant_scope(tenant.id):
        found = list(db.session.scalars(select(Delivery).order_by(Delivery.id)))
        for delivery in found:
            db.session.expunge(delivery)
        return found


def _submit_a_proposal(tenant, make_user) -> tuple[int, int]:
    today = clock.today()
    programme_id = factories.programme(tenant, stage="proposals_open").id
    user = make_user("h.hendrysiak@echo.org.pl")
    echo = factories.registration(tenant).organisation
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    with tenant_scope(tenant.id):
        programme = db.session.get_one(Programme, programme_id)
        programme.proposals_from = today - timedelta(days=1)
        programme.proposals_to = today + timedelta(days=14)
        db.session.commit()
        proposal = proposals.submit(
            programme,
            db.session.merge(echo),
            db.session.merge(user),
            "goals",
            "Dodać cel: współpraca z miastami partnerskimi Leszna.",
            "Miasta partnerskie to okazja do wymiany wolontariuszy.",
        )
        unit_of_work.commit()
        return proposal.id, programme_id


def _open_the_consultation(tenant) -> int:
    programme_id = factories.programme(
        tenant, year=2025, stage="proposals_review", complete=True
    ).id
    with tenant_scope(tenant.id):
        programme = db.session.get_one(Programme, programme_id)
        programme.consultation_from = clock.today()
        programme.consultation_to = clock.today() + timedelta(days=14)
        db.session.commit()
        programmes.move(programme, Stage.CONSULTATION, "staff")
        unit_of_work.commit()
    return programme_id


def _record_an_adoption(tenant, regions_) -> int:
    project = factories.standards_project(regions_["wielkopolskie"])
    standard = project.blocks[0].standards[0]
    with tenant_scope(tenant.id):
        adoption = regions.save_adoption(
            standard,
            0,
            {
                "status": "adopted",
                "evidence": "Uchwała nr XLII/512/2013 Rady Miejskiej Leszna",
                "decided_on": None,
                "notes": "",
            },
        )
        unit_of_work.commit()
        return adoption.id


def test_each_event_reaches_the_city_once_signed_with_its_record(
    tenants, regions, make_user, receiver, leszno_bip
):
    leszno = tenants["leszno"]
    proposal_id, proposed_to = _submit_a_proposal(leszno, make_user)
    programme_id = _open_the_consultation(leszno)
    meeting_id = factories.meeting(leszno)
    adoption_id = _record_an_adoption(leszno, regions)

    payloads = receiver.payloads(leszno_bip.secret)  # each signature verified
    assert [p["type"] for p in payloads] == [
        "proposal.submitted",
        "consultation.opened",
        "minutes.published",
        "adoption.changed",
    ]
    proposal, consultation, minutes, adoption = payloads
    assert proposal["data"]["id"] == proposal_id
    assert proposal["data"]["summary"]["element"] == "goals"
    assert proposal["data"]["links"]["api"].endswith(
        f"/api/v1/tenants/leszno/programmes/{proposed_to}/proposals"
    )
    assert consultation["data"]["id"] == programme_id
    assert consultation["data"]["links"]["page"].endswith(
        f"/leszno/programmes/{programme_id}/consultation"
    )
    assert minutes["data"] | {"links": None} == {
        "object": "meeting",
        "id": meeting_id,
        "links": None,
        "summary": {
            "title": "Spotkanie z organizacjami pozarządowymi",
            "held_on": "2023-07-13",
            "version": 1,
            "correction": False,
        },
    }
    assert minutes["data"]["links"]["api"].endswith(f"/api/v1/tenants/leszno/meetings/{meeting_id}")
    assert adoption["data"]["id"] == adoption_id
    assert adoption["data"]["summary"]["status"] == "adopted"
    assert adoption["data"]["summary"]["review_status"] == "pending"
    for payload, request in zip(payloads, receiver.received, strict=True):
        assert payload["tenant"] == "leszno"
        assert request.headers["webhook-id"] == payload["id"]
        assert request.headers["Content-Type"] == "application/json"
    deliveries = _deliveries(leszno)
    assert [d.state for d in deliveries] == ["delivered"] * 4
    assert [d.attempts for d in deliveries] == [1] * 4
    assert deliveries[2].last_status == 200 and '"ok"' in deliveries[2].last_response


def test_a_city_hears_only_its_own_events_and_only_those_it_chose(tenants, receiver, subscribe):
    subscribe("leszno", receiver.url, events=[EventKind.PROPOSAL_SUBMITTED])
    other = subscribe("krakow", receiver.url, events=[EventKind.MINUTES_PUBLISHED])

    factories.meeting(tenants["leszno"])  # Leszno chose proposals only
    assert receiver.received == []
    factories.meeting(tenants["krakow"])
    [payload] = receiver.payloads(other.secret)
    assert payload["tenant"] == "krakow"
    assert _deliveries(tenants["leszno"]) == []


def test_a_deactivated_subscription_hears_nothing(tenants, receiver, leszno_bip):
    with tenant_scope(tenants["leszno"].id):
        services.deactivate(db.session.merge(leszno_bip))
        unit_of_work.commit()
    factories.meeting(tenants["leszno"])
    assert receiver.received == [] and _deliveries(tenants["leszno"]) == []


def test_a_failing_receiver_is_tried_again_after_the_backoff(app, tenants, receiver, leszno_bip):
    receiver.answers = [500, 503]
    before = clock.now()
    factories.meeting(tenants["leszno"])

    [delivery] = _deliveries(tenants["leszno"])
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert "Błąd serwera BIP" in delivery.last_response
    waited = delivery.next_attempt_at - before
    assert timedelta(seconds=60) <= waited < timedelta(seconds=70), "1 minute first"

    _retry_when_due(tenants["leszno"], delivery.id)
    [delivery] = _deliveries(tenants["leszno"])
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 2, 503)
    waited = delivery.next_attempt_at - delivery.last_attempt_at
    assert waited == timedelta(seconds=300), "then 5 minutes"

    _retry_when_due(tenants["leszno"], delivery.id)
    [delivery] = _deliveries(tenants["leszno"])
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 3, 200)
    assert [entry["status"] for entry in delivery.attempt_log] == [500, 503, 200]
    assert "retry_at" in delivery.attempt_log[0] and "retry_at" not in delivery.attempt_log[2]
    # the same event each time: the receiver drops repeats by its id
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 1
    assert len(receiver.payloads(leszno_bip.secret)) == 3


def _retry_when_due(tenant, delivery_id: int) -> None:
    """What the queue's scheduler does when the wait is over: the delivery's waiting job
    runs (here the wait is cut short, the clock being the one the signature carries)."""
    with tenant_scope(tenant.id):
        db.session.execute(
            text("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = :id"),
            {"id": delivery_id},
        )
        waiting = db.session.scalars(
            select(JobRecord.id).where(JobRecord.status == JobStatus.QUEUED)
        ).all()
        unit_of_work.commit()
    assert len(waiting) == 1, "one job waits for the next attempt"
    perform(waiting[0])


def test_a_receiver_that_never_accepts_is_given_up_after_the_last_retry(
    app, tenants, receiver, leszno_bip, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SECONDS", (60, 300))
    receiver.answers = [500, 500, 500, 200]
    factories.meeting(tenants["leszno"])
    [delivery] = _deliveries(tenants["leszno"])
    _retry_when_due(tenants["leszno"], delivery.id)
    _retry_when_due(tenants["leszno"], delivery.id)

    [delivery] = _deliveries(tenants["leszno"])
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert len(receiver.received) == 3


def test_the_delivery_job_run_twice_sends_once(tenants, receiver, leszno_bip):
    factories.meeting(tenants["leszno"])
    assert len(receiver.received) == 1
    with tenant_scope(tenants["leszno"].id):
        [job] = db.session.scalars(select(JobRecord)).all()
        job_id, delivery_id = job.id, job.arguments["delivery_id"]
        # the queue hands the same job over again (at least once) ...
    perform(job_id)
    # ... and a second job for the same delivery, as a sweep that took it for lost would
    with tenant_scope(tenants["leszno"].id):
        services.enqueue(services.DELIVER_JOB, delivery_id=delivery_id)
        unit_of_work.commit()
    assert len(receiver.received) == 1


def test_a_job_taken_up_again_after_its_worker_died_delivers_once(
    tenants, receiver, leszno_bip, monkeypatch
):
    """The worker died before the attempt: the job stays "running" with a stopped
    heartbeat; taken up again, it delivers, once."""
    from app.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda *args, **kwargs: None)  # the worker dies
    factories.meeting(tenants["leszno"])
    monkeypatch.undo()
    assert receiver.received == []
    with tenant_scope(tenants["leszno"].id):
        [job] = db.session.scalars(select(JobRecord)).all()
        job.status, job.attempts = JobStatus.RUNNING.value, 1
        job.heartbeat_at = clock.now() - timedelta(minutes=5)
        job_id = job.id
        unit_of_work.commit()

    perform(job_id)
    perform(job_id)
    assert len(receiver.received) == 1
    [delivery] = _deliveries(tenants["leszno"])
    assert delivery.state == "delivered"


def test_an_event_announced_twice_is_delivered_once(tenants, receiver, leszno_bip):
    meeting_id = factories.meeting(tenants["leszno"], published=False)
    with tenant_scope(tenants["leszno"].id):
        meeting = db.session.get_one(Meeting, meeting_id)
        services.announce(EventKind.MINUTES_PUBLISHED, meeting, version_number=1)
        services.announce(EventKind.MINUTES_PUBLISHED, meeting, version_number=1)
        unit_of_work.commit()
    assert len(receiver.received) == 1
    assert len(_deliveries(tenants["leszno"])) == 1


def test_a_delivery_another_run_holds_is_left_to_it(
    tenants, receiver, leszno_bip, owner, monkeypatch
):
    """Two workers on the same delivery: the one that finds its row locked sends nothing."""
    from app.jobs import queue

    monkeypatch.setattr(queue, "dispatch", lambda *args, **kwargs: None)
    factories.meeting(tenants["leszno"])
    monkeypatch.undo()
    with tenant_scope(tenants["leszno"].id):
        [job] = db.session.scalars(select(JobRecord)).all()
        job_id = job.id
    with owner.begin() as other_worker:
        other_worker.execute(text("SELECT id FROM webhook_deliveries FOR UPDATE"))
        perform(job_id)
        assert receiver.received == []


def test_the_coordinators_review_of_the_adoption_is_an_event_of_the_city(
    app, tenants, regions, make_user, receiver, leszno_bip
):
    """Accepted in the region's view, the change is told to the city's system, as the
    city's event (the coordinator acts in the region, the adoption is the city's)."""
    adoption_id = _record_an_adoption(tenants["leszno"], regions)
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    coordinator = app.test_client()
    log_in(coordinator, "p.zielinski@umww.pl")
    with tenant_scope(tenants["leszno"].id):
        project_id = db.session.get_one(Adoption, adoption_id).standard.block.project_id
    url = f"/regions/wielkopolskie/projects/{project_id}/reviews/{adoption_id}"
    answer = post_form(coordinator, url, {"comment": "Zgodnie z uchwałą.", "accept": "1"})
    assert answer.status_code == 302

    recorded, reviewed = receiver.payloads(leszno_bip.secret)
    assert recorded["id"] != reviewed["id"]
    assert reviewed["tenant"] == "leszno" and reviewed["data"]["id"] == adoption_id
    assert reviewed["data"]["summary"]["review_status"] == "accepted"
    assert reviewed["data"]["links"]["page"].endswith(
        f"/leszno/standards/{reviewed['data']['summary']['standard_id']}/record"
    )
