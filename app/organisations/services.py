"""The NGO base: one organisation across cities, each city's register of it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ScalarSelect, String, and_, cast, func, literal_column, or_, select, true
from sqlalchemy.orm import contains_eager, joinedload, lazyload, load_only
from sqlalchemy.sql.elements import ColumnElement

from app import unit_of_work
from app.accounts import person_facts
from app.accounts.models import User, as_utc, hash_token
from app.collation import in_polish_order
from app.extensions import db
from app.mail import send_mail
from app.notifications import events
from app.organisations.models import (
    MemberRole,
    Organisation,
    OrganisationArea,
    OrganisationInvitation,
    OrganisationMember,
    Registration,
    RegistrationNotes,
    RegistrationStatus,
    RegistrationTag,
    fold,
)
from app.pages import KeysFirstPagination, page_number
from app.rows import changes_pending
from app.tenancy import clock
from app.tenancy.models import Tenant

PAGE_SIZE = 25
# Words too common in NGO names to tell two organisations apart.
GENERIC_WORDS = {
    "stowarzyszenie",
    "fundacja",
    "fundacji",
    "klub",
    "towarzystwo",
    "im",
    "sw",
    "na",
    "rzecz",
    "w",
    "i",
    "z",
    "dla",
    "oraz",
    "polskie",
    "polska",
    "organizacja",
    "kolo",
    "spoldzielnia",
}


class OrganisationError(ValueError):
    """A rule of the NGO base was broken; the message is shown to the person."""


# -- identity -------------------------------------------------------------------------


@dataclass
class DuplicateCheck:
    same_identifier: Organisation | None = None
    similar_names: list[Organisation] = field(default_factory=list)


def find_duplicates(
    name: str, krs: str | None, nip: str | None, regon: str | None, exclude_id: int | None = None
) -> DuplicateCheck:
    identifiers = [
        column == value
        for column, value in (
            (Organisation.krs, krs),
            (Organisation.nip, nip),
            (Organisation.regon, regon),
        )
        if value
    ]
    check = DuplicateCheck()
    if identifiers:
        query = select(Organisation).where(or_(*identifiers))
        if exclude_id:
            query = query.where(Organisation.id != exclude_id)
        check.same_identifier = db.session.scalars(query).first()
    stems = _stems(name)
    if stems:
        query = (
            select(Organisation)
            .where(or_(*[Organisation.search_name.contains(s, autoescape=True) for s in stems]))
            .limit(SIMILAR_CANDIDATES)
        )
        if exclude_id:
            query = query.where(Organisation.id != exclude_id)
        candidates = [o for o in db.session.scalars(query) if o is not check.same_identifier]
        alike = [o for o in candidates if _alike(name, stems, o)]
        check.similar_names = sorted(alike, key=lambda o: -_likeness(name, o))[:5]
    return check


# Names sharing a telling word are fetched (LIKE over the folded names, the same on SQLite
# and PostgreSQL), then kept if they share most of those words or read alike as a whole:
# "Sąsiedzi z Zatorza w Lesznie" finds "Stowarzyszenie Sąsiedzi z Zatorza", not every
# organisation with Leszno in its name.
SIMILAR_CANDIDATES = 50
SIMILAR_ENOUGH = 0.5


def _alike(name: str, stems: list[str], organisation: Organisation) -> bool:
    shared = sum(stem in organisation.search_name for stem in stems)
    return shared / len(stems) >= SIMILAR_ENOUGH or _likeness(name, organisation) >= SIMILAR_ENOUGH


def _stems(name: str) -> list[str]:
    """The telling words of a name cut to five letters, so that declined forms meet:
    "Leszna" and "Lesznie" both hold "leszn"."""
    words = [w for w in fold(name).split() if len(w) > 2 and w not in GENERIC_WORDS]
    return list(dict.fromkeys(w[:5] for w in words))


def _likeness(name: str, organisation: Organisation) -> float:
    return SequenceMatcher(None, fold(name), organisation.search_name).ratio()


def create_organisation(values: dict, areas: list[str]) -> Organisation:
    check = find_duplicates(
        values["name"], values.get("krs"), values.get("nip"), values.get("regon")
    )
    if check.same_identifier is not None:
        raise OrganisationError(
            _(
                "%(name)s is already in Razem with this KRS, NIP or REGON.",
                name=check.same_identifier.name,
            )
        )
    organisation = Organisation(**values)
    organisation.areas = areas
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_profile(
    organisation: Organisation, expected_version: int | str | None, values: dict, areas: list[str]
) -> None:
    """Save the profile, unless someone saved it since `expected_version`."""
    unit_of_work.check_version(organisation, expected_version)
    check = find_duplicates(
        values["name"],
        values.get("krs"),
        values.get("nip"),
        values.get("regon"),
        exclude_id=organisation.id,
    )
    if check.same_identifier is not None:
        raise OrganisationError(
            _(
                "%(name)s is already in Razem with this KRS, NIP or REGON.",
                name=check.same_identifier.name,
            )
        )
    with db.session.no_autoflush:
        for key, value in values.items():
            setattr(organisation, key, value)
        organisation.areas = areas
        if changes_pending():  # the areas alone are a change of the profile, and its version
            organisation.updated_at = clock.now()
    unit_of_work.flush()


def add_member(organisation: Organisation, user: User, role: MemberRole) -> None:
    """The person acts for the organisation from now on (unless they already do)."""
    if not is_member(user, organisation):
        db.session.add(OrganisationMember(organisation=organisation, user=user, role=role.value))
        unit_of_work.flush()


def is_member(user: User, organisation: Organisation) -> bool:
    return any(m.user_id == user.id for m in organisation.members)


def organisations_of(user: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(OrganisationMember)
            .where(OrganisationMember.user_id == user.id)
            .order_by(in_polish_order(Organisation.name))
        )
    )


NGO_CITIES = "ngo_tenant_ids"  # a fact of the person (person_facts)


def ngo_cities_of(user_id: int | ColumnElement[int]) -> ScalarSelect[str | None]:
    """The cities where one of the user's organisations is active, in one comma-joined
    value, so that it loads with the person (person_facts): that is their NGO access."""
    return (
        select(func.aggregate_strings(cast(Registration.tenant_id, String), ","))
        .select_from(Registration)
        .join(
            OrganisationMember,
            OrganisationMember.organisation_id == Registration.organisation_id,
        )
        .where(
            OrganisationMember.user_id == user_id,
            Registration.status == RegistrationStatus.ACTIVE.value,
        )
        .scalar_subquery()
    )


def ngo_tenant_ids(person: User) -> set[int]:
    """Cities where one of the person's organisations is active: that is their NGO access."""
    listed = person_facts.fact(person, NGO_CITIES)
    return {int(tenant_id) for tenant_id in listed.split(",")} if listed else set()


