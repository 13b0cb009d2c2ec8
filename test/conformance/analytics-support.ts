import { generateKeyPairSync } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { writeShipperConfig } from './workload-files';
import { OCI_KEY_DIR, OCI_KEY_FILE } from '../../lib/durable/analytics';
import type { ShipperPlan } from '../../lib/durable/plan';

/** Writes the shipper's files with the OCI key where its Secret volume mounts it (inside `dir`). */
export function writeWithKey(plan: ShipperPlan, dir: string, replace: readonly [string, string][] = []): string {
  const keyDir = join(dir, 'secrets');
  mkdirSync(keyDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(keyDir, OCI_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o400 });
  return writeShipperConfig(plan, dir, [[OCI_KEY_DIR, keyDir], ...replace]);
}

