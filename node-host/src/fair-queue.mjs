// A bounded queue that takes turns between lanes (one lane per API key), so a tenant with a
// thousand requests waiting does not stand in front of another tenant's one.

// Of every this many turns while requests wait, background lanes get one.
const BACKGROUND_EVERY = 4;

export class FairQueue {
  /**
   * `capacity`: how many entries may wait in all lanes together; `laneCapacity`: in one lane
   * (a quarter of the whole by default), so one flood cannot fill the queue for everyone.
   */
  constructor(capacity, laneCapacity = Math.max(1, Math.ceil(capacity / 4))) {
    this.capacity = capacity;
    this.laneCapacity = laneCapacity;
    this.size = 0;
    this.lanes = new Map(); // lane → entries, in arrival order; Map order is the turn order
    this.background = new Set();
    this.sinceBackground = 0;
    this.foreground = 0; // entries waiting outside background lanes
  }

  /**
   * Makes `lane` background work (webhook delivery): while other lanes wait it gets one turn in
   * BACKGROUND_EVERY, so requests keep most of the engine; alone, it gets every turn.
   */
  markBackground(lane) {
    this.background.add(lane);
  }

  /**
   * Adds `entry` to `lane`; false (and nothing added) when the queue or the lane is full.
   * `laneCapacity` overrides the lane's share (the shared lane of unverified callers is small).
   */
  push(lane, entry, laneCapacity = this.laneCapacity) {
    const entries = this.lanes.get(lane);
    if (this.size >= this.capacity || (entries?.length ?? 0) >= laneCapacity) return false;
    if (entries) entries.push(entry);
    else this.lanes.set(lane, [entry]);
    this.size += 1;
    if (!this.background.has(lane)) this.foreground += 1;
    return true;
  }

  /** The oldest entry of the next lane in turn, or undefined when empty. */
  shift() {
    if (this.size === 0) return undefined;
    // A background lane's turn comes once every BACKGROUND_EVERY turns; the others take turns.
    const backgroundTurn = this.sinceBackground >= BACKGROUND_EVERY - 1;
    let chosen;
    for (const lane of this.lanes.keys()) {
      if (this.background.has(lane) === backgroundTurn) {
        chosen = lane;
        break;
      }
    }
    chosen ??= this.lanes.keys().next().value;
    this.sinceBackground = this.background.has(chosen) ? 0 : this.sinceBackground + 1;
    if (!this.background.has(chosen)) this.foreground -= 1;
    const entries = this.lanes.get(chosen);
    const entry = entries.shift();
    // The lane goes to the back of the turn order (or away when empty).
    this.lanes.delete(chosen);
    if (entries.length > 0) this.lanes.set(chosen, entries);
    this.size -= 1;
    return entry;
  }

  /** Removes and returns every waiting entry. */
  drain() {
    const all = [...this.lanes.values()].flat();
    this.lanes.clear();
    this.size = 0;
    this.foreground = 0;
    return all;
  }
}
