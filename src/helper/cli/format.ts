// Number formatting as ss prints it (C printf's %g, ss's sprint_bw and print_ms_timer).

/** C printf "%g": 6 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e6. */
export function fmtG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let p = Number(x.toPrecision(6));
  // Rounding may carry into the next decade (999999.5 -> 1e6).
  const e2 = p === 0 ? exp : Math.floor(Math.log10(Math.abs(p)));
  if (e2 < -4 || e2 >= 6) {
    const [m, e] = p.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  p = Number(x.toPrecision(6));
  return String(p);
}

/** C printf "%.3g". */
function fmtG3(x: number): string {
  const p = Number(x.toPrecision(3));
  const e = p === 0 ? 0 : Math.floor(Math.log10(Math.abs(p)));
  if (e < -4 || e >= 3) {
    const [m, ex] = p.toExponential(2).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(ex);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(p);
}

/** ss's sprint_bw: bits per second, numeric with -n, else with k/M/G/T suffixes. */
export function fmtBw(bw: number, numeric: boolean): string {
  if (numeric) return bw.toFixed(0);
  if (bw >= 1e12) return fmtG3(bw / 1e12) + 'T';
  if (bw >= 1e9) return fmtG3(bw / 1e9) + 'G';
  if (bw >= 1e6) return fmtG3(bw / 1e6) + 'M';
  if (bw >= 1e3) return fmtG3(bw / 1e3) + 'k';
  return fmtG(bw);
}

/** ss's print_ms_timer: "1min23sec", "4.500ms"-style durations. */
export function fmtMsTimer(timeout: number): string {
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let out = '';
  if (minutes) {
    msecs = 0;
    out = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    out += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) out += `${String(msecs).padStart(3, '0')}ms`;
  return out;
}
