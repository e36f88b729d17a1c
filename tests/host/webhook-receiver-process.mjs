// Starts tests/host/webhook-receiver.mjs as a process of its own and talks to its control API.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './helpers.mjs';

/** The receiver: {url, control(settings), received(), stop()} (webhook-receiver.mjs says what they do). */
export async function startReceiver() {
  const child = spawn(process.execPath, [path.join(repoRoot, 'tests/host/webhook-receiver.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /receiver on (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  const call = async (target, body) => {
    const reply = await fetch(url + target, body ? { method: 'POST', body: JSON.stringify(body) } : {});
    return reply.json();
  };
  return {
    url,
    control: (settings) => call('/_control', settings),
    received: () => call('/_received'),
    stop: () => child.kill(),
  };
}

/** Resolves to `check()`'s first truthy value, polling every 50 ms; rejects after `timeoutMs`. */
export async function eventually(check, { timeoutMs = 15000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
