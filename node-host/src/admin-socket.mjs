// The running server's administration socket: `npm run admin` reaches a live server through it
// (the data folder belongs to one process, so the CLI cannot open the databases itself then). A
// Unix socket in the data folder, created readable and writable by the server's user only; one
// JSON command per line in, one JSON reply per line out.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { EngineUnavailable } from './engine-client.mjs';

/** The socket of data folder `dataDir`. */
export const adminSocketPath = (dataDir) => path.join(dataDir, 'admin.sock');

/**
 * Listens on `dataDir`'s admin socket and answers each command with `run(command)`, which
 * resolves to {status, body} (body: the API's envelope). Resolves to a close function.
 */
export async function serveAdminSocket(dataDir, run) {
  const socketPath = adminSocketPath(dataDir);
  fs.rmSync(socketPath, { force: true }); // a stale one: the folder's lock is ours
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', async (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let reply;
        try {
          reply = await run(JSON.parse(line));
        } catch (error) {
          // Unavailable is the caller's "retry" (a cluster's catalog owner being chosen), as over HTTP.
          const [status, code] = error instanceof EngineUnavailable ? [503, 'UNAVAILABLE'] : [500, 'INTERNAL'];
          reply = { status, body: JSON.stringify({ success: false, error: { code, message: error.message } }) };
        }
        socket.write(`${JSON.stringify(reply)}\n`);
      }
    });
    socket.on('error', () => {});
  });
  const previous = process.umask(0o177); // the socket file is created 0600
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, resolve);
    });
  } finally {
    process.umask(previous);
  }
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      fs.rmSync(socketPath, { force: true });
    });
}

/** Sends one command to the server listening on `dataDir`'s admin socket; resolves to its reply. */
export function sendAdminCommand(dataDir, command) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(adminSocketPath(dataDir));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(command)}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        socket.end();
        resolve(JSON.parse(buffered.slice(0, newline)));
      }
    });
    socket.on('error', reject);
  });
}
