// Build-time only: turn world-atlas country shapes (Natural Earth 1:110m, TopoJSON) into a compact GeoJSON
// file for the map, and copy Swagger UI (for /docs without a CDN). Output goes to ../static and is committed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { feature } from "topojson-client";

const topology = JSON.parse(readFileSync("node_modules/world-atlas/countries-110m.json", "utf8"));
const countries = feature(topology, topology.objects.countries);

// two decimals (~1 km) is plenty for a 1:110m map and keeps the file small
const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100]
                                                : c.map(round));
const out = {
  type: "FeatureCollection",
  source: "Natural Earth 1:110m via world-atlas 2.0.2 (public domain)",
  features: countries.features.map((f) => ({
    type: "Feature",
    id: f.id ?? null, // ISO 3166-1 numeric, as a string ("840")
    properties: { name: f.properties.name },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  })),
};
writeFileSync("../static/countries.geo.json", JSON.stringify(out));
console.log(`wrote ../static/countries.geo.json: ${out.features.length} countries`);

// Swagger UI for the API docs page, served by tacitus itself (FastAPI's default /docs loads it from a CDN)
mkdirSync("../static/vendor", { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  const text = readFileSync(`node_modules/swagger-ui-dist/${name}`, "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n")
    .replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, "\n");
  writeFileSync(`../static/vendor/${name === "LICENSE" ? "swagger-ui.LICENSE.txt" : name}`, text);
}
console.log("copied swagger-ui-dist to ../static/vendor");
