"""Standards projects of a region and the coordinator's matrix of their adoption by city."""

from __future__ import annotations

import io
import re

import pytest

from tests import factories
from tests.conftest import log_in, post_form


@pytest.fixture
def project(regions):
    return factories.standards_project(regions["wielkopolskie"])


def matrix_url(project) -> str:
    return f"/regions/wielkopolskie/projects/{project.id}/adoption"


def test_anyone_reads_the_project_and_its_standards(client, project):
    page = client.get(f"/regions/wielkopolskie/projects/{project.id}/").get_data(as_text=True)

    assert "Wielkopolska działa razem" in page
    assert "I. Tworzenie polityk publicznych" in page
    assert "Standard konsultacji nr 3" in page
    assert "Grupa 2" in page
    assert "Wielkopolska działa razem" in client.get("/regions/wielkopolskie/").get_data(
        as_text=True
    )


def test_coordinator_sees_each_citys_adoption_and_the_shares(client, make_user, tenants, project):
    first, second, third = project.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted")
    factories.adoption(tenants["leszno"], second, "adopted")
    factories.adoption(tenants["leszno"], third, "not_applicable")
    factories.adoption(tenants["kalisz"], first, "in_progress")
    factories.adoption(tenants["konin"], first, "not_applicable")
    factories.adoption(tenants["konin"], second, "not_applicable")
    factories.adoption(tenants["konin"], third, "not_applicable")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    leszno_row = _row(page, "Leszno")
    assert leszno_row.count(">adopted<") == 2 and "not applicable" in leszno_row
    assert "100%" in leszno_row  # two adopted of the two that apply
    assert "in progress" in _row(page, "Kalisz") and "0%" in _row(page, "Kalisz")
    assert "no data" in _row(page, "Konin")  # nothing applies: no share, not zero
    assert "not started" in _row(page, "Piła")  # no row yet reads as not started


def test_coordinator_never_sees_a_citys_private_notes(client, make_user, tenants, project):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned", notes="Czekamy na radnego X.")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    assert "Czekamy na radnego X." not in page


def test_the_matrix_is_for_the_regions_coordinator_only(client, make_user, project):
    make_user("admin@leszno.pl", leszno="admin")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")

    log_in(client, "admin@leszno.pl")
    assert client.get(matrix_url(project)).status_code == 403
    post_form(client, "/logout")
    log_in(client, "koordynator@pomorskie.pl")
    assert client.get(matrix_url(project)).status_code == 403
    # nor does another region's address lead to this project
    other_region_url = f"/regions/pomorskie/projects/{project.id}/adoption"
    assert client.get(other_region_url).status_code == 404
    assert client.get(f"/regions/pomorskie/projects/{project.id}/").status_code == 404
    assert client.get(f"/regions/pomorskie/projects/{project.id}/reviews").status_code == 404
    export_url = f"/regions/pomorskie/projects/{project.id}/adoption/export"
    assert post_form(client, export_url, {"file_format": "csv"}).status_code == 404


def test_the_matrix_costs_the_same_queries_for_more_cities_and_standards(
    client, make_user, regions, tenants, count_queries
):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    small = factories.standards_project(regions["wielkopolskie"], standards=2)
    large = factories.standards_project(regions["wielkopolskie"], standards=12)
    for standard in large.blocks[0].standards:
        for slug in ("leszno", "kalisz", "konin", "pila"):
            factories.adoption(tenants[slug], standard, "adopted")

    urls = [matrix_url(small), matrix_url(large)]
    counts = []
    for url in urls:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


def test_a_citys_change_shows_in_the_kept_matrix_at_once(
    client, make_user, tenants, project, count_queries
):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    client.get(matrix_url(project))
    with count_queries() as kept:
        assert "not started" in _row(
            client.get(matrix_url(project)).get_data(as_text=True), "Leszno"
        )
    post_form(client, "/logout")
    log_in(client, "a.szymanska@leszno.pl")
    post_form(client, f"/leszno/standards/{standard.id}", {"version": "0", "status": "adopted"})
    post_form(client, "/logout")
    log_in(client, "p.zielinski@umww.pl")

    with count_queries() as computed:
        page = client.get(matrix_url(project)).get_data(as_text=True)

    assert ">adopted<" in _row(page, "Leszno")
    assert kept.count < computed.count  # the unchanged matrix was not read again


def _row(page: str, city: str) -> str:
    start = page.index(f'<th scope="row">{city}</th>')
    return page[start : page.index("</tr>", start)]


