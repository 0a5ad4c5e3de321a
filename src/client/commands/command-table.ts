// Every command id and every when-clause context key of the extension, written once. This file is
// pure (no `vscode`) so that test/unit/client/command-registry.test.ts can hold package.json's
// `contributes` to it; registry.ts maps each id to its handler and the compiler insists on all of them.
// How to add a command: see the note at the top of registry.ts.
import {
  APPLY_QUERY_COMMAND, RUN_QUERY_COMMAND, RUN_QUERY_IN_TERMINAL_COMMAND, RUN_SELECTION_COMMAND,
} from '../../protocol/ssq-commands';

interface CommandInfo {
  /**
   * `contributed`: listed in package.json's `contributes.commands` (with a title).
   * `internal`: registered but not contributed (end-to-end tests and diagnostics call it).
   */
  readonly kind: 'contributed' | 'internal';
}

const contributed: CommandInfo = { kind: 'contributed' };
const internal: CommandInfo = { kind: 'internal' };

export const COMMANDS = {
  'sockscope.refresh': contributed,
  'sockscope.showAllProcesses': contributed,
  'sockscope.installCli': contributed,
  [RUN_QUERY_COMMAND]: contributed,
  [RUN_QUERY_IN_TERMINAL_COMMAND]: contributed,
  [APPLY_QUERY_COMMAND]: contributed,
  [RUN_SELECTION_COMMAND]: contributed,
  'sockscope.filter': contributed,
  'sockscope.clearFilter': contributed,
  'sockscope.filterExposedListeners': contributed,
  'sockscope.groupByProcess': contributed,
  'sockscope.groupByState': contributed,
  'sockscope.groupByFlat': contributed,
  'sockscope.pickNamespace': contributed,
  'sockscope.showMore': contributed,
  'sockscope.filterGroup': contributed,
  'sockscope.clearGroupFilter': contributed,
  'sockscope.sortSockets': contributed,
  'sockscope.chartTcpInfo': contributed,
  'sockscope.copySsFilter': contributed,
  'sockscope.copyJson': contributed,
  'sockscope.filterToPort': contributed,
  'sockscope.filterToPeer': contributed,
  'sockscope.revealProcess': contributed,
  'sockscope.killSocket': contributed,
  'sockscope.showOnlyProcess': contributed,
  'sockscope.followProcess': contributed,
  'sockscope.followTerminal': contributed,
  'sockscope.unfollow': contributed,
  'sockscope.showUnixSockets': contributed,
  'sockscope.hideUnixSockets': contributed,
  /** The followed targets and their process trees (end-to-end tests). */
  'sockscope.follow.snapshot': internal,
  'sockscope.findings.refresh': contributed,
  /** A finding's tree item runs it with the finding's id: the Sockets view shows only its sockets. */
  'sockscope.findings.showSockets': internal,
  /** A read-only snapshot of the Findings view (end-to-end tests, diagnostics). */
  'sockscope.findings.snapshot': internal,
  'sockscope.showHealth': contributed,
  /** The health checks' last evaluation ({ evaluate: true } evaluates first): end-to-end tests. */
  'sockscope.health.snapshot': internal,
  /** A read-only snapshot of the Sockets view (end-to-end tests, diagnostics). */
  'sockscope.sockets.snapshot': internal,
  /** Export CSV of the most recent chart to a given path (what the webview's button does after a save dialog). */
  'sockscope.charts.exportCsv': internal,
  'sockscope.history.showLog': contributed,
  'sockscope.history.showTimeline': contributed,
  /** The open connection log and timeline panels' state; `{ exportCsv: path }` exports the log there (end-to-end tests). */
  'sockscope.history.viewsSnapshot': internal,
  'sockscope.history.openRecording': contributed,
  /** `{ recordingId, at }` (the timeline calls it) or, from the palette, a time picked over the live or opened recording. */
  'sockscope.history.showMoment': contributed,
  'sockscope.history.returnToLive': contributed,
  'sockscope.history.compareWithNow': contributed,
  'sockscope.history.compareMoments': contributed,
  /** The recorder's state: the file, whether it records, with destroy events, its last error (end-to-end tests). */
  'sockscope.history.recordingSnapshot': internal,
} as const satisfies Record<string, CommandInfo>;

export type CommandId = keyof typeof COMMANDS;

/** The context keys the extension sets (with `setContext`) and package.json's when-clauses read. */
export const CONTEXT_KEYS = {
  /** The Sockets view's grouping: `process`, `state` or `flat`. */
  groupBy: 'sockscope.groupBy',
  /** A filter, the exposed-listeners filter or a process filter is active. */
  filterActive: 'sockscope.filterActive',
  /** The exposed-listeners filter is on. */
  exposedOnly: 'sockscope.exposedOnly',
  /** Unix sockets are shown in the Sockets view (hidden by default). */
  unixShown: 'sockscope.unixShown',
  /** The helper runs as root. */
  helperIsRoot: 'sockscope.helperIsRoot',
  /** The Sockets view shows a recorded moment (read only: actions on live sockets are hidden). */
  historyMode: 'sockscope.historyMode',
} as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

/** Ids VS Code itself derives from package.json (views, view containers): when-clauses and commands may use them. */
export const VIEW_IDS = { sockets: 'sockscope.sockets', findings: 'sockscope.findings' } as const;
