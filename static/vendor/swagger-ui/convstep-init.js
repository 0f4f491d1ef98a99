// Starts Swagger UI on /docs (ConvStep's own file, not part of swagger-ui-dist): the page's
// Content-Security-Policy forbids inline scripts, so the start-up code lives here.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    // no deep links: Swagger UI puts them as <a> inside each operation's <button>, an interactive control nested
    // in another that keyboards and screen readers cannot use (axe-core: nested-interactive, WCAG 4.1.2)
    deepLinking: false,
    validatorUrl: null, // no call to an external validator: the docs work offline
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