def test_a_city_records_its_adoption_and_the_coordinator_reviews_it(
    client, make_user, tenants, project
):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "a.szymanska@leszno.pl")
    form_url = f"/leszno/standards/{standard.id}"
    assert "Standard konsultacji nr 1" in client.get(form_url).get_data(as_text=True)

    response = post_form(
        client,
        form_url,
        {
            "version": "0",
            "status": "adopted",
            "evidence": "Uchwała nr XLII/512/2013 Rady Miejskiej Leszna",
            "decided_on": "2013-11-28",
            "notes": "Radny X był przeciw.",
        },
    )
    assert response.status_code == 302
    listing = client.get("/leszno/standards").get_data(as_text=True)
    assert "Uchwała nr XLII/512/2013" in listing and "awaiting review" in listing

    post_form(client, "/logout")
    log_in(client, "p.zielinski@umww.pl")
    reviews_url = f"/regions/wielkopolskie/projects/{project.id}/reviews"
    page = client.get(reviews_url).get_data(as_text=True)
    assert "Leszno: Standard konsultacji nr 1" in page and "XLII/512/2013" in page
    assert "Radny X był przeciw." not in page  # the city's notes stay the city's
    adoption_id = _adoption_id(tenants["leszno"], standard)
    post_form(
        client,
        f"{reviews_url}/{adoption_id}",
        {"comment": "Prosimy o link do uchwały w BIP.", "send_back": "1"},
    )
    assert "Nothing awaits review." in client.get(reviews_url).get_data(as_text=True)

    post_form(client, "/logout")
    log_in(client, "a.szymanska@leszno.pl")
    page = client.get(form_url).get_data(as_text=True)
    assert "sent back" in page and "Prosimy o link do uchwały w BIP." in page
    history = page[page.index('<ol class="history">') :]
    assert history.index("sent back") < history.index("awaiting review")  # newest first


RESOLUTION_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_the_evidence_may_be_a_document_the_coordinator_opens(
    client, make_user, tenants, regions, project
):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    make_user("admin@kalisz.pl", kalisz="admin")
    log_in(client, "a.szymanska@leszno.pl")
    form = {"version": "0", "status": "adopted", "evidence": "Uchwała nr XLII/512/2013"}
    document = (io.BytesIO(RESOLUTION_PDF), "uchwała XLII-512-2013.pdf")
    response = post_form(
        client, f"/leszno/standards/{standard.id}", {**form, "evidence_file": document}
    )
    assert response.status_code == 302
    assert "uchwała XLII-512-2013.pdf" in client.get("/leszno/standards").get_data(as_text=True)
    assert client.get(f"/leszno/standards/{standard.id}/evidence").get_data() == RESOLUTION_PDF
    post_form(client, "/logout")

    log_in(client, "p.zielinski@umww.pl")
    reviews = client.get(f"/regions/wielkopolskie/projects/{project.id}/reviews")
    adoption_id = _adoption_id(tenants["leszno"], standard)
    link = f"/regions/wielkopolskie/projects/{project.id}/adoption/{adoption_id}/evidence"
    assert link in reviews.get_data(as_text=True)
    assert client.get(link).get_data() == RESOLUTION_PDF
    post_form(client, "/logout")

    log_in(client, "koordynator@pomorskie.pl")
    assert client.get(link).status_code == 403
    assert client.get(link.replace("wielkopolskie", "pomorskie")).status_code == 404
    post_form(client, "/logout")
    log_in(client, "admin@kalisz.pl")  # Kalisz has recorded nothing for the standard
    assert client.get(f"/kalisz/standards/{standard.id}/evidence").status_code == 404
    assert client.get(link).status_code == 403


