// Number formatting as ss prints it (C printf's %g, ss's sprint_bw and print_ms_timer).

/** C printf "%g": 6 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e6. */
export function fmtG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 999999.5) {
    // toPrecision(6) is positional in this range; %g then drops trailing zeros.
    const t = x.toPrecision(6);
    if (t.indexOf('e') < 0) {
      if (t.indexOf('.') < 0) return t;
      let end = t.length;
      while (t.charCodeAt(end - 1) === 48) end--;
      if (t.charCodeAt(end - 1) === 46) end--;
      return t.slice(0, end);
    }
  }
  const [m, e] = x.toExponential(5).split('e');
  const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  const n = Number(e);
  return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** "%g" of n / 1000 for an integer n (ss's microseconds -> milliseconds), without toPrecision. */
export function fmtMilli(n: number): string {
  if (n < 0 || n >= 1e6 || !Number.isInteger(n)) return fmtG(n / 1000);
  const int = Math.floor(n / 1000);
  const frac = n - int * 1000;
  if (frac === 0) return String(int);
  let f = frac < 10 ? '00' + frac : frac < 100 ? '0' + frac : String(frac);
  if (f.charCodeAt(2) === 48) f = f.charCodeAt(1) === 48 ? f.slice(0, 1) : f.slice(0, 2);
  return `${int}.${f}`;
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
