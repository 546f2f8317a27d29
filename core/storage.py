"""Static files with hashed names all the way down, JavaScript modules included.

whitenoise serves a file whose name carries its hash as immutable (cached for a year);
any other file for 60 seconds. Django's manifest storage rewrites the references inside
CSS (url(), @import) to the hashed names, but not a JavaScript module's imports unless
`support_js_module_import_aggregation` is on – and even then only in files named *.js.
The portal's modules are *.mjs (static/js/init.mjs imports GOV.UK Frontend's bundle by
"../build/govuk-frontend.min.js"), so without this class that import kept the plain name:
the bundle, the largest file on every page, was fetched again each minute, and after a
deploy a browser could pair a new init.mjs with an old cached bundle.

    STORAGES["staticfiles"]["BACKEND"] = "core.storage.PortalStaticFilesStorage"

Django rewrites `import … from "./x.js";`, `export … from "./x.js";`, `import "./x.js";`
and `import("./x.js")` with a relative path (./ or ../); bare names ("govuk-frontend")
are left alone, so a module must import by path.
"""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Django's module-import patterns, as it applies them to *.js, applied to *.mjs as well.
_JS_EXTENSION, _MODULE_IMPORTS = HashedFilesMixin._js_module_import_aggregation_patterns


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed manifest storage, rewriting module imports in .js and .mjs."""

    support_js_module_import_aggregation = True
    patterns = (*CompressedManifestStaticFilesStorage.patterns, ("*.mjs", _MODULE_IMPORTS))
