"""Ways in for a person without an organisation in Razem: claim one that is already here
(found by its KRS, NIP or REGON) or register a new one and ask cities to register it; and
the answers to claims, by the organisation's representatives or by a city's staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import STAFF, require
from app.core.edge import record_id
from app.extensions import db
from app.organisations import claims, identifiers, services
from app.organisations.access import claim_for, review_of
from app.organisations.forms import (
    ClaimAnswerForm,
    ClaimDecisionForm,
    ClaimForm,
    FindOrganisationForm,
    NewOrganisationForm,
)
from app.organisations.models import MemberRole, Organisation, RegistrationStatus
from app.organisations.views import blueprint
from app.tenancy.context import tenant_scope
from app.tenancy.models import Region, Tenant, in_name_order


@blueprint.get("/organisations/start")
@require()
def start():
    """Find the organisation by its number; found, the page asks who the person is in it."""
    find_form = FindOrganisationForm(request.args)
    found, searched = None, "number" in request.args
    if searched and find_form.validate():
        try:
            found = claims.find_by_number(find_form.number.data)
        except identifiers.InvalidIdentifier:
            find_form.number.errors.append(
                _("Enter a KRS or NIP (10 digits) or a REGON (9 or 14 digits).")
            )
    return render_template(
        "organisations/start.html",
        find_form=find_form,
        found=found,
        searched=searched and not find_form.errors,
        claim_form=_claim_form(found, find_form.number.data) if found else None,
        deciders=_deciders(found) if found else None,
        claims=claims.claims_of(current_user),
    ), (422 if find_form.errors else 200)


def _claim_form(organisation: Organisation, number: str) -> ClaimForm:
    form = ClaimForm(number=number)
    form.city.choices = [
        (str(city.id), city.name()) for city in claims.deciding_cities(organisation)
    ]
    return form


def _only_city(organisation: Organisation) -> Tenant | None:
    cities = claims.deciding_cities(organisation)
    return cities[0] if len(cities) == 1 else None


def _deciders(organisation: Organisation) -> dict:
    """Who will answer, for the page to say so (and whose privacy clause applies)."""
    asked = services.representatives(organisation)
    cities = [] if asked else claims.deciding_cities(organisation)
    return {"representatives": len(asked), "cities": cities}


@blueprint.post("/organisations/claim")
@require()
def claim():
    form = ClaimForm()
    try:
        organisation = claims.find_by_number(form.number.data or "")
    except identifiers.InvalidIdentifier:
        organisation = None
    if organisation is None:
        abort(404)
    back = url_for("organisations.start", number=form.number.data)
    if not form.validate_on_submit():
        flash(_("Say what your function in the organisation is."), "error")
        return redirect(back)
    city_id = record_id(form.city.data)
    city = db.session.get(Tenant, city_id) if city_id else _only_city(organisation)
    try:
        claims.file_claim(current_user, organisation, form.function.data, city)
    except services.OrganisationError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("Your request has been sent. You will get an e-mail when it is answered."), "success")
    return redirect(url_for("organisations.start"))


@blueprint.post("/organisations/claims/<int:claim_id>/answer")
@require()
def answer_claim(claim_id: int):
    """A representative accepts (with a role) or refuses a person's claim."""
    claim = claim_for(claim_id, "decide")
    form = ClaimAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    accept = bool(form.accept.data)
    claims.decide(claim, accept, form.reason.data, MemberRole(form.role.data))
    flash(_answered(accept, claim.claimant.name), "success")
    return redirect(url_for("organisations.mine"))


@blueprint.post("/<tenant_slug>/organisations/claims/<int:claim_id>/decision")
@require(*STAFF)
def decide_claim(claim_id: int):
    """The city's staff decide a claim to act for an organisation with no representative."""
    review = review_of(claim_id, "decide")
    form = ClaimDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    accept = bool(form.accept.data)
    claims.decide(review.claim, accept, form.reason.data)
    flash(_answered(accept, review.claim.claimant.name), "success")
    return redirect(url_for("organisations.requests"))


def _answered(accept: bool, name: str) -> str:
    if accept:
        return _("Accepted: %(name)s now acts for the organisation and has been told.", name=name)
    return _("Refused: %(name)s has been told.", name=name)


@blueprint.route("/organisations/register", methods=["GET", "POST"])
@require()
def register_new():
    """A new organisation, registered by one of its people, who becomes its representative
    and asks cities to add it to their registers."""
    form = NewOrganisationForm()
    regions = _regions_with_cities()
    form.cities.choices = [(t.slug, t.name()) for r in regions for t in r.tenants]
    if request.method == "GET":
        form.cities.data = [request.args["city"]] if request.args.get("city") else []
        form.krs.data = request.args.get("krs") or None
    duplicates = services.DuplicateCheck()
    if form.validate_on_submit():
        values = form.profile()
        duplicates = services.find_duplicates(
            values["name"], values["krs"], values["nip"], values["regon"]
        )
        if duplicates.same_identifier is None and (
            not duplicates.similar_names or form.create_anyway.data
        ):
            organisation = _register(values, form.areas.data, form.cities.data or [])
            flash(_registered(organisation, len(form.cities.data or [])), "success")
            return redirect(url_for("organisations.mine"))
    return render_template(
        "organisations/register_new.html",
        form=form,
        duplicates=duplicates,
        regions=regions,
        chosen=set(form.cities.data or []),
    ), (422 if form.errors else 200)


def _regions_with_cities() -> list[Region]:
    regions = db.session.scalars(select(Region).order_by(*in_name_order(Region))).all()
    return [region for region in regions if region.tenants]


def _register(values: dict, areas: list[str], city_slugs: list[str]) -> Organisation:
    organisation = services.create_organisation(values, areas)
    services.add_member(organisation, current_user, MemberRole.REPRESENTATIVE)
    cities = db.session.scalars(select(Tenant).where(Tenant.slug.in_(city_slugs))).all()
    for city in cities:
        # each request is the city's record, in its own audit log
        with tenant_scope(city.id):
            services.register(city, organisation, RegistrationStatus.REQUESTED)
    return organisation


def _registered(organisation: Organisation, cities: int) -> str:
    if not cities:
        return _(
            "%(name)s is in Razem. Ask a city to register it from the city's list of "
            "organisations.",
            name=organisation.name,
        )
    return _(
        "%(name)s is in Razem and the cities have your requests. They answer by e-mail.",
        name=organisation.name,
    )
