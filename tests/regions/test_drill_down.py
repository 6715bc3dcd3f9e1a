"""From a matrix cell to the city's row (evidence, history, review comments), and the
matrix telling a city's declaration awaiting review from accepted adoption."""

from __future__ import annotations

import io
from urllib.parse import urljoin

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import log_in, post_form

RESOLUTION_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def project(regions):
    return factories.standards_project(regions["wielkopolskie"])


@pytest.fixture
def people(make_user):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin", locale="en")
    make_user("viewer@leszno.pl", leszno="viewer", locale="en")
    make_user("admin@kalisz.pl", kalisz="admin", locale="en")
    make_user(
        "p.zielinski@umww.pl", name="Piotr Zieliński", coordinator_of="wielkopolskie", locale="en"
    )
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie", locale="en")


def matrix_url(project) -> str:
    return f"/regions/wielkopolskie/projects/{project.id}/adoption"


def cell_url(project, city: str, standard) -> str:
    return f"{matrix_url(project)}/{city}/{standard.id}"


def cell_link(city: str, standard) -> str:
    """How the matrix's cell links to it: relative to the matrix's address (…/adoption)."""
    return f'href="adoption/{city}/{standard.id}"'


def as_(client, email: str):
    post_form(client, "/logout")
    log_in(client, email)


def declare(client, standard, status="adopted", **fields):
    """Leszno's admin records where the city stands (it then awaits review)."""
    as_(client, "a.szymanska@leszno.pl")
    data = {"version": str(fields.pop("version", 0)), "status": status, **fields}
    response = post_form(client, f"/leszno/standards/{standard.id}", data)
    assert response.status_code == 302


def review(client, project, tenant, standard, accept: bool, comment: str = ""):
    from tests.regions.test_standards import _adoption_id

    as_(client, "p.zielinski@umww.pl")
    url = f"/regions/wielkopolskie/projects/{project.id}/reviews/{_adoption_id(tenant, standard)}"
    choice = {"accept": "1"} if accept else {"send_back": "1"}
    assert post_form(client, url, {"comment": comment, **choice}).status_code == 302


def test_every_cell_opens_the_citys_row_with_evidence_history_and_comments(
    client, people, tenants, project
):
    standard = project.blocks[0].standards[0]
    declare(
        client,
        standard,
        evidence="Uchwała nr XLII/512/2013 Rady Miejskiej Leszna",
        notes="Radny X był przeciw.",
        evidence_file=(io.BytesIO(RESOLUTION_PDF), "uchwała XLII-512-2013.pdf"),
    )
    review(client, project, tenants["leszno"], standard, False, "Prosimy o link do BIP.")

    matrix = client.get(matrix_url(project)).get_data(as_text=True)
    assert cell_link("leszno", standard) in matrix
    assert cell_link("kalisz", standard) in matrix  # nothing recorded yet
    relative = cell_link("leszno", standard).split('"')[1]
    assert urljoin(f"http://localhost{matrix_url(project)}?page=1", relative).endswith(
        cell_url(project, "leszno", standard)
    )

    page = client.get(cell_url(project, "leszno", standard)).get_data(as_text=True)
    assert "Leszno: Standard konsultacji nr 1" in page
    assert "XLII/512/2013 Rady Miejskiej Leszna" in page
    assert "Prosimy o link do BIP." in page
    history = page[page.index('<ol class="history">') :]
    assert history.index("Piotr Zieliński") < history.index("Anna Szymańska")  # newest first
    assert "sent back" in history and "awaiting review" in history
    assert "Radny X był przeciw." not in page  # the city's notes stay the city's
    evidence = page.split(".pdf</a>")[0].rsplit('href="', 1)[1].split('"')[0]
    assert client.get(evidence).data == RESOLUTION_PDF

    kalisz = client.get(cell_url(project, "kalisz", standard)).get_data(as_text=True)
    assert "not started" in kalisz and "No change recorded yet." in kalisz


def test_the_city_sees_the_same_page_for_its_own_rows(client, people, tenants, project):
    standard = project.blocks[0].standards[0]
    declare(client, standard, evidence="Uchwała nr XLII/512/2013")
    review(client, project, tenants["leszno"], standard, True, "Dziękujemy.")

    for email in ("a.szymanska@leszno.pl", "viewer@leszno.pl"):
        as_(client, email)
        listing = client.get("/leszno/standards").get_data(as_text=True)
        assert f'/leszno/standards/{standard.id}/record"' in listing
        page = client.get(f"/leszno/standards/{standard.id}/record").get_data(as_text=True)
        assert "Leszno: Standard konsultacji nr 1" in page
        assert "Dziękujemy." in page and "Piotr Zieliński" in page and "accepted" in page


def test_other_regions_and_other_cities_get_404_or_403(client, people, regions, project):
    standard = project.blocks[0].standards[0]
    foreign = factories.standards_project(regions["pomorskie"], standards=1)
    foreign_standard = foreign.blocks[0].standards[0]

    as_(client, "koordynator@pomorskie.pl")  # another region's coordinator
    assert client.get(cell_url(project, "leszno", standard)).status_code == 403
    own_address = f"/regions/pomorskie/projects/{project.id}/adoption/leszno/{standard.id}"
    assert client.get(own_address).status_code == 404

    as_(client, "p.zielinski@umww.pl")
    assert client.get(cell_url(project, "krakow", standard)).status_code == 404  # not ours
    assert client.get(cell_url(project, "nowhere", standard)).status_code == 404
    assert client.get(cell_url(project, "leszno", foreign_standard)).status_code == 404
    assert client.get(f"/leszno/standards/{standard.id}/record").status_code == 403

    for email in ("a.szymanska@leszno.pl", "admin@kalisz.pl"):  # cities, not the region
        as_(client, email)
        assert client.get(cell_url(project, "leszno", standard)).status_code == 403
    as_(client, "admin@kalisz.pl")
    assert client.get(f"/leszno/standards/{standard.id}/record").status_code == 403
    assert client.get(f"/kalisz/standards/{foreign_standard.id}/record").status_code == 404


