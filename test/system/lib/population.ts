// A population builder for system tests: describe sockets, then start one long-running Python
// process inside the namespace that opens them all, reports what it made as one JSON line, and
// keeps every socket open until stop(). Reusable by any system test that compares with `ss`.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createNetns, type Netns } from './netns';

export interface PopulationInfo {
  /** The Python process holding the sockets (its pid as seen from the root namespace). */
  pid: number;
  /** Anything the items recorded (ports picked by the kernel, paths ...). */
  [key: string]: unknown;
}

export interface RunningPopulation {
  info: PopulationInfo;
  child: ChildProcess;
  /** Closes the sockets (ends the process) and waits for it to exit. */
  stop(): Promise<void>;
}

const PRELUDE = String.raw`
import socket, os, sys, json, time, errno
keep = []
info = {'pid': os.getpid()}
SO_MARK = 36
SO_BINDTODEVICE = 25
def fam(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET
def listener(host, port, backlog=16, v6only=None, mark=None, device=None):
    s = socket.socket(fam(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if mark is not None:
        s.setsockopt(socket.SOL_SOCKET, SO_MARK, mark)
    if device is not None:
        s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, device.encode())
    s.bind((host, port))
    s.listen(backlog)
    keep.append(s)
    return s
def connection(lsock, host, port, unread=0):
    c = socket.socket(fam(host), socket.SOCK_STREAM)
    c.connect((host, port))
    a, _ = lsock.accept()
    keep.extend([c, a])
    if unread:
        c.sendall(b'x' * unread)
    return c, a
`;

const EPILOGUE = String.raw`
time.sleep(0.3)
print(json.dumps(info), flush=True)
sys.stdin.read()
`;

export class PopulationBuilder {
  private lines: string[] = [];
  private setup: string[][] = [];
  /** Filesystem paths of unix sockets, removed by stop(). */
  private paths: string[] = [];

  /** Raw Python, for anything the helpers below do not cover. `keep`, `info`, `listener`, `connection` are in scope. */
  python(code: string): this {
    this.lines.push(code);
    return this;
  }

  /** `ip` commands run (with -n NS) before the process starts. */
  ip(...args: string[]): this {
    this.setup.push(args);
    return this;
  }

  /** Extra addresses on lo: each is "addr/prefix". */
  loAddresses(...cidrs: string[]): this {
    for (const c of cidrs) this.ip('addr', 'add', c, 'dev', 'lo');
    return this;
  }

  /**
   * A veth pair `dev`/`dev`p with `cidr` on `dev` and the peer up without any address, plus a
   * permanent neighbour entry for `silentPeer` with a MAC nobody has: SYNs to it leave through the
   * veth and are dropped by the peer (not its MAC), no ARP failure ever aborts them, so a connect
   * there stays SYN-SENT for the whole SYN retry period (minutes).
   */
  silentVeth(dev: string, cidr: string, silentPeer: string): this {
    this.ip('link', 'add', dev, 'type', 'veth', 'peer', 'name', `${dev}p`);
    this.ip('addr', 'add', cidr, 'dev', dev);
    this.ip('link', 'set', dev, 'up');
    this.ip('link', 'set', `${dev}p`, 'up');
    this.ip('neigh', 'replace', silentPeer, 'lladdr', '02:00:5e:00:53:99', 'dev', dev, 'nud', 'permanent');
    return this;
  }

  tcpListener(host: string, port: number, opts: { v6only?: boolean; mark?: number; device?: string; key?: string } = {}): this {
    const v6 = opts.v6only === undefined ? 'None' : opts.v6only ? 'True' : 'False';
    const key = opts.key ?? `l_${host}_${port}`;
    this.lines.push(`L[${JSON.stringify(key)}] = listener(${JSON.stringify(host)}, ${port}, v6only=${v6}, mark=${opts.mark ?? 'None'}, device=${opts.device ? JSON.stringify(opts.device) : 'None'})`);
    return this;
  }

  /** An established connection to a listener added before (same host/port); `unread` bytes wait in the server's receive queue. */
  tcpConnection(host: string, port: number, opts: { unread?: number; key?: string } = {}): this {
    const key = opts.key ?? `l_${host}_${port}`;
    this.lines.push(`c, a = connection(L[${JSON.stringify(key)}], ${JSON.stringify(host)}, ${port}, unread=${opts.unread ?? 0})`);
    this.lines.push(`info.setdefault('connections', []).append({'host': ${JSON.stringify(host)}, 'port': ${port}, 'clientPort': c.getsockname()[1]})`);
    return this;
  }

