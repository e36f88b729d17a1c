// The request log's writer. process.stdout is synchronous on Linux pipes and files, so one
// write per request costs a system call on the thread that serves every request; lines are
// gathered and written once per turn of the event loop instead (under the bench's 32-connection
// GET load that is one write per batch of replies instead of one per reply).
export function createLineLog(stream = process.stdout) {
  let pending = [];
  let scheduled = false;
  function flush() {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  }
  return {
    /** Queues one line; it is written before the event loop next waits for I/O. */
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    /** Writes whatever is queued now (before exiting). */
    flush,
  };
}
