// Configuration from the environment, with the defaults README documents.
import path from 'node:path';

export function readConfig(env = process.env) {
  const port = Number.parseInt(env.PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dbPath: path.resolve(env.LEADLINE_DB ?? 'data/leadline.db'),
    log: env.LEADLINE_LOG !== '0',
  };
}
