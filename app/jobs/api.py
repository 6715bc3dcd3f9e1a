"""/api/v1/jobs/<id>: a person watches the background work they started over the API (a
document's export) and downloads what it produced, through the same door as the job page."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate

from app.accounts.permissions import require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint
from app.jobs.access import job_for
from app.jobs.models import JobRecord, JobStatus
from app.jobs.views import failure_message, result_file

blueprint = ApiBlueprint(
    "api_jobs",
    __name__,
    tag="Zadania w tle · Background jobs",
    url_prefix="/api/v1",
    description="Background jobs a person started (exports of documents) and their files",
)

# A job that failed for now waits in the queue for its next try.
SHOWN_STATUS = {JobStatus.RETRYING: JobStatus.QUEUED}
STATUSES = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED]
# What jobs produce: documents, tables of a register or a log, archives of data.
FILES = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "text/csv",
    "application/zip",
]
EXAMPLE_ID = "0b7f3c1e-5d2a-4e8b-9c61-2f0a7d4e9b13"


class JobFileSchema(Schema):
    url = fields.String(
        metadata={
            "description": "Where to download it, with the same token",
            "example": f"/api/v1/jobs/{EXAMPLE_ID}/file",
        }
    )
    name = fields.String(
        metadata={"description": "The file's name", "example": "protokół-2023-07-13.pdf"}
    )


class JobSchema(Schema):
    id = fields.String(metadata={"example": EXAMPLE_ID})
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "queued (also while waiting to be tried again), running, done or failed",
            "example": "done",
        },
    )
    progress = fields.Integer(metadata={"description": "Percent done", "example": 100})
    error = fields.String(
        allow_none=True,
        metadata={"description": "Why it failed, in the reader's language (failed jobs only)"},
    )
    created_at = fields.DateTime(metadata={"example": "2026-11-30T12:00:00+00:00"})
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    file = fields.Nested(
        JobFileSchema,
        allow_none=True,
        metadata={"description": "What the job produced, once it is done"},
    )


def job_resource(record: JobRecord) -> dict:
    done = record.status == JobStatus.DONE and bool(record.result_key)
    return {
        "id": record.id,
        "status": SHOWN_STATUS.get(JobStatus(record.status), record.status),
        "progress": record.progress,
        "error": failure_message(record),
        "created_at": record.created_at,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "file": {
            "url": url_for("api_jobs.job_file", job_id=record.id),
            "name": record.result_name,
        }
        if done
        else None,
    }


def location_of(record: JobRecord) -> dict[str, str]:
    return {"Location": url_for("api_jobs.job", job_id=record.id)}


@blueprint.route("/jobs/<job_id>")
@blueprint.doc(security=BEARER)
@blueprint.response(200, JobSchema)
@require()
def job(job_id: str):
    """A job you started.

    Its status and timestamps and, once done, the link to its file. Only the person who
    started it, while they still hold the role that let them: 404 for anyone else."""
    return job_resource(job_for(job_id))


@blueprint.route("/jobs/<job_id>/file")
@blueprint.doc(
    security=BEARER,
    responses={
        "200": {
            "description": "The file, with its type and its Polish name "
            "(`Content-Disposition: attachment; filename*=UTF-8''…`)",
            "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILES},
        }
    },
)
@require()
def job_file(job_id: str):
    """Download what a job you started produced.

    The same file as on the job's page. 404 until the job is done, and for anyone but the
    person who started it."""
    return result_file(job_for(job_id))
