"""A connection the pool kept is checked before a request uses it, without asking the server.

SQLAlchemy's pre-ping sends a statement at every checkout: a round trip for every request,
to find a connection that the server closed (PostgreSQL restarted, or an administrator ended
it). Such a server does not close silently: it writes why and closes the socket, which the
idle connection then has waiting to be read. Only then is the server asked, as the pre-ping
would; a silent socket is a connection as its last transaction left it.
"""

from __future__ import annotations

import select

from sqlalchemy import Engine, event, exc


def check_before_use(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _check_kept_connection)


def _check_kept_connection(dbapi_connection, connection_record, connection_proxy) -> None:
    if dbapi_connection.closed:
        raise exc.InvalidatePoolError("the connection was closed")
    if not _has_word_from_the_server(dbapi_connection.fileno()):
        return
    try:
        dbapi_connection.execute(";")
    except dbapi_connection.OperationalError as error:
        # as a restart ends every connection at once, every kept one is replaced
        raise exc.InvalidatePoolError(str(error)) from error


def _has_word_from_the_server(fileno: int) -> bool:
    """Whether the idle connection's socket has something to read or was closed (any event
    poll reports; poll, unlike select, takes descriptors above 1,023)."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
