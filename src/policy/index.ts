// `wardline policy`: a least-privilege segmentation policy from an `analyze` output folder
// (report.json's devices, logs/conn.log's conversations) or from the store (its devices and the
// conversations analyze --db and monitor --db keep).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Device } from '../report/model.js';
import type { Store } from '../store/store.js';
import { readConnLog } from './conversations.js';
import { buildPolicy, type Policy, type PolicyOptions } from './policy.js';

export class PolicyInputError extends Error {}

export async function policyFromDir(dir: string, opts: Omit<PolicyOptions, 'source'>): Promise<Policy> {
  const reportPath = join(dir, 'report.json');
  const connPath = join(dir, 'logs', 'conn.log');
  if (!existsSync(reportPath)) throw new PolicyInputError(`${reportPath}: not found (--from takes the folder wardline analyze --out wrote)`);
  if (!existsSync(connPath)) throw new PolicyInputError(`${connPath}: not found (an analysis with --no-analyzers or an older folder?)`);
  let devices: Device[];
  try {
    const r = JSON.parse(readFileSync(reportPath, 'utf8')) as { devices?: unknown };
    if (!Array.isArray(r.devices)) throw new Error('no devices array');
    devices = r.devices as Device[];
  } catch (e) {
    throw new PolicyInputError(`${reportPath}: ${(e as Error).message}`);
  }
  const c = await readConnLog(connPath);
  if (c.bad > 0 && c.bad === c.lines) throw new PolicyInputError(`${connPath}: no line is a conn.log record`);
  return buildPolicy(devices, c.conversations, { ...opts, source: connPath });
}

export function policyFromStore(store: Store, path: string, opts: Omit<PolicyOptions, 'source'>): Policy {
  return buildPolicy(store.devices(), store.conversations(), { ...opts, source: `store ${path}` });
}
