// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { NTLM } from './ntlm/index.js';
import { SMB } from './smb/index.js';
import { LDAP } from './ldap/index.js';
import { RDP } from './rdp/index.js';
import { MYSQL } from './mysql/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  NTLM,
  SMB,
  LDAP,
  RDP,
  MYSQL,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
