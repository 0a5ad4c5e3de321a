// Hover documentation for socket fields by their kernel names (`rtt`, `retrans`, `snd_cwnd` ...), as
// `.ssq` threshold directives name them: everything from src/fields, the one description of tcp_info.
import { TCPI, ssPrefix, type FieldUnit, type TcpInfoFieldName } from '../../fields/index';

const UNIT_WORDS: Readonly<Record<FieldUnit, string>> = {
  us: 'microseconds', ms: 'milliseconds', bytes: 'bytes', 'bytes/s': 'bytes per second (ss shows bits per second)',
  segments: 'segments', packets: 'packets', count: 'a count', flags: 'a set of bits', enum: 'a code', seq: 'a sequence number',
};

/** The field named `name` (with or without `tcpi_`), or undefined. */
function fieldNamed(name: string): (typeof TCPI)[TcpInfoFieldName] | undefined {
  const bare = name.startsWith('tcpi_') ? name.slice(5) : name;
  return Object.prototype.hasOwnProperty.call(TCPI, bare) ? TCPI[bare as TcpInfoFieldName] : undefined;
}

/** Markdown for a tcp_info field, or undefined when `name` is none. */
export function fieldMarkdown(name: string): string | undefined {
  const f = fieldNamed(name);
  if (!f) return undefined;
  const facts = [`unit: ${UNIT_WORDS[f.unit]}`];
  if (f.ss !== undefined) facts.push(`\`ss -i\` shows it as \`${ssPrefix(f).trim()}\``);
  facts.push(`since Linux ${f.since}`);
  return `**\`${f.name}\`** — tcp_info field (\`tcpi_${f.name}\`): ${f.description}\n\n${facts.join(' · ')}`;
}
