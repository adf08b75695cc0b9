// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec } from './types.js';

export const ANALYZERS: AnalyzerSpec[] = [];
