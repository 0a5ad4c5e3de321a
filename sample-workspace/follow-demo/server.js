/* global __filename */
// A small service to try "follow the program being debugged" on (F5 with "Follow demo"): it
// listens on loopback, connects to itself, and forks a worker that opens its own connection.
// Everything stays on 127.0.0.1.
const net = require('node:net');
const { fork } = require('node:child_process');

if (process.argv[2] === 'worker') {
  const port = Number(process.argv[3]);
  const c = net.connect(port, '127.0.0.1', () => console.log(`worker ${process.pid} connected to ${port}`));
  setInterval(() => c.write('ping\n'), 1000);
} else {
  const server = net.createServer((s) => s.on('data', () => undefined).on('error', () => undefined));
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address();
    console.log(`server ${process.pid} listening on 127.0.0.1:${port}`);
    const out = net.connect(port, '127.0.0.1');
    setInterval(() => out.write('tick\n'), 1000);
    fork(__filename, ['worker', String(port)]);
  });
}
