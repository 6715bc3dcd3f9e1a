"""The office's letterhead atop the first page of a city's programme documents: the lines and
the coat of arms its tenants/*.toml names, else the office's name alone."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.exports.letterhead import letterhead_of
from app.exports.render import produce
from app.tenancy.catalog import CatalogError, load_regions, load_tenants
from app.tenancy.context import tenant_scope
from tests import factories
from tests.exports.test_documents import check_docx, check_odt, check_pdf, pdf_text

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
LESZNO_LINES = ["Urząd Miasta Leszna", "ul. Kazimierza Karasia 15, 64-100 Leszno"]
DOCUMENTS = ("programme", "proposals", "report", "consultation")


@pytest.fixture
def leszno_programme(app_context, tenants) -> int:
    return factories.programme(tenants["leszno"], stage="adopted", complete=True).id


def _produce(tenant, kind: str, fmt: str, programme_id: int) -> bytes:
    with tenant_scope(tenant.id):
        return produce(kind, fmt, programme_id=programme_id)[1]


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_a_pdf_opens_with_the_office_and_its_coat_of_arms(tenants, leszno_programme, kind):
    data = _produce(tenants["leszno"], kind, "pdf", leszno_programme)
    check_pdf(data, kind)
    first_page = pdf_text(data).split("\f")[0]
    lines = [line.strip() for line in first_page.splitlines() if line.strip()]
    assert lines[:2] == LESZNO_LINES
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1
    assert pdf_text(data).count(LESZNO_LINES[0]) == 1  # the first page's only


def test_a_docx_opens_with_the_office_and_its_coat_of_arms(tenants, leszno_programme):
    data = _produce(tenants["leszno"], "programme", "docx", leszno_programme)
    check_docx(data, "programme")
    docx = DocxDocument(io.BytesIO(data))
    assert len(docx.inline_shapes) == 1
    first = docx.paragraphs[:4]
    assert first[0].runs[0]._r.xpath(".//pic:pic")  # the coat of arms, before any text
    assert [p.text for p in first[1:3]] == LESZNO_LINES
    assert first[1].runs[0].bold and not first[2].runs[0].bold
    assert first[3].text.startswith("Roczny Program Współpracy")
    assert 'descr="Herb"' in first[0]._p.xml
    assert docx.inline_shapes[0].height.cm == pytest.approx(2.4, abs=0.01)


def test_an_odt_opens_with_the_office_and_its_coat_of_arms(tenants, leszno_programme):
    data = _produce(tenants["leszno"], "programme", "odt", leszno_programme)
    text = check_odt(data, "programme")
    odt = zipfile.ZipFile(io.BytesIO(data))
    pictures = [name for name in odt.namelist() if name.startswith("Pictures/")]
    assert len(pictures) == 1
    assert odt.read(pictures[0]) == (TENANTS / "arms" / "placeholder.png").read_bytes()
    content = odt.read("content.xml").decode()
    assert content.index("<draw:frame") < content.index(LESZNO_LINES[0])
    assert "<svg:title>Herb</svg:title>" in content
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Herb", *LESZNO_LINES]  # the image's title, then the office
    assert lines[3].startswith("Roczny Program")


def test_a_city_without_a_letterhead_is_headed_by_its_office_name(app_context, tenants):
    zyrardow = tenants["zyrardow"]
    assert zyrardow.letterhead == {}
    letterhead = letterhead_of(zyrardow)
    assert letterhead.lines == ["Miasto Żyrardów"] and letterhead.image is None
    programme_id = factories.programme(zyrardow, complete=True).id
    data = _produce(zyrardow, "programme", "pdf", programme_id)
    first = [line.strip() for line in pdf_text(data).splitlines() if line.strip()]
    assert first[0] == "Miasto Żyrardów"
    assert not PdfReader(io.BytesIO(data)).pages[0].images


def _catalog_with(tmp_path: Path, letterhead: str) -> dict:
    shutil.copytree(TENANTS / "regions", tmp_path / "regions")
    (tmp_path / "arms").mkdir()
    (tmp_path / "arms" / "herb.png").write_bytes(
        (TENANTS / "arms" / "placeholder.png").read_bytes()
    )
    (tmp_path / "arms" / "herb.svg").write_text("<svg/>")
    leszno = (TENANTS / "leszno.toml").read_text()
    leszno = re.sub(
        r"^\[letterhead\].*?\n\n", letterhead + "\n\n", leszno, flags=re.DOTALL | re.MULTILINE
    )
    (tmp_path / "leszno.toml").write_text(leszno)
    return load_tenants(tmp_path, load_regions(tmp_path))


def test_tenants_sync_reads_the_letterhead_and_refuses_what_documents_cannot_show(tmp_path):
    tenants = _catalog_with(
        tmp_path,
        '[letterhead]\nlines = ["Prezydent Miasta Leszna"]\ncoat_of_arms = "arms/herb.png"',
    )
    assert tenants["leszno"]["letterhead"] == {
        "lines": ["Prezydent Miasta Leszna"],
        "coat_of_arms": "arms/herb.png",
    }
    for number, (wrong, message) in enumerate(
        (
            ('coat_of_arms = "arms/herb.svg"', "PNG or JPEG"),
            ('coat_of_arms = "arms/brak.png"', "is not a file"),
            ('lines = ["1", "2", "3", "4", "5"]', "at most 4 lines"),
            ('lines = "Urząd Miasta Leszna"', "lines are texts"),
            ('logo = "arms/herb.png"', "unknown fields"),
        )
    ):
        with pytest.raises(CatalogError, match=message):
            _catalog_with(tmp_path / str(number), f"[letterhead]\n{wrong}")
