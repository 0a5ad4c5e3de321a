// Public API of the ss filter language core. Pure: no node:*, no vscode.
export type { Range, LineCol } from './text';
export { LineMap, lineColAt } from './text';
export type { Diagnostic, DiagnosticCode, Severity, Fix, TextEdit } from './diagnostics';
export { hasErrors } from './diagnostics';
export type {
  Expr, BinaryExpr, NotExpr, HostExpr, PortExpr, DevExpr, MarkExpr, CgroupExpr, AutoboundExpr, ErrorExpr,
  Token, PortCmp, PortValue, HostSpec, HostFamilyPrefix, InetHost, InetPrefix, UnixHost, LinkHost, NetlinkHost, VsockHost,
} from './ast';
export type { QueryOptions, OptionWord, StateWord, ParsedQuery, ParseOptions, SsqKind, SsqFamily, SsqToken, SsqTokenKind } from './query';
export { SSQ_KINDS, SSQ_FAMILIES } from './query';
export { TCP_STATE, SS_ALL, SS_CONN, SS_LISTENING, STATE_WORDS, stateMask, statesOf } from './states';
export type { SsqResolver, StaticResolverTables } from './resolver';
export { staticResolver, WELL_KNOWN_SERVICES } from './resolver';
export { parseServicesText, parseHostsText, indexHostsText } from './name-files';
export type { ServiceLine, HostsLine } from './name-files';
export type { SsqSocket, SsqSocketFamily, EvalContext } from './ssq-socket';
export type { SsqDocument, SsqDocumentQuery, SsqComment } from './document';

export { parseQuery, parseArgv } from './parser';
export { compileMatcher, matches, type Matcher } from './evaluate';
export { compileBytecode, bytecodeHex, INET_DIAG_BC } from './bytecode';
export { format, formatExpr, shellWord } from './format';
// Word lists for completion and hover.
export { KEYWORDS } from './lexer';
export { OPTION_SPECS, QUERY_WORDS, FAMILY_WORDS, DEFAULT_KINDS } from './options';
export { fnmatch } from './glob';
export { parseDocument, formatDocument, parseFilterFile } from './ssq-document';
// Threshold directives (spec section 5) and their evaluation.
export {
  parseThreshold, formatThreshold, measureKey, measureUnit, thresholdHolds, isDirectiveLine,
  THRESHOLD_LEVELS, AGGREGATES, COMPARISONS,
  type Threshold, type ThresholdLevel, type Aggregate, type Comparison, type Measure,
} from './thresholds';
export { HEALTH_FIELDS, HEALTH_FIELD_BY_NAME, UNITS, unitFits, unitsFor, toFieldUnit, formatFieldValue, type HealthField, type HealthUnit } from './health-fields';
export {
  HealthAccumulator, evaluateThresholds, aggregate, measuresOf, fieldsOf, stateRank, worstState, HEALTH_STATES,
  type HealthState, type QueryHealth, type MeasureResult,
} from './health';
export { reportQuery, checkLine, CHECK_STATUS, CHECK_EXIT, type QueryReport } from './health-report';
