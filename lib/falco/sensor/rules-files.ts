import type { FalcoPlan } from './plan';
import { DetectionStackError } from '../../core/errors';
import type { ListItem, MacroItem, RuleItem, RulesFileItem } from '../rules/model';

/** The label on each team's rules object (ConfigMap, Operator Rulesfile) naming the team that owns its rules. */
export const OWNER_LABEL = 'detection-stack.io/owner';
/** The team of rules declared `{ unowned: reason }`. */
export const UNOWNED_TEAM = 'unowned';

/** One file of the node sensor's `/etc/falco/rules.d`, in the order Falco loads them (file name order). */
export interface FalcoRulesFile {
  /** `50-team-<team>.yaml`; `10-shared.yaml` for lists and macros no team's rule uses. */
  readonly fileName: string;
  /** The team that owns every rule of the file; none for the shared file. */
  readonly team?: string;
  readonly items: readonly RulesFileItem[];
}

const SHARED_FILE = '10-shared.yaml';
const teamFile = (team: string) => `50-team-${team}.yaml`;
const NAME_TOKEN = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The custom rules of the node sensor split by owning team, so each team's rules roll out and are reviewed on their
 * own: one file per team (`50-team-<team>.yaml`, in team order) with the custom lists and macros its rules use, then its
 * rules and its tunings of the default rules. Falco loads `/etc/falco/falco_rules.yaml` before `rules.d` (rules_files
 * order) and the files of a folder in name order, compiling after each file: so each file is self-contained, as the
 * upstream rules files are (a list or macro two teams use is in both files; a later definition replaces the earlier
 * one with the same text). Lists and macros no rule uses stay in `10-shared.yaml`, where Falco warns about them.
 * A change (override, append, enable) of another team's rule is refused: it would live in a file that may load
 * before the rule it changes.
 */
export function teamRulesFiles(falco: FalcoPlan): FalcoRulesFile[] {
  // rules.items: the lists and macros, the syscall custom rules in order, then the tunings (planFalco)
  const customs = falco.customRules.filter((r) => r.source === 'syscall');
  const tunings = new Map(falco.tuning.map((t) => [t.item, t.owner]));
  let nextCustom = 0;
  const shared: (ListItem | MacroItem)[] = [];
  const byTeam = new Map<string, RuleItem[]>();
  const definedBy = new Map<string, string>();
  for (const item of falco.rules.items) {
    if (item.kind === 'list' || item.kind === 'macro') {
      shared.push(item);
      continue;
    }
    if (item.kind !== 'rule') continue;
    const custom = tunings.has(item) ? undefined : customs[nextCustom++];
    const team = tunings.get(item) ?? (typeof custom?.owner === 'string' ? custom.owner : UNOWNED_TEAM);
    const definer = definedBy.get(item.name);
    if (changesEarlier(item) && definer !== undefined && definer !== team) {
      throw new DetectionStackError('DS-FALCO-018', `${falco.path}.customRules[rule '${item.name}']`,
        `a rule owned by '${team}' changes rule '${item.name}' of team '${definer}': each team's rules are a file of their own, and a file of another team may load first`,
        `give the change the owner of the rule it changes ('${definer}'), or change the rule itself`);
    }
    if (!changesEarlier(item)) definedBy.set(item.name, team);
    byTeam.set(team, [...(byTeam.get(team) ?? []), item]);
  }
  const usedAnywhere = new Set<RulesFileItem>();
  const teams = [...byTeam.keys()].sort().map((team) => {
    const rules = byTeam.get(team)!;
    const used = usedShared(shared, rules);
    used.forEach((i) => usedAnywhere.add(i));
    return { fileName: teamFile(team), team, items: [...used, ...rules] };
  });
  const unused = shared.filter((i) => !usedAnywhere.has(i));
  return [...(unused.length > 0 ? [{ fileName: SHARED_FILE, items: unused }] : []), ...teams];
}

/**
 * The lists and macros the rules use, directly or through each other, in their order: a name counts as used where it
 * appears as a word in a condition, an exception value or a list item (Falco substitutes list names in text).
 */
function usedShared(shared: readonly (ListItem | MacroItem)[], rules: readonly RuleItem[]): (ListItem | MacroItem)[] {
  const byName = new Map<string, (ListItem | MacroItem)[]>();
  for (const i of shared) byName.set(i.name, [...(byName.get(i.name) ?? []), i]);
  const used = new Set<ListItem | MacroItem>();
  const pending: string[] = rules.flatMap((r) => [r.condition ?? '', JSON.stringify(r.exceptions ?? [])]);
  while (pending.length > 0) {
    for (const word of pending.pop()!.match(NAME_TOKEN) ?? []) {
      for (const item of byName.get(word) ?? []) {
        if (used.has(item)) continue;
        used.add(item);
        pending.push(item.kind === 'macro' ? item.condition : item.items.join(' '));
      }
    }
  }
  return shared.filter((i) => used.has(i));
}

function changesEarlier(r: RuleItem): boolean {
  return r.override !== undefined || r.append === true || (r.enabled !== undefined && r.condition === undefined);
}
