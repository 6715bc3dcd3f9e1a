"""The city's NGO register and public directory, and an NGO's own pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.forms import AcceptInvitationForm
from app.accounts.permissions import STAFF, can, get_or_404, is_staff, require
from app.accounts.services import create_user, find_user, start_session
from app.core.edge import record_id, whole_number
from app.exports.doors import ExportRefused, door_of
from app.jobs import enqueue
from app.organisations import claims, importer, services
from app.organisations.access import invitation_for, organisation_for, registration_for
from app.organisations.catalogue import (
    LEGAL_FORMS,
    PUBLIC_BENEFIT_AREAS,
    STATUS_LABELS,
    member_role_label,
)
from app.organisations.forms import (
    ApplyForm,
    CityRecordForm,
    ClaimAnswerForm,
    ClaimDecisionForm,
    DecisionForm,
    ImportUploadForm,
    InvitationAnswerForm,
    InviteRepresentativeForm,
    LinkForm,
    MemberInviteForm,
    OrganisationForm,
)
from app.organisations.models import Organisation, Registration, RegistrationStatus
from app.storage import StorageUnavailable, storage
from app.unit_of_work import EditConflict

blueprint = Blueprint("organisations", __name__, template_folder="templates")


@blueprint.get("/<tenant_slug>/organisations")
def directory():
    staff = is_staff()
    query = services.DirectoryQuery.from_args(request.args, staff=staff)
    page = services.directory(g.tenant.id, query)
    return render_template(
        "organisations/directory.html",
        page=page,
        query=query,
        staff=staff,
        areas=PUBLIC_BENEFIT_AREAS,
        legal_forms=LEGAL_FORMS,
        statuses=STATUS_LABELS,
        tags=services.tags_in_use() if staff else [],
    )


@blueprint.get("/<tenant_slug>/organisations/<int:registration_id>")
def profile(registration_id: int):
    registration = registration_for(registration_id)
    if not is_staff():
        return _profile_page(registration)
    notes, tags = services.city_record(registration)
    form = CityRecordForm(obj=registration)
    form.notes.data, form.tags.data = notes, ", ".join(tags)
    form.version.data = registration.lock_version
    return _profile_page(registration, form, notes=notes, tags=tags)


def _profile_page(
    registration: Registration,
    form: CityRecordForm | None = None,
    *,
    notes: str | None = None,
    tags: list[str] | None = None,
    conflict: bool = False,
) -> str:
    """The organisation as this city registered it; for its staff, the city's record
    to edit (holding what they sent when it was not saved)."""
    context = {
        "registration": registration,
        "organisation": registration.organisation,
        "staff": form is not None,
        "statuses": STATUS_LABELS,
    }
    if form is not None:
        context.update(
            notes=notes,
            tags=tags or [],
            form=form,
            invite_form=_invite_form(registration),
            conflict=conflict,
        )
    return render_template("organisations/profile.html", **context)


def _invite_form(registration: Registration) -> InviteRepresentativeForm | None:
    """Staff may invite the first representative of an organisation that has none."""
    if services.representatives(registration.organisation):
        return None
    return InviteRepresentativeForm()


@blueprint.post("/<tenant_slug>/organisations/<int:registration_id>/invite-representative")
@require(*STAFF)
def invite_representative(registration_id: int):
    registration = registration_for(registration_id, "manage")
    form = InviteRepresentativeForm()
    back = url_for("organisations.profile", registration_id=registration.id)
    if not form.validate_on_submit():
        flash(_("Enter a valid e-mail address."), "error")
        return redirect(back)
    try:
        services.invite_first_representative(
            registration.organisation, form.email.data, current_user
        )
    except services.OrganisationError as error:
        flash(str(error), "error")
    else:
        flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
    return redirect(back)


@blueprint.post("/<tenant_slug>/organisations/<int:registration_id>")
@require(*STAFF)
def save_city_record(registration_id: int):
    registration = registration_for(registration_id, "manage")
    form = CityRecordForm()
    if not form.validate_on_submit():
        flash(_("Some of the data is not valid."), "error")
        return _profile_page(registration, form, notes=form.notes.data), 422
    try:
        services.save_city_record(
            registration,
            form.version.data,
            notes=form.notes.data,
            tags=(form.tags.data or "").split(","),
            status=form.status.data,
            fields={name: getattr(form, name).data or None for name in form.REGISTRATION_FIELDS},
        )
    except EditConflict as error:
        flash(str(error), "error")
        notes, tags = services.city_record(registration)
        return _profile_page(registration, form, notes=notes, tags=tags, conflict=True), 409
    except services.OrganisationError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("organisations.profile", registration_id=registration.id))


@blueprint.route("/<tenant_slug>/organisations/new", methods=["GET", "POST"])
@require(*STAFF)
def add():
    form = OrganisationForm()
    duplicates = services.DuplicateCheck()
    if form.validate_on_submit():
        values = form.profile()
        duplicates = services.find_duplicates(
            values["name"], values["krs"], values["nip"], values["regon"]
        )
        if duplicates.same_identifier is None and (
            not duplicates.similar_names or form.create_anyway.data
        ):
            organisation = services.create_organisation(values, form.areas.data)
            registration = services.register(g.tenant, organisation, RegistrationStatus.ACTIVE)
            flash(
                _(
                    "%(name)s is in the register. Invite its representative below, so that "
                    "it can keep its profile and take part.",
                    name=organisation.name,
                ),
                "success",
            )
            return redirect(url_for("organisations.profile", registration_id=registration.id))
    return render_template(
        "organisations/add.html", form=form, duplicates=duplicates, link_form=LinkForm()
    )


@blueprint.post("/<tenant_slug>/organisations/link")
@require(*STAFF)
def link():
    """Add an organisation that already exists in Razem (in another city) to this register."""
    form = LinkForm()
    organisation_id = record_id(form.organisation_id.data)
    if not form.validate_on_submit() or organisation_id is None:
        abort(400)
    organisation = get_or_404(Organisation, organisation_id)
    try:
        registration = services.link(g.tenant, organisation)
    except services.OrganisationError as error:
        flash(str(error), "error")
        return redirect(url_for("organisations.directory"))
    flash(_linked(registration), "success")
    return redirect(url_for("organisations.profile", registration_id=registration.id))


def _linked(registration: Registration) -> str:
    name = registration.organisation.name
    if registration.status == RegistrationStatus.INVITED:
        return _(
            "%(name)s is invited: it joins the register when its representative accepts. "
            "They have been told by e-mail.",
            name=name,
        )
    return _(
        "%(name)s is in the register at once: it has no representative in Razem to ask.",
        name=name,
    )


@blueprint.get("/<tenant_slug>/organisations/requests")
@require(*STAFF)
def requests():
    return render_template(
        "organisations/requests.html",
        registrations=services.pending_requests(g.tenant.id),
        form=DecisionForm(),
        reviews=claims.waiting_for_city(),
        claim_form=ClaimDecisionForm(),
    )


@blueprint.post("/<tenant_slug>/organisations/<int:registration_id>/decision")
@require(*STAFF)
def decide(registration_id: int):
    registration = registration_for(registration_id, "manage")
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            told = services.decide(
                registration, approve=bool(form.approve.data), reason=form.reason.data
            )
            flash(_decision_told(told), "success" if told else "info")
        except services.OrganisationError as error:
            flash(str(error), "error")
    return redirect(url_for("organisations.requests"))


def _decision_told(representatives: int) -> str:
    if not representatives:
        return _(
            "Decided. Nobody was told: the organisation has no representative in Razem. "
            "Let it know another way."
        )
    return ngettext(
        "Decided. An e-mail to the organisation's representative is on its way.",
        "Decided. E-mails to the organisation's %(num)d representatives are on their way.",
        representatives,
    )


@blueprint.route("/<tenant_slug>/organisations/apply", methods=["GET", "POST"])
@require()
def apply():
    """An NGO representative asks to be registered in this city."""
    organisations = services.organisations_of(current_user)
    mine = [o for o in organisations if services.may_apply(g.tenant, o)]
    form = ApplyForm()
    form.organisation_id.choices = [(o.id, o.name) for o in mine]
    if not mine:  # nothing to ask for: a request is refused as the API refuses it (422)
        return render_template(
            "organisations/apply.html",
            form=None,
            has_organisations=bool(organisations),
            claims=claims.claims_of(current_user),
        ), 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        organisation = next(o for o in mine if o.id == form.organisation_id.data)
        services.apply(
            g.tenant,
            organisation,
            fields_of_activity=form.fields_of_activity.data or None,
            contact_name=form.contact_name.data or None,
            contact_email=form.contact_email.data or None,
        )
        flash(_("Your request has been sent. The office will answer by e-mail."), "success")
        return redirect(url_for("organisations.mine"))
    return render_template("organisations/apply.html", form=form), 422 if form.errors else 200


# An NGO's own pages: global, for its members.


@blueprint.get("/organisations/mine")
@require()
def mine():
    return render_template(
        "organisations/mine.html",
        organisations=services.organisations_of(current_user),
        invitations=services.invitations_for(current_user),
        answer_form=InvitationAnswerForm(),
        statuses=STATUS_LABELS,
        claims_to_answer=claims.waiting_for_representative(current_user),
        claim_form=ClaimAnswerForm(),
        my_claims=claims.claims_of(current_user),
    )


# In the city's URL: the answer is the city's record, audited in its log.
@blueprint.post("/<tenant_slug>/organisations/<int:registration_id>/answer")
@require()
def answer_invitation(registration_id: int):
    """A representative accepts or declines a city's invitation into its register."""
    registration = invitation_for(registration_id)
    form = InvitationAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    accept = bool(form.accept.data)
    services.answer_invitation(registration, accept, form.reason.data)
    if accept:
        flash(_("Accepted: the organisation is in the register."), "success")
    else:
        flash(_("Declined: the office has been given your answer."), "info")
    return redirect(url_for("organisations.mine"))