# -- registration in a city -----------------------------------------------------------


def organisation_to_apply_for(user: User, organisation_id: int) -> Organisation | None:
    """One of the organisations the person acts for: the only ones they may ask a city to
    register (the page offers these; the API refuses any other as the page's choice would)."""
    return next((o for o in organisations_of(user) if o.id == organisation_id), None)


def may_apply(tenant: Tenant, organisation: Organisation) -> bool:
    """Not registered in the city yet, or declined before (and so free to ask again)."""
    registration = registration_in(tenant, organisation)
    return registration is None or registration.status == RegistrationStatus.DECLINED


def registration_in(tenant: Tenant, organisation: Organisation) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.tenant_id == tenant.id, Registration.organisation_id == organisation.id
        )
    )


def register(
    tenant: Tenant, organisation: Organisation, status: RegistrationStatus, **fields
) -> Registration:
    """Add the organisation to the city's register (staff) or ask to be added (NGO)."""
    existing = registration_in(tenant, organisation)
    if existing is not None and existing.status != RegistrationStatus.DECLINED:
        raise OrganisationError(_("%(name)s is already in this register.", name=organisation.name))
    registration = existing or Registration(organisation=organisation, tenant_id=tenant.id)
    registration.status = status.value
    registration.decline_reason = None
    registration.requested_by_id = g.get("actor_id")
    for key, value in fields.items():
        setattr(registration, key, value)
    db.session.add(registration)
    unit_of_work.flush()
    return registration


