"""File names as an attacker sends them (`../../`, NUL, U+202E, 5,000 characters) are made
safe before they touch the disk: every upload form of the site answers without a server
error, leaves no empty folder in storage, and downloads name the file safely."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html

from app.files import MAX_NAME_LENGTH, safe_filename
from tests.security.routes import demo_url, get_rules
from tests.sweeps import as_a_browser_submits, demo_values

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
HOSTILE_NAMES = (
    "../../../etc/passwd.pdf",
    "..\\..\\win.ini.pdf",
    "raport\u202efdp.exe.pdf",
    "ą" * 5000 + ".pdf",
    "zaz\u0307o\u0301łć\r\nX-Injected: 1.pdf",
    "...pdf",
)


def test_a_file_name_is_one_short_visible_name_keeping_its_extension():
    for name in HOSTILE_NAMES:
        safe = safe_filename(name)
        assert safe.endswith(".pdf") or "." not in safe, name
        assert len(safe) <= MAX_NAME_LENGTH
        assert not {"/", "\\", "\x00", "\r", "\n", "\u202e"} & set(safe), safe
    assert safe_filename("Zaz\u0307o\u0301łć.pdf") == "Zażółć.pdf"
    assert safe_filename("x.pdf\x00.exe") == "x.pdf.exe"


def test_every_upload_form_takes_hostile_names_safely(app, people, owner):
    demo = demo_values(owner)
    storage_root = Path(app.config["STORAGE_ROOT"])
    forms = 0
    for rule in get_rules(app):
        url = demo_url(rule, demo)
        if url is None or url.startswith("/api/"):
            continue
        who = "coordinator" if "region_slug" in rule.arguments else "admin"
        page = people[who].get(url)
        if page.status_code != 200 or "html" not in page.content_type:
            continue
        for form in lxml.html.fromstring(page.get_data(as_text=True)).forms:
            files = [i.get("name") for i in form.inputs if i.get("type") == "file"]
            if not files or (form.get("method") or "").lower() != "post":
                continue
            forms += 1
            action = form.get("action") or url
            for name in HOSTILE_NAMES:
                data = as_a_browser_submits(form).to_dict(flat=False)
                for field in files:
                    data[field] = (io.BytesIO(PDF), name)
                for key, values in data.items():
                    if key not in files and not any(values):
                        data[key] = ["Plik"]
                answer = people[who].post(action, data=data, content_type="multipart/form-data")
                assert answer.status_code < 500, (action, name[:40], answer.status_code)
    assert forms >= 3, forms
    empty = [p for p in storage_root.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert not empty, empty
    stored = [p.name for p in storage_root.rglob("*") if p.is_file()]
    assert stored and all(name == safe_filename(name) for name in stored), stored


def test_a_download_names_the_file_as_rfc_6266_says(app, people, owner):
    from app.storage import send_stored, storage

    with app.test_request_context():
        key = storage().save(None, "raport.pdf", PDF)
        answer = send_stored(key, 'sprawozdanie\u202efdp.exe ąę "x".pdf')
        disposition = answer.headers["Content-Disposition"]
    assert "\u202e" not in disposition and "%E2%80%AE" not in disposition
    assert "filename*=UTF-8''sprawozdanie" in disposition
