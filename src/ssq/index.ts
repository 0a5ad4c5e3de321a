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
export type { SsqSocket, SsqSocketFamily, EvalContext } from './socket';
export type { SsqDocument, SsqDocumentQuery, SsqComment } from './document';

export { parseQuery, parseArgv } from './parser';
export { compileMatcher, matches } from './evaluate';
export { compileBytecode } from './bytecode';
export { format, formatExpr } from './format';
export { parseDocument, formatDocument, parseFilterFile } from './ssqdoc';
