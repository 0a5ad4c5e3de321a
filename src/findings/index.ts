// The findings engine: pure rules over a Snapshot (see README's "Findings").
export { runFindings, countFindings, FindingsSession, type RunOptions } from './run-findings';
export type { Snapshot, FindingSocket, ProcessFacts, DiagFacts, FirewallFacts, Source, SysctlName } from './snapshot';
export { SYSCTLS, valueOf, errorOf } from './snapshot';
export { THRESHOLDS, THRESHOLD_NAMES, DEFAULT_THRESHOLDS, resolveThresholds, isThresholdName, type Thresholds, type ThresholdName } from './thresholds';
export { parseNftJson } from './firewall/nft-json';
export { parseIptablesSave } from './firewall/iptables-save';
export { evaluateExposure, iptablesNftTables, type Exposure, type ExposureResult } from './firewall/evaluate';
export { FirewallFormatError, type Ruleset } from './firewall/model';
export { parseNetstat, parseSockstat, parseNofileLimit } from './kernel-text';
export type { Finding, Severity, RuleId, SocketSummary } from '../protocol/findings';
export { socketSummary, summaryFromCounters } from './summary';
export { arrayRows, KIND_OTHER, KIND_TCP, KIND_UDP, KIND_MPTCP, type SocketRows } from './socket-rows';
