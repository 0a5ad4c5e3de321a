// The kernel's socket structs described once: tcp_info, mptcp_info, the SK_MEMINFO counters and the socket states, with
// each field's layout, kernel version, ss label, unit and meaning. Pure data (the bottom layer):
// every other folder may import it, it imports nothing.
export * from './units';
export * from './tcp-info-fields';
export * from './mptcp-info-fields';
export * from './meminfo-fields';
export * from './payload-bytes';
export * from './socket-states';
