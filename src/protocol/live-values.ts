// The `sockscope/liveValues` request: the language server asks the client (which asks the helper)
// for values that exist on the machine right now, to offer them as completions and in hovers.
// Direction: server -> client. The server works without it: it only asks when the client
// announced support (initializationOptions.liveValues === true), and gives up after a short timeout.

import { requestType } from './message-type';
import { array, integer, object, opt, req, string } from './schema';

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

const MAX_VALUES = 10_000;

/** Server -> client. The server checks the result (the client is another program); the client checks the kind. */
export const LIVE_VALUES = requestType<LiveValuesParams, LiveValuesResult>()('sockscope/liveValues',
  object({ kind: req(string({ max: 16, oneOf: LIVE_VALUE_KINDS })) }),
  object({
    values: req(array(object({
      value: req(string({ max: 4096 })),
      detail: opt(string({ max: 4096 })),
      port: opt(integer(0, 65535)),
    }), MAX_VALUES)),
  }));

/** What the client passes in initializationOptions. */
export interface SsqInitializationOptions {
  liveValues?: boolean;
}
