"""The platform operator's pages: every tenant, the invitation of a city's first admin, and
the regions compared."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts import services
from app.accounts.forms import AdminInviteForm
from app.accounts.models import Role
from app.accounts.permissions import OPERATOR, require
from app.exports.doors import door_of
from app.extensions import db
from app.platform import jobs  # noqa: F401 - registers the export job and its door
from app.platform.comparison import benchmark_years, national_comparison, shown_medians
from app.regions.benchmark import MEASURES
from app.tenancy import before_scope
from app.tenancy.models import Tenant, in_name_order

blueprint = Blueprint("platform", __name__, template_folder="templates")


@blueprint.get("/platform/")
@require(OPERATOR)
def tenants():
    counts = before_scope.member_counts()  # every city's, though the page is in none
    rows = db.session.scalars(select(Tenant).order_by(*in_name_order(Tenant))).all()
    return render_template(
        "platform/tenants.html", tenants=rows, counts=counts, form=AdminInviteForm()
    )


@blueprint.get("/platform/regions")
@require(OPERATOR)
def regions():
    """The regions side by side: aggregates only, never a city's row."""
    years, latest = benchmark_years()
    year = request.args.get("year", type=int)
    year = year if year in years else latest
    comparison = national_comparison(year)
    return render_template(
        "platform/regions.html",
        regions=comparison,
        year=year,
        years=years,
        measures=MEASURES,
        region_medians=[(region, shown_medians(region, get_locale())) for region in comparison],
    )


@blueprint.post("/platform/<tenant_slug>/invite-admin")
@require(OPERATOR)
def invite_admin():
    form = AdminInviteForm()
    if form.validate_on_submit():
        try:
            # This door grants nothing but the administrator it names: that is the confirmation.
            services.invite(
                g.tenant, form.email.data, Role.ADMIN.value, current_user, admin_confirmed=True
            )
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
        except services.AccountError as error:
            flash(str(error), "error")
    else:
        flash(_("Enter a valid e-mail address."), "error")
    return redirect(url_for("platform.tenants"))


@blueprint.post("/platform/<tenant_slug>/export")
@require(OPERATOR)
def export_tenant():
    """The city's data and files in one archive, as `flask tenants export` makes it."""
    record = door_of("platform.export_tenant").start(None, "zip")
    return redirect(url_for("jobs.status", job_id=record.id))
