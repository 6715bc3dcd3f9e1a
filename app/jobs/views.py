"""A person watches their own jobs and downloads what they produced."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from flask_babel import gettext

from app.accounts.permissions import require
from app.jobs.access import job_for
from app.jobs.models import JobStatus
from app.storage import send_stored

blueprint = Blueprint("jobs", __name__, template_folder="templates")


def failure_message(record) -> str | None:
    """Why a failed job failed, in the reader's language (the record keeps the English)."""
    if record.status != JobStatus.FAILED or not record.error:
        return None
    return gettext(record.error)


@blueprint.get("/jobs/<job_id>")
@require()
def status(job_id: str):
    record = job_for(job_id)
    return render_template("jobs/status.html", record=record, error=failure_message(record))


@blueprint.get("/jobs/<job_id>/status.json")
@require()
def status_json(job_id: str):
    record = job_for(job_id)
    return jsonify(
        id=record.id,
        status=record.status,
        progress=record.progress,
        error=failure_message(record),
        finished=record.finished,
        has_result=bool(record.result_key),
    )


@blueprint.get("/jobs/<job_id>/download")
@require()
def download(job_id: str):
    return result_file(job_for(job_id))


def result_file(record):
    """What a finished job produced, for the person who may see it (both doors)."""
    if record.status != JobStatus.DONE:
        abort(404)
    return send_stored(record.result_key, record.result_name)
