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
if (broken.length) {
  console.error(`check-layers: ${broken.length} include(s) break the layer order ${LAYERS.join(' < ')}:\n${broken.join('\n')}`);
  process.exit(1);
}
console.log(`check-layers: ${LAYERS.join(' < ')} holds`);
