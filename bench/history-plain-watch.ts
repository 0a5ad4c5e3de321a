// The plain watch the recorder's cost is measured against: the same refresh as `sockscope record`
// (a dump of every TCP and UDP socket in every state, and the live process map) every second, with
// nothing recorded. Runs until killed. argv: netns path.
import { SockDiag } from '../src/netlink/index';
import { LiveProcessMap } from '../src/host/live-process-map';

const diag = SockDiag.open({ netnsPath: process.argv[2] });
const procs = new LiveProcessMap();
/** Read each socket's state, as a refresh would. */
let seen = 0;
const tick = (): void => {
  procs.update();
  for (const kind of ['udp', 'tcp'] as const) diag.dump({ kinds: [kind], states: 0xfff, ext: { info: false, cong: false, mem: false, shutdown: false, mark: false, cgroup: false, tos: false } }, (s) => { seen += s.state; });
};
setInterval(tick, 1000);
process.on('SIGTERM', () => { process.stdout.write(`${seen}\n`); process.exit(0); });
tick();