def apply(tenant: Tenant, organisation: Organisation, **fields) -> Registration:
    """The organisation asks to be registered in the city; the city's staff decide."""
    if not may_apply(tenant, organisation):
        raise OrganisationError(
            _("%(name)s is already in the register of this city.", name=organisation.name)
        )
    return register(tenant, organisation, RegistrationStatus.REQUESTED, **fields)


def link(tenant: Tenant, organisation: Organisation, **fields) -> Registration:
    """Add an organisation already in Razem to the city's register (the form, the import
    and the API alike). Being in a register gives the organisation's people the NGO role in
    the city, so its representatives are asked first; with nobody to ask, it is active."""
    asked = representatives(organisation)
    status = RegistrationStatus.INVITED if asked else RegistrationStatus.ACTIVE
    registration = register(tenant, organisation, status, **fields)
    city = tenant.name("pl")
    # The import runs in a worker, outside any request: its e-mail names the page instead.
    page = url_for("organisations.mine", _external=True) if has_request_context() else None
    for member in asked:
        send_mail(
            member.user.email,
            _l("%(city)s invites %(name)s into its register", city=city, name=organisation.name),
            "registration_invited",
            locale=member.user.locale,
            organisation=organisation,
            city=city,
            link=page,
        )
    return registration


def answer_invitation(registration: Registration, accept: bool, reason: str | None) -> None:
    """The representative's answer to a city's invitation into its register."""
    if registration.status != RegistrationStatus.INVITED:
        raise OrganisationError(_("This invitation has already been answered."))
    registration.status = (
        RegistrationStatus.ACTIVE if accept else RegistrationStatus.DECLINED
    ).value
    registration.decline_reason = None if accept else (reason or "").strip() or None
    registration.decided_by_id = g.get("actor_id")
    registration.decided_at = clock.now()
    unit_of_work.flush()


def invitations_for(user: User) -> list[Registration]:
    """Cities' invitations waiting for an answer from this representative."""
    return _registrations_of_organisations_of(
        user,
        OrganisationMember.role == MemberRole.REPRESENTATIVE.value,
        Registration.status == RegistrationStatus.INVITED.value,
    )


# A city's refusal stays on the organisation's home page this long after it was decided.
REFUSALS_SHOWN_FOR = timedelta(days=30)


def requests_to_cities(user: User) -> list[Registration]:
    """Where the person's organisations asked a city, or were invited by one, and have no
    answer yet; and the refusals of the last weeks, with their reasons."""
    recent_refusal = and_(
        Registration.status == RegistrationStatus.DECLINED.value,
        Registration.decided_at >= clock.now() - REFUSALS_SHOWN_FOR,
    )
    waiting = Registration.status.in_(
        (RegistrationStatus.REQUESTED.value, RegistrationStatus.INVITED.value)
    )
    return _registrations_of_organisations_of(
        user, or_(waiting, recent_refusal), shown=_REQUEST_SHOWN
    )


# Of a request, what the NGO's home shows: the organisation's name, not its areas of
# activity (a query of their own); built once, not on every request of the page.
_REQUEST_SHOWN = (
    load_only(
        Registration.status,
        Registration.created_at,
        Registration.decided_at,
        Registration.decline_reason,
    ),
    joinedload(Registration.organisation).load_only(Organisation.name).lazyload("*"),
    joinedload(Registration.tenant).options(
        load_only(Tenant.slug, Tenant.names), lazyload(Tenant.region)
    ),
)


