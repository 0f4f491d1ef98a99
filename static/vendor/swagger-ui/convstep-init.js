// Starts Swagger UI on /docs (ConvStep's own file, not part of swagger-ui-dist): the page's
// Content-Security-Policy forbids inline scripts, so the start-up code lives here.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // no call to an external validator: the docs work offline
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
