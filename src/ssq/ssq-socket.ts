// The minimal view of a socket the evaluator needs. The helper adapts its records to this.

export type SsqSocketFamily = 'inet' | 'inet6' | 'unix' | 'packet' | 'netlink' | 'vsock';

export interface SsqSocket {
  family: SsqSocketFamily;
  /** ss's netid (`tcp`, `u_str`, ...); informational. */
  netid?: string;
  /** Kernel TCP state number (1 = ESTABLISHED, 7 = CLOSE, 10 = LISTEN ...). */
  state: number;
  /**
   * inet/inet6: address as 4/16 bytes (network order) or text ("10.0.0.1", "::ffff:10.0.0.1", "fe80::1").
   * unix: the path ("@name" for abstract), null when unnamed. packet: unused. netlink: unused. vsock: CID as number text or bytes.
   */
  localAddr: Uint8Array | string | null;
  peerAddr: Uint8Array | string | null;
  /** inet: port. packet: interface index. netlink: port id (negative = autobound). vsock: port. */
  localPort: number;
  peerPort: number;
  /** packet: ethernet protocol (host order). netlink: netlink protocol number. */
  protocol?: number;
  /** vsock: local / peer CIDs. */
  localCid?: number;
  peerCid?: number;
  /** Bound/scope interface index, 0 when none. */
  ifindex?: number;
  mark?: number;
  cgroupId?: bigint;
  /** inet: the kernel says the port was bound explicitly (SOCK_BINDPORT_LOCK); then it is not `autobound`. */
  bindPortLocked?: boolean;
  /** unix: the peer's path when known (what `dst` globs against). */
  peerPath?: string | null;
}

/** Context of an evaluation: things ss reads from the system. */
export interface EvalContext {
  /**
   * net.ipv4.ip_local_port_range of the namespace being filtered, for `autobound` on inet sockets
   * (a function is called only when the expression has `autobound`). Default [32768, 60999].
   */
  ephemeralPorts?: [number, number] | (() => [number, number] | undefined);
  /**
   * Evaluate as ss's run_ssfilter alone, without the kernel's bytecode before it: what ss applies to
   * the sockets of a TCPDIAG_FILE capture. Inet prefixes then compare address bits without the
   * kernel's family check (`src [::]` matches 0.0.0.0).
   */
  userspaceOnly?: boolean;
}
