// Who owns which database, kept in etcd. Each node holds one lease; its registration
// (/leadline/nodes/<id>) and every owner key it claims (/leadline/owners/<database>) live under
// that lease, so they vanish together when the node stops renewing it. A claim is a transaction
// that succeeds only if the owner key does not exist; the key's create revision is the claim's
// epoch, which only grows (etcd's revisions do), and fences the change log. The lease is renewed
// here by hand, not by the client library, so this node knows a time before which etcd cannot
// have let the lease go: it answers for its databases only until then (`confirmed`).
import { Etcd3 } from 'etcd3';

const PREFIX = '/leadline';
const NODES = `${PREFIX}/nodes/`;
const OWNERS = `${PREFIX}/owners/`;
// A node stops answering this long before its lease could have expired: renewals are sent every
// ttl/6, so two can fail before the node steps down, and the margin covers clock-rate error.
const SAFETY_MARGIN_MS = 500;

/**
 * Connects to etcd at `endpoints` as node `nodeId` (advertised at `url`) with a lease of
 * `ttlSeconds`. `onChange()` is called whenever the owners or the nodes change (a watch event)
 * and when this node loses its lease. Resolves once the node is registered.
 */
export async function joinOwnership({ endpoints, nodeId, url, ttlSeconds = 3, log = () => {}, onChange = () => {} }) {
  const client = new Etcd3({ hosts: endpoints, dialTimeout: 2000 });
  const owners = new Map(); // database → {node, epoch}
  const nodes = new Map(); // node id → {url}
  let lease;
  let leaseId = null;
  let confirmedUntil = 0;
  let renewing;
  let closed = false;
  let lastRefresh = 0;
  let leaseRenewals = 0;
  const lastOwners = new Map(); // database → the node last seen owning it, kept after its claim goes
  let leaseLosses = 0;

  async function grant() {
    lease = client.lease(ttlSeconds, { autoKeepAlive: false });
    const sentAt = Date.now();
    leaseId = await lease.grant();
    confirmedUntil = sentAt + ttlSeconds * 1000 - SAFETY_MARGIN_MS;
    await lease.put(`${NODES}${nodeId}`).value(JSON.stringify({ url }));
  }

  async function renew() {
    if (closed) return;
    const sentAt = Date.now();
    try {
      const reply = await Promise.race([
        lease.keepaliveOnce(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('keepalive timed out')), ttlSeconds * 500)),
      ]);
      if (Number(reply.TTL) <= 0) throw new Error('the lease has expired');
      leaseRenewals += 1;
      confirmedUntil = Math.max(confirmedUntil, sentAt + Number(reply.TTL) * 1000 - SAFETY_MARGIN_MS);
    } catch (error) {
      if (Date.now() < confirmedUntil) return; // try again at the next tick
      // The lease may be gone: everything this node owned is someone else's to take. A new lease
      // registers the node again; its claims start over with new epochs.
      log(`etcd lease not confirmed (${error.message}); stepping down from every database`);
      confirmedUntil = 0;
      leaseId = null;
      leaseLosses += 1;
      onChange();
      try {
        await grant();
        // The watch may have missed events while etcd was out of reach.
        await reload();
        onChange();
      } catch (failure) {
        log(`etcd lease grant failed: ${failure.message}`);
      }
    }
  }

  function readKv(kv) {
    return { key: kv.key.toString(), value: kv.value.toString(), epoch: Number(kv.create_revision), lease: String(kv.lease) };
  }

  function remember({ key, value, epoch }) {
    if (key.startsWith(OWNERS)) {
      owners.set(key.slice(OWNERS.length), { node: value, epoch });
      lastOwners.set(key.slice(OWNERS.length), value);
    }
    else if (key.startsWith(NODES)) nodes.set(key.slice(NODES.length), JSON.parse(value));
  }
  function forget(key) {
    if (key.startsWith(OWNERS)) owners.delete(key.slice(OWNERS.length));
    else if (key.startsWith(NODES)) nodes.delete(key.slice(NODES.length));
  }

  await grant();
  const watcher = await client.watch().prefix(`${PREFIX}/`).create();
  watcher.on('put', (kv) => {
    remember(readKv(kv));
    onChange();
  });
  watcher.on('delete', (kv) => {
    forget(kv.key.toString());
    onChange();
  });
  watcher.on('connected', async () => {
    // After a reconnect the watch may have missed events: read everything again.
    await reload().catch((error) => log(`etcd reload failed: ${error.message}`));
    onChange();
  });
  async function reload() {
    const all = await client.getAll().prefix(`${PREFIX}/`).exec();
    owners.clear();
    nodes.clear();
    for (const kv of all.kvs) remember(readKv(kv));
  }
  await reload();
  renewing = setInterval(renew, Math.max(100, Math.round((ttlSeconds * 1000) / 6)));

  return {
    nodeId,
    /** Lease renewals etcd confirmed, and times the lease could not be confirmed in time. */
    counts: () => ({ leaseRenewals, leaseLosses }),
    /** Whether this node's lease is known to be alive now (and for the safety margin). */
    confirmed: () => leaseId !== null && Date.now() < confirmedUntil,
    /** The lease this node holds now (null while it has none): claims made under another are void. */
    lease: () => leaseId,
    /** The node last seen owning `database`, even if its claim has gone since (undefined: none seen). */
    lastOwnerOf: (database) => lastOwners.get(database),
    /** The owner of `database` as last seen: {node, epoch}, or undefined. */
    ownerOf: (database) => owners.get(database),
    /** Every owner as last seen. */
    owners: () => new Map(owners),
    /**
     * Reads every owner and node again (at most every 250 ms), for when the view looks stale: it
     * names this node as an owner it is not acting as.
     */
    refresh() {
      if (Date.now() - lastRefresh < 250) return;
      lastRefresh = Date.now();
      reload()
        .then(onChange)
        .catch((error) => log(`etcd reload failed: ${error.message}`));
    },
    /** The live nodes as last seen: id → {url}. */
    nodes: () => new Map(nodes),
    /**
     * Tries to become `database`'s owner. Resolves to the epoch of the claim, or null when another
     * node holds it.
     */
    async claim(database) {
      if (leaseId === null) return null;
      const key = `${OWNERS}${database}`;
      const result = await client.if(key, 'Create', '==', 0).then(client.put(key).value(nodeId).lease(leaseId)).commit();
      if (!result.succeeded) return null;
      const epoch = Number(result.header.revision);
      owners.set(database, { node: nodeId, epoch });
      lastOwners.set(database, nodeId);
      return epoch;
    },
    /** Gives up `database` if this node (at `epoch`) still holds it. */
    async release(database, epoch) {
      const key = `${OWNERS}${database}`;
      await client.if(key, 'Create', '==', epoch).then(client.delete().key(key)).commit();
    },
    /** Revokes the lease (every claim goes at once) and disconnects. */
    async close() {
      closed = true;
      clearInterval(renewing);
      await watcher.cancel().catch(() => {});
      if (leaseId !== null) await lease.revoke().catch(() => {});
      client.close();
    },
  };
}
