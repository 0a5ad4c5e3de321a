// A tiny hand-written schema checker for protocol messages (no dependencies). A Schema checks an
// unknown JSON value and appends a message per problem to `errors`; objects refuse unknown keys,
// so a request can carry nothing the helper does not expect.

export type Schema = (value: unknown, path: string, errors: string[]) => void;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function string(opts: { min?: number; max: number; pattern?: RegExp; oneOf?: readonly string[] }): Schema {
  return (v, path, errors) => {
    if (typeof v !== 'string') { errors.push(`${path}: expected string, got ${typeName(v)}`); return; }
    if (v.length < (opts.min ?? 0)) errors.push(`${path}: shorter than ${opts.min}`);
    if (v.length > opts.max) errors.push(`${path}: longer than ${opts.max}`);
    else if (opts.pattern && !opts.pattern.test(v)) errors.push(`${path}: does not match ${opts.pattern.source}`);
    if (opts.oneOf && !opts.oneOf.includes(v)) errors.push(`${path}: not one of ${opts.oneOf.join(', ')}`);
  };
}

export function integer(min: number, max: number): Schema {
  return (v, path, errors) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) { errors.push(`${path}: expected integer, got ${typeName(v)}`); return; }
    if (v < min || v > max) errors.push(`${path}: out of range ${min}..${max}`);
  };
}

export const boolean: Schema = (v, path, errors) => {
  if (typeof v !== 'boolean') errors.push(`${path}: expected boolean, got ${typeName(v)}`);
};

export function nullable(inner: Schema): Schema {
  return (v, path, errors) => { if (v !== null) inner(v, path, errors); };
}

export function array(item: Schema, maxItems: number): Schema {
  return (v, path, errors) => {
    if (!Array.isArray(v)) { errors.push(`${path}: expected array, got ${typeName(v)}`); return; }
    if (v.length > maxItems) { errors.push(`${path}: more than ${maxItems} items`); return; }
    for (let i = 0; i < v.length && errors.length < 20; i++) item(v[i], `${path}[${i}]`, errors);
  };
}

export interface Field { schema: Schema; optional?: boolean }
export const req = (schema: Schema): Field => ({ schema });
export const opt = (schema: Schema): Field => ({ schema, optional: true });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object with exactly these keys (optional ones may be missing or undefined). */
export function object(fields: Record<string, Field>): Schema {
  return (v, path, errors) => {
    if (!isPlainObject(v)) { errors.push(`${path}: expected object, got ${typeName(v)}`); return; }
    for (const key of Object.keys(v)) {
      if (!Object.prototype.hasOwnProperty.call(fields, key)) errors.push(`${path}: unknown property "${key.slice(0, 40)}"`);
    }
    for (const [key, field] of Object.entries(fields)) {
      const present = Object.prototype.hasOwnProperty.call(v, key) && v[key] !== undefined;
      if (!present) { if (!field.optional) errors.push(`${path}.${key}: missing`); continue; }
      field.schema(v[key], `${path}.${key}`, errors);
    }
  };
}

/** Exactly one of the alternatives must accept the value; reports the first alternative's errors otherwise. */
export function oneOf(...alternatives: Schema[]): Schema {
  return (v, path, errors) => {
    let first: string[] | undefined;
    for (const alt of alternatives) {
      const e: string[] = [];
      alt(v, path, e);
      if (e.length === 0) return;
      first ??= e;
    }
    errors.push(...(first ?? [`${path}: invalid`]));
  };
}

/** Params that must be absent, null or an empty object. */
export const noParams: Schema = (v, path, errors) => {
  if (v === undefined || v === null) return;
  if (Array.isArray(v) && v.length === 0) return;
  if (isPlainObject(v) && Object.keys(v).length === 0) return;
  errors.push(`${path}: expected no parameters`);
};

/** Runs a schema; returns the list of problems (empty: valid). */
export function check(schema: Schema, value: unknown, path = 'params'): string[] {
  const errors: string[] = [];
  schema(value, path, errors);
  return errors;
}

/** A finite number (not NaN or ±Infinity) within the bounds. */
export function number(opts: { min?: number; max?: number }): Schema {
  return (v, path, errors) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) { errors.push(`${path}: expected finite number, got ${typeName(v)}`); return; }
    if (opts.min !== undefined && v < opts.min) errors.push(`${path}: below ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) errors.push(`${path}: above ${opts.max}`);
  };
}

/** An array of exactly `length` items. */
export function tuple(length: number, item: Schema): Schema {
  return (v, path, errors) => {
    if (!Array.isArray(v)) { errors.push(`${path}: expected array, got ${typeName(v)}`); return; }
    if (v.length !== length) { errors.push(`${path}: expected ${length} items, got ${v.length}`); return; }
    for (let i = 0; i < v.length && errors.length < 20; i++) item(v[i], `${path}[${i}]`, errors);
  };
}