def _registrations_of_organisations_of(
    user: User, *conditions, shown: tuple = ()
) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .options(*shown)
            .join(
                OrganisationMember,
                OrganisationMember.organisation_id == Registration.organisation_id,
            )
            .where(OrganisationMember.user_id == user.id, *conditions)
            .order_by(Registration.created_at)
        )
    )


def decide(registration: Registration, approve: bool, reason: str | None) -> int:
    """Decide a request and e-mail the organisation's representatives; how many were told."""
    if registration.status != RegistrationStatus.REQUESTED:
        raise OrganisationError(_("This request has already been decided."))
    if not approve and not (reason or "").strip():
        raise OrganisationError(_("Give the reason for declining: the organisation will read it."))
    registration.status = (
        RegistrationStatus.ACTIVE if approve else RegistrationStatus.DECLINED
    ).value
    registration.decline_reason = None if approve else (reason or "").strip()
    registration.decided_by_id = g.get("actor_id")
    registration.decided_at = clock.now()
    unit_of_work.flush()
    return _tell_the_organisation(registration, approve)


def _tell_the_organisation(registration: Registration, approved: bool) -> int:
    city = registration.tenant.name("pl")
    name = registration.organisation.name
    told = representatives(registration.organisation)
    title = (
        _l("%(city)s accepted %(name)s into its register", city=city, name=name)
        if approved
        else _l("%(city)s declined the registration of %(name)s", city=city, name=name)
    )
    events.registration_decided(
        registration, [member.user for member in told], title, approved=approved, city=city
    )
    return len(told)


def representatives(organisation: Organisation) -> list[OrganisationMember]:
    return [m for m in organisation.members if m.role == MemberRole.REPRESENTATIVE]


# Only the organisation moves a registration out of these into the register: the city's
# invitation waits for its answer, and its "no" stands.
AWAITING_THE_ORGANISATION = {RegistrationStatus.INVITED.value, RegistrationStatus.DECLINED.value}


def _check_status_change(registration: Registration, status: RegistrationStatus) -> None:
    if status == registration.status:
        return
    if status == RegistrationStatus.INVITED:
        raise OrganisationError(_("Invite an organisation by adding it to the register."))
    if status == RegistrationStatus.ACTIVE and registration.status in AWAITING_THE_ORGANISATION:
        raise OrganisationError(
            _("Only the organisation's representative can accept the invitation.")
        )


def save_city_record(
    registration: Registration,
    expected_version: int | str | None,
    *,
    notes: str | None,
    tags: list[str],
    status: str,
    fields: dict,
) -> None:
    """The city's own notes and tags, and the registration fields it keeps; unless someone
    saved them since `expected_version`."""
    unit_of_work.check_version(registration, expected_version)
    _check_status_change(registration, RegistrationStatus(status))
    record = db.session.get(RegistrationNotes, registration.id)
    current = {
        t.tag: t
        for t in db.session.scalars(
            select(RegistrationTag).where(RegistrationTag.registration_id == registration.id)
        )
    }
    with db.session.no_autoflush:
        if record is None and notes:
            record = RegistrationNotes(registration_id=registration.id)
            db.session.add(record)
        if record is not None:
            record.notes = notes or None
        wanted = {t.strip().lower() for t in tags if t.strip()}
        for tag in set(current) - wanted:
            db.session.delete(current[tag])
        for tag in wanted - set(current):
            db.session.add(RegistrationTag(registration_id=registration.id, tag=tag))
        registration.status = RegistrationStatus(status).value
        for key, value in fields.items():
            setattr(registration, key, value)
        if changes_pending():  # notes and tags alone are a change of the record: a version
            registration.lock_version = registration.lock_version + 1
    unit_of_work.flush()


