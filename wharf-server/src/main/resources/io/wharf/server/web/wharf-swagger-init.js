// Starts Swagger UI on Wharf's OpenAPI document. A file of its own so the page runs no inline script.
// validatorUrl: null keeps Swagger UI from sending the document to an outside validator (and from
// loading that validator's badge, which the Content-Security-Policy would refuse anyway).
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null
});