def test_the_coordinators_read_of_a_row_is_on_record(client, people, tenants, project):
    from app.tenancy.cross_tenant import CrossTenantRead

    standard = project.blocks[0].standards[0]
    as_(client, "p.zielinski@umww.pl")
    client.get(cell_url(project, "leszno", standard))

    purposes = db.session.scalars(db.select(CrossTenantRead.purpose)).all()
    assert f"adoption of standard {standard.id} in leszno" in purposes


def test_the_matrix_tells_claims_from_accepted_and_counts_accepted_by_default(
    client, people, tenants, project
):
    first, second, _third = project.blocks[0].standards
    declare(client, first)
    review(client, project, tenants["leszno"], first, True)
    declare(client, second)  # awaiting review
    as_(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)
    leszno = _row(page, "Leszno")
    claimed = leszno[leszno.index(cell_link("leszno", second)) :]
    assert "adoption-claim" in leszno and "awaiting review" in claimed.split("</td>")[0]
    assert "awaiting review" not in leszno[: leszno.index(cell_link("leszno", second))]
    assert "33%" in leszno  # one accepted of three
    assert "The shares count accepted adoption only." in page

    with_claims = client.get(matrix_url(project) + "?claims=1").get_data(as_text=True)
    assert "67%" in _row(with_claims, "Leszno")


def test_the_public_matrix_never_shows_an_unreviewed_claim(client, people, tenants, project):
    first, second, _third = project.blocks[0].standards
    declare(client, first)
    review(client, project, tenants["leszno"], first, True)
    declare(client, second, "in_progress")
    project.matrix_public = True
    db.session.commit()
    post_form(client, "/logout")

    page = client.get(matrix_url(project)).get_data(as_text=True)
    leszno = _row(page, "Leszno")
    assert leszno.count("adoption-adopted") == 1 and "adoption-in_progress" not in leszno
    assert "adoption-claim" not in page and "/leszno/" not in leszno  # nor links to rows
    assert "czeka na weryfikację" not in page and "w toku" not in leszno

    answer = client.get(f"/api/v1/regions/wielkopolskie/adoption?project_id={project.id}").json
    row = next(city for city in answer["cities"] if city["slug"] == "leszno")
    assert row["statuses"] == {
        str(first.id): "adopted",
        str(second.id): "not_started",
        str(_third.id): "not_started",
    }
    assert row["reviews"] == {}
    claims = client.get(
        f"/api/v1/regions/wielkopolskie/adoption?project_id={project.id}&include_claims=true"
    ).json
    assert next(c for c in claims["cities"] if c["slug"] == "leszno")["statuses"] == row["statuses"]


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}')
    return page[start : page.index("</tr>", start)]


def test_a_rows_page_reads_the_same_queries_however_long_its_history(
    client, people, tenants, project, count_queries
):
    from app.accounts.models import User
    from app.regions.models import Adoption, AdoptionChange
    from app.tenancy.context import tenant_scope

    first, second, _third = project.blocks[0].standards
    authors = [
        db.session.scalar(db.select(User.id).where(User.email == e))
        for e in ("a.szymanska@leszno.pl", "p.zielinski@umww.pl", "viewer@leszno.pl")
    ]
    for standard, changes in ((first, 1), (second, 12)):
        with tenant_scope(tenants["leszno"].id):
            adoption = Adoption(standard_id=standard.id, status="planned", review_status="pending")
            adoption.changes = [
                AdoptionChange(status="planned", user_id=authors[i % 3]) for i in range(changes)
            ]
            db.session.add(adoption)
            db.session.commit()
    as_(client, "p.zielinski@umww.pl")

    counts = []
    for standard in (first, second):
        client.get(cell_url(project, "leszno", standard))  # warm the session's caches
        with count_queries() as counter:
            assert client.get(cell_url(project, "leszno", standard)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_a_second_review_of_a_declaration_says_it_is_reviewed_already(
    client, people, tenants, project
):
    """Two coordinators, one declaration: the slower one is told, and the first verdict
    stands."""
    from tests.regions.test_standards import _adoption_id

    standard = project.blocks[0].standards[0]
    declare(client, standard)
    review(client, project, tenants["leszno"], standard, accept=True)
    url = f"/regions/wielkopolskie/projects/{project.id}/reviews/"
    url += str(_adoption_id(tenants["leszno"], standard))

    again = post_form(client, url, {"comment": "Proszę o uchwałę.", "send_back": "1"})
    assert again.status_code == 302
    page = client.get(again.location).get_data(as_text=True)
    assert "no longer awaits review" in page
    cell = client.get(cell_url(project, "leszno", standard)).get_data(as_text=True)
    assert "Proszę o uchwałę." not in cell
    assert "accepted" in cell
