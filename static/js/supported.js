// Loaded first in <body>, before any content is drawn, so GOV.UK Frontend's
// JavaScript-only styles apply without a flash. It replaces the inline script
// in GOV.UK's page template, which this site's Content-Security-Policy forbids.
// Browsers that cannot run the module script (init.mjs) get the no-JavaScript
// version of every component.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
