"""NGO proposals for the programme: sending one, the staff's aggregated list, forwarding
and answering, an organisation's own."""

from __future__ import annotations

from flask import (
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import STAFF, require
from app.core.page_cache import CSRF_TOKEN_PLACE, office_fragment
from app.pages import page_number, row_url
from app.programmes import proposals, services
from app.programmes.access import programme_for, proposal_for
from app.programmes.catalogue import (
    ANSWER_LABELS,
    ELEMENTS,
    Answer,
)
from app.programmes.forms import (
    AnswerForm,
    ProposalForm,
    forward_form,
)
from app.programmes.models import Programme, Proposal
from app.programmes.views import blueprint
from app.tenancy import clock


@blueprint.route(
    "/<tenant_slug>/programmes/<int:programme_id>/proposals/new", methods=["GET", "POST"]
)
@require()
def propose(programme_id: int):
    programme = programme_for(programme_id, "propose")
    organisations = proposals.organisations_for(current_user, g.tenant)
    if not proposals.is_open(programme):
        return render_template(
            "programmes/propose.html",
            programme=programme,
            form=None,
            closed=proposals.closed_message(programme),
        ), 410
    form = ProposalForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        try:
            proposals.submit(
                programme,
                organisation,
                current_user,
                form.element.data,
                form.proposed_text.data,
                form.justification.data or "",
            )
        except proposals.ProposalError as error:
            # the window closed while the form was being filled: keep the text, say why
            flash(str(error), "error")
            return _proposal_form(programme, form), 410
        flash(
            _("Thank you. The proposal has been sent; the answer will come by e-mail."), "success"
        )
        return redirect(url_for("programmes.my_proposals"))
    return _proposal_form(programme, form), 422 if form.errors else 200


def _proposal_form(programme: Programme, form: ProposalForm) -> str:
    """The form with the days it stays open, none once the window has closed."""
    return render_template(
        "programmes/propose.html",
        programme=programme,
        form=form,
        closed=None,
        open_window=services.open_window(programme),
        today=clock.today(),
    )


@blueprint.get("/<tenant_slug>/programmes/<int:programme_id>/proposals")
@require(*STAFF)
def proposal_list(programme_id: int):
    programme = programme_for(programme_id, "manage")
    where = proposals.ProposalFilter.from_args(request.args)
    return render_template(
        "programmes/proposals.html",
        content=office_fragment("proposal-list", lambda: _proposal_list(programme, where)),
    )


def _proposal_list(programme, where: proposals.ProposalFilter) -> str:
    """The list as the whole office sees it. What every row repeats is worked out once for
    the page: the labels translated, the forms' addresses built from one rule."""
    back = where.as_args()  # the forms bring the person back to this page of the list
    return render_template(
        "programmes/_proposal_list.html",
        programme=programme,
        where=where,
        page=proposals.list_page(programme, where),
        forward_form=forward_form(),
        answer_labels={answer: str(label) for answer, label in ANSWER_LABELS.items()},
        element_names={element: str(label) for element, label in ELEMENTS.items()},
        forward_url=row_url("programmes.forward_proposal", "proposal_id", **back),
        answer_url=row_url("programmes.answer_proposal", "proposal_id", **back),
        csrf=CSRF_TOKEN_PLACE,
    )


@blueprint.post("/<tenant_slug>/proposals/<int:proposal_id>/forward")
@require(*STAFF)
def forward_proposal(proposal_id: int):
    proposal = proposal_for(proposal_id, "manage")
    form = forward_form()
    if form.validate_on_submit():
        person = form.chosen()
        proposals.forward(proposal, person)
        flash(_("The proposal has been forwarded to %(unit)s.", unit=person.name), "success")
    else:
        flash(_("Choose the person of the office the proposal goes to."), "error")
    return _back_to_the_list(proposal)


@blueprint.post("/<tenant_slug>/proposals/<int:proposal_id>/answer")
@require(*STAFF)
def answer_proposal(proposal_id: int):
    proposal = proposal_for(proposal_id, "manage")
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            proposals.answer(proposal, Answer(form.verdict.data), form.justification.data or "")
        except proposals.ProposalError as error:
            flash(str(error), "error")
        else:
            flash(_("The answer has been saved and sent to the organisation."), "success")
    return _back_to_the_list(proposal)


def _back_to_the_list(proposal: Proposal):
    """To the page of the list the form was sent from, with its filters."""
    where = proposals.still_there(
        proposal.programme, proposals.ProposalFilter.from_args(request.args)
    )
    return redirect(
        url_for("programmes.proposal_list", programme_id=proposal.programme_id, **where.as_args())
    )


@blueprint.get("/<tenant_slug>/proposals/mine")
@require()
def my_proposals():
    return render_template(
        "programmes/my_proposals.html",
        proposals=proposals.page_of_user(current_user, page_number(request.args.get("page", 1))),
        answer_labels=ANSWER_LABELS,
    )


# Public consultation, versions, opinions and the consultation report.
