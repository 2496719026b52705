import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Field names whose values never reach a log line, wherever they appear. Personal data should not be
 * logged in the first place; this is the net under that rule, and test/bff/app/log-privacy checks the result.
 */
export const REDACTED_FIELDS = [
  'name',
  'idNumber',
  'address',
  'image',
  'portrait',
  'password',
  'code',
  'token',
  'accessToken',
  'refreshToken',
  'reauthToken',
  'authorization',
  'cookie',
  'credential',
];

/** Structured JSON logs on stdout (or a given stream, for tests that read the log). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino(
    {
      level,
      base: { service: 'bff' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
