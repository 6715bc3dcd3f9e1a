from sqlalchemy import select

from app.accounts.models import Invitation, User
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests.conftest import log_in, post_form


def test_create_admin_command_makes_a_platform_operator(app, app_context):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "operator@razem.pl",
            "--name",
            "Operator",
            "--password",
            "bardzo-tajne-hasło",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "operator@razem.pl"))
    assert user.is_operator and user.check_password("bardzo-tajne-hasło")


def test_operator_invites_the_first_admin_of_a_city(client, make_user, mailbox, tenants):
    make_user("operator@razem.pl", operator=True)
    log_in(client, "operator@razem.pl")
    assert client.get("/platform/").status_code == 200
    post_form(
        client, "/platform/torun/invite-admin", {"email": "pelnomocnik@torun.pl", "role": "admin"}
    )
    assert mailbox.last_to("pelnomocnik@torun.pl")
    with tenant_scope(tenants["torun"].id):
        invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.role == "admin"


def test_platform_page_is_for_operators_only(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    assert client.get("/platform/").status_code == 403


def test_make_coordinator_command(app, app_context, make_user):
    user = make_user("p.zielinski@umww.pl")
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "make-coordinator",
            "--email",
            "p.zielinski@umww.pl",
            "--region",
            "wielkopolskie",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert [a.region.slug for a in user.regional_roles] == ["wielkopolskie"]
    missing = app.test_cli_runner().invoke(
        args=["users", "make-coordinator", "--email", "nikt@example.org", "--region", "x"]
    )
    assert missing.exit_code != 0
