// A node's network link, simulated without privileges: every connection the node makes to
// nats-server and etcd, and every connection the other nodes make to it, passes through a relay
// the test can cut. A cut link carries nothing more in either direction and new connections are
// accepted and then ignored — like a cable pulled out, peers see silence and time out, never a
// clean close. Healing drops the stalled connections (TCP's own would have timed out) and relays
// new ones again.
import net from 'node:net';

/** A relay on a free loopback port to 127.0.0.1:`targetPort`. */
export async function startRelay(targetPort) {
  const pairs = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    client.on('error', () => {});
    const pair = { client, upstream: null };
    pairs.add(pair);
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (cut) {
      client.pause(); // black hole
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    cut() {
      cut = true;
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    heal() {
      cut = false;
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream?.destroy();
      }
    },
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** All of one node's relays, cut and healed together. */
export function linkOf(relays) {
  return {
    cut: () => relays.forEach((relay) => relay.cut()),
    heal: () => relays.forEach((relay) => relay.heal()),
    close: () => Promise.all(relays.map((relay) => relay.close())),
  };
}
