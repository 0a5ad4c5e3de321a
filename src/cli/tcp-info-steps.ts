// ss's tcp_info text as a program of steps in ss's order (tcp_show_info in iproute2 6.1's ss.c):
// which field, which label, how it is formatted and when ss leaves it out. The fields' offsets,
// sizes and labels come from src/fields. Two writers run this one program: tcp-info-text.ts in
// JavaScript, and the WebAssembly row writer (wasm/inet-rows.ts), to which esbuild.js hands it as
// generated constants (tools/wasm-constants.js). Pure data: no Node, no engine.
import { TCPI, flagBit, ssPrefix, type TcpInfoFieldName } from '../fields/index';

/** What a step writes. */
export const enum Op {
  /** With -o: a word per option bit set (ts, sack, ecn, ecnseen, fastopen). */
  Options = 1,
  /** The congestion control name (INET_DIAG_CONG). */
  Cong,
  /** ` wscale:snd,rcv` when window scaling was negotiated. */
  Wscale,
  /** ` label:N`, an unsigned integer of the field's size. */
  Num,
  /** ` label:M`, microseconds as milliseconds ("%g" of N / 1000). */
  Milli,
  /** ` rtt:rtt/rttvar`. */
  RttPair,
  /** tcp_dctcp_info: ` dctcp:(...)` or ` dctcp:fallback_mode`. */
  Dctcp,
  /** tcp_bbr_info: ` bbr:(bw:...,mrtt:...,pacing_gain:...,cwnd_gain:...)`. */
  Bbr,
  /** ss's estimate ` send Nbps` (cwnd * mss * 8 / rtt, with vegas's rtt when it has one). */
  Send,
  /** ` pacing_rate Nbps/Mbps` (the max after a slash when it is set). */
  PacingPair,
  /** ` label Nbps`, a rate in bytes per second shown in bits. */
  Rate,
  /** ` label` when the field's lowest bit is set. */
  Flag,
  /** ` busy:Nms rwnd_limited:Nms(P%) sndbuf_limited:Nms(P%)`. */
  Busy,
  /** ` retrans:retrans/total_retrans`. */
  RetransPair,
}

export interface TcpInfoStep {
  readonly op: Op;
  readonly field?: TcpInfoFieldName;
  /** Values ss does not print (default: 0). */
  readonly hide?: readonly number[];
  /** ss prints the value only below this. */
  readonly below?: number;
  /** ss does not print it for a listener (sacked is the accept backlog there). */
  readonly notListening?: boolean;
}

const S = (op: Op, field?: TcpInfoFieldName, more: Omit<TcpInfoStep, 'op' | 'field'> = {}): TcpInfoStep => ({ op, field, ...more });

/** The steps in ss's order. */
export const TCP_INFO_STEPS: readonly TcpInfoStep[] = [
  S(Op.Options, 'options'),
  S(Op.Cong),
  S(Op.Wscale, 'snd_wscale'),
  // 3 s is TCP_TIMEOUT_INIT, which ss leaves out.
  S(Op.Milli, 'rto', { hide: [0, 3000000] }),
  S(Op.Num, 'backoff'),
  S(Op.RttPair, 'rtt'),
  S(Op.Milli, 'ato'),
  S(Op.Num, 'snd_mss'),
  S(Op.Num, 'pmtu'),
  S(Op.Num, 'rcv_mss'),
  S(Op.Num, 'advmss'),
  S(Op.Num, 'snd_cwnd'),
  // ss's own cut-off (TCP_INFINITE_SSTHRESH and anything near it).
  S(Op.Num, 'snd_ssthresh', { below: 0xffff }),
  S(Op.Num, 'bytes_sent'),
  S(Op.Num, 'bytes_retrans'),
  S(Op.Num, 'bytes_acked'),
  S(Op.Num, 'bytes_received'),
  S(Op.Num, 'segs_out'),
  S(Op.Num, 'segs_in'),
  S(Op.Num, 'data_segs_out'),
  S(Op.Num, 'data_segs_in'),
  S(Op.Dctcp),
  S(Op.Bbr),
  S(Op.Send),
  S(Op.Num, 'last_data_sent'),
  S(Op.Num, 'last_data_recv'),
  S(Op.Num, 'last_ack_recv'),
  S(Op.PacingPair, 'pacing_rate'),
  S(Op.Rate, 'delivery_rate'),
  S(Op.Num, 'delivered'),
  S(Op.Num, 'delivered_ce'),
  S(Op.Flag, 'delivery_rate_app_limited'),
  S(Op.Busy, 'busy_time'),
  S(Op.Num, 'unacked'),
  S(Op.RetransPair, 'retrans'),
  S(Op.Num, 'lost'),
  S(Op.Num, 'sacked', { notListening: true }),
  S(Op.Num, 'dsack_dups'),
  S(Op.Num, 'fackets'),
  // The kernel's default (sysctl tcp_reordering), which ss leaves out; 0 it prints.
  S(Op.Num, 'reordering', { hide: [3] }),
  S(Op.Num, 'reord_seen'),
  S(Op.Milli, 'rcv_rtt'),
  S(Op.Num, 'rcv_space'),
  S(Op.Num, 'rcv_ssthresh'),
  S(Op.Num, 'notsent_bytes'),
  S(Op.Milli, 'min_rtt', { hide: [0, TCPI.min_rtt.none!] }),
  S(Op.Num, 'rcv_ooopack'),
  S(Op.Num, 'snd_wnd'),
];

