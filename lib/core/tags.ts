/** Tag prefixes this project writes on pack rules; the report and the guardrails read them back. */
export const TAG_PREFIX = {
  owner: 'owner:',
  confidence: 'confidence:',
  runbook: 'runbook:',
  response: 'response:',
  pack: 'pack:',
  pattern: 'pattern:',
} as const;

/** The tag that names a detection pattern on Falco rules (and on Tetragon hooks). */
export const PATTERN_TAG_PREFIX = TAG_PREFIX.pattern;
