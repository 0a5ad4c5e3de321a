/* global fetch, WebSocket */
// The inspector of a running Node process for the bench's tools (inspect-memory.mjs, inspect-profile.mjs):
// SIGUSR1 opens it on 127.0.0.1:9229 of the caller's network namespace; `send` is one request, answered.
export async function connectInspector(pid) {
  process.kill(pid, 'SIGUSR1');
  let list;
  for (let i = 0; i < 50 && !list; i++) {
    await new Promise((r) => setTimeout(r, 100));
    list = await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json(), () => undefined);
  }
  if (!list?.length) return undefined;
  const ws = new WebSocket(list[0].webSocketDebuggerUrl);
  await new Promise((r, j) => { ws.addEventListener('open', r); ws.addEventListener('error', j); });
  let id = 0;
  const pending = new Map();
  ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); pending.get(m.id)?.(m); pending.delete(m.id); });
  const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
  return { send, close: () => ws.close() };
}
