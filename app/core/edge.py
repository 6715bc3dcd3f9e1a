"""The edge of the application: input refused before any view or query sees it, and
private answers kept out of caches on the way out."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, current_app, request, session

from app import DATABASE_INTEGER_MAX
from app.accounts.permissions import declared_roles


def refuse_unreadable_input(endpoint: str | None = None, values: dict | None = None) -> None:
    """No text of a person holds a NUL byte or half a character, and PostgreSQL can store
    neither: a path, query, form or JSON body carrying one is a bad request, not a server
    error deep inside a query."""
    if not all(_is_text(raw) for raw in _raw_texts()):
        abort(400)
    if request.mimetype == "multipart/form-data":
        fields = [*_every_value(request.form), *(f.filename or "" for f in request.files.values())]
        if any("\x00" in value for value in fields):
            abort(400)
    if request.is_json and not _json_is_text(request.get_json(silent=True)):
        abort(400)


def whole_number(value: Any) -> int | None:
    """A query, form or cookie value that is a whole number the database can hold (ASCII
    digits; `²` passes str.isdigit() but is no number), else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= DATABASE_INTEGER_MAX else None


def record_id(value: Any) -> int | None:
    """A query or form value naming a record: its id, else None."""
    return whole_number(value) or None


def cache_headers(response: Response) -> Response:
    """Who may keep the answer, said last, once every cookie it sets is in it (Razem's
    process_response). What a logged-in person or a bearer token is shown may be theirs
    alone (notes, contacts, drafts): no browser or proxy keeps it, so the back button after
    logout or a shared computer shows nothing. An answer that sets a cookie, or is asked
    with one, may hold what that cookie holds (a form's CSRF token, a message, a chosen
    language): the browser alone may keep it. A public page asked without any cookie is the
    same for every visitor: nginx or a CDN may serve it for PUBLIC_PAGE_MAX_AGE seconds and
    then ask again with its ETag. The session is read rather than the person loaded, so an
    answer to a broken database still passes."""
    if "Authorization" in request.headers or "_user_id" in session:
        response.headers["Cache-Control"] = "private, no-store"
    elif "Set-Cookie" in response.headers:
        response.headers["Cache-Control"] = "private, no-cache"
    elif request.cookies:
        response.vary.add("Cookie")
        response.headers.setdefault("Cache-Control", "private, no-cache")
    elif is_public_page(response):
        _share(response)
    return response


# A city's pages and its feeds (app/feeds) are kept alike.
SHARED_TYPES = frozenset({"text/html", "application/atom+xml"})


def is_public_page(response: Response) -> bool:
    """A page asked as may_be_shared() says, answered in full."""
    return (
        may_be_shared()
        and response.status_code == 200
        and response.mimetype in SHARED_TYPES
        and not response.is_streamed
    )


def may_be_shared() -> bool:
    """Whether this request's page is the same for whoever asks it: a read of a page anyone
    may read (its view requires no login), whose address holds no secret (an invitation's
    or a confirmation's token) and which takes no form of its own (the login, a sign-up),
    asked with no cookie and no token. Such a page carries no session's CSRF token
    (base.html), so it sets no cookie and a shared cache may keep it."""
    rule = request.url_rule
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and not request.cookies
        and rule is not None
        and "token" not in rule.arguments
        and "POST" not in (rule.methods or ())
        and declared_roles(rule.endpoint, "GET") is None
    )


def _share(response: Response) -> None:
    response.vary.update(("Cookie", "Accept-Language"))
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_PAGE_MAX_AGE"]
    response.add_etag()
    response.make_conditional(request)  # a 304 when the ETag asked with is still the page's


def init_app(app: Flask) -> None:
    # Before the tenant is looked up from the URL, so a NUL in a slug never reaches a query.
    app.url_value_preprocessors.setdefault(None, []).insert(0, refuse_unreadable_input)
    app.jinja_env.globals["may_be_shared"] = may_be_shared


def _raw_texts() -> list[bytes]:
    """The path, query and URL-encoded form as they came, percent-decoded to bytes."""
    path = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")
    texts = [path, _unquote(request.query_string)]
    if request.mimetype == "application/x-www-form-urlencoded":
        texts.append(_unquote(request.get_data(cache=True)))
    return texts


def _unquote(raw: bytes) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _is_text(raw: bytes) -> bool:
    try:
        return "\x00" not in raw.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _json_is_text(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value and _encodes(value)
    if isinstance(value, dict):
        return all(_json_is_text(key) and _json_is_text(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_json_is_text(item) for item in value)
    return True


def _encodes(value: str) -> bool:
    """False for a lone surrogate (`"\\ud800"` in JSON), which no database text can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _every_value(fields) -> list[str]:
    return [value for values in fields.listvalues() for value in values]
