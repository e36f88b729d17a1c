// Summaries of repeated timings: nearest-rank percentiles, so every reported value was measured.

/** The p-th percentile (0–100) of `values` by nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** {median, p95, runs} of a list of milliseconds, rounded to 0.1 ms. */
export function summarise(ms) {
  const round = (value) => Math.round(value * 10) / 10;
  return { median: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), runs: ms.length };
}
