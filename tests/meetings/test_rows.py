"""The minutes' repeated rows (agenda, speakers, decisions, groups, attendees): the edit form
shows each saved row once, and saving it unchanged neither doubles nor drops one — the
minutes page and the PDF keep their "Ad." sections (issue #10: 8 became 16)."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select, text

from app.demo.loader import DEMO_PASSWORD
from app.extensions import db
from app.meetings.models import Meeting
from app.tenancy.context import tenant_scope
from tests.conftest import log_in, post_form
from tests.sweeps import as_a_browser_submits, forms_posting_to

ROWS = ("agenda", "speakers", "decisions", "groups", "attendees")
OFFERED_EMPTY = 2


def _meeting_of_13_07_2023(tenant) -> dict:
    """The meeting's id, the number of rows of each part and the records of some."""
    db.session.expire_all()
    with tenant_scope(tenant.id):
        meeting = db.session.scalars(
            select(Meeting).where(Meeting.held_on == date(2023, 7, 13))
        ).one()
        return {
            "id": meeting.id,
            "counts": {
                "agenda": len(meeting.agenda),
                "speakers": sum(len(item.speakers) for item in meeting.agenda),
                "decisions": len(meeting.decisions),
                "groups": len(meeting.groups),
                "attendees": len(meeting.attendees),
            },
            "decisions": [(d.id, d.text) for d in meeting.decisions],
            "attendees": [(a.id, a.name) for a in meeting.attendees],
        }


def _shown_rows(form) -> dict[str, tuple[int, int]]:
    """(rows, rows holding a saved record) of each repeated part of the form."""
    names = [field.get("name") or "" for field in form.inputs]
    shown = {}
    for part in ROWS:
        rows = {m.group(1) for name in names if (m := re.fullmatch(rf"{part}-(\d+)-id", name))}
        saved = [
            field
            for field in form.inputs
            if re.fullmatch(rf"{part}-\d+-id", field.get("name") or "")
        ]
        shown[part] = (len(rows), sum(1 for field in saved if field.get("value")))
    return shown


def _ad_sections(client, meeting_id: int) -> tuple[int, int]:
    page = client.get(f"/leszno/meetings/{meeting_id}").get_data(as_text=True)
    job_url = post_form(client, f"/leszno/meetings/{meeting_id}/export", {"file_format": "pdf"})
    pdf = PdfReader(io.BytesIO(client.get(job_url.location + "/download").get_data()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    return len(re.findall(r"Ad\. \d", page)), len(re.findall(r"Ad\. \d", text))


def test_the_minutes_form_shows_each_row_once_and_an_unchanged_save_keeps_them(client, demo):
    meeting = _meeting_of_13_07_2023(demo["leszno"])
    counts = meeting["counts"]
    # the demo's meeting fills every part but the attendance list (seed 000 counts people)
    assert all(n for part, n in counts.items() if part != "attendees"), counts
    log_in(client, "admin@leszno.demo", DEMO_PASSWORD)
    sections = _ad_sections(client, meeting["id"])
    assert sections[0] == sections[1] == counts["agenda"]

    url = f"/leszno/meetings/{meeting['id']}/edit"
    (form,) = forms_posting_to(client.get(url).get_data(as_text=True), url)
    assert _shown_rows(form) == {part: (n + OFFERED_EMPTY, n) for part, n in counts.items()}

    assert client.post(url, data=as_a_browser_submits(form)).status_code == 302
    assert _meeting_of_13_07_2023(demo["leszno"]) == meeting
    assert _ad_sections(client, meeting["id"]) == sections


def test_a_row_cleared_goes_a_row_written_is_added_and_the_others_keep_their_records(client, demo):
    before = _meeting_of_13_07_2023(demo["leszno"])
    log_in(client, "admin@leszno.demo", DEMO_PASSWORD)
    url = f"/leszno/meetings/{before['id']}/edit"
    (form,) = forms_posting_to(client.get(url).get_data(as_text=True), url)
    data = as_a_browser_submits(form)
    data["decisions-0-text"] = ""
    data[f"attendees-{len(before['attendees'])}-name"] = "Nowa Osoba"  # the first empty row
    assert client.post(url, data=data).status_code == 302
    after = _meeting_of_13_07_2023(demo["leszno"])
    assert after["decisions"] == before["decisions"][1:]
    assert after["attendees"][:-1] == before["attendees"]
    assert after["attendees"][-1][1] == "Nowa Osoba"


# The table of each part's rows.
ROW_TABLES = {
    "agenda": "meeting_agenda_items",
    "decisions": "meeting_decisions",
    "groups": "meeting_workshop_groups",
    "speakers": "meeting_speakers",
}


def _others_rows(owner, table: str) -> dict[int, str]:
    """Every row of the table in cities other than Leszno, as text (read as the owner)."""
    with owner.connect() as connection:
        return dict(
            connection.execute(
                text(
                    f"SELECT x.id, x::text FROM {table} x JOIN tenants t ON t.id = x.tenant_id "
                    "WHERE t.slug <> 'leszno'"
                )
            ).all()
        )


def test_a_row_naming_another_city_s_record_leaves_that_record_alone(client, demo, owner):
    """A hidden row id changed to the id of another city's agenda item, decision, group or
    speaker: that city's record is neither changed nor moved; the row is saved as a new one
    of these minutes (rows.replace pairs rows with the minutes' own records only)."""
    meeting = _meeting_of_13_07_2023(demo["leszno"])
    log_in(client, "admin@leszno.demo", DEMO_PASSWORD)
    url = f"/leszno/meetings/{meeting['id']}/edit"
    (form,) = forms_posting_to(client.get(url).get_data(as_text=True), url)
    data = as_a_browser_submits(form)
    others = {part: _others_rows(owner, table) for part, table in ROW_TABLES.items()}
    named = 0
    for part, rows in others.items():
        field = f"{part}-0-id"
        if rows and field in data:
            data[field] = str(min(rows))
            named += 1
    assert named, {part: len(rows) for part, rows in others.items()}  # Kraków's agenda at least

    assert client.post(url, data=data).status_code in (302, 422)
    assert {part: _others_rows(owner, table) for part, table in ROW_TABLES.items()} == others
