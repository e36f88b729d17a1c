// A bounded queue that takes turns between lanes (one lane per API key), so a tenant with a
// thousand requests waiting does not stand in front of another tenant's one.

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
    return true;
  }

  /** The oldest entry of the next lane in turn, or undefined when empty. */
  shift() {
    for (const [lane, entries] of this.lanes) {
      const entry = entries.shift();
      // The lane goes to the back of the turn order (or away when empty).
      this.lanes.delete(lane);
      if (entries.length > 0) this.lanes.set(lane, entries);
      this.size -= 1;
      return entry;
    }
    return undefined;
  }

  /** Removes and returns every waiting entry. */
  drain() {
    const all = [...this.lanes.values()].flat();
    this.lanes.clear();
    this.size = 0;
    return all;
  }
}
