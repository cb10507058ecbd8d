"""The installed version, for the User-Agent and telemetry (no module imports upward)."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("invoicexpress-async")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
