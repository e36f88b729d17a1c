// Lower layers never include higher ones (docs/architecture.md, "Layers"): each folder of
// core/src may include only the folders listed before it. Exits 1 naming every include that
// breaks the rule.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LAYERS = ['domain', 'validation', 'guards', 'store', 'batch', 'api'];
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../core/src');
const broken = [];
for (const [rank, layer] of LAYERS.entries()) {
  for (const file of fs.readdirSync(path.join(src, layer))) {
    const text = fs.readFileSync(path.join(src, layer, file), 'utf8');
    for (const [, included] of text.matchAll(/^#include "([a-z_]+)\//gm)) {
      const other = LAYERS.indexOf(included);
      if (other > rank) broken.push(`core/src/${layer}/${file} includes ${included}/ (a higher layer)`);
    }
  }
}
// The validation library's own api files (core/CMakeLists.txt, leadline_validation) include no store,
// guards or batch, and no api file outside this list: the console's build links none of them.
const VALIDATION_API = new Set([
  'decode_input.hpp', 'reply.hpp', 'route_decoders.hpp', 'route_decoders.cpp', 'route_list.hpp', 'router.hpp',
  'validation_routes.cpp', 'router_match.cpp', 'request_preparation.hpp', 'request_preparation.cpp', 'validator.cpp',
  'json_boundary.hpp', 'json_boundary.cpp', 'json_validator.cpp', 'envelope.hpp', 'envelope.cpp', 'webhook_event.hpp',
]);
for (const file of VALIDATION_API) {
  const text = fs.readFileSync(path.join(src, 'api', file), 'utf8');
  for (const [, included] of text.matchAll(/^#include "([a-z_]+\/[a-z_]+\.hpp)"/gm)) {
    const [layer, name] = included.split('/');
    if (['store', 'guards', 'batch'].includes(layer) || (layer === 'api' && !VALIDATION_API.has(name))) {
      broken.push(`core/src/api/${file} includes ${included} (the validation library links no store)`);
    }
  }
}
if (broken.length) {
  console.error(`check-layers: ${broken.length} include(s) break the layer order ${LAYERS.join(' < ')}:\n${broken.join('\n')}`);
  process.exit(1);
}
console.log(`check-layers: ${LAYERS.join(' < ')} holds`);
