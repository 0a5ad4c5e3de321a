// `sockscope record [--db FILE] [--interval DURATION] [--duration DURATION] [--max-age DURATION]
// [--max-size SIZE] [OPTIONS] [FILTER]`: the history recorder without VS Code. Every refresh dumps the
// chosen sockets (ss options and filter; default -tua, every state) into the recorder; as root the
// kernel's destroy events report closes with their final tcp_info. The database is written on its own
// thread. SIGTERM / SIGINT / --duration stop it: the batch being written is finished, nothing else lost.
import { SockDiag, subscribeDestroyEvents, type DestroyGroup, type Socket, type SockKind } from '../../netlink/index';
import { compileBytecode, compileMatcher, type SsqSocket } from '../../ssq/index';
import { LiveProcessMap } from '../../host/live-process-map';
import { NameResolver } from '../../host/name-resolver';
import { toSsqSocket } from '../../host/ssq-socket';
import { Recorder, copySocket, type RecordableSocket } from '../../host/history/recorder';
import { ThreadWriter } from '../../host/history/writer-thread';
import { DEFAULT_RETENTION } from '../../host/history/writer';
import { CliError, debug, printNote } from '../errors';
import { describeOpenError, netnsPathOf, parseCommandLine } from '../run';
import { parseDuration, parseSize, takeOptions } from '../duration';
import { defaultHistoryPath, ensureFolder } from '../history-path';

const USAGE = `Usage: sockscope record [--db FILE] [--interval DURATION] [--duration DURATION]
                        [--max-age DURATION] [--max-size SIZE] [ OPTIONS ] [ FILTER ]
  Records socket history into an SQLite file (default ${defaultHistoryPath()}).
  --interval   time between refreshes (default 1s)
  --duration   stop after this long (default: until SIGINT/SIGTERM)
  --max-age    delete history older than this (default 24h)
  --max-size   keep the file's data under this size (default 256MB)
  --no-events  take closes from refreshes only, as without privileges (closedBy "watch")
  OPTIONS and FILTER are ss's; without a kind option -tua is recorded, without a state filter every state.
`;

const RECORDABLE: readonly SockKind[] = ['tcp', 'udp', 'raw', 'mptcp'];

function withDefaults(argv: string[]): string[] {
  const hasKind = argv.some((w) => /^-[A-Za-z0-9]*[tuwxM0]/.test(w) && !w.startsWith('--') || /^--(tcp|udp|raw|unix|mptcp|packet|query|socket)\b/.test(w) || /^-[A-Za-z0-9]*A/.test(w));
  const hasState = argv.some((w) => w === 'state' || w === 'exclude' || /^-[A-Za-z0-9]*[la]/.test(w) && !w.startsWith('--') || w === '--listening' || w === '--all');
  return [...(hasKind ? [] : ['-tu']), ...(hasState ? [] : ['-a']), ...argv];
}

