// Renders /api/openapi.json with Swagger UI (loaded as a classic script before this module).
window.SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  // Offline: no call to the public validator badge service.
  validatorUrl: null,
  tryItOutEnabled: false,
});
