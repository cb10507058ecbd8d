"""Developer sessions: tests, lint, typecheck, generate/check_generated, bench."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "aiohttp_range", "lint", "typecheck", "check_generated"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[dev,cli]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
@nox.parametrize("aiohttp", ["3.10.0", "latest"])
def aiohttp_range(session: nox.Session, aiohttp: str) -> None:
    """The suite on the oldest aiohttp the package allows and on the newest release."""
    session.install("-e", ".[dev,cli]")
    session.install("aiohttp==3.10.0" if aiohttp != "latest" else "aiohttp>=3.10,<4",
                    *(["--upgrade"] if aiohttp == "latest" else []))
    session.run("python", "-c", "import aiohttp; print('aiohttp', aiohttp.__version__)")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "invoicexpress_async", "tests", "scripts", "benchmarks")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev,cli]")
    session.run("mypy")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the sync facade (invoicexpress_async/_sync/) from the async sources."""
    session.install("-e", ".[dev,cli]")
    session.run("python", "scripts/gen_sync.py")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail when _sync/ is not exactly what the generator produces now."""
    session.install("-e", ".[dev,cli]")
    session.run("python", "scripts/gen_sync.py", "--check")


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark and write benchmarks/RESULTS.md."""
    session.install("-e", ".[dev,cli]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def reliability(session: nox.Session) -> None:
    """The long load run: 200 accounts, 50,000 requests with faults; updates the README."""
    session.install("-e", ".[dev,cli]")
    session.run("python", "scripts/load_run.py")