  /** The client side ends in TIME-WAIT (client closes first, then the server). */
  tcpTimeWait(host: string, port: number, key?: string): this {
    const k = key ?? `l_${host}_${port}`;
    this.lines.push(`c, a = connection(L[${JSON.stringify(k)}], ${JSON.stringify(host)}, ${port})\nkeep.remove(c); keep.remove(a)\nc.close(); time.sleep(0.05); a.close()`);
    return this;
  }

  /** Client shuts down its sending side: the server sits in CLOSE-WAIT, the client in FIN-WAIT-2. */
  tcpHalfClosed(host: string, port: number, key?: string): this {
    const k = key ?? `l_${host}_${port}`;
    this.lines.push(`c, a = connection(L[${JSON.stringify(k)}], ${JSON.stringify(host)}, ${port})\nc.shutdown(socket.SHUT_WR)`);
    return this;
  }

  /** A non-blocking connect toward an address that never answers (see silentVeth). */
  tcpSynSent(host: string, port: number): this {
    this.lines.push(`s = socket.socket(fam(${JSON.stringify(host)}), socket.SOCK_STREAM)\ns.setblocking(False)\ntry:\n    s.connect((${JSON.stringify(host)}, ${port}))\nexcept BlockingIOError:\n    pass\nkeep.append(s)`);
    return this;
  }

  udpBound(host: string, port: number): this {
    this.lines.push(`u = socket.socket(fam(${JSON.stringify(host)}), socket.SOCK_DGRAM)\nu.bind((${JSON.stringify(host)}, ${port}))\nkeep.append(u)`);
    return this;
  }

  /** A UDP socket connected to host:port (state ESTAB in ss). */
  udpConnected(host: string, port: number): this {
    this.lines.push(`u = socket.socket(fam(${JSON.stringify(host)}), socket.SOCK_DGRAM)\nu.connect((${JSON.stringify(host)}, ${port}))\nkeep.append(u)`);
    return this;
  }

  /** A raw socket (IPPROTO_ICMP by default), optionally bound to an address. */
  raw(host = '0.0.0.0', protocol = 1): this {
    this.lines.push(`r = socket.socket(fam(${JSON.stringify(host)}), socket.SOCK_RAW, ${protocol})\nr.bind((${JSON.stringify(host)}, 0))\nkeep.append(r)`);
    return this;
  }

  /** A packet socket (raw or dgram) for an ethertype, optionally bound to an interface. */
  packet(type: 'raw' | 'dgram', ethertype: number, iface?: string): this {
    const t = type === 'raw' ? 'SOCK_RAW' : 'SOCK_DGRAM';
    this.lines.push(`p = socket.socket(socket.AF_PACKET, socket.${t}, socket.htons(${ethertype}))${iface ? `\np.bind((${JSON.stringify(iface)}, ${ethertype}))` : ''}\nkeep.append(p)`);
    return this;
  }

  /** A unix stream listener at `path` (or "@name" abstract) with one accepted connection. */
  unixStream(path: string): this {
    if (!path.startsWith('@')) this.paths.push(path);
    const addr = path.startsWith('@') ? `'\\0' + ${JSON.stringify(path.slice(1))}` : JSON.stringify(path);
    this.lines.push(`if not ${JSON.stringify(path)}.startswith('@'):\n    try: os.unlink(${JSON.stringify(path)})\n    except FileNotFoundError: pass\nus = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\nus.bind(${addr})\nus.listen(4)\nuc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\nuc.connect(${addr})\nua, _ = us.accept()\nkeep.extend([us, uc, ua])`);
    return this;
  }

  unixDgram(path: string): this {
    if (!path.startsWith('@')) this.paths.push(path);
    const addr = path.startsWith('@') ? `'\\0' + ${JSON.stringify(path.slice(1))}` : JSON.stringify(path);
    this.lines.push(`if not ${JSON.stringify(path)}.startswith('@'):\n    try: os.unlink(${JSON.stringify(path)})\n    except FileNotFoundError: pass\nud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\nud.bind(${addr})\nkeep.append(ud)`);
    return this;
  }

