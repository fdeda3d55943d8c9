"""Build hook: the wheel carries the page templates and the compiled catalogs inside the package
(``helpdesk/_bundled``), so an install from it serves pages from any directory. A checkout
(and an editable install) reads them from ``templates/`` and ``translations/`` directly."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundled = Path(self.build_lib) / "helpdesk" / "_bundled"
        shutil.rmtree(bundled, ignore_errors=True)
        shutil.copytree(ROOT / "templates", bundled / "templates")
        compile_catalogs(ROOT / "translations", bundled / "translations")


def compile_catalogs(source: Path, target: Path) -> None:
    """Every ``messages.po`` to ``messages.mo``; a broken catalog fails the build."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildWithResources})
