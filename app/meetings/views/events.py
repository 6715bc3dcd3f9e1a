"""Meetings people register for: the settings, the organiser's list, registering and
cancelling."""

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

from app.accounts.permissions import STAFF, get_or_404, require
from app.fields import lines
from app.mail import public_mail_form
from app.meetings import registration
from app.meetings.access import event_registration_for, meeting_for
from app.meetings.forms import (
    PublishForm,
    RegisterForm,
    RegistrationSettingsForm,
)
from app.meetings.models import Meeting, MeetingStatus
from app.meetings.views import blueprint
from app.pages import page_number


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/registration-settings")
@require(*STAFF)
def registration_settings(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    form = RegistrationSettingsForm()
    if form.validate_on_submit():
        registration.change_settings(
            meeting,
            g.tenant.slug,
            registration_open=bool(form.registration_open.data),
            capacity=form.capacity.data,
            registration_deadline=form.registration_deadline.data,
            attendance_mode=form.attendance_mode.data,
            questions=lines(form.questions.data),
        )
        flash(_("Saved."), "success")
    else:
        flash(_("Check the registration settings."), "error")
    return redirect(url_for("meetings.registrations", meeting_id=meeting.id))


@blueprint.get("/<tenant_slug>/meetings/<int:meeting_id>/registrations")
@require(*STAFF)
def registrations(meeting_id: int):
    meeting = meeting_for(meeting_id, "manage")
    settings = RegistrationSettingsForm(obj=meeting)
    settings.questions.data = "\n".join(meeting.questions)
    return render_template(
        "meetings/registrations.html",
        meeting=meeting,
        settings=settings,
        registrations=registration.page_of_meeting(meeting, _page()),
        counts=registration.counts(meeting),
    )


@blueprint.post(
    "/<tenant_slug>/meetings/<int:meeting_id>/registrations/<int:event_registration_id>/remove"
)
@require(*STAFF)
def remove_registration(meeting_id: int, event_registration_id: int):
    """The organiser removes a registration; a freed place goes to the waiting list."""
    meeting = meeting_for(meeting_id, "manage")
    record = event_registration_for(event_registration_id, "remove")
    if record.meeting_id != meeting.id:
        abort(404)
    if not PublishForm().validate_on_submit():
        abort(400)
    problem = registration.why_not_cancellable(record, meeting)
    if problem:
        flash(problem, "error")
    else:
        registration.cancel(record, meeting, g.tenant.slug)
        flash(_("The registration of %(name)s is removed.", name=record.name), "success")
    # removed, the registration stays on its page (cancelled): back to that page
    page = _page()
    return redirect(
        url_for("meetings.registrations", meeting_id=meeting.id, page=page if page > 1 else None)
    )


def _page() -> int:
    return page_number(request.args.get("page", 1))


@blueprint.post("/<tenant_slug>/meetings/<int:meeting_id>/register")
@public_mail_form
def register(meeting_id: int):
    meeting = meeting_for(meeting_id, "register")
    form = RegisterForm()
    if not form.validate_on_submit():
        flash(_("Give your name and a valid e-mail address."), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    if form.website.data:  # only a robot fills the field nobody sees; it learns nothing
        flash(_confirm_by_mail(), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    answers = [request.form.get(f"answer-{i}", "") for i in range(len(meeting.questions))]
    try:
        record = registration.register(
            meeting,
            g.tenant.slug,
            name=form.name.data,
            email=form.email.data,
            organisation=form.organisation.data or "",
            answers=answers,
        )
    except registration.RegistrationClosed as error:
        flash(str(error), "error")
    else:
        flash(_REGISTERED[record.status](), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


def _confirm_by_mail() -> str:
    return _("Almost done: follow the link we sent to your e-mail address to confirm.")


_REGISTERED = {
    "unconfirmed": _confirm_by_mail,
    "confirmed": lambda: _("You are registered. The confirmation is on its way by e-mail."),
    "waiting": lambda: _(
        "All places are taken: you are on the waiting list. We will write if a place frees up."
    ),
}


@blueprint.route("/<tenant_slug>/registrations/confirm/<token>", methods=["GET", "POST"])
def confirm_registration(token: str):
    """The link of the e-mail opens a page and the button confirms, so that a mail
    scanner that opens every link confirms nothing."""
    record = registration.find_unconfirmed(token)
    if record is None:
        abort(404)
    meeting = get_or_404(Meeting, record.meeting_id)
    if request.method == "POST":
        if not PublishForm().validate_on_submit():
            abort(400)
        registration.confirm(record, meeting, g.tenant.slug)
        flash(_REGISTERED[record.status](), "success")
        return redirect(
            url_for("meetings.show", meeting_id=meeting.id)
            if meeting.status == MeetingStatus.PUBLISHED
            else url_for("core.tenant_home")
        )
    return render_template("meetings/confirm.html", meeting=meeting)


@blueprint.route("/<tenant_slug>/registrations/cancel/<token>", methods=["GET", "POST"])
def cancel_registration(token: str):
    """The link of every confirmation e-mail; a link that no longer cancels anything says
    why in words."""
    record = registration.find_by_token(token)
    if record is None:
        return render_template("meetings/cancel.html", problem=_UNKNOWN_LINK()), 404
    meeting = get_or_404(Meeting, record.meeting_id)
    problem = registration.why_not_cancellable(record, meeting)
    if problem:
        return render_template("meetings/cancel.html", meeting=meeting, problem=problem), 410
    if request.method == "POST":
        return _cancel(record, meeting)
    return render_template("meetings/cancel.html", meeting=meeting, record=record)


@blueprint.get("/<tenant_slug>/registrations/mine")
@require()
def my_registrations():
    return render_template(
        "meetings/my_registrations.html",
        registrations=registration.of_person(current_user.email),
        is_past=registration.is_past,
        cancel_form=PublishForm(),
    )


@blueprint.post("/<tenant_slug>/registrations/<int:event_registration_id>/cancel")
@require()
def cancel_my_registration(event_registration_id: int):
    record = event_registration_for(event_registration_id, "cancel")
    meeting = get_or_404(Meeting, record.meeting_id)
    from_home = request.form.get("from_home")
    back = url_for("accounts.my_cities" if from_home else "meetings.my_registrations")
    problem = registration.why_not_cancellable(record, meeting)
    if problem:
        flash(problem, "error")
        return redirect(back)
    return _cancel(record, meeting, then=back)


def _UNKNOWN_LINK() -> str:
    return _(
        "This cancellation link is not valid. Check that the whole link from the e-mail was "
        "opened, or write to the organiser."
    )


def _cancel(record, meeting: Meeting, then: str | None = None):
    if not PublishForm().validate_on_submit():
        abort(400)
    registration.cancel(record, meeting, g.tenant.slug)
    flash(_("Your registration is cancelled."), "success")
    if then is None:
        then = (
            url_for("meetings.show", meeting_id=meeting.id)
            if meeting.status == MeetingStatus.PUBLISHED
            else url_for("core.tenant_home")
        )
    return redirect(then)