/**
 * The program as flat arrays, one entry per step (the shape both writers loop over): op, the
 * field's offset and size, the label's index in `labels`, the two hidden values, the bound, and
 * whether a listener leaves it out. Pairs read their second field at `off2`.
 */
export interface TcpInfoProgram {
  readonly op: Uint8Array;
  readonly off: Int32Array;
  readonly size: Uint8Array;
  readonly off2: Int32Array;
  readonly label: Int32Array;
  readonly hideA: Float64Array;
  readonly hideB: Float64Array;
  readonly below: Float64Array;
  readonly notListening: Uint8Array;
  /** The texts ss writes: labels first, then the words of the options (see optionBits). */
  readonly labels: readonly string[];
  /** Options: bit and label index of each word ss prints with -o. */
  readonly optionBits: ReadonlyArray<readonly [bit: number, label: number]>;
  /** The window scaling option bit. */
  readonly wscaleBit: number;
  /** The bit shift of rcv_wscale in its byte (snd_wscale is the low bits). */
  readonly rcvWscaleShift: number;
}

/** The second field of each pair step. */
const SECOND: Partial<Record<Op, TcpInfoFieldName>> = {
  [Op.RttPair]: 'rttvar', [Op.PacingPair]: 'max_pacing_rate', [Op.RetransPair]: 'total_retrans', [Op.Busy]: 'rwnd_limited',
};

function compile(): TcpInfoProgram {
  const n = TCP_INFO_STEPS.length;
  const labels: string[] = [];
  const text = (t: string): number => { const k = labels.indexOf(t); return k >= 0 ? k : labels.push(t) - 1; };
  const p = {
    op: new Uint8Array(n), off: new Int32Array(n), size: new Uint8Array(n), off2: new Int32Array(n), label: new Int32Array(n).fill(-1),
    hideA: new Float64Array(n), hideB: new Float64Array(n), below: new Float64Array(n).fill(Infinity), notListening: new Uint8Array(n),
  };
  TCP_INFO_STEPS.forEach((s, k) => {
    p.op[k] = s.op;
    const f = s.field ? TCPI[s.field] : undefined;
    if (f) { p.off[k] = f.offset; p.size[k] = f.size; }
    if (f?.ss !== undefined) p.label[k] = text(s.op === Op.Flag ? ` ${f.ss}` : ssPrefix(f));
    const second = SECOND[s.op];
    if (second) p.off2[k] = TCPI[second].offset;
    const hide = s.hide ?? [0];
    p.hideA[k] = hide[0];
    p.hideB[k] = hide[hide.length - 1];
    if (s.below !== undefined) p.below[k] = s.below;
    p.notListening[k] = s.notListening ? 1 : 0;
  });
  const wscaleBit = flagBit(TCPI.options, 'wscale');
  const optionBits = Object.entries(TCPI.options.flags!)
    .filter(([bit]) => Number(bit) !== wscaleBit)
    .map(([bit, name]) => [Number(bit), text(` ${name}`)] as const);
  return { ...p, labels, optionBits, wscaleBit, rcvWscaleShift: TCPI.rcv_wscale.bits![0] };
}

export const TCP_INFO_PROGRAM: TcpInfoProgram = compile();

/** The second labels of the busy step (after ` busy:`). */
export const BUSY_LABELS = [ssPrefix(TCPI.rwnd_limited), ssPrefix(TCPI.sndbuf_limited)] as const;
/** Where sndbuf_limited is (the busy step's third field). */
export const SNDBUF_LIMITED_OFFSET = TCPI.sndbuf_limited.offset;
