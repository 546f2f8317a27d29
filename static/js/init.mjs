// Start GOV.UK Frontend's components (menu toggle, error summary focus,
// "Exit this page", and so on). Loaded as a module at the end of <body>; the
// pages work without it.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
