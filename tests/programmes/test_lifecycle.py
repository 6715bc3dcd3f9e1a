"""The programme's life after the council: adoption moves the stage, the adopted text is
frozen on every door and changes only by an amendment; windows end when announced, or
earlier only by a recorded decision; bad input about periods and steps gets a message."""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes import consultation, services
from app.programmes.models import Programme, Transition
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form
from tests.sweeps import api_body

LESZNO = partial(datetime, tzinfo=ZoneInfo("Europe/Warsaw"))
EN = {"Accept-Language": "en"}


@pytest.fixture
def admin(client, make_user):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    return client


def _programme(programme_id: int, tenants) -> Programme:
    """Read fresh, with what the tests look at loaded while in the city's scope."""
    with tenant_scope(tenants["leszno"].id):
        db.session.expire_all()
        programme = db.session.get(Programme, programme_id)
        for loaded in ("transitions", "versions", "milestones", "early_closings", "amendments"):
            getattr(programme, loaded)
        programme.text("goals")
        consultation.as_text(programme)
        return programme


def _adopted(tenants, **values) -> int:
    """A complete programme the council adopted, with its adopted text published."""
    programme_id = factories.programme(tenants["leszno"], stage="final", complete=True).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        services.record_adoption(programme, "LXIV/870/2023", date(2023, 11, 23), "admin")
        for name, value in values.items():
            setattr(programme, name, value)
        db.session.commit()
    return programme_id


# -- adoption ---------------------------------------------------------------------------


