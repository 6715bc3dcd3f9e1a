"""One unit of work: services change and flush; whoever owns the work commits it, once.

A request commits after its view succeeds and rolls back before any error page renders
(`finish_request`, called by the application's dispatch). A job's runner and a CLI command
commit the same way with `commit()`. What must wait until the data is committed — a job
handed to the queue, where another process reads it — is registered with `after_commit`.

A flush that breaks a rule of the database becomes a domain error a view can show next to
the person's input: `EditConflict` when someone saved the record in the meantime (the
version check), `ConstraintViolation` for a duplicate or a missing value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import Integer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

_AFTER_COMMIT = "razem_after_commit"


class OptimisticLock:
    """A shared record (minutes, a programme, a project, a standard, an adoption) carries the
    number of its saves: an edit states the one it started from (`check_version`), and the
    database refuses a save that lost a race (`StaleDataError`, the same conflict)."""

    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.lock_version}  # type: ignore[attr-defined]


class EditConflict(ValueError):
    """Someone saved the record since this person opened it; their input is to be kept."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(
            str(
                message
                or lazy_gettext(
                    "Someone else saved this while you were editing it. Your entries are "
                    "kept below: compare them with the saved version and save again."
                )
            )
        )


class ConstraintViolation(ValueError):
    """The change would break a rule of the database (a duplicate, a missing value)."""

    def __init__(self, error: IntegrityError) -> None:
        self.constraint = _constraint_name(error)
        super().__init__(str(_constraint_message(error)))


def check_version(
    record: OptimisticLock, expected_version: int | str | None, message: Any = None
) -> None:
    """Refuse the save if someone saved `record` since the person opened it."""
    if record.lock_version is None:  # not saved yet: nobody else can have changed it
        return
    try:
        expected = int(expected_version or 0)
    except (TypeError, ValueError):
        expected = -1
    if record.lock_version != expected:
        raise EditConflict(message)


def flush() -> None:
    """Send the changes now, so a broken rule is reported to the service that made it."""
    try:
        db.session.flush()
    except StaleDataError as error:
        rollback()
        raise EditConflict() from error
    except IntegrityError as error:
        rollback()
        raise ConstraintViolation(error) from error


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the current unit of work is committed (never if rolled back)."""
    db.session().info.setdefault(_AFTER_COMMIT, []).append(callback)


def commit() -> None:
    session = db.session()
    session.commit()
    callbacks = session.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        callback()


def rollback() -> None:
    session = db.session()
    session.info.pop(_AFTER_COMMIT, None)
    session.rollback()


def finish_request(status_code: int) -> None:
    """The request's one commit point: success commits, an error answer rolls back."""
    if status_code < 400:
        commit()
    else:
        rollback()


def _constraint_name(error: IntegrityError) -> str:
    diagnostics = getattr(error.orig, "diag", None)
    return getattr(diagnostics, "constraint_name", None) or ""


def _constraint_message(error: IntegrityError) -> Any:
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    text = str(error.orig).lower()
    if sqlstate == "23505" or "unique" in text:
        return lazy_gettext("A record with these details already exists.")
    if sqlstate == "23502" or "not null" in text:
        return lazy_gettext("A required value is missing.")
    if sqlstate == "23503" or "foreign key" in text:
        return lazy_gettext("This refers to a record that no longer exists.")
    return lazy_gettext("These values are not allowed together.")
