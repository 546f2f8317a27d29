"""Production static files (core.storage): every file a page loads has a hashed name, so a
browser keeps it for a year and a deploy can never pair a new page script with an old one."""

import json
import posixpath
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

IMPORT = re.compile(r"""import\s*\{[^}]*\}\s*from\s*["']([^"']+)["']""")


STORAGE = "core.storage.PortalStaticFilesStorage"


def production_static(root):
    """Settings as in production (DEBUG off, the portal's storage), static files in root."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STORAGE}}
    return override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production storage into a folder of the module's own (once:
    it takes a few seconds). Returns the folder and the manifest (name -> hashed name)."""
    root = tmp_path_factory.mktemp("static_root")
    with production_static(root):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root, json.loads((root / "staticfiles.json").read_text())["paths"]


def _served(url: str) -> HttpResponse:
    """What whitenoise (as in production, DEBUG off) answers for a static URL."""
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    return middleware(RequestFactory().get(url))


def test_the_page_script_imports_govuk_frontend_by_its_hashed_name(collected):
    root, manifest = collected
    assert "build/govuk-frontend.min.js" in manifest, (
        "static/build is missing: run `npm run build` (scripts/setup does)"
    )
    hashed_init = manifest["js/init.mjs"]
    imports = IMPORT.findall((root / hashed_init).read_text())
    assert len(imports) == 1, f"{hashed_init} should import GOV.UK Frontend once: {imports}"
    imported = posixpath.normpath(posixpath.join(posixpath.dirname(hashed_init), imports[0]))

    assert imported == manifest["build/govuk-frontend.min.js"], (
        f"{hashed_init} imports {imported}, not the hashed bundle: browsers would re-fetch "
        "it every minute and could pair a new init.mjs with an old bundle"
    )
    assert (root / imported).is_file()


def test_the_bundle_the_page_script_imports_is_cached_as_immutable(collected):
    root, manifest = collected
    imported = IMPORT.findall((root / manifest["js/init.mjs"]).read_text())[0]
    bundle_url = posixpath.normpath(
        posixpath.join(settings.STATIC_URL + posixpath.dirname(manifest["js/init.mjs"]), imported)
    )
    with production_static(root):
        bundle = _served(bundle_url)
        page_script = _served(settings.STATIC_URL + manifest["js/init.mjs"])

    assert bundle.status_code == 200, bundle_url
    assert "immutable" in bundle["Cache-Control"], (bundle_url, bundle["Cache-Control"])
    assert page_script.status_code == 200
    assert "immutable" in page_script["Cache-Control"]
