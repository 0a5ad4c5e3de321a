// Context-aware completion: options at the start, states after state/exclude, operators after a
// keyword, keywords after a term, service names and live ports after sport/dport, live peers,
// interfaces, netns names and cgroups where they fit.
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver/node';
import type { LiveValue, LiveValueKind } from '../protocol/live-values';
import { KEYWORD_DOCS, keywordMarkdown } from './docs/keywords';
import { OPERATOR_DOCS } from './docs/operators';
import { OPTION_DOCS } from './docs/options';
import { STATE_DOCS, STATE_GROUP_DOCS, stateMarkdown } from './docs/states';
import { completionPosition, type CompletionSite, type OptionArgKind, type ValueKeyword } from './completion-context';
import type { LiveValueSource } from './live-values';
import { directiveCompletion } from './directives';
import { services } from './system-resolver';

const md = (value: string) => ({ kind: 'markdown' as const, value });

function item(label: string, kind: CompletionItemKind, sort: string, detail?: string, doc?: string): CompletionItem {
  const it: CompletionItem = { label, kind, sortText: `${sort}_${label}` };
  if (detail) it.detail = detail;
  if (doc) it.documentation = md(doc);
  return it;
}

function optionItems(): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const o of OPTION_DOCS) {
    if (o.short) out.push(item(o.short, CompletionItemKind.Property, '1', `${o.long ?? ''}${o.arg ? ` ${o.arg}` : ''} — ${o.doc}`));
    if (o.long) out.push(item(o.long, CompletionItemKind.Property, '2', `${o.short ?? ''}${o.arg ? ` ${o.arg}` : ''} — ${o.doc}`));
  }
  return out;
}

const stateKeywordItems = (): CompletionItem[] =>
  KEYWORD_DOCS.filter((k) => k.takes === 'state').flatMap((k) => [k.name, ...k.aliases].map((n) => item(n, CompletionItemKind.Keyword, '3', k.syntax, keywordMarkdown(k))));

const predicateItems = (sort = '4'): CompletionItem[] => [
  ...KEYWORD_DOCS.filter((k) => k.takes !== 'state').map((k) => item(k.name, CompletionItemKind.Keyword, sort, k.syntax, keywordMarkdown(k))),
  item('not', CompletionItemKind.Operator, `${sort}z`, 'negates the next term'),
];

function stateItems(): CompletionItem[] {
  return [
    ...STATE_DOCS.map((s) => item(s.name, CompletionItemKind.EnumMember, '1', `state, shown as ${s.column}`, stateMarkdown(s))),
    ...STATE_GROUP_DOCS.map((g) => item(g.name, CompletionItemKind.Enum, '2', `group: ${g.members.join(', ')}`, stateMarkdown(g))),
  ];
}

function comparisonItems(keyword: ValueKeyword): CompletionItem[] {
  const allowed: Record<ValueKeyword, string[]> = {
    src: ['='], dst: ['='], dev: ['=', '!='], fwmark: ['=', '!='], cgroup: ['=', '!='],
    sport: ['=', '!=', '<', '<=', '>', '>='], dport: ['=', '!=', '<', '<=', '>', '>='],
  };
  return allowed[keyword].map((op) => {
    const d = OPERATOR_DOCS.find((o) => o.name === op);
    return item(op, CompletionItemKind.Operator, '0', d ? `${d.spellings.join(' ')}` : undefined, d?.doc);
  });
}

function liveItems(values: LiveValue[], kind: CompletionItemKind, sort = '0'): CompletionItem[] {
  return values.map((v) => item(v.value, kind, sort, v.detail ?? v.value));
}

function serviceItems(): CompletionItem[] {
  return services().map((s) => item(`:${s.name}`, CompletionItemKind.Constant, '5', `${s.port}/${s.protos.join(',')}`));
}

const TABLES = ['all', 'inet', 'tcp', 'udp', 'raw', 'unix', 'packet', 'netlink', 'unix_dgram', 'unix_stream', 'unix_seqpacket', 'packet_raw', 'packet_dgram', 'vsock_stream', 'vsock_dgram', 'mptcp'];
const FAMILIES = ['unix', 'inet', 'inet6', 'link', 'netlink', 'vsock'];

async function optionArgItems(arg: OptionArgKind, live: LiveValueSource): Promise<CompletionItem[]> {
  switch (arg) {
    case 'netns': return liveItems(await live.get('netns'), CompletionItemKind.Module);
    case 'query': return TABLES.map((t) => item(t, CompletionItemKind.EnumMember, '1', 'socket table'));
    case 'family': return FAMILIES.map((f) => item(f, CompletionItemKind.EnumMember, '1', 'address family'));
    case 'file': return [];
  }
}

const VALUE_LIVE_KIND: Record<ValueKeyword, LiveValueKind | null> = {
  src: 'ports', dst: 'peers', sport: 'ports', dport: 'ports', dev: 'interfaces', cgroup: 'cgroups', fwmark: null,
};

async function valueItems(keyword: ValueKeyword, live: LiveValueSource): Promise<CompletionItem[]> {
  const kind = VALUE_LIVE_KIND[keyword];
  const values = kind ? await live.get(kind) : [];
  const itemKind = keyword === 'dev' ? CompletionItemKind.Interface : keyword === 'cgroup' ? CompletionItemKind.Folder : CompletionItemKind.Value;
  const out = liveItems(values, itemKind);
  if (keyword === 'sport' || keyword === 'dport') out.push(...serviceItems(), item('*', CompletionItemKind.Constant, '6', 'any port'));
  if (keyword === 'src' || keyword === 'dst') out.push(item('*', CompletionItemKind.Constant, '6', 'any address'));
  return out;
}

export async function completionsForSite(site: CompletionSite, live: LiveValueSource): Promise<CompletionItem[]> {
  switch (site.kind) {
    case 'none': return [];
    case 'start': return [...(site.optionsAllowed ? optionItems() : []), ...stateKeywordItems(), ...predicateItems()];
    case 'state': return stateItems();
    case 'optionArg': return optionArgItems(site.arg, live);
    case 'afterKeyword': return [...comparisonItems(site.keyword), ...(await valueItems(site.keyword, live))];
    case 'value': return valueItems(site.keyword, live);
    case 'term': return predicateItems('1');
    case 'afterTerm': return [
      item('and', CompletionItemKind.Operator, '0', '&& & — both sides', OPERATOR_DOCS[0].doc),
      item('or', CompletionItemKind.Operator, '0', '|| | — either side', OPERATOR_DOCS[1].doc),
      ...predicateItems('1'),
    ];
  }
}

/** Completions at an offset of the document text; each replaces the partial word before the cursor. */
export async function completions(text: string, offset: number, replace: (prefixLength: number) => Range, live: LiveValueSource): Promise<CompletionItem[]> {
  const lineBefore = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const directive = directiveCompletion(lineBefore);
  if (directive) {
    const range = replace(directive.prefixLength);
    for (const it of directive.items) { it.textEdit = { range, newText: it.insertText ?? it.label }; delete it.insertText; }
    return directive.items;
  }
  const pos = completionPosition(text, offset);
  const items = await completionsForSite(pos.site, live);
  const range = replace(pos.prefix.length);
  for (const it of items) it.textEdit = { range, newText: it.label };
  return items;
}
