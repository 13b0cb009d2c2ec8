// Writes the README's "Error codes" tables from the registry (lib/core/error-codes), between the markers
// `<!-- error-codes:begin -->` and `<!-- error-codes:end -->`. test/core/error-codes-readme.test.ts fails when
// the README is stale. Run: npx ts-node --transpile-only scripts/gen-error-codes.ts
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  BUILDER_CODES, CLI_CODES, CodeEntry, EVALUATOR_CODES, RULE_LANGUAGE_CODES, STACK_CODE_AREAS,
} from '../lib/core/error-codes';

export const BEGIN = '<!-- error-codes:begin -->';
export const END = '<!-- error-codes:end -->';

const AREA_TITLES: Record<keyof typeof STACK_CODE_AREAS, string> = {
  PROPS: 'Stack props',
  FALCO: 'Falco sensor',
  TETRA: 'Tetragon',
  ROUTE: 'Routing',
  DURABLE: 'Durable storage',
  AUDIT: 'Audit',
  MON: 'Monitoring',
  PACK: 'Packs, investigation, report',
  PULUMI: 'Pulumi',
  FLEET: 'Fleets',
  CHECK: 'Suppressions',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function table(codes: Record<string, CodeEntry>, withFalco = false): string[] {
  const head = withFalco ? ['| code | level | Falco | meaning | fix |', '|---|---|---|---|---|'] : ['| code | level | meaning | fix |', '|---|---|---|---|'];
  return [...head, ...Object.entries(codes).map(([code, e]) => {
    const falco = withFalco && 'falco' in e ? ` \`${String(e.falco)}\` |` : '';
    return `| \`${code}\` | ${e.level} |${falco} ${cell(e.meaning)} | ${cell(e.fix)} |`;
  })];
}

/** The generated part of the README, markers included. */
export function renderErrorCodes(): string {
  const lines: string[] = [BEGIN, ''];
  for (const [area, codes] of Object.entries(STACK_CODE_AREAS) as [keyof typeof STACK_CODE_AREAS, Record<string, CodeEntry>][]) {
    lines.push(`#### ${AREA_TITLES[area]} (\`DS-${area}-*\`)`, '', ...table(codes), '');
  }
  lines.push('#### Falco rule language (`validate`, `loadRuleFiles`)', '', ...table(RULE_LANGUAGE_CODES, true), '');
  lines.push('#### Evaluator and events files (`test`, `evaluate`)', '', ...table(EVALUATOR_CODES), '');
  lines.push('#### Condition builder (`and`, `inList`, `field`...: `ConditionBuildError.code`)', '', ...table(BUILDER_CODES), '');
  lines.push('#### Command line', '', ...table(CLI_CODES), '', END);
  return lines.join('\n');
}

/** The README with its generated part replaced. */
export function withErrorCodes(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} ... ${END} markers`);
  return readme.slice(0, start) + renderErrorCodes() + readme.slice(end + END.length);
}

if (require.main === module) {
  const path = join(__dirname, '..', 'README.md');
  writeFileSync(path, withErrorCodes(readFileSync(path, 'utf8')));
}
