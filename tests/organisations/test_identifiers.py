import pytest

from app.organisations.identifiers import InvalidIdentifier, clean_krs, clean_nip, clean_regon


@pytest.mark.parametrize("value", ["8567346215", "856-734-62-15", "PL 856 734 62 15"])
def test_valid_nip(value):
    assert clean_nip(value) == "8567346215"


@pytest.mark.parametrize("value", ["123456785", "192598184", "12345678512347"])
def test_valid_regon(value):
    assert clean_regon(value) == value


@pytest.mark.parametrize(
    ("cleaner", "value", "reason"),
    [
        (clean_nip, "8567346216", "checksum"),
        (clean_nip, "1234567890", "checksum"),  # remainder 10 is never valid
        (clean_nip, "85673462", "length"),
        (clean_regon, "123456786", "checksum"),
        (clean_regon, "12345678512348", "checksum"),
        (clean_regon, "1234567", "length"),
        (clean_krs, "00003597A0", "digits"),
        (clean_krs, "12345678901", "length"),
    ],
)
def test_invalid_numbers_say_why(cleaner, value, reason):
    with pytest.raises(InvalidIdentifier) as error:
        cleaner(value)
    assert error.value.reason == reason


def test_krs_gets_back_the_leading_zeros_spreadsheets_drop():
    assert clean_krs("359730") == "0000359730"
    assert clean_krs("0000359730") == "0000359730"
    assert clean_krs("") is None
