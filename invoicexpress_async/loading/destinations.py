"""Where ``invoicexpress-async load --to ...`` loads: a dlt destination from one URL.

* nothing: ``invoicexpress.duckdb`` in the current folder (DuckDB, embedded);
* ``duckdb:///ix.duckdb`` (relative) or ``duckdb:////srv/ix.duckdb`` (absolute);
* ``postgresql://user:password@host:5432/db`` (``postgres://`` too; libpq's query
  options such as ``?sslmode=require`` or ``?host=/run/postgresql`` pass through);
* any other dlt destination by name (``bigquery``, ``snowflake``, ``motherduck``...),
  configured the dlt way (``.dlt/secrets.toml`` or ``DESTINATION__...`` variables).

A password is never shown: :attr:`Target.shown` masks it, and :attr:`Target.secret`
lets error messages be scrubbed of it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import attrs
import yarl

DEFAULT_DUCKDB = "invoicexpress.duckdb"


@attrs.frozen
class Target:
    """A parsed ``--to``: the dlt destination, how to show it, and its secret (if any)."""

    destination: Any
    shown: str
    secret: str = attrs.field(default="", repr=False)

    def pipeline_name(self, dataset: str) -> str:
        """A dlt pipeline name of this destination and dataset: the cursors dlt keeps
        locally for one warehouse never steer a load into another."""
        digest = hashlib.sha256(f"{self.shown}\0{dataset}".encode()).hexdigest()[:10]
        return f"invoicexpress_{digest}"


def target(value: str | None) -> Target:
    """The destination ``value`` names; a ValueError naming ``--to`` when it names none."""
    import dlt

    if value is None or not value.strip():
        path = Path(DEFAULT_DUCKDB).resolve()
        return Target(dlt.destinations.duckdb(str(path)), f"duckdb:///{DEFAULT_DUCKDB}")
    value = value.strip()
    if value.startswith("duckdb:"):
        path_text = value.removeprefix("duckdb:").removeprefix("//")
        path_text = path_text[1:] if path_text.startswith("/") else path_text
        if not path_text or path_text.endswith("/"):
            raise ValueError(f"--to {value!r}: name a file, e.g. duckdb:///ix.duckdb")
        return Target(dlt.destinations.duckdb(str(Path(path_text).resolve())), value)
    if value.startswith(("postgresql://", "postgres://")):
        try:
            url = yarl.URL(value)
            url.port  # noqa: B018 - parsing the port is what fails on a mangled authority
        except ValueError:
            raise ValueError("--to is not a valid PostgreSQL URL") from None
        if not url.path.strip("/"):
            raise ValueError("--to must name the database: postgresql://user@host/db")
        secret = url.password or ""
        shown = str(url.with_password("***") if secret else url)
        native = str(url.with_scheme("postgresql"))
        return Target(dlt.destinations.postgres(native), shown, secret)
    if "://" in value or not value.replace("_", "").isalnum():
        raise ValueError(f"--to must be duckdb:///FILE, postgresql://... or a dlt destination"
                         f" name, got {value.split('://')[0]!r}://...")
    return Target(value, value)


__all__ = ["DEFAULT_DUCKDB", "Target", "target"]
