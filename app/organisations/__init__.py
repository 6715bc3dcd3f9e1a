"""The NGO base: organisations, their registrations in cities, the directory, import/export."""

from flask import Flask


def _ngo_roles(person) -> dict[int, str]:
    from app.organisations.services import ngo_tenant_ids

    return {tenant_id: "ngo" for tenant_id in ngo_tenant_ids(person)}


def init_app(app: Flask) -> None:
    from app.accounts.permissions import register_role_source
    from app.accounts.person_facts import register_fact
    from app.organisations import catalogue, jobs, models, services, views, ways_in  # noqa: F401

    register_fact(services.NGO_CITIES, services.ngo_cities_of)
    register_role_source(_ngo_roles)
    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["area_label"] = catalogue.area_label
    app.jinja_env.globals["legal_form_label"] = catalogue.legal_form_label
    app.jinja_env.globals["member_role_label"] = catalogue.member_role_label