@blueprint.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@require()
def edit(organisation_id: int):
    organisation = organisation_for(organisation_id, "edit")
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.areas.data = organisation.areas
        form.version.data = organisation.lock_version
    status = 200
    if form.validate_on_submit():
        try:
            services.update_profile(
                organisation, form.version.data, form.profile(), form.areas.data
            )
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        except services.OrganisationError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved. Every city sees the change."), "success")
            return redirect(url_for("organisations.mine"))
    elif form.errors:
        status = 422
    return render_template(
        "organisations/edit.html", form=form, organisation=organisation, conflict=status == 409
    ), status


# Import and export of the city's register.

IMPORT_SESSION_KEY = "organisation_import"


@blueprint.route("/<tenant_slug>/organisations/import", methods=["GET", "POST"])
@require(*STAFF)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            rows = importer.read_table(upload.filename or "", data)
            storage_key = storage().save(g.tenant.id, upload.filename or "import", data)
        except (importer.ImportFileError, StorageUnavailable) as error:
            form.file.errors.append(str(error))
        else:
            session[IMPORT_SESSION_KEY] = {
                "tenant_id": g.tenant.id,
                "filename": upload.filename,
                "storage_key": storage_key,
                "mapping": importer.guess_mapping(rows[0]),
            }
            return redirect(url_for("organisations.import_preview"))
    return render_template("organisations/import_upload.html", form=form), (
        422 if form.errors else 200
    )


