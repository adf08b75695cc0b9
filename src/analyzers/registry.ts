// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { HTTP } from './http/index.js';
import { FTP } from './ftp/index.js';
import { SMTP } from './smtp/index.js';
import { POP3 } from './pop3/index.js';
import { IMAP } from './imap/index.js';
import { TELNET } from './telnet/index.js';
import { RLOGIN } from './rlogin/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  HTTP,
  FTP,
  SMTP,
  POP3,
  IMAP,
  TELNET,
  RLOGIN,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
