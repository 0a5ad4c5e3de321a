// A socket cookie (inet_diag_sockid.idiag_cookie) is two 32-bit words, low word first; the engine
// reads it as one 64-bit bigint. These give the words back (unsigned).
export function cookieLo(cookie: bigint): number {
  return Number(cookie & 0xffffffffn);
}

export function cookieHi(cookie: bigint): number {
  return Number((cookie >> 32n) & 0xffffffffn);
}