def _pending_import() -> dict:
    pending = session.get(IMPORT_SESSION_KEY)
    if not pending or pending["tenant_id"] != g.tenant.id:
        abort(404)
    return pending


@blueprint.route("/<tenant_slug>/organisations/import/preview", methods=["GET", "POST"])
@require(*STAFF)
def import_preview():
    """A dry run: what the import would do, row by row; the columns can be remapped."""
    pending = _pending_import()
    with storage().open(pending["storage_key"]) as handle:
        rows = importer.read_table(pending["filename"], handle.read())
    if request.method == "POST":
        pending["mapping"] = _mapping_from(request.form, len(rows[0]))
        session[IMPORT_SESSION_KEY] = pending
    try:
        preview = importer.plan(rows, pending["mapping"], g.tenant)
    except importer.ImportFileError as error:
        flash(str(error), "error")
        preview = None
    if request.method == "POST" and request.form.get("confirm") and preview is not None:
        record = enqueue(
            "organisations.import",
            storage_key=pending["storage_key"],
            filename=pending["filename"],
            mapping=pending["mapping"],
        )
        session.pop(IMPORT_SESSION_KEY, None)
        return redirect(url_for("jobs.status", job_id=record.id))
    return render_template(
        "organisations/import_preview.html",
        header=rows[0],
        mapping=pending["mapping"],
        preview=preview,
        fields=importer.FIELDS,
        outcomes=importer.OUTCOME_LABELS,
    )


def _mapping_from(form, columns: int) -> dict[str, int]:
    mapping = {}
    for name in importer.FIELDS:
        column = whole_number(form.get(f"column-{name}"))
        if column is not None and column < columns:
            mapping[name] = column
    return mapping


@blueprint.post("/<tenant_slug>/organisations/export")
@require(*STAFF)
def export():
    try:
        record = door_of("organisations.export").start(None, request.form.get("format", ""))
    except ExportRefused:
        abort(400)
    return redirect(url_for("jobs.status", job_id=record.id))


# The organisation's people: its representatives invite others by e-mail.


@blueprint.route("/organisations/<int:organisation_id>/people", methods=["GET", "POST"])
@require()
def people(organisation_id: int):
    organisation = organisation_for(organisation_id, "see_people")
    form = MemberInviteForm()
    if request.method == "POST":
        if not can("invite", organisation):
            abort(403)
        if form.validate_on_submit():
            try:
                services.invite_member(organisation, form.email.data, form.role.data, current_user)
            except services.OrganisationError as error:
                flash(str(error), "error")
            else:
                flash(
                    _("The invitation has been sent to %(email)s.", email=form.email.data),
                    "success",
                )
            return redirect(url_for("organisations.people", organisation_id=organisation.id))
    return render_template(
        "organisations/people.html",
        organisation=organisation,
        form=form,
        may_invite=can("invite", organisation),
    )


@blueprint.route("/organisations/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invitation = services.find_member_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    if find_user(invitation.email) is not None and not current_user.is_authenticated:
        flash(_("You already have an account: log in to accept the invitation."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    form = None if current_user.is_authenticated else AcceptInvitationForm()
    if request.method == "POST" and (form is None or form.validate_on_submit()):
        user = (
            current_user
            if form is None
            else create_user(invitation.email, form.name.data, form.password.data)
        )
        try:
            services.accept_member_invitation(invitation, user)
        except services.OrganisationError as error:
            flash(str(error), "error")
            return redirect(url_for("organisations.mine"))
        if form is not None:
            start_session(user)
        flash(_("You now act for %(name)s.", name=invitation.organisation.name), "success")
        return redirect(url_for("organisations.mine"))
    return render_template(
        "accounts/accept_invitation.html",
        form=form,
        invitation=invitation,
        heading=_("Act for %(name)s", name=invitation.organisation.name),
        intro=_("You are invited as: %(role)s.", role=member_role_label(invitation.role)),
    )
