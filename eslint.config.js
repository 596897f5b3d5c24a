// ESLint (flat config) for the portal's own JavaScript: ES modules in */static/, run by
// `make lint` (npx eslint geoportal importers layers). Vendor copies are not ours.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["geoportal/static/vendor/**", "node_modules/**", "var/**", ".venv/**", "test-artifacts/**"] },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: {
        ...globals.browser,
        L: "readonly",  // Leaflet and its plugins: classic scripts loaded before the modules
        // Django's JavaScript catalogue (/jsi18n/), a classic script loaded before the modules
        gettext: "readonly",
        ngettext: "readonly",
        interpolate: "readonly",
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Modules share state through what they export and receive, not through globals; the
      // one exception is the documented automation hook (util.js publish).
      "no-restricted-syntax": ["error", {
        selector: "AssignmentExpression[left.object.name=/^(window|globalThis|self)$/]",
        message: "No window.* state: export it, or pass it as an argument.",
      }],
    },
  },
];
