// A cluster node's engines: the same catalog and workspace engines as a single node, opened to
// replicate, with the change log (JetStream) and the owners (etcd) around them. This file moves
// changes and decides nothing about them: what a write changes, whether an entry follows a copy,
// and what a copy answers are the engines'.
//
// For each database (the catalog and every workspace) one node is the owner. The owner runs the
// database's writes and job slices: each one's changeset is appended to the log, and only once
// the log holds it is it committed locally and answered. Every node follows the log and applies
// other owners' entries to its copy; a copy that cannot follow (REPLICA_DIVERGED) is rebuilt
// from the log, never repaired. A request for a workspace this node does not own goes on to its
// owner (forwarding.mjs). After a write that erased personal data, the owner replaces the
// workspace's history in the log with a snapshot (history-replacement.mjs).
import { startEngines } from '../engines.mjs';
import { EngineUnavailable } from '../engine-client.mjs';
import { openChangeLog, StaleAppend } from './change-log.mjs';
import { joinOwnership } from './ownership.mjs';
import { forwardRequest, HOP_HEADER, verifyHop } from './forwarding.mjs';
import { appendHistorySnapshot, installHistorySnapshot } from './history-replacement.mjs';
import { DEFAULT_SNAPSHOT } from '../config.mjs';

const CATALOG = 'catalog';
const EMPTY = new Uint8Array(0);
// An unowned database waits this long for its preferred node before any node claims it.
const CLAIM_GRACE_MS = 1500;
const RECONCILE_EVERY_MS = 500;
const CATCH_UP_TIMEOUT_MS = 30000;
// How long a catalog change (a key created or revoked, a workspace made) waits for every live node
// to apply it before the command is answered anyway; a node that lags longer is logged.
const CATALOG_SPREAD_TIMEOUT_MS = 3000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const bodyOf = (reply) => JSON.parse(reply.body);
const unavailable = (message) => new EngineUnavailable(message);

