"""The coordinator writes a project: its blocks, its standardisation groups, its standards;
and opens a project's adoption matrix or the region's benchmark to everyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import unit_of_work
from app.accounts.models import User
from app.audit.models import acting_user_id
from app.extensions import db
from app.regions.models import (
    Standard,
    StandardisationGroup,
    StandardsProject,
    StandardTargetChange,
    ThematicBlock,
)
from app.tenancy.models import Region

PROJECT_FIELDS = ("title", "starts_on", "ends_on", "funding_source", "partner", "description")
STANDARD_FIELDS = (
    "block_id",
    "title",
    "description",
    "procedures",
    "recommendations",
    "version",
    "position",
)


class ProjectError(ValueError):
    pass


@dataclass(frozen=True)
class BlockRow:
    id: int | None
    title: str


@dataclass(frozen=True)
class GroupRow:
    id: int | None
    name: str
    office_members: list[str]
    ngo_members: list[str]


def save_project(
    project: StandardsProject,
    expected_version: int,
    data: dict[str, Any],
    blocks: list[BlockRow],
    groups: list[GroupRow],
) -> None:
    """Save unless someone saved since `expected_version`; blocks and groups that have
    standards are never dropped, so no city's adoption record goes with them."""
    unit_of_work.check_version(
        project,
        expected_version,
        _(
            "Someone else saved this project while you were editing it. Your entries are "
            "kept below: compare them with the saved project and save again."
        ),
    )
    for field in PROJECT_FIELDS:
        setattr(project, field, data[field])
    project.blocks = _kept_blocks(project, blocks)
    project.groups = _kept_groups(project, groups)
    if project.id is None:
        db.session.add(project)
    unit_of_work.flush()


def _kept_blocks(project: StandardsProject, rows: list[BlockRow]) -> list[ThematicBlock]:
    existing = {b.id: b for b in project.blocks}
    kept = []
    next_number = max((b.number for b in project.blocks), default=0) + 1
    for row in rows:
        block = existing.pop(row.id, None) if row.id else None
        if block is None:
            block = ThematicBlock(number=next_number)
            next_number += 1
        block.title = row.title
        kept.append(block)
    for dropped in existing.values():
        if dropped.standards:
            raise ProjectError(
                _(
                    "The block “%(title)s” has standards; move or remove them before "
                    "removing the block.",
                    title=dropped.title,
                )
            )
    return kept


def _kept_groups(project: StandardsProject, rows: list[GroupRow]) -> list[StandardisationGroup]:
    existing = {g.id: g for g in project.groups}
    used = {s.group_id for b in project.blocks for s in b.standards}
    kept = []
    for position, row in enumerate(rows):
        group = existing.pop(row.id, None) if row.id else None
        group = group or StandardisationGroup()
        group.position = position
        group.name = row.name
        group.office_members = row.office_members
        group.ngo_members = row.ngo_members
        kept.append(group)
    for dropped in existing.values():
        if dropped.id in used:
            raise ProjectError(
                _(
                    "The group “%(name)s” wrote standards of the project; it cannot be removed.",
                    name=dropped.name,
                )
            )
    return kept


def set_matrix_publicity(
    project: StandardsProject, public: bool, expected_version: int | None = None
) -> None:
    """Open the adoption matrix to everyone, or keep it for the coordinator. With
    `expected_version` (the API's), refused when someone saved the project since."""
    _set_publicity(
        project,
        "matrix_public",
        public,
        expected_version,
        _("Someone else saved this project since you read it: read it again."),
    )


def set_benchmark_publicity(
    region: Region, public: bool, expected_version: int | None = None
) -> None:
    """Open the region's cooperation benchmark to everyone, or keep it for the coordinator.
    With `expected_version` (the API's), refused when someone changed it since."""
    _set_publicity(
        region,
        "benchmark_public",
        public,
        expected_version,
        _("Someone else changed the benchmark's publicity since you read it: read it again."),
    )


def _set_publicity(
    record: unit_of_work.OptimisticLock,
    switch: str,
    public: bool,
    expected_version: int | None,
    stale: str,
) -> None:
    if expected_version is not None:
        unit_of_work.check_version(record, expected_version, stale)
    setattr(record, switch, public)
    unit_of_work.flush()


def save_standard(standard: Standard, expected_version: int, data: dict[str, Any]) -> None:
    unit_of_work.check_version(
        standard,
        expected_version,
        _(
            "Someone else saved this standard while you were editing it. Your entries are "
            "kept below: compare them with the saved standard and save again."
        ),
    )
    for field in STANDARD_FIELDS:
        setattr(standard, field, data[field])
    standard.group_id = data["group_id"] or None
    if standard.id is None:
        db.session.add(standard)
    if standard.target_date != data["target_date"]:
        standard.target_date = data["target_date"]
        unit_of_work.flush()  # the standard's id, for its record
        db.session.add(
            StandardTargetChange(
                standard_id=standard.id,
                target_date=standard.target_date,
                user_id=acting_user_id(),
            )
        )
    unit_of_work.flush()


def target_history(standard: Standard) -> list[tuple[date | None, str | None, datetime]]:
    """(target date, who set it, when), newest first."""
    if standard.id is None:
        return []
    rows = db.session.execute(
        select(StandardTargetChange.target_date, User.name, StandardTargetChange.created_at)
        .outerjoin(User, User.id == StandardTargetChange.user_id)
        .where(StandardTargetChange.standard_id == standard.id)
        .order_by(StandardTargetChange.created_at.desc(), StandardTargetChange.id.desc())
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]