def city_records(
    registration_ids: list[int] | None = None,
) -> dict[int, tuple[str | None, list[str]]]:
    """The city's notes and tags of these registrations (or of all), in two queries."""
    notes_query = select(RegistrationNotes.registration_id, RegistrationNotes.notes)
    tags_query = select(RegistrationTag.registration_id, RegistrationTag.tag).order_by(
        RegistrationTag.tag
    )
    if registration_ids is not None:
        notes_query = notes_query.where(RegistrationNotes.registration_id.in_(registration_ids))
        tags_query = tags_query.where(RegistrationTag.registration_id.in_(registration_ids))
    records: dict[int, tuple[str | None, list[str]]] = {
        i: (None, []) for i in registration_ids or []
    }
    for registration_id, notes in db.session.execute(notes_query):
        records[registration_id] = (notes, [])
    for registration_id, tag in db.session.execute(tags_query):
        records.setdefault(registration_id, (None, []))[1].append(tag)
    return records


def city_record(registration: Registration) -> tuple[str | None, list[str]]:
    return city_records([registration.id])[registration.id]


# -- directory ------------------------------------------------------------------------

SORTS = {"name": "name", "-name": "name desc", "newest": "newest"}


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    area: str = ""
    legal_form: str = ""
    tag: str = ""
    status: str = RegistrationStatus.ACTIVE.value
    sort: str = "name"
    page: int = 1
    page_size: int = PAGE_SIZE
    # Over the API: only organisations whose profile changed at or after this moment.
    updated_since: datetime | None = None

    @classmethod
    def from_args(cls, args, *, staff: bool) -> DirectoryQuery:
        status = args.get("status", "active") if staff else "active"
        return cls(
            text=args.get("q", "").strip()[:200],
            area=args.get("area", ""),
            legal_form=args.get("legal_form", ""),
            tag=args.get("tag", "").strip().lower() if staff else "",
            status=status if status in {s.value for s in RegistrationStatus} else "active",
            sort=args.get("sort", "name") if args.get("sort") in SORTS else "name",
            page=page_number(args.get("page", 1)),
            page_size=min(max(_int(args.get("page_size"), PAGE_SIZE), 1), 100),
        )

    def as_args(self, **changes) -> dict:
        """The query as URL arguments, without defaults: for links to other pages of it."""
        values = {
            "q": self.text,
            "area": self.area,
            "legal_form": self.legal_form,
            "tag": self.tag,
            "sort": self.sort if self.sort != "name" else "",
            "status": self.status if self.status != "active" else "",
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _matching(query: DirectoryQuery, tenant_id: int) -> tuple[list[ColumnElement], bool]:
    """The conditions of the query, and whether they read the organisations' table."""
    conditions: list[ColumnElement] = [
        Registration.tenant_id == tenant_id,
        Registration.status == query.status,
    ]
    if query.tag:
        conditions.append(
            Registration.id.in_(
                select(RegistrationTag.registration_id).where(RegistrationTag.tag == query.tag)
            )
        )
    reads_organisations = len(conditions)
    if query.text:
        conditions.append(_text_match(query.text))
    if query.updated_since is not None:
        conditions.append(Organisation.updated_at >= query.updated_since)
    if query.area:
        conditions.append(
            Organisation.id.in_(
                select(OrganisationArea.organisation_id).where(OrganisationArea.code == query.area)
            )
        )
    if query.legal_form:
        conditions.append(Organisation.legal_form == query.legal_form)
    return conditions, len(conditions) > reads_organisations


def _text_match(phrase: str):
    words = fold(phrase).split()
    if not words:
        return true()
    if db.engine.dialect.name == "postgresql":
        # Prefix search over the names, diacritics folded by the `razem` text search
        # configuration (simple + unaccent, migration 0002), served by a GIN index.
        terms = " & ".join(f"{word}:*" for word in words)
        return literal_column("organisations.search_vector").op("@@")(
            func.to_tsquery(literal_column("'razem'::regconfig"), terms)
        )
    return and_(*[Organisation.search_name.contains(word, autoescape=True) for word in words])


def directory(tenant_id: int, query: DirectoryQuery, *, error_out: bool = True) -> Pagination:
    """One page of the register; a page past the last is a 404 unless error_out is off.

    A deep page of a city of 10,000 organisations skips only the registrations' ids, in the
    order of the index on their copy of the organisation's name (migration 0039), and the
    total counts the registrations alone; both join the organisations only when a filter
    reads them (every registration has its organisation: the join changes no count)."""
    order: dict[str, tuple[ColumnElement, ...]] = {
        "name": (in_polish_order(Registration.sort_name).asc(), Registration.id.asc()),
        "-name": (in_polish_order(Registration.sort_name).desc(), Registration.id.desc()),
        "newest": (Registration.created_at.desc(), Registration.id.asc()),
    }
    conditions, reads_organisations = _matching(query, tenant_id)
    counted = select(func.count(Registration.id)).where(*conditions)
    keys = select(Registration.id).where(*conditions).order_by(*order[query.sort])
    if reads_organisations:
        counted = counted.join(Registration.organisation)
        keys = keys.join(Registration.organisation)
    return KeysFirstPagination(
        page=query.page,
        per_page=query.page_size,
        max_per_page=None,
        error_out=error_out,
        keys=keys,
        rows=select(Registration)
        .join(Registration.organisation)
        .options(contains_eager(Registration.organisation)),
        key=Registration.id,
        counted=counted,
    )


def tags_in_use() -> list[str]:
    """The current city's tags (the table is tenant-scoped)."""
    return list(
        db.session.scalars(
            select(RegistrationTag.tag)
            .group_by(RegistrationTag.tag)
            .order_by(in_polish_order(RegistrationTag.tag))
        )
    )


def pending_requests(tenant_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.tenant_id == tenant_id,
                Registration.status == RegistrationStatus.REQUESTED.value,
            )
            .order_by(Registration.created_at)
        )
    )


