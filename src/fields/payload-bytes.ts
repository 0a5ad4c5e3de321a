// Payload bytes sent, from tcp_info's counters: tcpi_bytes_sent less tcpi_bytes_retrans (Linux >= 4.19);
// older kernels only have tcpi_bytes_acked, which also counts the SYN and FIN (one each) as sequence
// space. Null when the struct has neither. The recorder (from decoded tcp_info) and the helper's
// socket store (from the raw struct) both count them so.
export function bytesSentFrom(sent: number | null | undefined, retrans: number | null | undefined, acked: number | null | undefined): number | null {
  if (sent !== undefined && sent !== null) return sent - (retrans ?? 0);
  return acked === undefined || acked === null ? null : acked;
}