  unixSocketPair(type: 'stream' | 'dgram' | 'seqpacket' = 'stream'): this {
    const t = type === 'stream' ? 'SOCK_STREAM' : type === 'dgram' ? 'SOCK_DGRAM' : 'SOCK_SEQPACKET';
    this.lines.push(`keep.extend(socket.socketpair(socket.AF_UNIX, socket.${t}))`);
    return this;
  }

  /** The Python source this builder produces. */
  script(): string {
    return `${PRELUDE}\nL = {}\n${this.lines.join('\n')}\n${EPILOGUE}`;
  }

  /** Runs the setup commands and starts the process in `ns`; resolves once every socket exists. */
  async start(ns: Netns, timeoutMs = 15000): Promise<RunningPopulation> {
    for (const args of this.setup) ns.ip(...args);
    const child = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-u', '-c', this.script()], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const paths = [...this.paths];
    const removePaths = (): void => { for (const p of paths) rmSync(p, { force: true }); };
    const stop = (): Promise<void> => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin!.end();
      setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 3000).unref();
    }).then(removePaths);
    const info = await new Promise<PopulationInfo>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`population did not start in ${timeoutMs} ms: ${stderr}`)); }, timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          try { resolve(JSON.parse(out.slice(0, nl)) as PopulationInfo); } catch (e) { reject(e as Error); }
        }
      });
      child.once('exit', (code) => { clearTimeout(timer); removePaths(); reject(new Error(`population exited (${code}): ${stderr}`)); });
    });
    return { info, child, stop };
  }
}

/**
 * The varied population of the CLI system tests: listeners and connections on IPv4 and IPv6 and on
 * several addresses of lo, TIME-WAIT, CLOSE-WAIT, FIN-WAIT-2, SYN-SENT toward a silent veth, UDP bound
 * and connected, unix stream/dgram/abstract, a socket with SO_MARK and one bound to a device.
 */
export function standardPopulation(tag: string): PopulationBuilder {
  return new PopulationBuilder()
    .loAddresses('10.77.0.1/32', '10.77.0.2/32', 'fd77::1/128')
    .silentVeth('ssv0', '10.78.0.1/24', '10.78.0.2')
    .tcpListener('127.0.0.1', 7001)
    .tcpListener('10.77.0.1', 7002)
    .tcpListener('10.77.0.2', 7003)
    .tcpListener('::1', 7004)
    .tcpListener('::', 7005, { v6only: false })
    .tcpListener('fd77::1', 7006, { v6only: true })
    .tcpListener('0.0.0.0', 7007, { mark: 0x2a })
    .tcpListener('0.0.0.0', 7008, { device: 'ssv0' })
    .tcpConnection('127.0.0.1', 7001)
    .tcpConnection('10.77.0.1', 7002, { unread: 100 })
    .tcpConnection('::1', 7004)
    .tcpConnection('fd77::1', 7006)
    .tcpConnection('::ffff:10.77.0.2', 7005, { key: 'l_::_7005' })
    .tcpTimeWait('10.77.0.2', 7003)
    .tcpHalfClosed('127.0.0.1', 7001)
    .tcpSynSent('10.78.0.2', 7009)
    .udpBound('10.77.0.1', 7010)
    .udpBound('::1', 7011)
    .udpConnected('10.77.0.1', 7010)
    .raw('10.77.0.1')
    .packet('raw', 0x88b5)
    .packet('dgram', 0x88b5, 'lo')
    .unixStream(`/tmp/sockscope-${tag}.sock`)
    .unixDgram(`/tmp/sockscope-${tag}.dgram`)
    .unixStream(`@sockscope-${tag}-abstract`)
    .unixSocketPair('dgram')
    .unixSocketPair('seqpacket');
}

/** A fresh namespace holding a started population; stop() ends the sockets, then removes the namespace. */
export interface PopulatedNetns {
  ns: Netns;
  pop: RunningPopulation;
  stop(): Promise<void>;
}

/** Creates a namespace for `area` and starts `builder` in it; a failed start removes the namespace at once. */
export async function startInNewNetns(area: string, builder: PopulationBuilder): Promise<PopulatedNetns> {
  const ns = createNetns(area);
  try {
    const pop = await builder.start(ns);
    return { ns, pop, stop: async () => { try { await pop.stop(); } finally { ns.remove(); } } };
  } catch (e) {
    ns.remove();
    throw e;
  }
}
