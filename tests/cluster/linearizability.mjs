// A linearizability checker for one lead seen as a register (Wing & Gong's search, with
// memoisation as in Lowe's and Knossos's checkers). The history is every operation's invocation
// and completion time as the clients saw them; an operation whose outcome is unknown (a timeout,
// a 503 on a write) may have taken effect at any point after its invocation, or never.
//
// Operations: {kind: 'update', value} → 'ok' | 'missing'; {kind: 'read'} → the value or
// 'missing'; {kind: 'delete'} → 'ok' | 'missing'. `result: undefined` marks an unknown outcome.

/** The register's step: the state after `op` from `state`, and the result it returns. */
function step(state, op) {
  switch (op.kind) {
    case 'update':
      return state.exists ? { state: { exists: true, value: op.value }, result: 'ok' } : { state, result: 'missing' };
    case 'delete':
      return state.exists ? { state: { exists: false, value: null }, result: 'ok' } : { state, result: 'missing' };
    case 'read':
      return { state, result: state.exists ? state.value : 'missing' };
    default:
      throw new Error(`unknown operation ${op.kind}`);
  }
}

/**
 * Whether `history` (operations with invokedAt, completedAt — Infinity when unknown — and result)
 * has an order consistent with real time in which each known result is what the register
 * returns, starting from `initial` ({exists, value}). Returns {ok, order?}.
 */
export function checkLinearizable(history, initial) {
  // An update of unknown outcome whose value no read returned can always be taken as never having
  // happened (an update changes nothing else), so leaving it out loses nothing and keeps the
  // search small when a fault leaves many writes unanswered.
  const readValues = new Set(history.filter((op) => op.kind === 'read' && op.result !== undefined).map((op) => op.result));
  const relevant = history.filter((op) => !(op.kind === 'update' && op.result === undefined && !readValues.has(op.value)));
  const ops = relevant.map((op, index) => ({ ...op, index, completedAt: op.result === undefined ? Infinity : op.completedAt }));
  const seen = new Set();
  const order = [];

  // Operations that may come next: not yet placed, and invoked before every unplaced operation's
  // completion (nothing that completed earlier is still waiting).
  function candidates(placed) {
    let earliestCompletion = Infinity;
    for (const op of ops) if (!placed.has(op.index)) earliestCompletion = Math.min(earliestCompletion, op.completedAt);
    return ops.filter((op) => !placed.has(op.index) && op.invokedAt <= earliestCompletion);
  }

  function search(placed, state) {
    // Every known operation placed: the unknown ones left may simply never have happened.
    if (ops.every((op) => placed.has(op.index) || op.result === undefined)) return true;
    const key = `${[...placed].sort((a, b) => a - b).join(',')}|${JSON.stringify(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (const op of candidates(placed)) {
      const next = step(state, op);
      if (op.result !== undefined && next.result !== op.result) continue;
      placed.add(op.index);
      order.push(op.index);
      if (search(placed, next.state)) return true;
      order.pop();
      placed.delete(op.index);
    }
    return false;
  }

  const ok = search(new Set(), initial);
  return ok ? { ok, order: [...order] } : { ok };
}
