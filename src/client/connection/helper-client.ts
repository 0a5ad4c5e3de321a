// The extension host's typed client of the socket helper. Starts the helper with the configured
// privileges, restarts it with exponential backoff when it dies (saying so once), times out hung
// requests, re-establishes watches and destroy subscriptions after a restart, and exposes the
// protocol as typed methods. No vscode import: the VS Code glue is helper-ui.ts, so this class
// also runs in plain node (system tests).
import { HELPER_NOTIFICATIONS, HELPER_REQUESTS, type HelperMethod, type HelperRequests } from '../../protocol/helper-requests';
import { onNotification, sendRequest, type ParamsOf, type ResultOf } from '../../protocol/message-type';
import { CancellationTokenSource, Emitter } from 'vscode-jsonrpc/node';
import type { Disposable, Event } from 'vscode-jsonrpc/node';
import type {
  Capabilities, DumpParams, DumpResult, KillResult,
  ListNamespacesResult, NetnsRef, RecordExtensions, SocketKey, SocketQuery,
  SubscribeDestroyedParams, WatchParams, ProcessesParams, ProcessesResult,
  FindingsChangedNotification, FindingsWatchParams } from '../../protocol/helper-protocol';
import { PROTOCOL_VERSION } from '../../protocol/helper-protocol';
import type { SocketRecord } from '../../protocol/socket-record';
import type {
  ViewChangedNotification, ViewOpenParams, ViewPageRequest, ViewRowsResult, ViewUpdateParams,
} from '../../protocol/view-protocol';
import type { AppliedTick } from '../../protocol/watch-state';
import { WatchState } from '../../protocol/watch-state';
import type { Log } from './helper-process';
import { HelperProcess, describeExit } from './helper-process';
import type { Elevation, LaunchMode, LaunchPlan, PrivilegeSetting } from './privilege';
import { planLaunch, probePrivileges } from './privilege';

export type HelperState = 'stopped' | 'starting' | 'running' | 'restarting' | 'failed';

export interface HelperClientOptions {
  /** dist/helper.js. */
  helperPath: string;
  /** The node to run it with; default process.execPath (VS Code's binary with ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
  log: Log;
  /** Read at every (re)start. */
  privilege: () => PrivilegeSetting;
  /** Default 30 s. */
  requestTimeoutMs?: number;
  /** Restart delays: initial (default 500 ms), doubled per crash up to max (default 30 s). */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

export interface RestartInfo {
  /** Why the previous helper ended. */
  reason: string;
  /** Consecutive restarts without a stable run. */
  attempt: number;
}

export interface HelperWatch extends Disposable {
  readonly id: string;
  /** The watched set as of the last update. */
  readonly state: WatchState;
}

/** A watch as the protocol's WatchParams; the client picks the id. */
export type WatchOptions = Omit<WatchParams, 'watchId'>;

interface WatchEntry {
  params: WatchParams;
  state: WatchState;
  onUpdate: (state: WatchState, tick: AppliedTick) => void;
  onError?: (e: Error) => void;
}

interface SubscriptionEntry {
  params: SubscribeDestroyedParams;
  onDestroyed: (r: SocketRecord) => void;
  /** The helper process it was sent to: each process gets it exactly once. */
  sentTo?: HelperProcess;
}

/** A view as the protocol's ViewOpenParams; the client picks the id. */
export type ViewOptions = Omit<ViewOpenParams, 'viewId'>;

export interface HelperView extends Disposable {
  readonly id: string;
  /** Changes what the view shows; resolves with the seq of the notification that reflects it. */
  update(changes: Omit<ViewUpdateParams, 'viewId'>): Promise<number>;
  /** Rows of any group, read once. */
  rows(page: ViewPageRequest): Promise<ViewRowsResult>;
}

interface ViewEntry {
  /** The view as last opened or updated: what a restarted helper is asked to open. */
  params: ViewOpenParams;
  onChanged: (n: ViewChangedNotification) => void;
  onError?: (e: Error) => void;
  sentTo?: HelperProcess;
}

interface FindingsEntry {
  params: FindingsWatchParams;
  onChanged: (n: FindingsChangedNotification) => void;
  sentTo?: HelperProcess;
}

/** A stable run this long resets the backoff. */
const STABLE_MS = 60_000;

export class HelperClient implements Disposable {
  private proc: HelperProcess | undefined;
  private starting: Promise<void> | undefined;
  private currentMode: LaunchMode = 'direct';
  private plan: LaunchPlan | undefined;
  private caps: Capabilities | undefined;
  private stateValue: HelperState = 'stopped';
  private disposed = false;
  private attempt = 0;
  private saidRestart = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private consecutiveTimeouts = 0;
  private readonly dumps = new Map<string, (records: SocketRecord[]) => void>();
  private readonly watches = new Map<string, WatchEntry>();
  private readonly subscriptions = new Map<string, SubscriptionEntry>();
  private readonly views = new Map<string, ViewEntry>();
  /** The findings watch (one per helper session), re-sent to a restarted helper. */
  private findingsWatch: FindingsEntry | undefined;
  private readonly restartEmitter = new Emitter<RestartInfo>();
  private readonly capsEmitter = new Emitter<Capabilities>();
  private readonly stateEmitter = new Emitter<HelperState>();
  private readonly historyStoppedEmitter = new Emitter<ParamsOf<typeof HELPER_NOTIFICATIONS.historyStopped>>();

