/* The web map page's entry module: reads the page config (#map-config), creates the map
 * (map.js) and hands it to the layer panel (with its legends and zoom hints), search, planner tools, accessibility view, PNG
 * export and reports layer; once the start layers are on it publishes the automation hook
 * (util.js: window.geoportalApp, <html data-ready="map">). */

import { initAccessibility } from "./accessibility.js";
import { initLegend } from "./legend.js";
import { createMap } from "./map.js";
import { buildPanel, initPanel, showPanelError } from "./panel.js";
import { readHash } from "./permalink.js";
import { followReportLink, initReportsLayer } from "./reports-layer.js";
import { initSearch } from "./search.js";
import { initPngButton, snapshot } from "./snapshot.js";
import { initTools } from "./tools.js";
import { pageData, publish } from "./util.js";

const config = pageData("map-config");
const start = readHash(location.hash);  // the first address: the map rewrites the hash as it moves
const webmap = createMap(config, start);
initPanel(webmap);
initSearch(webmap);
initTools(webmap);
initAccessibility(webmap, start);
initPngButton(webmap);
followReportLink(webmap);
webmap.ready
  .then((layers) => {
    buildPanel(webmap, layers);
    initLegend(webmap);
    initReportsLayer(webmap, start);
    publish("map", { leaflet: webmap.leaflet, webmap, snapshot: () => snapshot(webmap) });
  })
  .catch(showPanelError);
