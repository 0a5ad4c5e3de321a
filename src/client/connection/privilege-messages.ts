// What the extension says about privileges, in plain words. Pure (no vscode) so it is unit-tested.

export const TRY_AGAIN = 'Try Again';

/** The notice shown once when the helper runs without root and cannot name some processes. */
export function invisibleProcessesText(n: number): string {
  const who = n === 1 ? '1 process of another user' : `${n} processes of other users`;
  return `Sockscope runs without root, so it cannot see which sockets belong to ${who}. Those sockets are listed under "Unknown process".`;
}

/** HelperProcess reports sudo's "Sorry, try again" as "sudo: wrong password". */
export function isWrongPassword(error: string): boolean {
  return /wrong password|incorrect password|Sorry, try again/i.test(error);
}

export function passwordPrompt(attempt: number): string {
  const base = 'Your sudo password, to run the Sockscope socket helper as root. It is passed to sudo once and not kept.';
  return attempt > 1 ? `Wrong password, try again. ${base}` : base;
}
