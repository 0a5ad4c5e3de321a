// 100,000 TCP sockets in a network namespace for the benchmark: several Python processes (the hard
// fd limit here is 20,000 per process), each holding its own listener and N loopback connections
// (client and server ends both count: 2 sockets per connection).
import { spawn, type ChildProcess } from 'node:child_process';
import { createNetns, type Netns } from '../test/system/lib/netns';

const HOLDER = String.raw`
import socket, sys, resource
port, count = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = min(hard, 2 * count + 64)
resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', port))
l.listen(4096)
keep = [l]
for i in range(count):
    c = socket.socket()
    c.connect(('127.0.0.1', port))
    a, _ = l.accept()
    keep.append(c); keep.append(a)
print('ready', flush=True)
sys.stdin.read()
`;

export interface BenchPopulation {
  ns: Netns;
  sockets: number;
  holders: ChildProcess[];
  stop(): Promise<void>;
}

export async function startBenchPopulation(totalSockets = 100_000, processes = 10): Promise<BenchPopulation> {
  const ns = createNetns('bench');
  const holders: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(holders.map((h) => new Promise<void>((resolve) => {
      if (h.exitCode !== null || h.signalCode !== null) return resolve();
      h.once('exit', () => resolve());
      h.stdin?.end();
      setTimeout(() => h.kill('SIGKILL'), 5000).unref();
    })));
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    ns.remove();
  };
  // A bench stopped by Ctrl-C or a timeout leaves no namespace or socket holder behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const h of holders) h.kill('SIGKILL');
    try { ns.remove(); } finally { process.exit(signal === 'SIGINT' ? 130 : 143); }
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    ns.exec('sysctl', ['-q', '-w', 'net.ipv4.ip_local_port_range=1024 65000']);
    const perProcess = Math.ceil(totalSockets / 2 / processes);
    const ready = [];
    for (let i = 0; i < processes; i++) {
      const h = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-u', '-c', HOLDER, String(900 + i), String(perProcess)], { stdio: ['pipe', 'pipe', 'inherit'] });
      holders.push(h);
      ready.push(new Promise<void>((resolve, reject) => {
        h.stdout!.once('data', () => resolve());
        h.once('exit', (code) => reject(new Error(`socket holder ${i} exited with ${code}`)));
      }));
    }
    await Promise.all(ready);
    return { ns, sockets: perProcess * 2 * processes, holders, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
