// Adapts the engine's Socket to the evaluator's SsqSocket view (no copies of address bytes).
import type { Socket } from '../netlink/index';
import type { SsqSocket } from '../ssq/index';
import { familyOf } from './record';

export function toSsqSocket(s: Socket): SsqSocket {
  const family = familyOf(s);
  const inet = family === 'inet' || family === 'inet6';
  return {
    family,
    netid: s.netid,
    state: s.state,
    localAddr: inet ? s.localAddressBytes : family === 'unix' ? s.unixName : null,
    peerAddr: inet ? s.peerAddressBytes : null,
    localPort: family === 'packet' ? s.ifindex : family === 'netlink' ? s.localPort | 0 : s.localPort,
    peerPort: s.peerPort,
    protocol: s.protocol,
    ifindex: s.ifindex,
    mark: s.mark,
    cgroupId: s.cgroupId,
    peerPath: null,
  };
}