def test_a_document_that_is_not_one_is_refused_and_nothing_is_saved(
    client, make_user, tenants, project
):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned")
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    log_in(client, "a.szymanska@leszno.pl")
    page = client.get(f"/leszno/standards/{standard.id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    disguised = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "uchwala.pdf")

    response = post_form(
        client,
        f"/leszno/standards/{standard.id}",
        {"version": version, "status": "adopted", "evidence_file": disguised},
    )

    assert response.status_code == 422
    assert "its content was checked" in response.get_data(as_text=True)
    assert _status(tenants["leszno"], standard) == "planned"


def test_a_stale_form_does_not_overwrite_a_newer_adoption(client, make_user, tenants, project):
    standard = project.blocks[0].standards[0]
    factories.adoption(tenants["leszno"], standard, "planned")
    make_user("a.szymanska@leszno.pl", leszno="staff", locale="en")
    log_in(client, "a.szymanska@leszno.pl")

    response = post_form(
        client,
        f"/leszno/standards/{standard.id}",
        {"version": "0", "status": "adopted", "evidence": "Uchwała nr XL/1/2013"},
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved" in page and "Uchwała nr XL/1/2013" in page
    assert _status(tenants["leszno"], standard) == "planned"


def test_bad_adoption_input_is_explained_and_nothing_is_saved(client, make_user, tenants, project):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin", locale="en")
    log_in(client, "a.szymanska@leszno.pl")

    response = post_form(
        client,
        f"/leszno/standards/{standard.id}",
        {"version": "x", "status": "adopted-ish", "decided_on": "28.11.2013x"},
    )

    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _status(tenants["leszno"], standard) is None


def test_city_routes_guard_their_roles_and_their_region(client, make_user, regions, project):
    foreign = factories.standards_project(regions["pomorskie"], standards=1)
    make_user("admin@leszno.pl", leszno="admin")
    make_user("ngo@leszno.pl", leszno="ngo")
    make_user("viewer@leszno.pl", leszno="viewer")

    log_in(client, "admin@leszno.pl")
    assert client.get(f"/leszno/standards/{foreign.blocks[0].standards[0].id}").status_code == 404
    post_form(client, "/logout")
    log_in(client, "viewer@leszno.pl")
    assert client.get("/leszno/standards").status_code == 200
    standard_id = project.blocks[0].standards[0].id
    assert client.get(f"/leszno/standards/{standard_id}").status_code == 403
    post_form(client, "/logout")
    log_in(client, "ngo@leszno.pl")
    assert client.get("/leszno/standards").status_code == 403


def test_a_coordinator_reviews_only_pending_rows_of_the_regions_project(
    client, make_user, tenants, regions, project
):
    make_user("koordynator@pomorskie.pl", coordinator_of="pomorskie")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    factories.adoption(tenants["leszno"], project.blocks[0].standards[0], "adopted")
    adoption_id = _adoption_id(tenants["leszno"], project.blocks[0].standards[0])
    foreign = factories.standards_project(regions["pomorskie"], standards=1)

    log_in(client, "koordynator@pomorskie.pl")
    wrong_region = f"/regions/pomorskie/projects/{foreign.id}/reviews/{adoption_id}"
    assert post_form(client, wrong_region, {"accept": "1"}).status_code == 404
    own_region = f"/regions/wielkopolskie/projects/{project.id}/reviews/{adoption_id}"
    assert post_form(client, own_region, {"accept": "1"}).status_code == 403
    post_form(client, "/logout")
    log_in(client, "p.zielinski@umww.pl")
    # a row the city has not sent for review cannot be reviewed
    assert post_form(client, own_region, {"accept": "1"}).status_code == 404


def _adoption_id(tenant, standard) -> int:
    from app.extensions import db
    from app.regions.models import Adoption
    from app.tenancy.context import tenant_scope

    with tenant_scope(tenant.id):
        return db.session.scalar(db.select(Adoption.id).where(Adoption.standard_id == standard.id))


def _status(tenant, standard) -> str | None:
    from app.extensions import db
    from app.regions.models import Adoption
    from app.tenancy.context import tenant_scope

    db.session.expire_all()
    with tenant_scope(tenant.id):
        return db.session.scalar(
            db.select(Adoption.status).where(Adoption.standard_id == standard.id)
        )


@pytest.fixture
def three_blocks(regions, tenants):
    """Seed 003's three blocks, a standard each; Leszno adopted the first two, Kalisz one."""
    from app.extensions import db
    from app.regions.models import Standard, StandardsProject, ThematicBlock

    titles = (
        "Tworzenie polityk publicznych",
        "Współpraca w zakresie realizacji zadań publicznych",
        "Infrastruktura współpracy",
    )
    standards = ("Konsultacje aktów prawa", "Otwarte konkursy ofert", "Centrum organizacji")
    blocks = [
        ThematicBlock(number=n, title=t, standards=[Standard(title=s)])
        for n, (t, s) in enumerate(zip(titles, standards, strict=True), start=1)
    ]
    project = StandardsProject(
        region=regions["wielkopolskie"], title="Wielkopolska działa razem", blocks=blocks
    )
    db.session.add(project)
    db.session.commit()
    first, second, third = (b.standards[0] for b in project.blocks)
    factories.adoption(tenants["leszno"], first, "adopted")
    factories.adoption(tenants["leszno"], second, "adopted")
    factories.adoption(tenants["kalisz"], first, "adopted")
    factories.adoption(tenants["kalisz"], third, "planned")
    return project


def test_the_coordinator_filters_the_matrix_by_block_and_status(client, make_user, three_blocks):
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "p.zielinski@umww.pl")
    infrastructure = three_blocks.blocks[2]

    page = client.get(f"{matrix_url(three_blocks)}?block={infrastructure.id}").get_data(
        as_text=True
    )
    assert "Centrum organizacji" in page and "Otwarte konkursy ofert" not in page
    page = client.get(f"{matrix_url(three_blocks)}?status=planned").get_data(as_text=True)
    assert '<th scope="row">Kalisz</th>' in page and '<th scope="row">Leszno</th>' not in page
    # the share of block I: Leszno and Kalisz adopted, Konin, Piła and Powiat Leszczyński
    # did not (2 of 5)
    page = client.get(matrix_url(three_blocks)).get_data(as_text=True)
    by_block = page[page.index("Adoption by block") :]
    first_row = by_block[by_block.index("I. Tworzenie polityk") :]
    assert "40%" in first_row[: first_row.index("</tr>")]
    # unknown filters show everything instead of failing
    assert client.get(f"{matrix_url(three_blocks)}?block=999999&status=x").status_code == 200


def test_progress_over_time_follows_the_history(client, make_user, tenants, project):
    standard = project.blocks[0].standards[0]
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie", locale="en")
    log_in(client, "a.szymanska@leszno.pl")
    form_url = f"/leszno/standards/{standard.id}"
    post_form(client, form_url, {"version": "0", "status": "adopted"})
    post_form(client, form_url, {"version": "1", "status": "in_progress"})
    post_form(client, "/logout")
    log_in(client, "p.zielinski@umww.pl")

    page = client.get(matrix_url(project)).get_data(as_text=True)

    figures = page[page.index("The figures of the chart") :]
    # adopted, then taken back in the same month: the month ends with none adopted
    assert '<td class="number">0</td>' in figures


def test_the_matrix_exports_with_its_content(client, make_user, three_blocks):
    import io

    import tablib
    from pypdf import PdfReader

    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    export_url = f"{matrix_url(three_blocks)}/export"
    contents = {}
    for file_format in ("xlsx", "csv", "pdf"):
        job_url = post_form(client, export_url, {"file_format": file_format}).location
        contents[file_format] = client.get(job_url + "/download").get_data()

    sheet = tablib.Dataset().load(contents["xlsx"], format="xlsx")
    assert sheet.headers[:2] == ["Miasto", "Konsultacje aktów prawa"]
    leszno = next(row for row in sheet if row[0] == "Leszno")
    # the share is a number (with a percent format) that Excel can sum and sort
    assert list(leszno) == [
        "Leszno",
        "uchwalony",
        "uchwalony",
        "nierozpoczęty",
        pytest.approx(2 / 3),
    ]
    csv = contents["csv"].decode("utf-8-sig")
    assert "Kalisz;uchwalony;nierozpoczęty;zaplanowany;33%" in csv
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(contents["pdf"])).pages)
    assert "Wielkopolska działa razem" in text and "Infrastruktura współpracy" in text


