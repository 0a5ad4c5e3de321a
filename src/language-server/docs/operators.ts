// Hover and completion documentation for operators (ss(8): "Each of the following groups of
// operators are all equivalent"), with the precedence ss really applies.

export interface OperatorDoc {
  /** The canonical spelling the formatter produces. */
  name: string;
  spellings: string[];
  kind: 'logical' | 'comparison';
  doc: string;
}

export const OPERATOR_DOCS: readonly OperatorDoc[] = [
  { name: 'and', spellings: ['and', '&&', '&'], kind: 'logical', doc: 'Both sides must match. Two terms side by side are joined by an implicit `and`. **`and` and `or` have the same precedence in ss and group left to right**: `a or b and c` means `(a or b) and c`.' },
  { name: 'or', spellings: ['or', '||', '|'], kind: 'logical', doc: 'Either side matches. Same precedence as `and`, left to right: use parentheses when mixing them.' },
  { name: 'not', spellings: ['not', '!'], kind: 'logical', doc: 'Negates the one term that follows (`not dst 10.0.0.1`, `not ( ... )`).' },
  { name: '=', spellings: ['=', '==', 'eq'], kind: 'comparison', doc: 'Equal. The default when no operator is written.' },
  { name: '!=', spellings: ['!=', 'ne', 'neq'], kind: 'comparison', doc: 'Not equal (ports, `dev`, `fwmark`, `cgroup`). `src`/`dst` do not take it in ss: write `not src X`.' },
  { name: '>', spellings: ['>', 'gt'], kind: 'comparison', doc: 'Greater than (ports only).' },
  { name: '<', spellings: ['<', 'lt'], kind: 'comparison', doc: 'Less than (ports only).' },
  { name: '>=', spellings: ['>=', 'ge', 'geq'], kind: 'comparison', doc: 'Greater than or equal (ports only).' },
  { name: '<=', spellings: ['<=', 'le', 'leq'], kind: 'comparison', doc: 'Less than or equal (ports only).' },
];

export function findOperatorDoc(word: string): OperatorDoc | undefined {
  return OPERATOR_DOCS.find((o) => o.spellings.includes(word));
}

export function operatorMarkdown(o: OperatorDoc): string {
  return `**${o.kind} operator \`${o.name}\`** — spellings: ${o.spellings.map((s) => `\`${s}\``).join(' ')}\n\n${o.doc}`;
}
