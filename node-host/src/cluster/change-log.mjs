// The cluster's change log: one JetStream stream, replicated on three servers, with a subject per
// database (leadline.catalog, leadline.ws_…). An entry is one committed write's changeset. The
// owner appends with the expected last sequence of the database's subject — an append by anyone
// who has not seen the latest entry (an old owner) is refused — and a message id built from the
// database, the epoch and that sequence, so a retried append is stored once.
//
// A database's history can be replaced by a snapshot (after an erasure: no old changeset may keep
// the erased bytes): the database file goes to a JetStream object store, a snapshot entry naming
// it is appended like any entry, and the subject's entries before it are purged. A copy that
// reads the snapshot entry installs the file; a copy rebuilt from the log starts there.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { connect, consumerOpts, headers as natsHeaders } from 'nats';

const deflate = promisify(zlib.deflateRaw);
const inflate = promisify(zlib.inflateRaw);
// Changesets repeat column values and row layouts: a large one shrinks several times at deflate's
// fastest level (in libuv's threads, off the event loop), and every JetStream server then stores
// and replicates that much less. Small ones are sent as they are.
const COMPRESS_FROM_BYTES = 16 * 1024;
const ENCODING = 'Leadline-Encoding';
const SNAPSHOT = 'Leadline-Snapshot';
const DIGEST = 'Leadline-Digest';
const SNAPSHOT_BUCKET = 'leadline-snapshots';

export const STREAM = 'LEADLINE';
const SUBJECTS = 'leadline.>';
// JetStream's error code for "wrong last sequence" (the expected-sequence check failed).
const WRONG_LAST_SEQUENCE = 10071;
const NO_MESSAGE_FOUND = 10037;
const APPEND_TIMEOUT_MS = 5000;

/** An append the stream refused because the database's subject moved on (a newer owner wrote). */
export class StaleAppend extends Error {}

export const subjectOf = (database) => `leadline.${database}`;
export const databaseOf = (subject) => subject.slice('leadline.'.length);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects to the NATS servers `servers` and makes sure the stream exists with `replicas`
 * copies and entries up to `maxEntryBytes`. JetStream elects its meta leader some seconds after
 * the servers start; until then every API request times out, so this retries for `readyTimeoutMs`.
 */
