// Starts Swagger UI on Wharf's OpenAPI document. A file of its own so the page runs no inline script.
// validatorUrl: null keeps Swagger UI from sending the document to an outside validator (and from
// loading that validator's badge, which the Content-Security-Policy would refuse anyway).
// Try-it-out from a signed-in browser sends the session cookie; requests that change something then
// need the session's CSRF token, which /api/whoami gives to a cookie-signed caller (other sites cannot
// read it). A pasted bearer token (Authorize) needs none.
let wharfCsrf = null;
fetch("/api/whoami", { credentials: "same-origin" })
  .then((r) => r.json())
  .then((me) => { wharfCsrf = me.csrf || null; })
  .catch(() => {});
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  requestInterceptor: (request) => {
    if (wharfCsrf && request.method && !["GET", "HEAD", "OPTIONS"].includes(request.method.toUpperCase())) {
      request.headers["X-CSRF-Token"] = wharfCsrf;
    }
    return request;
  }
});
