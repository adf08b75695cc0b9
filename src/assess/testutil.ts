// Test helper: run captures through the whole pipeline with an Observer on the engine's hooks,
// then assess with devices built from the observations (the inventory's stand-in in tests).
import { KnowledgeBase } from '../knowledge/kb.js';
import { runCaptures, type RunOutput } from '../testutil/corpus.js';
import type { Device } from '../report/model.js';
import { assess, type AssessInput, type AssessResult } from './assess.js';
import { devicesFromObservations } from './hosts.js';
import { Observer, type Observations } from './observe.js';

let kbCache: KnowledgeBase | null = null;

export function testKb(): KnowledgeBase {
  kbCache ??= KnowledgeBase.load();
  return kbCache;
}

export interface Assessed {
  obs: Observations;
  result: AssessResult;
  run: RunOutput;
}

/** Analyses `paths` and assesses them; `devices` maps the observation-built devices first. */
export async function assessCaptures(paths: string[], opts: { devices?: (d: Device[]) => Device[]; asOf?: string; input?: Partial<AssessInput> } = {}): Promise<Assessed> {
  const kb = testKb();
  const observer = new Observer({ kb, paths: () => paths });
  const run = await runCaptures(paths, undefined, { onEvent: observer.onEvent, onConn: observer.onConn });
  const obs = observer.result();
  let devices = devicesFromObservations(obs, kb);
  if (opts.devices !== undefined) devices = opts.devices(devices);
  const result = assess({ devices, observations: obs, kb, asOf: opts.asOf, ...opts.input });
  return { obs, result, run };
}
