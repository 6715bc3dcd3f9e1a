"""Who may see a job and what it produced: the person who started it, for as long as they
still hold a role that let them start it, in the job's city or region. A staff member
removed from the city no longer downloads the register they exported."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.accounts.permissions import (
    COORDINATOR,
    OPERATOR,
    get_or_404,
    register_policy,
    tenant_roles,
)
from app.jobs.models import JobRecord


def _still_entitled(record: JobRecord) -> bool:
    if record.user_id is None or record.user_id != current_user.id:
        return False
    if not record.roles:
        return True  # started by a door any signed-in person may use
    city_role = tenant_roles().get(record.tenant_id) if record.tenant_id is not None else None
    return any(
        role == city_role
        or (role == OPERATOR and current_user.is_operator)
        or (
            role == COORDINATOR
            and record.region_id is not None
            and current_user.coordinates(record.region_id)
        )
        for role in record.roles
    )


register_policy(lambda action, record: record is not None and _still_entitled(record), JobRecord)


def job_for(job_id: str) -> JobRecord:
    """The current user's job, 404 when it is someone else's or no longer for their eyes."""
    record = get_or_404(JobRecord, job_id, user_id=current_user.id)
    if not _still_entitled(record):
        abort(404)
    return record
