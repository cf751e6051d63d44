/* Draws every Vega-Lite chart on the page from the specification the server embedded.
   Elements with data-chart-spec="ID" take the JSON in <script id="ID">; vega, vega-lite and
   vega-embed are our own static copies, so nothing is fetched from the internet. */
(function () {
  "use strict";

  function drawChart(container) {
    var source = document.getElementById(container.dataset.chartSpec);
    if (!source || typeof window.vegaEmbed !== "function") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(container, spec, {
      renderer: "svg",
      actions: false,
      config: { background: null },
    }).then(function (result) {
      // Name the drawing with its plain-English reading, as a screen reader's summary.
      var svg = container.querySelector("svg");
      if (svg && spec.description) {
        svg.setAttribute("role", "graphics-document");
        svg.setAttribute("aria-label", spec.description);
      }
      container.classList.add("cplan-chart--drawn");
      container.dataset.chartState = "drawn";
      return result;
    }).catch(function (error) {
      container.dataset.chartState = "failed";
      var message = document.createElement("p");
      message.className = "cplan-chart__fallback";
      message.textContent = "The chart could not be drawn. The same figures are in the table.";
      container.replaceChildren(message);
      window.console.error(error);
    });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart-spec]").forEach(drawChart);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Charts swapped in by HTMX are drawn too.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
