"""Polish first and English complete: every string the code uses is in both catalogs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("app/**.py", "python"),
    ("app/**/templates/**.html", "jinja2"),
    ("app/**/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _strings_in_code() -> set[str]:
    found = extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


@pytest.mark.parametrize("locale", ["pl", "en"])
def test_every_string_is_translated(locale):
    with (ROOT / f"translations/{locale}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    translated = {
        m.id[0] if isinstance(m.id, tuple) else m.id  # plural entries: (singular, plural)
        for m in catalog
        if m.id
        and all(m.string if isinstance(m.string, tuple) else [m.string])
        and "fuzzy" not in m.flags
    }
    in_code = _strings_in_code()
    assert len(in_code) > 150, "the extraction found the strings"
    missing = in_code - translated
    assert not missing, f"run scripts/update-translations and translate: {sorted(missing)[:10]}"


def test_polish_catalog_has_diacritics_and_compiles():
    po = ROOT / "translations/pl/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    assert re.search(r'msgstr "Przejdź do treści"', text)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
