// The wardline version, reported in report.json and `--version`.
export const VERSION = '0.1.0';