  /** A crashed helper was started again (watches and subscriptions are re-established). */
  readonly onDidRestart: Event<RestartInfo> = this.restartEmitter.event;
  /** After each (re)start and after elevate(): what the running helper can see. */
  readonly onDidChangeCapabilities: Event<Capabilities> = this.capsEmitter.event;
  readonly onDidChangeState: Event<HelperState> = this.stateEmitter.event;
  /** The helper's recording stopped by itself (disk full, read-only or damaged file). */
  readonly onHistoryStopped = this.historyStoppedEmitter.event;

  constructor(private readonly opts: HelperClientOptions) {}

  get state(): HelperState { return this.stateValue; }
  /** How the running helper was launched. */
  get mode(): LaunchMode { return this.currentMode; }
  /** Elevations that can be offered to the user ("Show all processes (root)"). */
  get offers(): Elevation[] { return this.caps?.root ? [] : (this.plan?.offers ?? []); }
  get currentCapabilities(): Capabilities | undefined { return this.caps; }
  get pid(): number | undefined { return this.proc?.pid; }

  /** Starts the helper per `sockscope.privilege` (idempotent); resolves once it answered initialize. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('helper client disposed'));
    if (this.proc?.running && this.stateValue === 'running') return Promise.resolve();
    this.starting ??= this.launchPlanned().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /** Restarts the helper with root: through pkexec, or sudo -S with this password (used once, not kept). */
  async elevate(how: Elevation, password?: string): Promise<Capabilities> {
    const mode: LaunchMode = how === 'pkexec' ? 'pkexec' : 'sudoPassword';
    await this.replace(mode, password);
    return this.caps!;
  }

  /** Restarts the helper as `sockscope.privilege` says (after the setting changed). */
  async restart(): Promise<void> {
    this.plan = undefined;
    await this.stopProcess();
    await this.start();
  }

  // -- requests ------------------------------------------------------------------------------

