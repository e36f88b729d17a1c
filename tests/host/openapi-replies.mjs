// Checks a reply against the OpenAPI document: its status must be documented for its operation,
// and a JSON body must match the schema documented for that status, with no field the schema
// does not list. Every request the HTTP tests send through helpers.mjs is checked this way, so
// the document cannot fall behind what the server really answers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCUMENT_ID = 'leadline-openapi.json';
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

// Objects that list their properties are closed unless they say otherwise: an undocumented
// field in a reply is a failure, not a silent extra. A named schema is closed where it is used
// (`{$ref, unevaluatedProperties: false}`), not where it is defined, so a schema that extends it
// (`allOf: [{$ref}]` plus properties of its own) still may.
function closeObjects(node, { inAllOf = false, isDefinition = false } = {}) {
  if (Array.isArray(node)) {
    node.forEach((item) => closeObjects(item, { inAllOf }));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const open = node.additionalProperties === undefined && node.unevaluatedProperties === undefined;
  if (open && !inAllOf && !isDefinition && (node.properties || node.$ref?.startsWith('#/components/schemas/'))) {
    node.unevaluatedProperties = false;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'allOf') closeObjects(value, { inAllOf: true });
    else if (key !== 'example' && key !== 'examples') closeObjects(value);
  }
}

const escapePointer = (segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

let checker;
function load() {
  if (checker) return checker;
  const doc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node-host/openapi.json'), 'utf8'));
  const closed = structuredClone(doc);
  for (const schema of Object.values(closed.components.schemas)) closeObjects(schema, { isDefinition: true });
  closeObjects(closed.components.responses);
  closeObjects(closed.paths);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: DOCUMENT_ID, ...closed });
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const validators = new Map();
  checker = { doc, ajv, templates, validators };
  return checker;
}

// The operation a request addresses, if the document has one: {template, operation} or null.
function operationFor(doc, templates, method, pathname) {
  const match = /^\/(?:api\/)?v1(\/.*)$/.exec(pathname);
  if (!match) return null;
  const found = templates.find(({ pattern }) => pattern.test(match[1]));
  const operation = found && doc.paths[found.template][method.toLowerCase()];
  return operation ? { template: found.template, operation } : null;
}

// `#/components/responses/X` → the response object and its pointer.
function resolveResponse(doc, response, pointer) {
  if (!response.$ref) return { response, pointer };
  const target = response.$ref.replace(/^#/, '');
  const resolved = target.split('/').slice(1).reduce((at, key) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return { response: resolved, pointer: target };
}

/**
 * Throws when the reply to `method target` (status, content type, parsed JSON body) is not what
 * the document says that operation answers. Requests outside the documented operations (static
 * files, unknown routes, a method a path does not serve) are not checked.
 */
export function checkReplyAgainstDocument(method, target, status, contentType, body) {
  if (!METHODS.has(method.toLowerCase())) return;
  const { doc, ajv, templates, validators } = load();
  const pathname = new URL(target, 'http://localhost').pathname;
  const found = operationFor(doc, templates, method, pathname);
  if (!found) return;
  const where = `${method} ${found.template} → ${status}`;
  const documented = found.operation.responses[String(status)];
  if (!documented) throw new Error(`${where}: status ${status} is not documented for this operation`);
  if (!contentType?.startsWith('application/json') || body === undefined) return;
  const basePointer = `/paths/${escapePointer(found.template)}/${method.toLowerCase()}/responses/${status}`;
  const { response, pointer } = resolveResponse(doc, documented, basePointer);
  if (!response.content?.['application/json']?.schema) {
    throw new Error(`${where}: a JSON reply, but no JSON schema is documented for it`);
  }
  const schemaPointer = `${pointer}/content/${escapePointer('application/json')}/schema`;
  let validate = validators.get(schemaPointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${schemaPointer}` });
    validators.set(schemaPointer, validate);
  }
  if (!validate(body)) {
    const problems = validate.errors.slice(0, 5).map((error) => `${error.instancePath || '/'} ${error.message}${error.params?.unevaluatedProperty ? ` (${error.params.unevaluatedProperty})` : ''}`);
    throw new Error(`${where}: the reply does not match the documented schema: ${problems.join('; ')}\n${JSON.stringify(body).slice(0, 400)}`);
  }
}
