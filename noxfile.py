"""Developer sessions: tests, lint, typecheck, generate/check_generated, docs, build, bench."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "aiohttp_range", "lint", "typecheck", "check_generated", "docs",
                        "build"]
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
@nox.parametrize("aiohttp", ["3.10.0", "<3.14"])
def aioresponses(session: nox.Session, aiohttp: str) -> None:
    """Mocking the API with aioresponses gives our models and errors, on the aiohttp
    releases aioresponses can build responses for (not 3.14 yet)."""
    session.install("-e", ".[dev]")
    session.install(f"aiohttp{'==' if aiohttp[0].isdigit() else ''}{aiohttp}", "aioresponses")
    session.run("python", "-c", "import aiohttp; print('aiohttp', aiohttp.__version__)")
    session.run("python", "-m", "pytest", "tests/test_aioresponses.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "invoicexpress_async", "tests", "scripts", "benchmarks",
                "examples")


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


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (--strict: a broken reference or link fails), then
    look at every page in headless Chromium at 1280 px: a screenshot of each in
    site-screenshots/, and a failure for code cut at the page's edge or a raw Sphinx
    role. Chromium: Debian's ``chromium`` package, or ``playwright install chromium``."""
    session.install("-e", ".[docs]", "playwright")
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)
    session.run("python", "scripts/docs_screenshots.py", "site", "--out", "site-screenshots")


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and wheel, check them with twine, then install the wheel alone into a
    fresh virtualenv (outside the repo) and run the command from it."""
    import shutil
    import tempfile
    from pathlib import Path

    session.install("build", "twine")
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build")
    session.run("twine", "check", "--strict", *map(str, Path("dist").glob("*")))
    (wheel,) = Path("dist").glob("*.whl")
    with tempfile.TemporaryDirectory() as elsewhere:
        venv = Path(elsewhere) / "venv"
        session.run("python", "-m", "venv", str(venv))
        session.run(str(venv / "bin" / "pip"), "install", "--quiet", f"{wheel.resolve()}[cli]",
                    external=True)
        command = str(venv / "bin" / "invoicexpress-async")
        session.run(command, "--version", external=True)
        out = Path(elsewhere) / "x.jsonl"
        session.run(command, "export", "invoices", "--sandbox", "500", "--out", str(out),
                    "--quiet", external=True)
        lines = len(out.read_bytes().splitlines())
        if lines != 500:
            session.error(f"the wheel's export wrote {lines} invoices, not 500")
        session.log(f"{lines} invoices exported from the wheel, outside the repo")
