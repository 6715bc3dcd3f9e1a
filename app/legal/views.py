"""The law's pages of each city (and of the platform, outside any city), and their editor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import can, require
from app.legal import texts
from app.legal.forms import LegalTextForm, RestoreDefaultForm
from app.legal.models import LEGAL_KIND_LABELS, LegalKind, LegalText
from app.unit_of_work import EditConflict

blueprint = Blueprint("legal", __name__, template_folder="templates")

KINDS = "any(privacy_clause, privacy_policy, accessibility_statement)"
TITLES = LEGAL_KIND_LABELS


@blueprint.get("/privacy")
@blueprint.get("/<tenant_slug>/privacy")
def privacy_policy():
    return _page(LegalKind.PRIVACY_POLICY)


@blueprint.get("/accessibility")
@blueprint.get("/<tenant_slug>/accessibility")
def accessibility_statement():
    return _page(LegalKind.ACCESSIBILITY_STATEMENT)


def _page(kind: LegalKind):
    tenant = g.get("tenant")
    return render_template(
        "legal/page.html",
        kind=kind,
        title=TITLES[kind],
        text=texts.shown(kind, tenant),
        body=texts.public_body(tenant),
        editable=tenant is not None and can("edit", LegalText),
    )


def _editor() -> None:
    if not can("edit", LegalText):
        abort(403)


@blueprint.get("/<tenant_slug>/legal")
@require()
def index():
    _editor()
    shown = [texts.shown(kind, g.tenant) for kind in LegalKind]
    return render_template("legal/index.html", shown=shown, titles=TITLES)


@blueprint.route(f"/<tenant_slug>/legal/<{KINDS}:kind>", methods=["GET", "POST"])
@require()
def edit(kind: str):
    _editor()
    legal_kind = LegalKind(kind)
    current = texts.shown(legal_kind, g.tenant)
    form = LegalTextForm() if request.method == "POST" else _form_for(current)
    status = 200
    if form.validate_on_submit():
        try:
            texts.save(
                legal_kind,
                form.body.data,
                form.published_on.data,
                form.revised_on.data,
                form.version.data,
                current_user.id,
            )
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("legal.index"))
    elif form.errors:
        status = 422
    return render_template(
        "legal/edit.html",
        form=form,
        kind=legal_kind,
        title=TITLES[legal_kind],
        text=current,
        restore_form=RestoreDefaultForm(),
    ), status


def _form_for(text: texts.ShownText) -> LegalTextForm:
    form = LegalTextForm(data={"published_on": text.published_on, "revised_on": text.revised_on})
    form.body.data = text.body
    form.version.data = text.record.lock_version if text.record else ""
    return form


@blueprint.post(f"/<tenant_slug>/legal/<{KINDS}:kind>/default")
@require()
def restore_default(kind: str):
    _editor()
    if not RestoreDefaultForm().validate_on_submit():
        abort(400)
    texts.restore_default(LegalKind(kind))
    flash(_("The default text is back: it follows the city's file."), "success")
    return redirect(url_for("legal.index"))
