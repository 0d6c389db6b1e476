/* Processhandboken: mermaid.js from the site itself, and only on a page that draws a diagram.
 *
 * Material draws each `pre.mermaid` with window.mermaid, and fetches mermaid from unpkg.com
 * when window.mermaid is undefined. This stand-in is window.mermaid until the first diagram is
 * drawn; then it loads the site's own copy (mermaid/mermaid.min.js next to this file), which
 * replaces it. Pages without a diagram never download or parse the 3.5 MB library.
 * Material calls only initialize() (once) and render(); Mermaid keeps its default
 * securityLevel "strict", under which the maps' `click ... href` links still work.
 */
(function () {
  "use strict";
  if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) return;
  var source = document.currentScript.src.replace(/[^/]*$/, "mermaid/mermaid.min.js");
  var settings = {};
  var loading = null;

  function load() {
    loading = loading || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = source;
      script.onload = function () {
        window.mermaid.initialize(settings);
        resolve(window.mermaid);
      };
      script.onerror = function () {
        loading = null;
        reject(new Error("mermaid.js kunde inte laddas från " + source));
      };
      document.head.appendChild(script);
    });
    return loading;
  }

  window.mermaid = {
    initialize: function (config) { settings = config || {}; },
    render: function (id, text) {
      return load().then(function (mermaid) { return mermaid.render(id, text); });
    }
  };
})();
