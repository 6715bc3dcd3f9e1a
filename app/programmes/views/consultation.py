"""The public consultation of the draft: comments and their answers, versions compared,
opinions of bodies, the report, element 10 filled in from the cycle's records."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import STAFF, get_or_404, is_staff, require
from app.extensions import db
from app.files import UploadRejected, from_form
from app.pages import row_url
from app.programmes import consultation, proposals, services
from app.programmes.access import (
    acting_for,
    can,
    comment_for,
    consultation_of,
    programme_for,
)
from app.programmes.forms import (
    CommentAnswerForm,
    CommentForm,
    CopyForm,
    OpinionForm,
    forward_form,
)
from app.programmes.models import Comment, Opinion, Programme
from app.programmes.views import blueprint
from app.storage import send_stored


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/consultation")
def consultation_page(programme_id: int):
    programme = consultation_of(programme_id)
    commenting = consultation.consultation_open(programme) and can("comment", programme)
    return _consultation_view(programme, _comment_form() if commenting else None)


def _comment_form() -> CommentForm:
    form = CommentForm()
    form.organisation_id.choices = [
        (o.id, o.name) for o in proposals.organisations_for(current_user, g.tenant)
    ]
    return form


def _consultation_view(programme: Programme, form: CommentForm | None, status: int = 200):
    where = consultation.CommentFilter.from_args(request.args)
    staff = is_staff()
    back = where.as_args()  # the staff's forms bring them back to this page of the comments
    return render_template(
        "programmes/consultation.html",
        programme=programme,
        is_open=consultation.consultation_open(programme),
        form=form,
        version=programme.versions[0] if programme.versions else None,
        where=where,
        comments=consultation.comments_page(programme, where),
        staff=staff,
        forward_form=forward_form() if staff else None,
        forward_url=row_url("programmes.forward_comment", "comment_id", **back) if staff else None,
        answer_url=row_url("programmes.answer_comment", "comment_id", **back) if staff else None,
    ), status


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/comments")
@require(Role.NGO)
def add_comment(programme_id: int):
    programme = programme_for(programme_id, "comment")
    form = _comment_form()
    if not consultation.consultation_open(programme):
        # the window closed while the comment was being written: keep it, say why
        flash(_("The public consultation of this draft is closed."), "error")
        return _consultation_view(programme, form, 410)
    if not form.validate_on_submit():
        flash(_("Write the comment and choose the part of the programme."), "error")
        return _consultation_view(programme, form, 422)
    organisation = acting_for(form.organisation_id.data)
    try:
        consultation.comment(
            programme, current_user, organisation, form.element.data, form.body.data
        )
    except consultation.ConsultationError as error:
        flash(str(error), "error")
        return _consultation_view(programme, form, 422)
    flash(_("Thank you for the comment. The answer will be published here."), "success")
    return redirect(url_for("programmes.consultation_page", programme_id=programme.id))


@blueprint.post("/<tenant_slug>/comments/<int:comment_id>/answer")
@require(*STAFF)
def answer_comment(comment_id: int):
    record = comment_for(comment_id, "manage")
    form = CommentAnswerForm()
    try:
        if not form.validate_on_submit():
            raise consultation.ConsultationError(_("Write the answer."))
        consultation.answer_comment(record, form.answer.data, form.taken_into_account.data)
    except consultation.ConsultationError as error:
        flash(str(error), "error")
    else:
        flash(_("The answer has been published."), "success")
    return _back_to_the_comments(record)


@blueprint.post("/<tenant_slug>/comments/<int:comment_id>/forward")
@require(*STAFF)
def forward_comment(comment_id: int):
    record = comment_for(comment_id, "manage")
    form = forward_form()
    if form.validate_on_submit():
        person = form.chosen()
        consultation.forward_comment(record, person)
        flash(_("The comment has been forwarded to %(name)s.", name=person.name), "success")
    else:
        flash(_("Choose the person of the office the comment goes to."), "error")
    return _back_to_the_comments(record)


def _back_to_the_comments(record: Comment):
    """To the page of the comments the form was sent from."""
    programme = db.session.get_one(Programme, record.programme_id)
    where = consultation.still_there(programme, consultation.CommentFilter.from_args(request.args))
    return redirect(
        url_for("programmes.consultation_page", programme_id=programme.id, **where.as_args())
    )


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/versions")
def versions(programme_id: int):
    programme = programme_for(programme_id)
    by_number = {v.number: v for v in programme.versions}
    old = by_number.get(request.args.get("a", type=int) or 1)
    new = by_number.get(request.args.get("b", type=int) or max(by_number, default=0))
    changes = consultation.compare(old, new) if old and new and old is not new else []
    return render_template(
        "programmes/versions.html", programme=programme, old=old, new=new, changes=changes
    )


@blueprint.route("/<tenant_slug>/programmes/<int:programme_id>/opinions", methods=["GET", "POST"])
def opinions(programme_id: int):
    programme = programme_for(programme_id)
    form = OpinionForm()
    if request.method == "POST":
        if not can("manage", programme):
            abort(403)
        services.ensure_editable(programme)
        if form.validate_on_submit():
            try:
                checked = from_form(form.attachment.data)
                consultation.add_opinion(
                    programme, form.body.data, form.given_on.data, form.text.data or "", checked
                )
            except UploadRejected as error:  # not a document, or the storage cannot take it
                form.attachment.errors.append(str(error))
            else:
                flash(_("The opinion has been recorded."), "success")
                return redirect(url_for("programmes.opinions", programme_id=programme.id))
    return render_template(
        "programmes/opinions.html",
        programme=programme,
        form=form,
        opinions=consultation.opinions_of(programme),
        staff=is_staff(),
    ), (422 if form.errors else 200)


@blueprint.get("/<tenant_slug>/opinions/<int:opinion_id>/document")
def opinion_document(opinion_id: int):
    opinion = get_or_404(Opinion, opinion_id)
    programme_for(opinion.programme_id)
    return send_stored(opinion.attachment_key, opinion.attachment_name)


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/consultation-report")
def consultation_report(programme_id: int):
    programme = consultation_of(programme_id)
    return render_template(
        "programmes/consultation_report.html",
        programme=programme,
        report=consultation.report(programme),
    )


@blueprint.post("/<tenant_slug>/programmes/<int:programme_id>/creation-summary")
@require(*STAFF)
def fill_creation(programme_id: int):
    programme = programme_for(programme_id, "manage")
    services.ensure_editable(programme)
    if not CopyForm().validate_on_submit():  # a bare form: only the CSRF token
        abort(400)
    consultation.fill_creation(programme)
    flash(_("Element 10 has been filled in from the cycle's records; check it."), "success")
    return redirect(url_for("programmes.edit", programme_id=programme.id))


# The annual report and the official documents.
