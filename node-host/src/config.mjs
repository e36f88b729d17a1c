// Configuration from the environment, with the defaults README documents.
import path from 'node:path';

export function readConfig(env = process.env) {
  const port = Number.parseInt(env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got ${env.PORT}`);
  const retentionDays = Number(env.LEADLINE_RECEIPT_RETENTION_DAYS ?? '7');
  if (!(retentionDays > 0)) {
    throw new Error(`LEADLINE_RECEIPT_RETENTION_DAYS must be a positive number, got ${env.LEADLINE_RECEIPT_RETENTION_DAYS}`);
  }
  return {
    port,
    engineOptions: { receiptRetentionMs: Math.round(retentionDays * 24 * 60 * 60 * 1000) },
    host: env.HOST ?? '0.0.0.0',
    dbPath: path.resolve(env.LEADLINE_DB ?? 'data/leadline.db'),
    log: env.LEADLINE_LOG !== '0',
    // Fault injection for the crash-safety tests only; documented in README.
    crashAfterCommit: env.LEADLINE_TEST_FAULT === 'crash-after-commit',
  };
}
