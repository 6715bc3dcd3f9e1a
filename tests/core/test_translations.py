"""Polish first and English complete: every string the code uses is in both catalogs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# What scripts/update-translations extracts, and how: its own configuration, not a copy.
with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
    METHODS, OPTIONS = parse_mapping_cfg(config)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _strings_in_code() -> set[str]:
    return set().union(*_strings_by_file().values())


def _strings_by_file() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for file, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, OPTIONS, keywords=KEYWORDS):
        found.setdefault(file, set()).add(message if isinstance(message, str) else message[0])
    return found


def test_every_template_that_asks_for_a_translation_gives_its_strings():
    """The extractor skips, without a word, a template with a tag it does not know: its
    strings then vanish from the catalogs at the next update, and from this test's view."""
    templates = sorted((ROOT / "app").glob("**/templates/**/*.html"))
    asking = {
        str(path.relative_to(ROOT))
        for path in templates
        if re.search(r"\b(_|gettext|ngettext)\(", path.read_text(encoding="utf-8"))
    }
    assert len(asking) > 50
    assert sorted(asking - set(_strings_by_file())) == []


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