export async function record(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) { process.stdout.write(USAGE); return 0; }
  // Taken from the start: a stop asked for while the file opens is honoured once it is open.
  let stopAsked = false;
  let stopNow: (() => void) | undefined;
  const ask = (): void => { stopAsked = true; stopNow?.(); };
  process.once('SIGINT', ask);
  process.once('SIGTERM', ask);
  const { values, flags, rest } = takeOptions(argv, ['--db', '--interval', '--duration', '--max-age', '--max-size'], ['--no-events']);
  const path = values.get('--db') ?? defaultHistoryPath();
  const intervalMs = values.has('--interval') ? parseDuration(values.get('--interval')!, '--interval') : 1000;
  if (intervalMs < 10) throw new CliError('--interval: at least 10ms');
  const durationMs = values.has('--duration') ? parseDuration(values.get('--duration')!, '--duration') : undefined;
  const retention = {
    maxAgeMs: values.has('--max-age') ? parseDuration(values.get('--max-age')!, '--max-age') : DEFAULT_RETENTION.maxAgeMs,
    maxBytes: values.has('--max-size') ? parseSize(values.get('--max-size')!, '--max-size') : DEFAULT_RETENTION.maxBytes,
  };

  const words = withDefaults(rest);
  const netnsWord = words.findIndex((w) => w === '-N' || w === '--net');
  const earlyNetns = netnsWord >= 0 ? words[netnsWord + 1] : undefined;
  const names = earlyNetns ? new NameResolver({ name: earlyNetns, path: netnsPathOf(earlyNetns) }) : new NameResolver();
  const parsed = parseCommandLine(words, names);
  const o = parsed.options;
  const netnsPath = o.netns ? netnsPathOf(o.netns) : undefined;
  const kinds = RECORDABLE.filter((k) => o.kinds.includes(k as never));
  if (kinds.length === 0) throw new CliError('record keeps tcp, udp, raw and mptcp sockets: choose at least one (-t, -u, -w, -M)');
  const families: (4 | 6)[] = [];
  if (o.families.includes('inet')) families.push(4);
  if (o.families.includes('inet6')) families.push(6);

  let diag: SockDiag;
  try {
    diag = SockDiag.open(netnsPath ? { netnsPath } : {});
  } catch (e) {
    throw describeOpenError(e, o.netns);
  }
  const matcher = parsed.expr ? compileMatcher(parsed.expr, { ephemeralPorts: () => diag.localPortRange() }) : null;
  let bytecode: Uint8Array | undefined;
  if (parsed.expr) { try { bytecode = compileBytecode(parsed.expr) ?? undefined; } catch (e) { debug(`no kernel bytecode: ${(e as Error).message}`); } }
  const wanted = (s: Socket): boolean => !matcher || matcher(toSsqSocket(s) as SsqSocket);

  // Closes from the kernel where it lets this process join the destroy groups (CAP_NET_ADMIN).
  const groups: DestroyGroup[] = [];
  if (kinds.includes('tcp')) groups.push('tcp4', 'tcp6');
  if (kinds.includes('udp')) groups.push('udp4', 'udp6');
  let events: { close(): void } | undefined;
  // Set once the writer is ready; events before that wait in `pending`.
  const live: { recorder?: Recorder } = {};
  const pending: RecordableSocket[] = [];
  if (groups.length > 0 && !flags.has('--no-events')) {
    try {
      events = subscribeDestroyEvents({ ...(netnsPath ? { netnsPath } : {}), groups, onError: (e) => { printNote(`destroy events stopped (${e.message}); closes now come from refreshes`); events = undefined; } }, (s) => {
        if (!wanted(s)) return;
        if (live.recorder) live.recorder.destroyed(s);
        else pending.push(copySocket(s));
      });
    } catch (e) {
      printNote(`no destroy events (${(e as Error).message}): closes are seen at refreshes (closedBy "watch"), connections shorter than --interval can be missed`);
    }
  }

  ensureFolder(path);
  let writer: ThreadWriter;
  try {
    writer = await ThreadWriter.start(path, { retention, netns: o.netns }, { onError: (m) => printNote(m) });
  } catch (e) {
    events?.close();
    diag.close();
    throw new CliError((e as Error).message, 1);
  }
  debug(`history writer ready (${writer.nextId - 1} sockets recorded before)`);
  const procs = new LiveProcessMap();
  // Inodes no known process held at this refresh: searched for (on a CPU budget) for the next one.
  let unowned: number[] = [];
  procs.update();
  const rec = new Recorder(writer, {
    netns: o.netns,
    kernelEvents: events !== undefined,
    owner: (inode) => {
      const p = procs.map.byInode.get(inode)?.[0];
      if (!p) unowned.push(inode);
      return p ? { pid: p.pid, name: p.name } : undefined;
    },
  });
  live.recorder = rec;
  for (const s of pending) rec.destroyed(s);

  const ext = { info: events === undefined, cong: false, mem: false, shutdown: false, mark: false, cgroup: !!parsed.expr, tos: false };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const started = Date.now();
    try {
      procs.update();
      rec.beginTick(started);
      for (const kind of kinds) {
        diag.dump({ kinds: [kind], states: o.states, ext, ...(families.length ? { families } : {}), ...(bytecode ? { bytecode } : {}) }, (s) => {
          if (wanted(s)) rec.see(s);
        });
      }
      rec.endTick();
      debug(`refresh in ${Date.now() - started} ms`);
      if (unowned.length) { procs.resolve(unowned); unowned = []; }
    } catch (e) {
      printNote(`refresh failed: ${(e as Error).message}`);
    }
    timer = setTimeout(tick, Math.max(0, intervalMs - (Date.now() - started)));
  };

  return new Promise<number>((resolve) => {
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      events?.close();
      void rec.stop().then(() => { diag.close(); resolve(0); });
    };
    stopNow = stop;
    if (durationMs !== undefined) setTimeout(stop, durationMs);
    if (stopAsked) { stop(); return; }
    tick();
  });
}
