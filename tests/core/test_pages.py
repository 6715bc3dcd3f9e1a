from app.core import cities
from tests.conftest import log_in


def test_landing_lists_regions_with_their_cities_in_polish(client):
    page = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert "Województwo wielkopolskie" in page
    for city in ("Leszno", "Kalisz", "Konin", "Piła"):
        assert city in page
    assert "Kraków" in page and "Żyrardów" in page
    assert 'lang="pl"' in page


def test_a_city_is_found_by_its_name_without_diacritics(client):
    page = client.get("/?q=zyrardow", headers={"Accept-Language": ""}).get_data(as_text=True)
    found = page.split('id="found-heading"')[1].split("</section>")[0]
    assert "1 miasto pasuje do „zyrardow”" in found
    assert 'href="/zyrardow/"' in found and "Leszno" not in found


def test_a_city_search_that_finds_nothing_says_so(client):
    page = client.get("/?q=atlantyda", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert "0 miast pasuje do „atlantyda”" in page


def test_a_big_region_shows_its_count_and_the_search_not_every_city(
    client, monkeypatch, count_queries
):
    with count_queries() as listed:
        client.get("/")
    monkeypatch.setattr(cities, "LISTED_IN_FULL", 2)  # as a region of 300 cities
    with count_queries() as counted:
        page = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
    wielkopolskie = page.split('id="region-wielkopolskie"')[1].split("</section>")[0]
    assert "Kalisz" not in wielkopolskie
    # four cities and Powiat Leszczyński; the marshal office is shown apart
    assert "5 samorządów: znajdź swój po nazwie powyżej." in wielkopolskie
    assert counted.count <= listed.count <= 2


def test_tenant_home_shows_the_city(client):
    page = client.get("/leszno/").get_data(as_text=True)
    assert "3063011" in page


def test_unknown_tenant_is_a_translated_404(client):
    response = client.get("/atlantyda/", headers={"Accept-Language": "pl"})
    assert response.status_code == 404
    assert "Ta strona nie istnieje." in response.get_data(as_text=True)
    response = client.get("/atlantyda/", headers={"Accept-Language": "en"})
    assert "This page does not exist." in response.get_data(as_text=True)


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"]["database"] == "ok"


def test_security_headers_are_strict(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_tenant_own_domain_resolves_to_the_tenant(client):
    page = client.get("/", headers={"Host": "razem.leszno.pl"}).get_data(as_text=True)
    assert "3063011" in page  # Leszno's home, without the /leszno prefix
    assert client.get("/healthz", headers={"Host": "razem.leszno.pl"}).status_code == 200


def test_city_admin_sees_the_city_menu(client, make_user):
    make_user("admin@leszno.pl", leszno="admin")
    log_in(client, "admin@leszno.pl")
    page = client.get("/leszno/").get_data(as_text=True)
    assert "/leszno/members" in page and "/leszno/audit" in page


def test_readiness_is_degraded_but_ready_when_redis_is_down(app, client):
    """Pages, logins and figures serve without Redis: a web process stays in rotation."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("redis", None)
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("redis", None)
    assert response.status_code == 200 and response.json["status"] == "degraded"
    assert response.json["checks"]["redis"].startswith("unavailable")
    assert response.json["checks"]["database"] == "ok"


def test_a_trailing_slash_leads_to_the_page(client):
    for path in ("/leszno/programmes/", "/leszno/meetings/?q=ECHO"):
        response = client.get(path)
        assert response.status_code == 308
        assert response.location == path.replace("/?", "?").rstrip("/")
    assert client.get("/leszno/no-such-page/").status_code == 404
