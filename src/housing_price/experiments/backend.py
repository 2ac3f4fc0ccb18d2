"""The tracking server's backend store: make it exist, bring its schema up to date.

A PostgreSQL database is created when it is missing and migrated with MLflow's
own schema upgrade before the server starts, so a server never races its
workers over a half-built schema. Messages name host, port, database and user,
never the password.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from housing_price.errors import TrackingError

logger = logging.getLogger(__name__)

_CONNECT_TIMEOUT_SECONDS = 5


def redact_uri(uri: str) -> str:
    """Return `uri` with any password replaced by `***`, for messages and logs."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def is_postgres_uri(uri: str) -> bool:
    """Whether `uri` names a PostgreSQL database (any SQLAlchemy driver)."""
    return urlsplit(uri).scheme.split("+")[0] in {"postgresql", "postgres"}


def absolute_backend_uri(backend_uri: str) -> str:
    """Anchor a relative SQLite path at the current directory.

    The server runs in its state directory, so `sqlite:///mlflow.db` would
    otherwise name a different file there than here.
    """
    prefix = "sqlite:///"
    if not backend_uri.startswith(prefix) or backend_uri.startswith(prefix + "/"):
        return backend_uri
    path = backend_uri.removeprefix(prefix)
    if path in ("", ":memory:"):
        raise TrackingError(
            f"server.backend_uri {backend_uri!r} is not a file; a server needs a "
            "durable store such as sqlite:///mlflow.db or a postgresql:// URL"
        )
    return prefix + str(Path(path).resolve())


def prepare_backend_store(backend_uri: str) -> None:
    """Create the database if needed and migrate it to MLflow's current schema.

    Args:
        backend_uri: SQLite or PostgreSQL URI; a relative SQLite path is taken
            from the current directory.

    Raises:
        TrackingError: The database cannot be reached, created or migrated.
    """
    if is_postgres_uri(backend_uri):
        ensure_postgres_database(backend_uri)
    elif backend_uri.startswith("sqlite:///"):
        Path(backend_uri.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    else:
        raise TrackingError(
            f"server.backend_uri {redact_uri(backend_uri)!r} is neither sqlite:/// "
            "nor postgresql://; set server.backend_uri or HOUSING_PRICE_BACKEND_URI "
            "to one of them"
        )
    _migrate(backend_uri)


def ensure_postgres_database(backend_uri: str) -> bool:
    """Create the database of a PostgreSQL URI unless it exists.

    Returns:
        Whether the database was created.

    Raises:
        TrackingError: The server is unreachable or refuses the login; the
            message names host, port, database and user but not the password.
    """
    import psycopg
    from psycopg import sql

    options = _postgres_options(backend_uri)
    database = options["dbname"]
    try:
        with psycopg.connect(**options):
            return False
    except psycopg.OperationalError as err:
        if f'database "{database}" does not exist' not in str(err):
            raise _connection_error(backend_uri, err) from err

    try:
        with psycopg.connect(**{**options, "dbname": "postgres"}) as connection:
            connection.autocommit = True
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
            )
    except psycopg.errors.DuplicateDatabase:
        return False
    except psycopg.Error as err:
        raise _connection_error(backend_uri, err, creating=True) from err
    logger.info("Created PostgreSQL database %s", database)
    return True


def drop_postgres_database(backend_uri: str) -> None:
    """Drop the database of a PostgreSQL URI, closing its open sessions first.

    Raises:
        TrackingError: The server is unreachable or refuses.
    """
    import psycopg
    from psycopg import sql

    options = _postgres_options(backend_uri)
    try:
        with psycopg.connect(**{**options, "dbname": "postgres"}) as connection:
            connection.autocommit = True
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(options["dbname"])
                )
            )
    except psycopg.Error as err:
        raise _connection_error(backend_uri, err) from err


def _migrate(backend_uri: str) -> None:
    # The same steps as `mlflow db upgrade`, which alone refuses an empty
    # database; run here so the server's workers find the schema complete.
    from mlflow.exceptions import MlflowException
    from mlflow.store.db import utils as db_utils

    create_engine = db_utils.create_sqlalchemy_engine
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(backend_uri)  # type: ignore[no-untyped-call]
        try:
            if db_utils._is_empty_database(engine):  # type: ignore[no-untyped-call]
                logger.info("Creating the MLflow schema in %s", redact_uri(backend_uri))
                db_utils._initialize_tables(engine)  # type: ignore[no-untyped-call]
            else:
                logger.info(
                    "Upgrading the MLflow schema of %s", redact_uri(backend_uri)
                )
                db_utils._upgrade_db(engine)  # type: ignore[no-untyped-call]
        finally:
            engine.dispose()
    except (SQLAlchemyError, MlflowException) as err:
        raise TrackingError(
            f"could not migrate the MLflow schema of {redact_uri(backend_uri)}: "
            f"{_first_line(err)}. Check that the user may create tables there."
        ) from err


def _postgres_options(backend_uri: str) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    url = make_url(backend_uri)
    if not url.database:
        raise TrackingError(
            f"server.backend_uri {redact_uri(backend_uri)!r} names no database; "
            "use postgresql://user:password@host:5432/database"
        )
    options: dict[str, Any] = {
        "host": url.host or "localhost",
        "port": url.port or 5432,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
        "connect_timeout": _CONNECT_TIMEOUT_SECONDS,
    }
    options.update({key: value for key, value in url.query.items()})
    return {key: value for key, value in options.items() if value is not None}


def _connection_error(
    backend_uri: str, err: Exception, creating: bool = False
) -> TrackingError:
    options = _postgres_options(backend_uri)
    reason = _first_line(err)
    password = options.get("password")
    if password:
        reason = reason.replace(str(password), "***")
    action = "create database" if creating else "connect to database"
    return TrackingError(
        f"cannot {action} {options['dbname']!r} on PostgreSQL at "
        f"{options['host']}:{options['port']} as user {options.get('user')!r}: "
        f"{reason}. Check the host, port, user and password in server.backend_uri "
        "(or HOUSING_PRICE_BACKEND_URI) and that PostgreSQL is running."
    )


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
