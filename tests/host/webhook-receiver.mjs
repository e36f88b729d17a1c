// A webhook receiver in its own process, for the webhook tests: it listens on a free loopback
// port (printed as "receiver on <url>"), verifies every delivery's signature with the npm
// `standardwebhooks` library — an implementation of the specification independent of ours — and
// accepts each webhook-id once (a redelivery is acknowledged and counted, not recorded again).
// Control, from the test, over the same port:
//   POST /_control {secret, failFirst, status, delayMs, redirectTo}  secret to verify with; refuse
//        the first `failFirst` attempts of each webhook-id with `status` (with `Location:
//        redirectTo` when given, and a body of `replyBytes` bytes when given); answer after `delayMs`
//   GET  /_received  {events: [{id, type, data, attempts, verified}], attempts, invalid}
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

let verifier = null;
let control = { failFirst: 0, status: 500, delayMs: 0 };
const events = new Map(); // webhook-id → {id, type, data, attempts, verified, body}
const attemptsById = new Map();
let attempts = 0;
let invalid = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/_control' && req.method === 'POST') {
      const settings = JSON.parse(body);
      if (settings.secret) verifier = new Webhook(settings.secret);
      control = { ...control, ...settings };
      res.end('{}');
      return;
    }
    if (req.url === '/_received') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ events: [...events.values()], attempts, invalid }));
      return;
    }
    attempts += 1;
    const id = req.headers['webhook-id'];
    const seen = (attemptsById.get(id) ?? 0) + 1;
    attemptsById.set(id, seen);
    const answer = (status, text) =>
      setTimeout(() => {
        res.statusCode = status;
        if (status >= 300 && status < 400 && control.redirectTo) res.setHeader('location', control.redirectTo);
        res.end(text);
      }, control.delayMs);
    let payload;
    try {
      payload = verifier.verify(body, {
        'webhook-id': id,
        'webhook-timestamp': req.headers['webhook-timestamp'],
        'webhook-signature': req.headers['webhook-signature'],
      });
    } catch (error) {
      invalid += 1;
      answer(400, `signature refused: ${error.message}`);
      return;
    }
    if (seen <= control.failFirst) {
      answer(control.status, control.replyBytes ? 'x'.repeat(control.replyBytes) : `refusing attempt ${seen} of ${id}`);
      return;
    }
    const known = events.get(id);
    if (known) known.attempts = seen;
    else events.set(id, { id, type: payload.type, data: payload.data, timestamp: payload.timestamp, attempts: seen, verified: true });
    answer(200, 'ok');
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`receiver on http://127.0.0.1:${server.address().port}`);
});
