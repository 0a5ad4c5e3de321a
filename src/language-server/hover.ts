// Hover: documentation for options, state words, keywords and operators; for a port its service
// name and what listens there now (from live values); for a query header the portable ss command.
import type { Hover } from 'vscode-languageserver/node';
import type { HostSpec, PortValue, SsqDocumentQuery } from '../ssq';
import { queryAt, queryRangeToDocument, toRange, type Analysis } from './analysis';
import { fieldMarkdown } from './docs/fields';
import { findKeywordDoc, keywordMarkdown } from './docs/keywords';
import { findOperatorDoc, operatorMarkdown } from './docs/operators';
import { expandShortFlags, findOptionDoc, optionMarkdown } from './docs/options';
import { findStateDoc, stateMarkdown } from './docs/states';
import type { LiveValueSource } from './live-values';
import { directiveHover } from './directives';
import { queryTokens, type QueryToken } from './query-tokens';
import { ssCommandOf } from './ss-command';
import { serviceNamesOfPort } from './system-resolver';

async function portMarkdown(p: PortValue, live: LiveValueSource): Promise<string> {
  if (p.value === null) return '**port `*`** — any port';
  const names = p.service ? [p.service] : serviceNamesOfPort(p.value);
  const lines = [`**port ${p.value}**${names.length ? ` — service \`${names[0]}\`` : ''}`];
  const listening = (await live.get('ports')).filter((v) => v.port === p.value || v.value === `:${p.value}`);
  if (listening.length) lines.push('', 'Listening now:', ...listening.map((v) => `- ${v.detail ?? v.value}`));
  else lines.push('', 'Nothing known to listen on it now.');
  return lines.join('\n');
}

function hostMarkdown(h: HostSpec): string {
  switch (h.kind) {
    case 'inet': {
      const fam = h.family === 4 ? 'IPv4' : h.family === 6 ? 'IPv6' : 'any family';
      const addrs = h.addresses.length ? h.addresses.map((a) => `${a.family === 6 ? formatV6(a.bytes) : [...a.bytes].join('.')}/${a.prefixLen}`).join(', ') : 'any address';
      return `**host** (${fam})${h.hostname ? ` \`${h.hostname}\` →` : ''} ${addrs}${h.port ? `, port \`${h.port.text}\`` : ''}`;
    }
    case 'unix': return `**unix socket path glob** \`${h.pattern}\``;
    case 'link': return `**packet socket** protocol ${h.protocol ?? 'any'}${h.ifindex !== null ? `, interface index ${h.ifindex}` : ''}`;
    case 'netlink': return `**netlink socket** protocol ${h.protocol ?? 'any'}${h.portId !== null ? `, port id ${h.portId}` : ''}`;
    case 'vsock': return `**vsock** CID ${h.cid ?? 'any'}${h.port !== null ? `, port ${h.port}` : ''}`;
  }
}

function formatV6(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

async function valueMarkdown(t: QueryToken, live: LiveValueSource): Promise<string | undefined> {
  if (t.keyword === 'fwmark') return undefined;
  const kind = t.keyword === 'dev' ? 'interfaces' : 'cgroups';
  const found = (await live.get(kind)).find((v) => v.value === t.text);
  const what = t.keyword === 'dev' ? 'interface' : 'cgroup';
  return found ? `**${what} \`${t.text}\`**\n\n${found.detail ?? ''}` : `**${what} \`${t.text}\`**`;
}

/** Docs for a bare word, when the parser has no token there (half-typed or invalid text). */
export function wordMarkdown(word: string): string | undefined {
  const k = findKeywordDoc(word);
  if (k) return keywordMarkdown(k);
  const o = findOperatorDoc(word);
  if (o) return operatorMarkdown(o);
  const s = findStateDoc(word);
  if (s) return stateMarkdown(s);
  const opt = findOptionDoc(word);
  if (opt) return optionMarkdown(opt);
  const flags = expandShortFlags(word);
  if (flags.length) return flags.map(optionMarkdown).join('\n\n---\n\n');
  // A tcp_info field, as a threshold directive names it (`@warn p99(rtt) > 200ms`).
  return fieldMarkdown(word);
}

async function tokenMarkdown(t: QueryToken, live: LiveValueSource): Promise<string | undefined> {
  switch (t.kind) {
    case 'option': {
      const d = findOptionDoc(t.text);
      return d ? optionMarkdown(d) : expandShortFlags(t.text).map(optionMarkdown).join('\n\n---\n\n') || undefined;
    }
    case 'port': return t.port ? portMarkdown(t.port, live) : undefined;
    case 'host': return t.host ? hostMarkdown(t.host) : undefined;
    case 'badState': return `unknown state \`${t.text}\``;
    case 'value': return valueMarkdown(t, live);
    case 'optionArg': return undefined;
    default: return wordMarkdown(t.text);
  }
}

export async function hover(a: Analysis, offset: number, live: LiveValueSource): Promise<Hover | null> {
  const text0 = a.lines.text;
  const ls = text0.lastIndexOf('\n', offset - 1) + 1;
  const le = text0.indexOf('\n', offset);
  const dh = directiveHover(text0.slice(ls, le < 0 ? text0.length : le), offset - ls);
  if (dh) return { contents: md(dh.markdown), range: toRange(a, { start: ls + dh.start, end: ls + dh.end }) };
  const q = queryAt(a, offset);
  if (q) {
    const h = await queryHover(a, q, offset, live);
    if (h !== undefined) return h;
  }
  const text = a.lines.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (/^\s*#/.test(text.slice(lineStart, offset + 1))) return null;
  let s = offset;
  let e = offset;
  while (s > 0 && /[^\s()'"]/.test(text[s - 1])) s--;
  while (e < text.length && /[^\s()'"]/.test(text[e])) e++;
  const value = e > s ? wordMarkdown(text.slice(s, e)) : undefined;
  return value ? { contents: md(value), range: toRange(a, { start: s, end: e }) } : null;
}

/** Hover from the parse of the query; undefined when the parser has no token at the offset. */
async function queryHover(a: Analysis, q: SsqDocumentQuery, offset: number, live: LiveValueSource): Promise<Hover | null | undefined> {
  if (q.nameRange && offset >= q.nameRange.start && offset <= q.nameRange.end) {
    const cmd = ssCommandOf(q.parsed);
    return { contents: md(`**query \`${q.name}\`**${cmd ? `\n\n\`\`\`sh\n${cmd}\n\`\`\`` : ''}`), range: toRange(a, q.nameRange) };
  }
  let best: { t: QueryToken; start: number; end: number } | undefined;
  for (const t of queryTokens(q.parsed)) {
    const r = queryRangeToDocument(q, t.range);
    if (r.start <= offset && offset < r.end && (!best || r.end - r.start < best.end - best.start)) best = { t, ...r };
  }
  if (best) {
    const value = await tokenMarkdown(best.t, live);
    return value ? { contents: md(value), range: toRange(a, { start: best.start, end: best.end }) } : null;
  }
  return undefined;
}

const md = (value: string) => ({ kind: 'markdown' as const, value });
