// Build the portal's static front end into static/build/ (generated, not committed).
//
//   npm run build
//
// 1. Compile static_src/scss/portal.scss with GOV.UK Frontend on the load path.
// 2. Copy GOV.UK Frontend's JavaScript bundle.
// 3. Copy GOV.UK Frontend's images and manifest, then the portal's own
//    favicon, touch icon and manifest over them: the GOV.UK icons show the
//    crown, which is for GOV.UK only.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "build");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets", "images"), { recursive: true });

const { css } = sass.compile(join(root, "static_src", "scss", "portal.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
});
writeFileSync(join(out, "portal.css"), css);

// The bundle ends with a sourceMappingURL comment; Django's manifest storage
// follows it during collectstatic, so the map must be there too.
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govuk, file), join(out, file));
}
cpSync(join(govuk, "assets", "images"), join(out, "assets", "images"), { recursive: true });
if (existsSync(join(govuk, "assets", "manifest.json"))) {
  cpSync(join(govuk, "assets", "manifest.json"), join(out, "assets", "manifest.json"));
}
cpSync(join(root, "static_src", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(root, "static_src", "manifest.json"), join(out, "assets", "manifest.json"));

console.log(`Built ${out}`);
