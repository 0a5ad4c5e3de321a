// The `sockscope/liveValues` request: the language server asks the client (which asks the helper)
// for values that exist on the machine right now, to offer them as completions and in hovers.
// Direction: server -> client. The server works without it: it only asks when the client
// announced support (initializationOptions.liveValues === true), and gives up after a short timeout.

export const LIVE_VALUES_METHOD = 'sockscope/liveValues';

/**
 * ports: listening ports (value ":5432"); peers: peer addresses of current connections;
 * interfaces: interface names; netns: named network namespaces (for -N); cgroups: cgroup v2 paths.
 */
export const LIVE_VALUE_KINDS = ['ports', 'peers', 'interfaces', 'netns', 'cgroups'] as const;
export type LiveValueKind = (typeof LIVE_VALUE_KINDS)[number];

export interface LiveValuesParams {
  kind: LiveValueKind;
}

export interface LiveValue {
  /** The text to insert, in the form the filter language takes (":5432", "10.0.0.2", "eth0", "/system.slice"). */
  value: string;
  /** One line shown beside the completion, e.g. ":5432 — postgres (pid 812), LISTEN". */
  detail?: string;
  /** For kind "ports": the port number, so hovers can find what listens on a port. */
  port?: number;
}

export interface LiveValuesResult {
  values: LiveValue[];
}

/** What the client passes in initializationOptions. */
export interface SsqInitializationOptions {
  liveValues?: boolean;
}

export function isLiveValueKind(x: unknown): x is LiveValueKind {
  return typeof x === 'string' && (LIVE_VALUE_KINDS as readonly string[]).includes(x);
}

export function isLiveValuesResult(x: unknown): x is LiveValuesResult {
  if (typeof x !== 'object' || x === null) return false;
  const values = (x as { values?: unknown }).values;
  return Array.isArray(values) && values.every((v) => typeof v === 'object' && v !== null && typeof (v as LiveValue).value === 'string');
}