/** Runs calls one at a time, in order. */
function serialiser() {
  let tail = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * Starts a cluster node's engines on `dataDir` (see engines.mjs for the shared options) and joins
 * the cluster `cluster`: {nodeId, advertiseUrl, natsServers, etcdEndpoints, secret, leaseTtlSeconds,
 * maxEntryBytes}. Resolves to the engine interface app.mjs uses, plus `cluster` (state for
 * operators and tests) and `catalogServed` (resolves when this node first owns the catalog).
 */
export async function startClusterEngines({ cluster, engineOptions = {}, log = () => {}, ...rest }) {
  const base = await startEngines({ ...rest, engineOptions: { ...engineOptions, replicate: true }, log });
  const { dataDir } = rest;
  const { catalog, pool, workers } = base;
  const me = cluster.nodeId;
  const databases = new Map(); // name → {worker, applied, serving: {epoch}|null, claiming, unownedSince}
  const counts = { claims: 0, failovers: 0 }; // ownership taken since start (metrics)
  const inCatalog = serialiser(); // the catalog's writes and applies, one at a time
  let closing = false;
  let reconcileTimer;
  let reconcileReady = false; // the watch may call before everything below exists
  let announceCatalog;
  const catalogServed = new Promise((resolve) => {
    announceCatalog = resolve;
  });

  // An applied entry is not synced (engine-worker.mjs says why); the owner's settled writes are.
  const catalogReplicate = (command) => {
    const reply = catalog.replicate(command);
    if (command.op !== 'apply') base.syncCatalog(reply);
    return reply;
  };
  const engineReplicate = (database, command) =>
    database === CATALOG ? Promise.resolve(catalogReplicate(command)) : pool[databases.get(database).worker].replicate(command);
  // The same, for a caller outside the catalog's serialiser: a catalog op waits its turn there.
  const replicateInTurn = (database, command) =>
    database === CATALOG ? inCatalog(() => catalogReplicate(command)) : engineReplicate(database, command);

  // The databases this node holds copies of, from its catalog.
  async function refreshDatabases() {
    if (!databases.has(CATALOG)) {
      const position = bodyOf(catalogReplicate({ op: 'position', database: CATALOG })).data;
      databases.set(CATALOG, { worker: null, applied: position.sequence, serving: null });
    }
    const created = catalogReplicate({ op: 'create-missing' });
    if (created.status !== 200) throw new Error(`create-missing failed: ${created.body}`);
    const listed = bodyOf(catalog.admin({ command: 'list-workspaces', workers: String(workers) }));
    for (const workspace of listed.data.workspaces) {
      if (databases.has(workspace.id)) continue;
      const reply = await pool[workspace.worker].replicate({ op: 'position', database: workspace.id });
      if (reply.status !== 200) throw new Error(`position of ${workspace.id}: ${reply.body}`);
      databases.set(workspace.id, { worker: workspace.worker, applied: bodyOf(reply).data.sequence, serving: null });
      reconcileSoon(); // a new workspace wants an owner
    }
  }
  await refreshDatabases();

  const changeLog = await openChangeLog({ servers: cluster.natsServers, name: me, maxEntryBytes: cluster.maxEntryBytes, log });

  const ownership = await joinOwnership({
    endpoints: cluster.etcdEndpoints,
    nodeId: me,
    url: cluster.advertiseUrl,
    ttlSeconds: cluster.leaseTtlSeconds,
    log,
    onChange: () => reconcileSoon(),
  });

  /** Whether this node answers for `database` now: it took it, and its lease is confirmed. */
  function serving(database) {
    const state = databases.get(database);
    if (!state?.serving || !ownership.confirmed() || ownership.lease() !== state.serving.lease) return false;
    return ownership.ownerOf(database)?.epoch === state.serving.epoch;
  }

  async function stepDown(database, why) {
    const state = databases.get(database);
    if (!state?.serving) return;
    const { epoch } = state.serving;
    state.serving = null;
    log(`stepped down from ${database} (epoch ${epoch}): ${why}`);
    await engineReplicate(database, { op: 'disown', database }).catch(() => {});
    if (ownership.confirmed()) await ownership.release(database, epoch).catch(() => {});
  }

  // The held write of `database` goes to the log, then is committed (or, refused, rolled back).
  async function replicateHeld(database, settle, changeset) {
    const state = databases.get(database);
    if (!serving(database)) {
      await settle({ commit: false, sequence: 0, epoch: 0 });
      throw unavailable('This node is no longer the workspace’s owner; retry');
    }
    const { epoch } = state.serving;
    let sequence;
    try {
      sequence = await changeLog.append(database, Buffer.from(changeset ?? '', 'base64'), { previous: state.applied, epoch, node: me });
    } catch (error) {
      await settle({ commit: false, sequence: 0, epoch: 0 });
      if (error.code === 'MAX_PAYLOAD_EXCEEDED') {
        // Refused before it was sent: nothing is in doubt, this node still owns the database.
        log(`a change of ${database} is larger than a log entry may be: ${error.message}`);
        throw unavailable('The change is too large to replicate; send it in smaller batches');
      }
      // Refused (a newer owner appended) or in doubt (a timeout): either way another node must
      // decide from the log what happened, so this one steps down.
      await stepDown(database, error instanceof StaleAppend ? 'a newer owner wrote to the log' : `append failed: ${error.message}`);
      throw unavailable('The change could not be replicated; retry');
    }
    const settled = await settle({ commit: true, sequence, epoch });
    if (settled.status !== 200) {
      // The log holds the entry and this copy does not: following the log brings it in.
      await stepDown(database, `settle failed: ${settled.body}`);
      throw unavailable('The change could not be committed here; retry');
    }
    state.applied = sequence;
    noteAppended(database, Math.floor(((changeset ?? '').length * 3) / 4)); // base64 → bytes
  }

  // --- following the log ---------------------------------------------------------------------

  const rebuilding = new Map(); // database → entries that arrived meanwhile

  async function applyEntry(entry) {
    const { database } = entry;
    if (database !== CATALOG && !databases.has(database)) await inCatalog(refreshDatabases);
    const state = databases.get(database);
    if (!state) {
      log(`log entry ${entry.sequence} names ${database}, which the catalog does not know; skipped`);
      return;
    }
    if (rebuilding.has(database)) {
      rebuilding.get(database).push(entry);
      return;
    }
    if (entry.sequence <= state.applied) return;
    if (entry.snapshot) {
      await installSnapshot(entry, state);
      return;
    }
    const command = {
      op: 'apply',
      database,
      sequence: entry.sequence,
      previous: entry.previous,
      epoch: entry.epoch,
      changeset: Buffer.from(entry.changeset).toString('base64'),
    };
    const reply = await replicateInTurn(database, command);
    if (reply.status === 409) {
      log(`${database} diverged at log entry ${entry.sequence}: ${reply.body}; rebuilding it from the log`);
      await rebuild(database);
      return;
    }
    if (reply.status !== 200) throw new Error(`apply of ${database} entry ${entry.sequence}: ${reply.body}`);
    const { applied } = bodyOf(reply).data;
    state.applied = Math.max(state.applied, entry.sequence);
    if (database === CATALOG && applied) {
      base.forgetAdmissions();
      await inCatalog(refreshDatabases);
    }
    if (applied && state.serving) {
      if (entry.node === me && entry.epoch === state.serving.epoch) {
        // This node's own entry that its copy missed (a settle that failed): it still owns.
        await engineReplicate(database, { op: 'own', database, epoch: state.serving.epoch });
      } else {
        state.serving = null; // someone else wrote: the engine forgot its ownership already
      }
    }
  }

  async function installSnapshot(entry, state) {
    const { database } = entry;
    const reply = await installHistorySnapshot({
      entry,
      dataDir,
      changeLog,
      replicate: (command) => replicateInTurn(database, command),
    });
    if (!reply || reply.status === 409) {
      log(`${database}: snapshot ${entry.snapshot} ${reply ? 'does not follow this copy' : 'was replaced'}; rebuilding from the log`);
      await rebuild(database);
      return;
    }
    if (reply.status !== 200) throw new Error(`install of ${database} snapshot ${entry.snapshot}: ${reply.body}`);
    state.applied = Math.max(state.applied, entry.sequence);
    lastSnapshotAt.set(database, Date.now());
    if (state.serving) {
      if (entry.node === me && entry.epoch === state.serving.epoch) await engineReplicate(database, { op: 'own', database, epoch: state.serving.epoch });
      else state.serving = null;
    }
  }

  // --- snapshots: the log bounded by data, not by history ---------------------------------------

  // What the owner has appended to each workspace's log since its last snapshot. Once it passes
  // the configured entries or bytes, or has waited the interval, the history before is replaced
  // by a snapshot (as after an erasure). A new owner starts counting afresh.
  const snapshotPolicy = cluster.snapshot ?? DEFAULT_SNAPSHOT;
  const sinceSnapshot = new Map(); // database → {entries, bytes, since}
  const lastSnapshotAt = new Map(); // database → ms, when this node last wrote or installed one
  function noteAppended(database, bytes) {
    if (database === CATALOG) return;
    const tally = sinceSnapshot.get(database) ?? { entries: 0, bytes: 0, since: Date.now() };
    tally.entries += 1;
    tally.bytes += bytes;
    sinceSnapshot.set(database, tally);
    if (tally.entries >= snapshotPolicy.entries || tally.bytes >= snapshotPolicy.bytes) snapshotNow(database, 'size');
  }
  function snapshotNow(database, why) {
    sinceSnapshot.delete(database);
    replaceHistory(database, why);
  }
  const snapshotTimer = setInterval(() => {
    for (const [database, tally] of sinceSnapshot) {
      if (Date.now() - tally.since >= snapshotPolicy.intervalMs) snapshotNow(database, 'schedule');
    }
  }, Math.min(snapshotPolicy.intervalMs, 60000));
  snapshotTimer.unref();

  // The owner's snapshot takes the place of the workspace's history in the log: after an erasure
  // (`why` 'erasure', so no old changeset keeps the erased bytes) and when the log has grown.
  const historyWanted = new Set();
  async function replaceHistory(database, why = 'erasure') {
    if (historyWanted.has(database)) return;
    historyWanted.add(database);
    try {
      for (let attempt = 0; attempt < 50 && !closing; attempt += 1) {
        const state = databases.get(database);
        if (!serving(database)) {
          log(`${database}: not the owner any more; its history was not replaced (${why}; its owner's next snapshot replaces it)`);
          return;
        }
        const { epoch } = state.serving;
        let appended = null;
        try {
          appended = await appendHistorySnapshot({
            database,
            dataDir,
            changeLog,
            epoch,
            node: me,
            replicate: (command) => engineReplicate(database, command),
          });
        } catch (error) {
          if (!(error instanceof StaleAppend)) throw error;
        }
        if (appended && appended.previous === state.applied) {
          // The owner's copy is the snapshot already: it only moves on to the entry.
          const command = { op: 'apply', database, sequence: appended.sequence, previous: appended.previous, epoch, changeset: '' };
          const moved = await replicateInTurn(database, command);
          if (moved.status !== 200) throw new Error(`snapshot entry of ${database}: ${moved.body}`);
          state.applied = Math.max(state.applied, appended.sequence);
          await engineReplicate(database, { op: 'own', database, epoch });
          await changeLog.purgeBefore(database, appended.sequence, appended.name);
          lastSnapshotAt.set(database, Date.now());
          log(`${database}: history up to log entry ${appended.previous} replaced by snapshot ${appended.name} (${why})`);
          return;
        }
        await sleep(20); // a write got in between: snapshot again after it
      }
      log(`${database}: its history could not be replaced now (${why}; writes kept coming); the next snapshot tries again`);
      if (why !== 'erasure') sinceSnapshot.set(database, { entries: 0, bytes: 0, since: Date.now() });
    } catch (error) {
      log(`${database}: replacing its history failed: ${error.message}`);
    } finally {
      historyWanted.delete(database);
    }
  }

  async function rebuild(database) {
    if (database === CATALOG) {
      log('the catalog diverged from the log; this node stops applying catalog entries (rebuild it from a backup)');
      rebuilding.set(database, []);
      return;
    }
    const state = databases.get(database);
    rebuilding.set(database, []);
    state.serving = null;
    const discarded = await pool[state.worker].replicate({ op: 'discard', database });
    if (discarded.status !== 200) throw new Error(`discard of ${database}: ${discarded.body}`);
    catalogReplicate({ op: 'create-missing' });
    state.applied = 0;
    const replay = await changeLog.entries(database, await changeLog.last(database));
    const waiting = rebuilding.get(database);
    rebuilding.delete(database);
    for (const entry of [...replay, ...waiting].sort((a, b) => a.sequence - b.sequence)) {
      await applyEntry(entry);
    }
  }


  const startAfter = Math.min(...[...databases.values()].map((state) => state.applied));
  const follower = await changeLog.follow(startAfter, (entry) =>
    applyEntry(entry).catch((error) => log(`following the log: ${error.message}`)),
  );

  // --- taking databases ----------------------------------------------------------------------

  async function waitApplied(database, sequence) {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    while (databases.get(database).applied < sequence) {
      if (Date.now() > deadline) throw new Error(`${database} did not catch up to ${sequence}`);
      await sleep(10);
    }
  }

  // Becomes the owner: claims the key, reads the log to its end, appends a fence entry with the
  // new epoch (after it, an older owner's append is refused), and only then answers.
  async function takeOver(database) {
    const state = databases.get(database);
    state.claiming = true;
    let epoch = null;
    const lease = ownership.lease();
    // Who held it before, as etcd last said: a claim after another node's is a failover.
    const previousOwner = ownership.lastOwnerOf(database);
    try {
      epoch = await ownership.claim(database);
      if (epoch === null) return;
      for (;;) {
        const last = await changeLog.last(database);
        await waitApplied(database, last);
        let fence;
        try {
          fence = await changeLog.append(database, EMPTY, { previous: last, epoch, node: me });
        } catch (error) {
          if (error instanceof StaleAppend) continue; // an old owner's last entry landed: read it first
          throw error;
        }
        const command = { op: 'apply', database, sequence: fence, previous: last, epoch, changeset: '' };
        const applied = await replicateInTurn(database, command);
        if (applied.status !== 200) throw new Error(`fence of ${database}: ${applied.body}`);
        state.applied = Math.max(state.applied, fence);
        const owned = await engineReplicate(database, { op: 'own', database, epoch });
        if (owned.status !== 200) throw new Error(`own ${database}: ${owned.body}`);
        state.serving = { epoch, lease };
        counts.claims += 1;
        if (previousOwner !== undefined && previousOwner !== me) counts.failovers += 1;
        log(`now owner of ${database} (epoch ${epoch}, log entry ${fence})`);
        break;
      }
      if (database === CATALOG) announceCatalog();
      else pump(state.worker);
    } catch (error) {
      log(`taking ${database} failed: ${error.message}`);
      state.serving = null;
      if (epoch !== null) await ownership.release(database, epoch).catch(() => {});
    } finally {
      state.claiming = false;
    }
  }

  // The node that should take an unowned database: the live node owning fewest, then by id.
  function preferredNode() {
    const load = new Map([...ownership.nodes().keys()].map((node) => [node, 0]));
    for (const { node } of ownership.owners().values()) if (load.has(node)) load.set(node, load.get(node) + 1);
    return [...load.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  }

  function reconcileSoon() {
    if (closing || reconcileTimer || !reconcileReady) return;
    reconcileTimer = setTimeout(() => {
      reconcileTimer = undefined;
      reconcile().catch((error) => log(`reconcile: ${error.message}`));
    }, 0);
  }

  async function reconcile() {
    if (closing) return;
    const confirmed = ownership.confirmed();
    const preferred = preferredNode();
    for (const [database, state] of databases) {
      if (state.claiming) continue;
      const owner = ownership.ownerOf(database);
      if (state.serving && !serving(database)) {
        await stepDown(database, confirmed ? 'the owner key or the lease changed' : 'the lease is not confirmed');
        continue;
      }
      if (owner?.node === me && !state.serving && confirmed) {
        // A claim this node no longer acts on (its takeover failed, or it predates a new lease).
        await ownership.release(database, owner.epoch).catch(() => {});
        continue;
      }
      if (owner || !confirmed) {
        state.unownedSince = undefined;
        continue;
      }
      state.unownedSince ??= Date.now();
      if (preferred === me || Date.now() - state.unownedSince > CLAIM_GRACE_MS) takeOver(database);
    }
  }
  const reconciling = setInterval(reconcileSoon, RECONCILE_EVERY_MS);

  // --- background work -----------------------------------------------------------------------

  const pumping = new Set();
  const pumpAgain = new Set();
  const wakeTimers = new Map();
  async function pump(index) {
    if (closing) return;
    if (pumping.has(index)) {
      pumpAgain.add(index);
      return;
    }
    pumping.add(index);
    clearTimeout(wakeTimers.get(index));
    try {
      for (;;) {
        const slice = await pool[index].work();
        if (slice.held) {
          await replicateHeld(slice.workspaceId, (command) => pool[index].settle(command), slice.changeset).catch((error) =>
            log(`job slice of ${slice.workspaceId}: ${error.message}`),
          );
        }
        if (!slice.more) {
          if (slice.wakeInMs !== undefined) {
            const timer = setTimeout(() => pump(index), Math.min(slice.wakeInMs + 1, 2 ** 31 - 1));
            timer.unref();
            wakeTimers.set(index, timer);
          }
          break;
        }
      }
    } catch (error) {
      log(`background work on engine ${index}: ${error.message}`);
    } finally {
      pumping.delete(index);
      if (pumpAgain.delete(index)) pump(index);
    }
  }

  // --- requests ------------------------------------------------------------------------------

  // A workspace engine's reply: a held write goes through the log and is settled, and a write
  // may have queued background work. The reply without its held change.
  async function settleReply(database, worker, reply) {
    const { held, changeset, erased, ...answer } = reply;
    if (held) await replicateHeld(database, (command) => pool[worker].settle(command), changeset);
    if (held && erased) replaceHistory(database);
    if (held || reply.committed) pump(worker);
    return answer;
  }

  // Runs a request of an owned workspace here; a held write goes through the log first.
  async function runLocally(database, worker, request, options) {
    const reply = await pool[worker].handle(request, options);
    // A read's answer may be from a copy another owner has moved past since the check.
    if (!reply.held && !serving(database)) throw unavailable('This node is not answering for the workspace now; retry');
    const answer = await settleReply(database, worker, reply);
    return answer.stream ? { ...answer, stream: { worker, id: answer.stream } } : answer;
  }

  function ownerUrl(database) {
    const owner = ownership.ownerOf(database);
    if (owner?.node === me && !databases.get(database)?.claiming) ownership.refresh(); // a view older than a lost lease
    if (!owner || owner.node === me) return null;
    return ownership.nodes().get(owner.node)?.url ?? null;
  }

  async function handle(request, options = {}) {
    const { [HOP_HEADER]: hopHeader, ...headers } = request.headers;
    const clean = { ...request, headers };
    const admitted = await inCatalog(() => base.admit(clean));
    if (admitted.reply) return admitted.reply;
    const { worker, principal, workspaceId } = admitted.forward;
    if (serving(workspaceId)) return runLocally(workspaceId, worker, { ...clean, principal }, options);
    if (options.forwarded) throw unavailable('This node is not answering for the workspace now; retry');
    const url = ownerUrl(workspaceId);
    if (!url) throw unavailable('The workspace has no owner right now (failover in progress); retry');
    const { epoch } = ownership.ownerOf(workspaceId);
    let reply;
    try {
      // Abandoned when ownership moves: the answer could only be a refusal or never come. The
      // client hears 503; whether a write sent that way took effect is what its Idempotency-Key
      // settles on retry.
      const stillOwner = () => ownership.ownerOf(workspaceId)?.epoch === epoch;
      reply = await forwardRequest(url, clean, { secret: cluster.secret, node: me, stillOwner });
    } catch (error) {
      log(`forward to ${url} failed: ${error.message}`);
      throw unavailable('The workspace’s owner did not answer; retry');
    }
    return { ...reply, credential: 'verified' };
  }

  // An admin command: the catalog's writes run on the catalog's owner, a workspace's on its owner.
  async function admin(command) {
    const reply = await inCatalog(async () => {
      const local = catalog.admin(command);
      base.forgetAdmissions();
      if (!local.held) return local;
      if (!serving(CATALOG)) {
        catalogReplicate({ op: 'settle', commit: false, sequence: 0, epoch: 0 });
        return { forwardTo: CATALOG };
      }
      await replicateHeld(CATALOG, async (settle) => catalogReplicate({ op: 'settle', ...settle }), local.changeset);
      await refreshDatabases();
      const { held, changeset, ...answer } = local;
      return { ...answer, catalogSequence: databases.get(CATALOG).applied };
    });
    if (reply.catalogSequence !== undefined) {
      // Answered only once every live node applied the change: a key created or revoked through
      // any node works, or is refused, on the very next request through every other node.
      const { catalogSequence, ...answer } = reply;
      await catalogEverywhere(catalogSequence);
      return answer;
    }
    if (reply.forwardTo) return forwardAdmin(reply.forwardTo, command);
    if (!reply.forward) return reply;
    const database = command.workspaceId;
    const state = databases.get(database);
    if (!state || !serving(database)) return forwardAdmin(database, command);
    return settleReply(database, state.worker, await pool[state.worker].admin(command));
  }

  async function forwardAdmin(database, command) {
    const url = ownerUrl(database);
    if (!url) throw unavailable(`${database} has no other owner to run this command right now; retry`);
    const reply = await forwardRequest(
      url,
      { method: 'POST', path: '/_cluster/admin', query: '', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command), requestId: `admin_${Date.now()}` },
      { secret: cluster.secret, node: me },
    );
    return { status: reply.status, headers: reply.headers, body: reply.body.toString('utf8') };
  }

  // Waits (bounded) until every other live node has applied the catalog up to `sequence`.
  async function catalogEverywhere(sequence) {
    const others = [...ownership.nodes()].filter(([node]) => node !== me);
    await Promise.all(
      others.map(async ([node, { url }]) => {
        const target = `/_cluster/catalog-applied?sequence=${sequence}`;
        try {
          const reply = await forwardRequest(url, { method: 'GET', path: target, query: '', headers: {}, body: '', requestId: `catalog_${Date.now()}` }, { secret: cluster.secret, node: me });
          const { applied } = JSON.parse(reply.body.toString('utf8'));
          if (!(applied >= sequence)) log(`${node} had not applied catalog entry ${sequence} within ${CATALOG_SPREAD_TIMEOUT_MS} ms (at ${applied})`);
        } catch (error) {
          log(`${node} did not confirm catalog entry ${sequence}: ${error.message}`);
        }
      }),
    );
  }

  // The other side of catalogEverywhere: answers once this copy of the catalog reached `sequence`
  // (or the wait ran out), with the position it has.
  async function catalogApplied(sequence) {
    const deadline = Date.now() + CATALOG_SPREAD_TIMEOUT_MS;
    while (databases.get(CATALOG).applied < sequence && Date.now() < deadline && !closing) await sleep(5);
    return { applied: databases.get(CATALOG).applied };
  }

  /** Each database's change-log entries not yet applied here (its last stream sequence − applied). */
  async function replicationLag() {
    const lag = {};
    await Promise.all(
      [...databases].map(async ([database, copy]) => {
        const last = await changeLog.last(database).catch(() => null);
        if (last !== null) lag[database] = Math.max(0, last - copy.applied);
      }),
    );
    return lag;
  }

  /** This node's view, for operators and tests: each database's position, owner and whether it answers. */
  async function state({ fingerprints = false } = {}) {
    const view = {};
    for (const [database, copy] of databases) {
      const entry = { applied: copy.applied, owner: ownership.ownerOf(database)?.node ?? null, serving: serving(database) };
      if (fingerprints) {
        const reply = await replicateInTurn(database, { op: 'fingerprint', database });
        if (reply.status === 200) entry.fingerprint = bodyOf(reply).data.fingerprint;
      }
      view[database] = entry;
    }
    return { node: me, confirmed: ownership.confirmed(), databases: view };
  }

  // Internal calls between nodes (and from tests holding the cluster secret), hop-signed.
  async function internal(method, target, requestId, hopHeader, body) {
    const hop = verifyHop(cluster.secret, hopHeader, method, target, requestId);
    if (!hop || hop.invalid) return { status: 403, body: { code: 'FORBIDDEN', message: 'Cluster calls need a valid hop signature' } };
    const url = new URL(target, 'http://node');
    if (method === 'POST' && url.pathname === '/_cluster/admin') {
      const reply = await admin(JSON.parse(body));
      return { status: reply.status, raw: reply.body };
    }
    if (method === 'GET' && url.pathname === '/_cluster/catalog-applied') {
      const sequence = Number(url.searchParams.get('sequence'));
      if (!Number.isSafeInteger(sequence) || sequence < 0) return { status: 400, body: { code: 'VALIDATION_ERROR', message: 'sequence: must be a log position' } };
      return { status: 200, body: await catalogApplied(sequence) };
    }
    if (method === 'GET' && url.pathname === '/_cluster/state') {
      return { status: 200, body: await state({ fingerprints: url.searchParams.get('fingerprints') === '1' }) };
    }
    return { status: 404, body: { code: 'NOT_FOUND', message: 'No such cluster call' } };
  }

  reconcileReady = true;
  reconcileSoon();

  // A webhook delivery op on engine `index`; a report's write goes through the log like any other.
  async function deliver(index, command) {
    const reply = await pool[index].deliver(command);
    return command.op === 'report' ? settleReply(command.workspaceId, index, reply) : reply;
  }

  return {
    ...base,
    handle,
    admin,
    webhookEngines: pool.map((_, index) => ({ deliver: (command) => deliver(index, command), busy: () => pool[index].requestsWaiting() > 0 })),
    catalogServed,
    cluster: {
      state,
      internal,
      replicationLag,
      /** Seconds since this node last wrote or installed each database's snapshot (those it knows of). */
      snapshotAges: () => Object.fromEntries([...lastSnapshotAt].map(([database, at]) => [database, (Date.now() - at) / 1000])),
      /** Whether this node can take writes now: its lease is confirmed and it knows the catalog's owner. */
      ready: () => ({ lease: ownership.confirmed(), catalog: ownership.ownerOf(CATALOG) !== undefined }),
      /** Lease and ownership events since start (metrics.mjs). */
      counts: () => ({ ...counts, ...ownership.counts() }),
      /** Checks a request's hop header (forwarding.mjs verifyHop) with this cluster's secret. */
      verifyHop: (method, target, requestId, header) => verifyHop(cluster.secret, header, method, target, requestId),
    },
    async close() {
      closing = true;
      clearInterval(reconciling);
      clearInterval(snapshotTimer);
      clearTimeout(reconcileTimer);
      for (const timer of wakeTimers.values()) clearTimeout(timer);
      await follower.stop().catch(() => {});
      // Giving the lease back hands every owned database to the others at once.
      await ownership.close().catch(() => {});
      await changeLog.close();
      await base.close();
    },
  };
}
