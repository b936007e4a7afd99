"""Every app has the layout docs/architecture.md describes.

Apps are read from INSTALLED_APPS, so a new app (`urbis.<name>`) is checked as soon as it is
installed: it passes when it has the modules of the table "Layers inside an app", its
migrations, its tests under `tests/<name>/`, its templates under `templates/<name>/`, URLs
namespaced by its name, an API router, and its permission rules registered in
`permissions.py`. The few apps
that are not of that shape say why below.
"""

from __future__ import annotations

import ast
import re
from importlib import import_module
from pathlib import Path

import pytest
import rules
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "urbis"

# The modules of the layout (a module `x.py` or a package `x/`).
REQUIRED = ("models", "domain", "queries", "permissions", "api", "views", "urls")
# What an app that is not a feature app may lack, and why.
EXCEPTIONS: dict[str, dict[str, str]] = {
    "common": {
        "domain": "its writes are modules of their own: audit, jobs, tokens",
    },
    "reports": {
        "models": "it reads every app and stores nothing but its jobs' files",
        "domain": "it writes nothing; a build is a job (reports/jobs.py)",
        "queries": "reports/assembly.py is its one reader, calling each app's queries",
        "permissions": "the report is public; building one is the secretariat's (a role)",
    },
    "demo": {
        name: "the demo data set and its loaders, which call the apps' domain functions"
        for name in REQUIRED
    },
}


def urbis_apps() -> list[str]:
    return sorted(
        config.label for config in django_apps.get_app_configs() if config.name.startswith("urbis.")
    )


def _has_module(app: str, name: str) -> bool:
    return (SRC / app / f"{name}.py").is_file() or (SRC / app / name / "__init__.py").is_file()


def test_the_apps_are_found():
    found = urbis_apps()
    assert {"common", "members", "events", "governance", "prize", "index", "reports"} <= set(found)


@pytest.mark.parametrize("app", urbis_apps())
def test_an_app_has_the_layers_of_the_layout(app):
    allowed_missing = EXCEPTIONS.get(app, {})
    missing = [m for m in REQUIRED if m not in allowed_missing and not _has_module(app, m)]
    assert not missing, f"urbis.{app} lacks {', '.join(missing)} (docs/architecture.md)"
    config = django_apps.get_app_config(app)
    assert config.name == f"urbis.{app}"


@pytest.mark.parametrize("app", urbis_apps())
def test_a_package_module_re_exports_from_its_init(app):
    for name in ("models", "rules", "domain", "queries"):
        folder = SRC / app / name
        if folder.is_dir():
            assert (folder / "__init__.py").is_file(), f"{folder.relative_to(ROOT)}/__init__.py"
            assert not (SRC / app / f"{name}.py").exists(), f"urbis.{app}: {name}.py and {name}/"


@pytest.mark.parametrize("app", urbis_apps())
def test_migrations_tests_and_templates_are_where_the_layout_puts_them(app):
    if _has_module(app, "models"):
        assert (SRC / app / "migrations" / "__init__.py").is_file(), f"urbis.{app}: migrations"
    assert (ROOT / "tests" / app).is_dir(), f"tests/{app}/ mirrors src/urbis/{app}/"
    templates = SRC / app / "templates"
    if templates.is_dir():
        entries = sorted(p.name for p in templates.iterdir())
        assert entries == [app], f"urbis.{app}: templates go under templates/{app}/, not {entries}"


@pytest.mark.parametrize("app", urbis_apps())
def test_urls_are_namespaced_and_the_api_has_a_router(app):
    if not _has_module(app, "urls"):
        return
    urls = import_module(f"urbis.{app}.urls")
    assert getattr(urls, "app_name", None) == app, f"urbis.{app}.urls: app_name = {app!r}"
    if _has_module(app, "api"):
        from ninja import Router

        assert isinstance(getattr(import_module(f"urbis.{app}.api"), "router", None), Router)


@pytest.mark.parametrize("app", urbis_apps())
def test_permissions_register_rules(app):
    """`permissions.py` is where an app's rules are registered (`rules.add_perm`)."""
    path = SRC / app / "permissions.py"
    if not path.is_file():
        return
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_perm"
    ]
    assert calls, f"urbis.{app}.permissions registers no rule (rules.add_perm)"
    import_module(f"urbis.{app}.permissions")
    for call in calls:
        name = call.args[0].value if isinstance(call.args[0], ast.Constant) else None
        assert isinstance(name, str) and rules.perm_exists(name), f"{path}: {name!r}"


def _rules_files(app: str) -> list[Path]:
    module, package = SRC / app / "rules.py", SRC / app / "rules"
    if module.is_file():
        return [module]
    return sorted(package.rglob("*.py")) if package.is_dir() else []


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("app", urbis_apps())
def test_rules_import_no_orm(app):
    """Statute rules are pure functions: no `django.db` (import-linter cannot name a
    subpackage of Django; its contract keeps rules away from the apps' models and queries)."""
    for path in _rules_files(app):
        orm = sorted(
            m for m in _imported_modules(path) if m == "django.db" or m.startswith("django.db.")
        )
        assert not orm, f"{path.relative_to(ROOT)} imports {', '.join(orm)}"


def test_the_orm_check_would_catch_an_import(tmp_path):
    sample = tmp_path / "rules.py"
    sample.write_text("from django.db import models\nimport django.db.models.functions\n")
    assert {"django.db", "django.db.models", "django.db.models.functions"} <= _imported_modules(
        sample
    )


CITED = re.compile(r"\b(docs/[\w\-]+\.md|[A-Z][A-Z_]+\.md)\b")


def test_every_cited_document_exists():
    """A docstring, comment or page that names a document names one the project has."""
    missing = []
    for folder in ("src", "docs", "benchmarks", "deploy"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".md", ".html", ".yaml", ".toml"}:
                continue
            for name in CITED.findall(path.read_text(errors="replace")):
                if not (ROOT / name).is_file():
                    missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, "documents cited but absent:\n" + "\n".join(missing)