# -- the organisation's people --------------------------------------------------------


def is_representative(user: User, organisation: Organisation) -> bool:
    return any(
        m.user_id == user.id and m.role == MemberRole.REPRESENTATIVE for m in organisation.members
    )


def invite_member(organisation: Organisation, email: str, role: str, invited_by: User) -> None:
    email = email.strip().lower()
    if any(m.user.email == email for m in organisation.members):
        raise OrganisationError(_("This person already acts for the organisation."))
    token = secrets.token_urlsafe(32)
    db.session.add(
        OrganisationInvitation(
            organisation=organisation,
            email=email,
            role=MemberRole(role).value,
            token_hash=hash_token(token),
            invited_by_id=invited_by.id,
            expires_at=clock.now()
            + timedelta(seconds=current_app.config["INVITATION_MAX_AGE_SECONDS"]),
        )
    )
    unit_of_work.flush()
    send_mail(
        email,
        _l("Invitation to act for %(name)s in Razem", name=organisation.name),
        "organisation_invitation",
        organisation=organisation,
        invited_by=invited_by,
        link=url_for("organisations.join", token=token, _external=True),
    )


def invite_first_representative(organisation: Organisation, email: str, invited_by: User) -> None:
    """The city's staff invite the representative of an organisation nobody acts for yet;
    once it has one, they invite its other people themselves."""
    if representatives(organisation):
        raise OrganisationError(
            _("The organisation has a representative: they invite its other people.")
        )
    invite_member(organisation, email, MemberRole.REPRESENTATIVE.value, invited_by)


def find_member_invitation(token: str) -> OrganisationInvitation | None:
    invitation = db.session.scalar(
        select(OrganisationInvitation).where(OrganisationInvitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.accepted_at is not None:
        return None
    return invitation if as_utc(invitation.expires_at) > clock.now() else None


def accept_member_invitation(invitation: OrganisationInvitation, user: User) -> None:
    if user.email.lower() != invitation.email:
        raise OrganisationError(_("This invitation was sent to another e-mail address."))
    add_member(invitation.organisation, user, MemberRole(invitation.role))
    invitation.accepted_at = clock.now()
    unit_of_work.flush()