def test_exports_and_reviews_are_for_the_regions_coordinator(client, make_user, project):
    make_user("admin@leszno.pl", leszno="admin")
    log_in(client, "admin@leszno.pl")

    response = post_form(client, f"{matrix_url(project)}/export", {"file_format": "xlsx"})
    assert response.status_code == 403
    assert client.get(f"/regions/wielkopolskie/projects/{project.id}/reviews").status_code == 403


def test_the_matrix_shows_its_cities_a_page_at_a_time_with_the_shares_of_all(
    client, make_user, tenants, project, monkeypatch, count_queries
):
    monkeypatch.setattr("app.regions.views.MATRIX_PAGE_SIZE", 2)
    first, second, _ = project.blocks[0].standards
    factories.adoption(tenants["leszno"], first, "adopted")
    factories.adoption(tenants["pila"], second, "adopted")
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    client.get(matrix_url(project))  # the city's adoption is read once, then kept

    pages = []
    for number in (1, 2):
        with count_queries() as counter:
            response = client.get(f"{matrix_url(project)}?page={number}")
        pages.append((response.get_data(as_text=True), counter.count))
    (one, one_queries), (two, two_queries) = pages

    cities = re.compile(r'<th scope="row">(Kalisz|Konin|Leszno|Piła)')
    assert cities.findall(one) == ["Kalisz", "Konin"]
    assert cities.findall(two) == ["Leszno", "Piła"]
    assert "5 samorządów: widoczne 1–2; udziały i eksporty liczą wszystkie." in one
    # the shares are the region's, whichever cities the page shows: 2 of 15 cells (four
    # cities and Powiat Leszczyński)
    assert _footer(one) == _footer(two) and "13%" in _footer(one)
    assert "page=2" in one and one_queries == two_queries
    assert client.get(f"{matrix_url(project)}?page=4").status_code == 404


def _footer(page: str) -> str:
    return page.split("<tfoot>")[1].split("</tfoot>")[0]
