// fnmatch(3) with FNM_CASEFOLD, as ss uses for unix socket paths (`src /TMP/*` matches /tmp/x):
// `*` and `?` match any character including `/`, `[...]` classes with `!`/`^` negation and ranges,
// backslash quotes the next character.

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]);
    else if (c === '[') {
      const cls = readClass(pattern, i);
      if (cls) {
        re += cls.re;
        i = cls.end;
      } else re += '\\[';
    } else re += escape(c);
  }
  const out = new RegExp(re + '$', 'i');
  if (cache.size > 1024) cache.clear();
  cache.set(pattern, out);
  return out;
}

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}

function readClass(p: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let neg = false;
  if (p[i] === '!' || p[i] === '^') {
    neg = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    const c = p[i];
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      if (close < 0) return undefined;
      const name = p.slice(i + 2, close);
      const map: Record<string, string> = { alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~' };
      body += map[name] ?? '';
      i = close + 2;
      first = false;
      continue;
    }
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      body += escape(c) + '-' + escape(p[i + 2]);
      i += 3;
    } else {
      body += escape(c);
      i++;
    }
    first = false;
  }
  if (i >= p.length) return undefined;
  return { re: `[${neg ? '^' : ''}${body}]`, end: i };
}

export function fnmatch(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