def test_recording_the_adoption_moves_the_programme_to_adopted(admin, tenants):
    programme = factories.programme(tenants["leszno"], stage="final", complete=True)
    resolution = b"%PDF-1.4\n% Uchwala LXIV/870/2023\n%%EOF"
    response = post_form(
        admin,
        f"/leszno/programmes/{programme.id}/adoption",
        {
            "resolution_number": "LXIV/870/2023",
            "resolution_date": "2023-11-23",
            "resolution_file": (io.BytesIO(resolution), "uchwała.pdf"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
        headers=EN,
    )
    assert "the programme is adopted" in response.get_data(as_text=True)
    stored = _programme(programme.id, tenants)
    assert stored.stage == "adopted"
    assert [(t.from_stage, t.to_stage) for t in stored.transitions] == [("final", "adopted")]
    assert "LXIV/870/2023" in stored.transitions[0].note
    assert stored.versions[-1].label == "adopted"
    with tenant_scope(tenants["leszno"].id):
        audited = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Transition")
        ).all()
    assert [e.user.email for e in audited] == ["a.szymanska@leszno.pl"]


def test_adoption_is_recorded_for_the_final_version_only(admin, tenants):
    programme = factories.programme(tenants["leszno"], stage="opinions", complete=True)
    response = post_form(
        admin,
        f"/leszno/programmes/{programme.id}/adoption",
        {"resolution_number": "LXIV/870/2023", "resolution_date": "2023-11-23"},
        follow_redirects=True,
        headers=EN,
    )
    assert "The council adopts the final version" in response.get_data(as_text=True)
    stored = _programme(programme.id, tenants)
    assert stored.stage == "opinions" and stored.resolution_number is None


# -- adopted means frozen: every door ----------------------------------------------------

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that must stay open after adoption, and why.
LIFECYCLE_ROUTES = {
    "programmes.move": "moves to in force and to reported",
    "api_programmes.Transitions": "the same stage moves through the API",
    "api_programmes.move": "the stage moves through the API, as on the page",
    "api_programmes.update_report": "the annual report through the API",
    "api_programmes.file_year_report": "the report on each year through the API",
    "api_programmes.start_amendment": "the amendment through the API",
    "api_programmes.record_amendment": "the amending resolution through the API",
    "programmes.report": "the annual report is written after the year",
    "programmes.file_year_report": "the report on each year is written after the year",
    "programmes.export": "documents of the adopted text",
    "api_exports.programmes_export": "documents of the adopted text, through the API",
    "programmes.start_amendment": "the way to change an adopted text",
    "programmes.record_amendment": "the amending resolution",
    # the schedule is the plan of the cycle's work, not a part of the adopted resolution
    "programmes.schedule": "the work schedule of the cycle",
    "api_programmes.Milestones": "the work schedule of the cycle",
}
# A route that takes input only in its window answers 410 Gone when it is closed.
REFUSED = {403, 409, 410}
OTHER_PARAMETERS = {"window": "consultation"}


def _frozen_routes(app):
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & WRITE_METHODS
        if "programme_id" in rule.arguments and methods:
            for method in sorted(methods):
                yield rule, method


def _required_roles(app, rule, method: str) -> tuple:
    view = app.view_functions[rule.endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(handler, "required_roles", ())


def test_every_route_that_writes_to_an_adopted_programme_is_refused(app, make_user, tenants):
    """Generated from the URL map: a new route taking a programme is covered by itself."""
    # the admin acts for an organisation too, so that proposing meets the window rule
    people = [make_user("admin@leszno.pl", leszno="admin"), make_user("ngo@leszno.pl")]
    organisation = factories.registration(tenants["leszno"]).organisation
    for person in people:
        db.session.add(OrganisationMember(organisation_id=organisation.id, user=person))
    db.session.commit()
    clients = {"admin": app.test_client(), "ngo": app.test_client()}
    tokens = {}
    for role, email in (("admin", "admin@leszno.pl"), ("ngo", "ngo@leszno.pl")):
        log_in(clients[role], email)
        tokens[role] = (
            clients[role]
            .post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
            .json["token"]
        )
    programme_id = _adopted(tenants)
    before = _programme(programme_id, tenants)
    text_before, version_before = consultation.as_text(before), before.lock_version
    document = clients["admin"].get("/api/v1/openapi.json").json
    checked = []
    for rule, method in _frozen_routes(app):
        if rule.endpoint in LIFECYCLE_ROUTES:
            continue
        unknown = set(rule.arguments) - {"tenant_slug", "programme_id", *OTHER_PARAMETERS}
        assert not unknown, f"{rule.rule}: add {unknown} to OTHER_PARAMETERS"
        values = {k: v for k, v in OTHER_PARAMETERS.items() if k in rule.arguments}
        with app.test_request_context():
            url = app.url_for(
                rule.endpoint, tenant_slug="leszno", programme_id=programme_id, **values
            )
        role = "ngo" if _required_roles(app, rule, method) == ("ngo",) else "admin"
        if rule.rule.startswith("/api/"):
            body = api_body(document, rule, method, {"organisation_id": organisation.id})
            response = clients[role].open(
                url,
                method=method,
                **body,
                headers={"Authorization": f"Bearer {tokens[role]}", **EN},
            )
        else:
            response = post_form(clients[role], url, headers=EN)
        assert response.status_code in REFUSED, (
            f"{method} {rule.rule} answered {response.status_code}: refuse an adopted "
            "programme before validating the input, or add it to LIFECYCLE_ROUTES"
        )
        if response.status_code == 409:
            assert "amendment" in response.get_data(as_text=True), rule.rule
        checked.append(rule.rule)
    after = _programme(programme_id, tenants)
    assert consultation.as_text(after) == text_before and after.lock_version == version_before
    assert len(checked) >= 6, checked


def test_an_adopted_programme_says_how_to_change_it(admin, tenants):
    programme_id = _adopted(tenants)
    response = admin.get(f"/leszno/programmes/{programme_id}/edit", headers=EN)
    assert response.status_code == 409
    assert "start an amendment" in response.get_data(as_text=True)
    page = admin.get(f"/leszno/programmes/{programme_id}", headers=EN).get_data(as_text=True)
    assert "Edit the content" not in page and "Start an amendment" in page


def test_the_frozen_rule_is_one_function_the_access_policy_can_ask(app_context, tenants):
    programme_id = _adopted(tenants)
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        assert not services.content_editable(programme)
        services.start_amendment(programme, "Zwiększenie budżetu programu")
        assert services.content_editable(programme)


# -- the amendment path -----------------------------------------------------------------


def test_an_amendment_changes_the_adopted_text_and_keeps_the_earlier_one(
    admin, client, tenants, app
):
    programme_id = _adopted(tenants)
    url = f"/leszno/programmes/{programme_id}"
    started = post_form(admin, f"{url}/amendments", {"reason": "Nowy cel: wolontariat."})
    assert started.status_code == 302 and started.location.endswith("/edit")
    edit = admin.get(f"{url}/edit")
    version = edit.get_data(as_text=True).split('name="version" type="hidden" value="')[1]
    saved = post_form(
        admin,
        f"{url}/edit",
        {
            "version": version.split('"')[0],
            "title": "Roczny Program Współpracy",
            "goals": "Cel główny po zmianie: wolontariat.",
            "budget": "1300000",
        },
    )
    assert saved.status_code == 302
    # until the council adopts it, the public reads the adopted text
    anonymous = app.test_client()
    public = anonymous.get(url, headers=EN).get_data(as_text=True)
    assert "Treść: goals" in public and "po zmianie" not in public
    assert "An amendment of this programme is being prepared" in public
    recorded = post_form(
        admin,
        f"{url}/amendments/resolution",
        {"resolution_number": "XII/150/2024", "resolution_date": "2024-03-28"},
    )
    assert recorded.status_code == 302
    stored = _programme(programme_id, tenants)
    assert stored.is_frozen and stored.stage == "adopted"
    assert [v.label for v in stored.versions][-2:] == ["adopted", "amended"]
    assert stored.versions[-2].content["goals"] == "Treść: goals"  # the adopted text is kept
    public = anonymous.get(url, headers=EN).get_data(as_text=True)
    assert "Cel główny po zmianie: wolontariat." in public
    assert "Amended by resolution No XII/150/2024 of 28.03.2024." in public
    versions = anonymous.get(f"{url}/versions", headers=EN).get_data(as_text=True)
    assert "text as amended" in versions and "adopted text" in versions
    assert admin.get(f"{url}/edit").status_code == 409  # frozen again


# -- windows: one rule, one clock --------------------------------------------------------


def _consulting(tenants) -> int:
    programme_id = factories.programme(tenants["leszno"], stage="consultation", complete=True).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.consultation_from = date(2023, 11, 15)
        programme.consultation_to = date(2023, 12, 20)
        db.session.commit()
    return programme_id


def test_consultation_cannot_end_before_its_announced_end(admin, tenants, monkeypatch):
    programme_id = _consulting(tenants)
    monkeypatch.setattr(clock, "now", lambda: LESZNO(2023, 11, 29, 10))
    url = f"/leszno/programmes/{programme_id}"
    refused = post_form(
        admin, f"{url}/stage", {"stage": "opinions"}, follow_redirects=True, headers=EN
    )
    assert "announced until 20.12.2023" in refused.get_data(as_text=True)
    assert _programme(programme_id, tenants).stage == "consultation"

    without_reason = post_form(admin, f"{url}/windows/consultation/close", {"reason": ""})
    assert without_reason.status_code == 302
    assert _programme(programme_id, tenants).early_closings == []

    post_form(
        admin,
        f"{url}/windows/consultation/close",
        {"reason": "Rada Miasta zbiera się 30.11; uwagi zebrano na spotkaniu."},
    )
    post_form(admin, f"{url}/stage", {"stage": "opinions"})
    stored = _programme(programme_id, tenants)
    assert stored.stage == "opinions"
    closing = stored.early_closings[0]
    assert closing.closed_by.email == "a.szymanska@leszno.pl"
    assert closing.closed_at == LESZNO(2023, 11, 29, 10)
    public = admin.get(url).get_data(as_text=True)
    assert "Konsultacje zakończono wcześniej, 29.11.2023: Rada Miasta zbiera się 30.11" in public


def test_only_the_admin_closes_a_window_early(client, make_user, tenants, monkeypatch):
    programme_id = _consulting(tenants)
    monkeypatch.setattr(clock, "now", lambda: LESZNO(2023, 11, 29, 10))
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    response = post_form(
        client, f"/leszno/programmes/{programme_id}/windows/consultation/close", {"reason": "x"}
    )
    assert response.status_code == 403


def _proposal_window(tenants, ngo) -> tuple[str, dict]:
    programme_id = factories.programme(tenants["leszno"], stage="proposals_open").id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from, programme.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        db.session.commit()
    return f"/leszno/programmes/{programme_id}/proposals/new", {
        "organisation_id": ngo.id,
        "element": "goals",
        "proposed_text": "Dodać cel: wolontariat.",
    }


def _consultation_window(tenants, ngo) -> tuple[str, dict]:
    programme_id = _consulting(tenants)
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.consultation_from, programme.consultation_to = (
            date(2023, 7, 13),
            date(2023, 7, 27),
        )
        db.session.commit()
    return f"/leszno/programmes/{programme_id}/comments", {
        "organisation_id": ngo.id,
        "element": "goals",
        "body": "Dopisać cel dotyczący wolontariatu.",
    }


def _registration_window(tenants, ngo) -> tuple[str, dict]:
    from app.meetings.models import Meeting

    meeting_id = factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.held_on, meeting.registration_deadline = date(2023, 8, 3), date(2023, 7, 27)
        meeting.registration_open = True
        db.session.commit()
    return f"/leszno/meetings/{meeting_id}/register", {
        "name": "Jan Kowalski",
        "email": "jan@example.org",
    }


@pytest.mark.parametrize(
    "window",
    [_proposal_window, _consultation_window, _registration_window],
    ids=lambda w: w.__name__,
)
@pytest.mark.parametrize(
    ("moment", "taken"),
    [(LESZNO(2023, 7, 27, 23, 59, 59), True), (LESZNO(2023, 7, 28, 0, 0, 0), False)],
    ids=["last-second", "next-midnight"],
)
def test_every_window_ends_at_midnight_after_its_last_day_in_the_citys_time_zone(
    client, make_user, tenants, monkeypatch, window, moment, taken
):
    representative = make_user("ngo@leszno.pl")
    ngo = factories.registration(tenants["leszno"]).organisation
    db.session.add(OrganisationMember(organisation_id=ngo.id, user=representative))
    db.session.commit()
    log_in(client, "ngo@leszno.pl")
    url, data = window(tenants, ngo)
    monkeypatch.setattr(clock, "now", lambda: moment)
    post_form(client, url, data)
    with tenant_scope(tenants["leszno"].id):
        from app.meetings.models import EventRegistration
        from app.programmes.models import Comment, Proposal

        stored = sum(
            db.session.scalar(select(db.func.count()).select_from(model))
            for model in (Proposal, Comment, EventRegistration)
        )
    assert stored == (1 if taken else 0)


def test_the_window_object_answers_in_the_citys_time(app_context):
    window = clock.Window.of_days(date(2023, 7, 13), date(2023, 7, 27))
    assert not window.is_open(LESZNO(2023, 7, 12, 23, 59, 59))
    assert window.opens_in(LESZNO(2023, 7, 12, 23, 0)).total_seconds() == 3600
    assert window.is_open(LESZNO(2023, 7, 13))
    assert window.days_left(LESZNO(2023, 7, 25, 12)) == 2
    assert window.days_left(LESZNO(2023, 7, 27, 23, 59)) == 0
    assert window.has_ended(LESZNO(2023, 7, 28))
    early = clock.Window.of_days(
        date(2023, 7, 13), date(2023, 7, 27), closed_early_at=LESZNO(2023, 7, 20, 12)
    )
    assert early.closed_early and early.has_ended(LESZNO(2023, 7, 20, 12))
    assert early.last_day == date(2023, 7, 20)


# -- bad input gets a message, not a 500 ------------------------------------------------


def test_a_one_day_step_of_the_schedule_is_shown_as_one_date(admin, tenants):
    programme = factories.programme(tenants["leszno"])
    response = post_form(
        admin,
        f"/leszno/programmes/{programme.id}/schedule",
        {
            "milestones-0-title": "Ogłoszenie naboru propozycji",
            "milestones-0-starts_on": "2023-07-13",
            "milestones-0-status": "done",
        },
    )
    assert response.status_code == 302
    stored = _programme(programme.id, tenants)
    assert [(m.starts_on, m.ends_on) for m in stored.milestones] == [
        (date(2023, 7, 13), date(2023, 7, 13))
    ]
    page = admin.get(f"/leszno/programmes/{programme.id}").get_data(as_text=True)
    assert "<td>13.07.2023</td>" in page


def test_a_one_day_step_through_the_api(admin, tenants):
    programme = factories.programme(tenants["leszno"])
    token = admin.post(
        "/api/v1/auth/token", json={"email": "a.szymanska@leszno.pl", "password": PASSWORD}
    ).json["token"]
    url = f"/api/v1/tenants/leszno/programmes/{programme.id}"
    bearer = {"Authorization": f"Bearer {token}"}
    response = admin.put(
        f"{url}/milestones",
        json=[{"title": "Ogłoszenie naboru", "starts_on": "2023-07-13"}],
        headers=bearer | {"If-Match": admin.get(url, headers=bearer).headers["ETag"]},
    )
    assert response.status_code == 200
    assert response.json[0]["ends_on"] == "2023-07-13"


def test_a_step_without_a_start_gets_a_message(admin, tenants):
    programme = factories.programme(tenants["leszno"])
    response = post_form(
        admin,
        f"/leszno/programmes/{programme.id}/schedule",
        {"milestones-0-title": "Konsultacje", "milestones-0-status": "planned"},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Give the date this step starts on." in response.get_data(as_text=True)


def test_a_second_programme_for_the_same_year_is_a_form_error(admin, tenants):
    factories.programme(tenants["leszno"], year=2024)
    response = post_form(
        admin,
        "/leszno/programmes/new",
        {"kind": "annual", "year_from": "2024", "year_to": "2024", "title": "Mój nowy program"},
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already a programme of this kind starting in 2024" in page
    assert 'value="Mój nowy program"' in page  # the input is kept


def test_a_second_programme_for_the_same_year_through_the_api(admin, tenants):
    factories.programme(tenants["leszno"], year=2024)
    token = admin.post(
        "/api/v1/auth/token", json={"email": "a.szymanska@leszno.pl", "password": PASSWORD}
    ).json["token"]
    response = admin.post(
        "/api/v1/tenants/leszno/programmes",
        json={"kind": "annual", "year_from": 2024, "year_to": 2024, "title": "Program"},
        headers={"Authorization": f"Bearer {token}", **EN},
    )
    assert response.status_code == 422
    assert "year_from" in str(response.json["errors"])


def test_copying_into_a_taken_year_is_a_message(admin, tenants):
    factories.programme(tenants["leszno"], year=2023, stage="reported", complete=True)
    deleted = factories.programme(tenants["leszno"], year=2024)
    with tenant_scope(tenants["leszno"].id):
        db.session.get(Programme, deleted.id).deleted_at = clock.now()
        db.session.commit()
    response = post_form(admin, "/leszno/programmes/copy", headers=EN)
    assert response.status_code == 422
    assert "already a programme of this kind starting in 2024" in response.get_data(as_text=True)
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalar(select(db.func.count()).select_from(Transition)) == 0