export async function openChangeLog({ servers, name, replicas = 3, maxEntryBytes, readyTimeoutMs = 60000, log = () => {} }) {
  const connection = await connect({
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
  });
  const deadline = Date.now() + readyTimeoutMs;
  let manager;
  for (;;) {
    try {
      manager = await connection.jetstreamManager({ timeout: 1500 });
      const config = {
        name: STREAM,
        subjects: [SUBJECTS],
        num_replicas: replicas,
        max_msg_size: maxEntryBytes,
        // Message ids are remembered this long: a retried append within it is stored once.
        duplicate_window: 120 * 1e9,
      };
      try {
        await manager.streams.info(STREAM);
      } catch (error) {
        if (error.api_error?.err_code !== 10059) throw error; // 10059: stream not found
        await manager.streams.add(config);
      }
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`JetStream not ready after ${readyTimeoutMs} ms: ${error.message}`);
      await sleep(250);
    }
  }
  const stream = connection.jetstream({ timeout: APPEND_TIMEOUT_MS });
  let snapshots;
  const snapshotStore = async () => {
    snapshots ??= await stream.views.os(SNAPSHOT_BUCKET, { replicas });
    return snapshots;
  };
  // A delivered message (`headers`) or a stored one read back (`header`).
  const entryOf = async (message) => {
    const head = message.headers ?? message.header;
    return {
      database: databaseOf(message.subject),
      sequence: message.seq,
      previous: Number(head?.get('Leadline-Previous') || 0),
      epoch: Number(head?.get('Leadline-Epoch') || 0),
      node: head?.get('Leadline-Node') ?? '',
      snapshot: head?.get(SNAPSHOT) || undefined,
      digest: head?.get(DIGEST) || undefined,
      changeset: head?.get(ENCODING) === 'deflate-raw' ? await inflate(message.data) : message.data,
    };
  };

  return {
    /**
     * Appends `changeset` (bytes; empty for a fence entry) to `database`'s subject after entry
     * `previous`, by `node` at `epoch`. Resolves to the entry's stream sequence; rejects with
     * StaleAppend when `previous` is no longer the subject's last entry.
     */
    async append(database, changeset, { previous, epoch, node }) {
      const head = natsHeaders();
      head.set('Leadline-Previous', String(previous));
      head.set('Leadline-Epoch', String(epoch));
      head.set('Leadline-Node', node);
      let payload = changeset;
      if (changeset.length >= COMPRESS_FROM_BYTES) {
        payload = await deflate(changeset, { level: 1 });
        head.set(ENCODING, 'deflate-raw');
      }
      try {
        const ack = await stream.publish(subjectOf(database), payload, {
          msgID: `${database}:${epoch}:${previous}`,
          expect: { lastSubjectSequence: previous },
          headers: head,
        });
        return ack.seq;
      } catch (error) {
        if (error.api_error?.err_code === WRONG_LAST_SEQUENCE) throw new StaleAppend(error.message);
        throw error;
      }
    },
    /** The stream sequence of `database`'s last entry (0: none). */
    async last(database) {
      try {
        const message = await manager.streams.getMessage(STREAM, { last_by_subj: subjectOf(database) });
        return message.seq;
      } catch (error) {
        if (error.api_error?.err_code === NO_MESSAGE_FOUND || /no message found/i.test(error.message)) return 0;
        throw error;
      }
    },
    /**
     * Delivers every entry after stream sequence `after` (of the databases `filter` names, or
     * all) in order to `onEntry({database, sequence, previous, epoch, node, changeset})`, awaiting
     * each. Returns {stop()}.
     */
    async follow(after, onEntry, { filter = SUBJECTS } = {}) {
      // An ordered push consumer: the client checks every delivery's sequence and recreates the
      // consumer from the last one it saw on any gap. (The newer pull `consume()` API needs
      // multi-filter support, which NATS 2.9 lacks.)
      const options = consumerOpts();
      options.orderedConsumer();
      if (after > 0) options.startSequence(after + 1);
      else options.deliverAll();
      const messages = await stream.subscribe(filter, options);
      const done = (async () => {
        for await (const message of messages) await onEntry(await entryOf(message));
      })();
      done.catch((error) => log(`change log consumer ended: ${error.message}`));
      return {
        async stop() {
          messages.unsubscribe();
          await done.catch(() => {});
        },
      };
    },
    /** Every entry of `database` up to stream sequence `upTo`, in order. */
    async entries(database, upTo) {
      const found = [];
      if (upTo <= 0) return found;
      let reached;
      const done = new Promise((resolve) => {
        reached = resolve;
      });
      const follower = await this.follow(
        0,
        async (entry) => {
          found.push(entry);
          if (entry.sequence >= upTo) reached();
        },
        { filter: subjectOf(database) },
      );
      await done;
      await follower.stop();
      return found.filter((entry) => entry.sequence <= upTo);
    },
    /**
     * Stores snapshot `name` (the bytes of a database file) and appends the entry naming it after
     * `previous`, as `append` does (StaleAppend when the subject moved on). Resolves to its sequence.
     */
    async appendSnapshot(database, name, bytes, { previous, epoch, node, digest }) {
      await (await snapshotStore()).putBlob({ name }, bytes);
      const head = natsHeaders();
      head.set('Leadline-Previous', String(previous));
      head.set('Leadline-Epoch', String(epoch));
      head.set('Leadline-Node', node);
      head.set(SNAPSHOT, name);
      head.set(DIGEST, digest);
      try {
        const ack = await stream.publish(subjectOf(database), new Uint8Array(0), {
          msgID: `${database}:${epoch}:${previous}:${name}`,
          expect: { lastSubjectSequence: previous },
          headers: head,
        });
        return ack.seq;
      } catch (error) {
        await (await snapshotStore()).delete(name).catch(() => {});
        if (error.api_error?.err_code === WRONG_LAST_SEQUENCE) throw new StaleAppend(error.message);
        throw error;
      }
    },
    /** The bytes of snapshot `name`, or null when a newer one replaced it. */
    async snapshot(name) {
      return (await snapshotStore()).getBlob(name);
    },
    /** Purges `database`'s entries before stream sequence `sequence`, and its snapshots but `keep`. */
    async purgeBefore(database, sequence, keep) {
      await manager.streams.purge(STREAM, { filter: subjectOf(database), seq: sequence });
      const store = await snapshotStore();
      for (const info of await store.list()) {
        if (info.name.startsWith(`${database}@`) && info.name !== keep) await store.delete(info.name);
      }
    },
    /** Every message the stream still stores, decoded (for tests and audits). */
    async storedEntries() {
      const info = await manager.streams.info(STREAM);
      const found = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
        try {
          found.push(await entryOf(await manager.streams.getMessage(STREAM, { seq })));
        } catch (error) {
          if (error.api_error?.err_code !== NO_MESSAGE_FOUND && !/no message found/i.test(error.message)) throw error;
        }
      }
      return found;
    },
    /** The names of the stored snapshots. */
    async snapshotNames() {
      return (await (await snapshotStore()).list()).map((info) => info.name);
    },
    async close() {
      await connection.drain().catch(() => {});
    },
  };
}
