import { defineCodes } from './entry';

/** Detection packs, investigation queries and the report's app loading (lib/packs, lib/investigation, lib/report). */
export const PACK_CODES = defineCodes({
  'DS-PACK-001': { level: 'error', meaning: 'a pack is given no product namespace', fix: 'list the namespaces the product runs in, e.g. namespaces: [\'billing\', \'checkout\']' },
  'DS-PACK-002': { level: 'error', meaning: 'a product namespace is not a valid namespace name', fix: 'use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit' },
  'DS-PACK-003': { level: 'error', meaning: 'an unknown pack, rule or parameter name', fix: 'use one of the names the message lists' },
  'DS-PACK-004': { level: 'error', meaning: 'a pack list value is empty or carries a NUL character', fix: 'give a non-empty string without NUL characters' },
  'DS-PACK-005': { level: 'error', meaning: 'a pack list is empty, which leaves its rule with nothing to watch', fix: 'omit the list for the defaults, or disable the rule with disabledRules' },
  'DS-PACK-006': { level: 'error', meaning: 'a namespace is both a product and an infrastructure namespace', fix: 'a namespace where privileged pods are expected cannot be a product namespace: remove it from one of the two lists' },
  'DS-PACK-007': { level: 'error', meaning: 'a pack\'s owning team is not a valid team name', fix: 'use lowercase letters, digits, \'-\' or \'_\' (the name routing knows the team by)' },
  'DS-PACK-008': { level: 'error', meaning: 'a response hook names no valid response action', fix: 'name the action explicitly, e.g. \'kubernetes:terminate\' (lowercase words, one optional \':\')' },
  'DS-PACK-010': { level: 'error', meaning: 'the packs\' runbook URL is not a usable https URL', fix: 'give an https:// URL of letters, digits and . _ ~ / - only (no query, no %, which Falco outputs read as a field)' },
  'DS-PACK-011': { level: 'error', meaning: 'a team excluded from the packs owns none of their rules', fix: 'name a team that owns pack rules (the message lists them), or remove it from excludeOwners' },
  'DS-PACK-012': { level: 'error', meaning: 'a stack runs only Tetragon, and enabled pack rules have no Tetragon form', fix: 'enable sensors.falco to run them, or disable the rules the message lists (packs.disabledRules)' },
  'DS-PACK-020': { level: 'error', meaning: 'an investigation query value is empty or carries a control character', fix: 'remove control characters (newlines, tabs, NUL) from the name, and give every name' },
  'DS-PACK-021': { level: 'error', meaning: 'a value cannot be placed in an OCI Logging search query safely', fix: 'use only letters, digits, spaces and . - _ : / * @ < > (Kubernetes names and OCIDs always do)' },
  'DS-PACK-022': { level: 'error', meaning: 'the investigation look-back is not a usable number of hours', fix: 'give a whole number of hours between 1 and 2160' },
  'DS-PACK-030': { level: 'error', meaning: 'the app to report on is not a file or an example folder with main.ts', fix: 'give an example folder (with main.ts) or the app file' },
  'DS-PACK-031': { level: 'error', meaning: 'ts-node is needed to run a TypeScript app and was not found', fix: 'npm install --save-dev ts-node, or compile the app and pass its .js file' },
  'DS-PACK-032': { level: 'error', meaning: 'the app synthesized no DetectionStack', fix: 'create a DetectionStack in the app and call app.synth() when it runs as the main module' },
  'DS-PACK-033': { level: 'error', meaning: 'the app threw an error while it ran (not a definition error of a DetectionStack)', fix: 'run the app as cdk8s synth does (npx ts-node main.ts) and fix the error there; the report needs an app that runs' },
  'DS-PACK-101': { level: 'error', meaning: 'a response hook is attached to a rule that is not high-confidence at CRITICAL or above', fix: 'remove the response hook (responseHooks) from this rule, or attach it to a confidence:high rule at CRITICAL, ALERT or EMERGENCY' },
});
