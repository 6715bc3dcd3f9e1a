"""A person watches their own jobs and downloads what they produced."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template

from app.accounts.permissions import require
from app.jobs.access import job_for
from app.jobs.models import JobStatus
from app.storage import send_stored

blueprint = Blueprint("jobs", __name__, template_folder="templates")


@blueprint.get("/jobs/<job_id>")
@require()
def status(job_id: str):
    return render_template("jobs/status.html", record=job_for(job_id))


@blueprint.get("/jobs/<job_id>/status.json")
@require()
def status_json(job_id: str):
    record = job_for(job_id)
    return jsonify(
        id=record.id,
        status=record.status,
        progress=record.progress,
        error=record.error if record.status == JobStatus.FAILED else None,
        finished=record.finished,
        has_result=bool(record.result_key),
    )


@blueprint.get("/jobs/<job_id>/download")
@require()
def download(job_id: str):
    record = job_for(job_id)
    if record.status != JobStatus.DONE:
        abort(404)
    return send_stored(record.result_key, record.result_name)
