"""The feeds, the widget a city's website may frame, and the office's page of both."""

from __future__ import annotations

from contextlib import nullcontext

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from flask_babel import force_locale

from app import CONTENT_SECURITY_POLICY
from app.accounts.permissions import STAFF, require
from app.extensions import talisman
from app.feeds import atom, city, region
from app.i18n import supported

blueprint = Blueprint("feeds", __name__, template_folder="templates")


@blueprint.get("/<tenant_slug>/feeds/<kind>.atom")
def city_feed(kind: str):
    if kind not in city.FEEDS:
        abort(404)
    with force_locale(_feed_language()):
        return atom.render(city.FEEDS[kind]())


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/adoption.atom")
def matrix_feed(project_id: int):
    project = region.public_project(project_id)
    with force_locale(_feed_language()):
        return atom.render(region.matrix_changes(project))


def _feed_language() -> str:
    """Polish, with the names declined, for the BIP and newsrooms; another language the
    site speaks when the link asks for it (`?lang=en`, as the English pages link)."""
    language = request.args.get("lang")
    return language if language in supported() else "pl"


# The widget writes its own Content-Security-Policy (the city's websites may frame it) and
# no X-Frame-Options, which cannot name several origins; every other page keeps Talisman's.
@blueprint.get("/<tenant_slug>/widget")
@talisman(content_security_policy=None, frame_options=None)
def widget():
    windows, upcoming = city.widget()
    language = request.args.get("lang")
    # the page's language when it says so, else the visitor's (Accept-Language), as anywhere
    with force_locale(language) if language in supported() else nullcontext():
        page = render_template(
            "feeds/widget.html", tenant=g.tenant, windows=windows, upcoming=upcoming
        )
    response = Response(page)
    response.headers["Content-Security-Policy"] = widget_policy(framing_origins())
    return response


def framing_origins() -> list[str]:
    """The city's own websites (its TOML file's `cors_origins`: www, BIP) may frame its
    widget; Razem's own domains for the city are 'self'."""
    return sorted(current_app.extensions["razem_cors_origins"].get(g.tenant.slug, ()))


def widget_policy(origins: list[str]) -> str:
    policy = CONTENT_SECURITY_POLICY | {"frame-ancestors": " ".join(["'self'", *origins])}
    return "; ".join(f"{directive} {value}" for directive, value in policy.items())


@blueprint.get("/<tenant_slug>/embed")
@require(*STAFF)
def embed():
    return render_template(
        "feeds/embed.html", tenant=g.tenant, feeds=list(city.FEEDS), origins=framing_origins()
    )
