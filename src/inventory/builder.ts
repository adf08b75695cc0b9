// The device inventory the CLI plugs into the pipeline; null until src/inventory lands.
import type { DeviceBuilder } from '../engine/pipeline.js';

export const INVENTORY: ((paths: () => readonly string[]) => DeviceBuilder) | null = null;
