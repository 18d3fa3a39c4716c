"""Where the shipped folders are: the checkout's own, or the copies a built wheel carries."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# In a source checkout the package sits beside setup.py, migrations/, workflows/ and templates/.
CHECKOUT = PACKAGE.parent
# setup.py's build step copies those folders here inside the built package.
PACKAGED = PACKAGE / "_data"
SHIPPED = ("migrations", "workflows", "templates")


def folder(name: str) -> Path:
    """The folder NAME (one of SHIPPED): the checkout's when running from one, else the packaged copy."""
    if name not in SHIPPED:
        raise ValueError(f"{name!r} is not one of {SHIPPED}")
    if (CHECKOUT / "setup.py").is_file() and (CHECKOUT / name).is_dir():
        return CHECKOUT / name
    return PACKAGED / name


def translations() -> Path:
    """The catalogs: the .po sources, and the .mo files `make` or the build compiles beside them."""
    return PACKAGE / "translations"
