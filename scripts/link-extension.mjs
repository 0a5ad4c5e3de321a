// "Installs" the extension in this repository into a code-server extensions dir by reference: extensions.json
// points at the repository itself, so `npm run build` (or `node esbuild.js --watch`) plus "Developer: Reload
// Window" picks up changes without repackaging.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function linkExtension(extensionsDir, extensionRoot) {
  const manifest = JSON.parse(readFileSync(join(extensionRoot, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  mkdirSync(extensionsDir, { recursive: true });
  const file = join(extensionsDir, 'extensions.json');
  let entries = [];
  try { entries = JSON.parse(readFileSync(file, 'utf8')); } catch { /* first run */ }
  entries = entries.filter((e) => e?.identifier?.id?.toLowerCase() !== id);
  entries.push({
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: extensionRoot, scheme: 'file' },
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  });
  writeFileSync(file, JSON.stringify(entries));
  return id;
}