  /** Any request of HELPER_REQUESTS, typed by its descriptor: `request(HELPER_REQUESTS.kill, { sockets })`. */
  async request<T extends HelperRequests[HelperMethod]>(type: T, params: ParamsOf<T>, timeoutMs = this.opts.requestTimeoutMs ?? 30_000): Promise<ResultOf<T>> {
    const method = type.method;
    await this.start();
    const proc = this.proc;
    if (!proc) throw new Error('the helper is not running');
    const cts = new CancellationTokenSource();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (proc.connected) cts.cancel();
        this.consecutiveTimeouts++;
        if (this.consecutiveTimeouts >= 2) {
          this.opts.log.warn(`helper: ${method} timed out again; restarting the helper`);
          proc.kill('SIGKILL');
        }
        reject(new Error(`helper request ${method} timed out after ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([sendRequest(proc.connection, type, params, cts.token), timeout]);
      this.consecutiveTimeouts = 0;
      return result;
    } finally {
      clearTimeout(timer);
      cts.dispose();
    }
  }

  /**
   * A dump, streamed: `onChunk` receives the records as they arrive (then the returned records
   * are empty); without it all records are collected and returned.
   */
  async dump(query: SocketQuery, options: { chunkSize?: number; onChunk?: (records: SocketRecord[]) => void; timeoutMs?: number } = {}): Promise<DumpResult & { records: SocketRecord[] }> {
    const stream = `d${this.nextId++}`;
    const records: SocketRecord[] = [];
    this.dumps.set(stream, options.onChunk ?? ((rs) => { for (const r of rs) records.push(r); }));
    try {
      const params: DumpParams = { ...query, stream };
      if (options.chunkSize) params.chunkSize = options.chunkSize;
      const result = await this.request(HELPER_REQUESTS.dump, params, options.timeoutMs);
      return { ...result, records };
    } finally {
      this.dumps.delete(stream);
    }
  }

  /** One socket by exact lookup (no dump); null when it is gone. */
  async lookup(socket: SocketKey, options: { extensions?: RecordExtensions; netns?: NetnsRef } = {}): Promise<SocketRecord | null> {
    return (await this.request(HELPER_REQUESTS.lookup, { socket: keyOf(socket), ...options })).record;
  }

  /**
   * Watches a query (or one socket) every `intervalMs`. `onUpdate` runs for every message; the
   * state is consistent with one helper snapshot when `tick.complete`. Survives helper restarts
   * (the next update is then a snapshot).
   */
  watch(options: WatchOptions, onUpdate: (state: WatchState, tick: AppliedTick) => void, onError?: (e: Error) => void): HelperWatch {
    const id = `w${this.nextId++}`;
    const params: WatchParams = { watchId: id, ...options };
    if (params.socket) params.socket = keyOf(params.socket);
    const entry: WatchEntry = { params, state: new WatchState(), onUpdate, onError };
    this.watches.set(id, entry);
    this.sendWatch(entry);
    return {
      id,
      state: entry.state,
      dispose: () => {
        if (!this.watches.delete(id)) return;
        if (this.proc?.running && this.stateValue === 'running') this.request(HELPER_REQUESTS.unwatch, { watchId: id }).catch(() => undefined);
      },
    };
  }

  /** Destroy events (tcp/udp sockets the kernel closes), as `ss -E`. */
  subscribeDestroyed(options: Omit<SubscribeDestroyedParams, 'subscriptionId'>, onDestroyed: (r: SocketRecord) => void): Disposable {
    const id = `s${this.nextId++}`;
    const entry: SubscriptionEntry = { params: { subscriptionId: id, ...options }, onDestroyed };
    this.subscriptions.set(id, entry);
    this.sendSubscription(entry);
    return {
      dispose: () => {
        if (!this.subscriptions.delete(id)) return;
        if (this.proc?.running) this.request(HELPER_REQUESTS.unsubscribeDestroyed, { subscriptionId: id }).catch(() => undefined);
      },
    };
  }

  /**
   * Opens a view (view-protocol.ts): `onChanged` gets every `view/changed` notification. Survives
   * helper restarts (the view is opened again as last updated; its next notification is a reset).
   */
  openView(options: ViewOptions, onChanged: (n: ViewChangedNotification) => void, onError?: (e: Error) => void): HelperView {
    const id = `v${this.nextId++}`;
    const entry: ViewEntry = { params: { viewId: id, ...options }, onChanged, onError };
    this.views.set(id, entry);
    this.sendView(entry);
    return {
      id,
      update: async (changes) => {
        const p = entry.params;
        // Kept so that a restarted helper opens the view as it is now.
        entry.params = {
          ...p,
          ...(changes.query ? { query: changes.query } : {}),
          ...(changes.groupBy ? { groupBy: changes.groupBy } : {}),
          ...(changes.sort ? { sort: changes.sort } : {}),
          ...(changes.expanded ? { expanded: changes.expanded } : {}),
          ...(changes.pinned ? { pinned: changes.pinned } : {}),
          ...(changes.intervalMs ? { intervalMs: changes.intervalMs } : {}),
        };
        await this.start();
        const proc = this.proc;
        if (entry.sentTo !== proc) return -1; // being (re)opened with these params
        try {
          return (await this.request(HELPER_REQUESTS['view/update'], { viewId: id, ...changes })).seq;
        } catch (e) {
          // The helper died meanwhile: the restarted one opens the view with these params.
          if (!proc?.running || this.proc !== proc) return -1;
          throw e;
        }
      },
      rows: (page) => this.request(HELPER_REQUESTS['view/rows'], { viewId: id, page }),
      dispose: () => {
        if (!this.views.delete(id)) return;
        if (this.proc?.running && this.stateValue === 'running') this.request(HELPER_REQUESTS['view/close'], { viewId: id }).catch(() => undefined);
      },
    };
  }

  /**
   * Findings pushed by the helper when they change (`findings/watch`); calling it again replaces
   * the watch (other thresholds, another namespace). Survives helper restarts.
   */
  watchFindings(params: FindingsWatchParams, onChanged: (n: FindingsChangedNotification) => void): Disposable {
    const entry: FindingsEntry = { params, onChanged };
    this.findingsWatch = entry;
    this.sendFindingsWatch(entry);
    return {
      dispose: () => {
        if (this.findingsWatch !== entry) return;
        this.findingsWatch = undefined;
        if (this.proc?.running && this.stateValue === 'running') this.request(HELPER_REQUESTS['findings/unwatch'], undefined).catch(() => undefined);
      },
    };
  }

  kill(sockets: SocketKey[], netns?: NetnsRef): Promise<KillResult> {
    return this.request(HELPER_REQUESTS.kill, { sockets: sockets.map(keyOf), ...(netns ? { netns } : {}) });
  }

  async capabilities(): Promise<Capabilities> {
    const caps = await this.request(HELPER_REQUESTS.capabilities, undefined);
    this.setCaps(caps);
    return caps;
  }

  listNamespaces(): Promise<ListNamespacesResult> {
    return this.request(HELPER_REQUESTS.listNamespaces, undefined);
  }

  processes(params: ProcessesParams): Promise<ProcessesResult> {
    return this.request(HELPER_REQUESTS.processes, params);
  }

  /** Asks the helper to exit and waits for it. */
  async stop(): Promise<void> {
    await this.stopProcess();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.restartTimer);
    void this.stopProcess();
    this.restartEmitter.dispose();
    this.capsEmitter.dispose();
    this.stateEmitter.dispose();
  }

  // -- process management --------------------------------------------------------------------

  private setState(s: HelperState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.stateEmitter.fire(s);
  }

  private setCaps(caps: Capabilities): void {
    const before = this.caps;
    this.caps = caps;
    if (!before || JSON.stringify(before) !== JSON.stringify(caps)) this.capsEmitter.fire(caps);
  }

  private async launchPlanned(): Promise<void> {
    if (!this.plan) this.plan = planLaunch(this.opts.privilege(), await probePrivileges());
    let mode = this.plan.mode;
    // A password is never kept: after a crash of a `sudo -S` helper, try `sudo -n` (sudo may
    // still have the credentials cached), then run unprivileged.
    if (this.currentMode === 'sudoPassword' && mode === 'direct') mode = 'sudo';
    try {
      await this.launch(mode);
    } catch (e) {
      if (mode === 'direct') throw e;
      this.opts.log.warn(`helper: starting with ${mode} failed (${errorText(e)}); running without root`);
      await this.launch('direct');
    }
  }

  private async replace(mode: LaunchMode, password?: string): Promise<void> {
    const previous = this.currentMode;
    await this.stopProcess();
    try {
      await this.launch(mode, password);
    } catch (e) {
      this.opts.log.warn(`helper: ${mode === 'pkexec' ? 'pkexec' : 'sudo'} failed: ${errorText(e)}`);
      await this.launch(previous === 'sudoPassword' ? 'direct' : previous).catch(() => this.launch('direct'));
      throw e;
    }
  }

  private async launch(mode: LaunchMode, password?: string): Promise<void> {
    this.setState(this.attempt > 0 ? 'restarting' : 'starting');
    const interactive = mode === 'pkexec' || mode === 'sudoPassword';
    const proc = new HelperProcess({
      mode, password,
      nodePath: this.opts.nodePath ?? process.execPath,
      helperPath: this.opts.helperPath,
      readyTimeoutMs: interactive ? 120_000 : 20_000,
      log: this.opts.log,
    });
    password = undefined;
    this.proc = proc;
    this.currentMode = mode;
    this.wire(proc);
    try {
      await proc.ready;
      const init = await sendRequest(proc.connection, HELPER_REQUESTS.initialize, { protocolVersion: PROTOCOL_VERSION, clientName: 'sockscope-vscode' });
      if (this.proc !== proc) throw new Error('replaced');
      this.setCaps(init.capabilities);
      this.setState('running');
      this.opts.log.info(`helper started (pid ${init.pid}, ${mode}${init.capabilities.root ? ', root' : ''})`);
      const startedAt = Date.now();
      void proc.exited.then((exit) => this.onExit(proc, describeExit(exit, mode), Date.now() - startedAt));
      for (const w of this.watches.values()) this.sendWatch(w);
      for (const v of this.views.values()) this.sendView(v);
      for (const s of this.subscriptions.values()) this.sendSubscription(s);
      if (this.findingsWatch) this.sendFindingsWatch(this.findingsWatch);
    } catch (e) {
      if (this.proc === proc) this.proc = undefined;
      void proc.stop(500);
      this.setState('failed');
      throw e;
    }
  }

  private wire(proc: HelperProcess): void {
    const c = proc.connection;
    onNotification(c, HELPER_NOTIFICATIONS.dumpChunk, (p) => { this.dumps.get(p.stream)?.(p.records); });
    onNotification(c, HELPER_NOTIFICATIONS.watchUpdate, (p) => {
      const w = this.watches.get(p.watchId);
      if (!w) return;
      const tick = w.state.apply(p);
      if (p.error) w.onError?.(new Error(p.error));
      try { w.onUpdate(w.state, tick); } catch (e) { this.opts.log.error(`watch listener failed: ${errorText(e)}`); }
    });
    onNotification(c, HELPER_NOTIFICATIONS.destroyed, (p) => { this.subscriptions.get(p.subscriptionId)?.onDestroyed(p.record); });
    onNotification(c, HELPER_NOTIFICATIONS.findingsChanged, (p) => {
      const f = this.findingsWatch;
      if (!f || f.sentTo !== proc) return;
      try { f.onChanged(p); } catch (e) { this.opts.log.error(`findings listener failed: ${errorText(e)}`); }
    });
    onNotification(c, HELPER_NOTIFICATIONS.historyStopped, (p) => { this.historyStoppedEmitter.fire(p); });
    onNotification(c, HELPER_NOTIFICATIONS.viewChanged, (p) => {
      const v = this.views.get(p.viewId);
      if (!v) return;
      try { v.onChanged(p); } catch (e) { this.opts.log.error(`view listener failed: ${errorText(e)}`); }
    });
  }

  /** Sends a subscription to the running helper unless it already has it; launch() sends it otherwise. */
  private sendSubscription(s: SubscriptionEntry): void {
    const proc = this.proc;
    if (!proc?.running || this.stateValue !== 'running') {
      this.start().catch(() => undefined);
      return;
    }
    if (s.sentTo === proc) return;
    s.sentTo = proc;
    sendRequest(proc.connection, HELPER_REQUESTS.subscribeDestroyed, s.params).catch((e) => {
      if (this.proc === proc) this.opts.log.warn(`destroy events unavailable: ${errorText(e)}`);
    });
  }

  private sendFindingsWatch(f: FindingsEntry): void {
    const proc = this.proc;
    if (!proc?.running || this.stateValue !== 'running') {
      this.start().catch(() => undefined);
      return;
    }
    f.sentTo = proc;
    sendRequest(proc.connection, HELPER_REQUESTS['findings/watch'], f.params).catch((e) => {
      if (this.proc === proc && this.findingsWatch === f) f.onChanged({ findings: [], summary: null, rulesMs: 0, rulesCpuMs: 0, sockets: 0, source: 'dump', processLabels: {}, error: errorText(e) });
    });
  }

  private sendView(v: ViewEntry): void {
    const proc = this.proc;
    if (!proc?.running || this.stateValue !== 'running') {
      this.start().catch((e) => v.onError?.(e instanceof Error ? e : new Error(String(e))));
      return;
    }
    if (v.sentTo === proc) return;
    v.sentTo = proc;
    sendRequest(proc.connection, HELPER_REQUESTS['view/open'], v.params).catch((e) => v.onError?.(e instanceof Error ? e : new Error(errorText(e))));
  }

  private sendWatch(w: WatchEntry): void {
    if (!this.proc?.running || this.stateValue !== 'running') {
      // Sent when the helper is up (launch() re-sends every registered watch).
      this.start().catch((e) => w.onError?.(e instanceof Error ? e : new Error(String(e))));
      return;
    }
    sendRequest(this.proc.connection, HELPER_REQUESTS.watch, w.params).catch((e) => w.onError?.(e instanceof Error ? e : new Error(errorText(e))));
  }

  private onExit(proc: HelperProcess, reason: string, ranMs: number): void {
    if (this.proc !== proc) return; // replaced or stopped on purpose
    this.proc = undefined;
    if (this.disposed) { this.setState('stopped'); return; }
    if (ranMs > STABLE_MS) { this.attempt = 0; this.saidRestart = false; }
    if (!this.saidRestart) {
      this.saidRestart = true;
      this.opts.log.warn(`helper stopped unexpectedly (${reason}); restarting it`);
    }
    this.scheduleRestart(reason);
  }

  private scheduleRestart(reason: string): void {
    const delay = Math.min(this.opts.maxRestartDelayMs ?? 30_000, (this.opts.restartDelayMs ?? 500) * 2 ** this.attempt);
    this.attempt++;
    this.setState('restarting');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.disposed) return;
      this.start().then(
        () => this.restartEmitter.fire({ reason, attempt: this.attempt }),
        (e) => {
          this.opts.log.error(`helper restart failed: ${errorText(e)}`);
          if (!this.proc && !this.disposed) this.scheduleRestart(errorText(e));
        },
      );
    }, delay);
  }

  private async stopProcess(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc) return;
    this.setState('stopped');
    if (proc.running) {
      await Promise.race([sendRequest(proc.connection, HELPER_REQUESTS.shutdown, undefined).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    }
    await proc.stop();
  }
}

/** Only the key fields of a record travel in lookup/kill/watch requests. */
export function keyOf(k: SocketKey): SocketKey {
  return {
    netid: k.netid, family: k.family, localAddress: k.localAddress, localPort: k.localPort,
    peerAddress: k.peerAddress, peerPort: k.peerPort, iface: k.iface ?? null, inode: k.inode, cookie: k.cookie,
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
