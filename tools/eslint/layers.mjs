// The layering rule: which folder of src/ may import which, checked by absolute folder at any depth.
// ARCHITECTURE.md explains the layers; this table is the one place they are written down.
import path from 'node:path';

const NODE_BUILTIN = /^(node:|(fs|path|os|child_process|net|crypto|http|https|worker_threads|module|vm|util|stream|events|readline|zlib|dgram|tls|url)(\/|$))/;

/**
 * Each layer: the layers it may import (besides itself); a pure layer imports no Node built-in and only
 * the packages it lists.
 * Bottom: fields (the kernel's socket structs described once: pure data every layer may read, so the
 * engine's byte layout and the extension's labels and units come from one table), then ssq, protocol
 * (pure), findings (pure rules). Then netlink, host. Programs on top
 * (helper, cli, language-server) never import each other. Only client imports `vscode`;
 * webview runs in the browser.
 */
export const LAYERS = {
  fields: { may: [], pure: true },
  ssq: { may: ['fields'], pure: true },
  protocol: { may: ['fields'], pure: true, packages: ['vscode-jsonrpc'] },
  findings: { may: ['fields', 'ssq', 'protocol'], pure: true },
  netlink: { may: ['fields'] },
  host: { may: ['fields', 'netlink', 'ssq', 'protocol', 'findings'] },
  helper: { may: ['fields', 'host', 'netlink', 'ssq', 'protocol', 'findings'] },
  cli: { may: ['fields', 'host', 'netlink', 'ssq', 'protocol', 'findings'] },
  'language-server': { may: ['fields', 'host', 'ssq', 'protocol'] },
  client: { may: ['fields', 'ssq', 'protocol'] },
  webview: { may: ['fields', 'protocol'], pure: true, packages: ['uplot'] },
};

function layerOf(file) {
  const rel = path.relative(process.cwd(), file).split(path.sep);
  return rel[0] === 'src' && rel.length > 2 ? rel[1] : undefined;
}

function problem(fromLayer, spec, file) {
  const rule = LAYERS[fromLayer];
  if (!rule) return `src/${fromLayer} is not a known layer: add it to tools/eslint/layers.mjs and ARCHITECTURE.md`;
  if (spec === 'vscode' || spec.startsWith('vscode/')) {
    return fromLayer === 'client' ? undefined : `only src/client imports 'vscode' (this is src/${fromLayer})`;
  }
  if (spec === 'koffi' && fromLayer !== 'netlink') return `only src/netlink uses koffi (this is src/${fromLayer})`;
  if (NODE_BUILTIN.test(spec)) {
    return rule.pure ? `src/${fromLayer} is pure: no '${spec}'` : undefined;
  }
  if (!spec.startsWith('.')) {
    const pkg = spec.split('/')[0];
    return rule.pure && !(rule.packages ?? []).includes(pkg) ? `src/${fromLayer} is pure: no package '${spec}'` : undefined;
  }
  const target = layerOf(path.resolve(path.dirname(file), spec));
  if (target === undefined || target === fromLayer) return undefined;
  if (rule.may.includes(target)) return undefined;
  return `src/${fromLayer} may not import src/${target} (allowed: ${rule.may.length ? rule.may.map((l) => 'src/' + l).join(', ') : 'nothing outside itself'})`;
}

const rule = {
  meta: { type: 'problem', schema: [], docs: { description: 'dependencies between src/ folders point downward only' } },
  create(context) {
    const file = context.filename;
    const fromLayer = layerOf(file);
    if (!fromLayer) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const message = problem(fromLayer, source.value, file);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source.type === 'Literal' ? n.source : undefined),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') check(n, n.arguments[0]);
      },
    };
  },
};

export default { rules: { layers: rule } };
