"""The build step setup.cfg cannot say: ship migrations/, workflows/ and templates/ inside the package
and compile the translation catalogs, so that an installed wheel works without the source tree."""
import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _resources():
    """riskflow/resources.py alone (importing the package would need Flask in the build environment)."""
    spec = importlib.util.spec_from_file_location("_riskflow_resources", ROOT / "riskflow" / "resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_catalogs(source: Path, target: Path) -> None:
    """Every SOURCE/<lang>/LC_MESSAGES/*.po compiled to the same place under TARGET, as `make` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=True)


class build_py_with_data(build_py):
    """build_py, then the shipped folders and the compiled catalogs into the built package."""

    def run(self):
        super().run()
        resources = _resources()
        source = ROOT / "riskflow" / "translations"
        if self.editable_mode:
            # An editable install runs from the checkout: its folders are there; only the catalogs are built.
            compile_catalogs(source, source)
            return
        package = Path(self.build_lib) / "riskflow"
        for name in resources.SHIPPED:
            target = package / resources.PACKAGED.name / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        compile_catalogs(source, package / "translations")


setup(cmdclass={"build_py": build_py_with_data})
