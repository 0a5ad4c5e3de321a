// Socket records for the tree model tests.
import type { SocketRecord } from '../../../src/protocol/socket-record';

let next = 1;
export function sock(over: Partial<SocketRecord>): SocketRecord {
  const cookie = over.cookie ?? (next++).toString(16);
  return {
    netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ: 0, sendQ: 0,
    localAddress: '127.0.0.1', localPort: 40000, peerAddress: '127.0.0.1', peerPort: 5432,
    iface: null, inode: 1, uid: 0, cookie,
    ...over,
  };
}
