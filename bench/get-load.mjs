// A GET load from this process, for windows whose end is an event (a purge finishing) rather than
// a fixed duration: `connections` keep-alive loops, every latency recorded.
import http from 'node:http';
import { percentile } from './stats.mjs';

function get(agent, url, key) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { 'x-api-key': key } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/**
 * Sends GET `paths` (in turn, spread over the list) from `connections` loops until `until()`
 * resolves; resolves {requests, failures, median, p99} in milliseconds.
 */
export async function getLoad(baseUrl, key, paths, { connections = 16, until }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let failures = 0;
  let stop = false;
  const loop = async (start) => {
    for (let i = start; !stop; i += connections) {
      const begun = performance.now();
      const status = await get(agent, baseUrl + paths[(i * 7919) % paths.length], key);
      latencies.push(performance.now() - begun);
      if (status !== 200) ++failures;
    }
  };
  const loops = Array.from({ length: connections }, (_, start) => loop(start));
  await until();
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  const round = (value) => Math.round(value * 100) / 100;
  return { requests: latencies.length, failures, median: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) };
}
