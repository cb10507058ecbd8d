"""What a user installs: the wheel holds the package alone, and type checkers see it.

Story (#14): after the README's editable install, mypy could not find the package
(setuptools' editable finder is an import hook type checkers do not follow).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import invoicexpress_async as ix

ROOT = Path(__file__).resolve().parent.parent


def test_a_type_checker_outside_the_repo_sees_the_installed_package(tmp_path: Path) -> None:
    user = tmp_path / "user_code.py"
    user.write_text("import invoicexpress_async as ix\n\n"
                    "limit: ix.RateLimit = ix.RateLimit(requests=100)\n"
                    "wrong: int = ix.RateLimit()\n")
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", str(user)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    assert "Cannot find implementation or library stub" not in out, out
    assert "import-not-found" not in out and "import-untyped" not in out, out
    # it really type-checks against our annotations: the wrong line, and only it, fails
    assert 'user_code.py:4: error: Incompatible types in assignment' in out, out
    assert "Found 1 error" in out, out


def test_the_wheel_holds_the_package_only(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                    str(tmp_path)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.startswith(f"invoicexpress_async-{ix.__version__}-py3-none-any")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"invoicexpress_async", f"invoicexpress_async-{ix.__version__}.dist-info"}
    assert "invoicexpress_async/py.typed" in names
    assert any(name.endswith("/licenses/LICENSE") for name in names)
    assert not [name for name in names if "/tests/" in name or "benchmarks" in name]
    entry_points = zipfile.ZipFile(wheel).read(
        f"invoicexpress_async-{ix.__version__}.dist-info/entry_points.txt").decode()
    assert "invoicexpress-async = invoicexpress_async.cli:main" in entry_points
    assert "invoicexpress_sandbox = invoicexpress_async.sandbox.pytest_plugin" in entry_points


def test_the_version_comes_from_the_metadata() -> None:
    from importlib.metadata import version

    assert ix.__version__ == version("invoicexpress-async") == "0.2.0"
