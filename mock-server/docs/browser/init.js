// Starts Swagger UI on the API reference page (mock-server/docs/page.ts writes the page and its config).
// Plain browser JavaScript, loaded after swagger-ui-bundle.js; nothing here reaches another host.
const config = JSON.parse(document.getElementById("docs-config").textContent);

const ui = window.SwaggerUIBundle({
  spec: config.spec,
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayOperationId: true,
  displayRequestDuration: true,
  // "Try it out" is open on every operation: Execute sends the request at once.
  tryItOutEnabled: true,
  // No badge from an online validator; no reading of `?url=` / `?configUrl=` from the address bar.
  validatorUrl: null,
  queryConfigEnabled: false,
  defaultModelsExpandDepth: 0,
  onComplete: () => {
    if (config.apiKey) ui.preauthorizeApiKey(config.securityScheme, config.apiKey);
  },
});
window.ui = ui;
