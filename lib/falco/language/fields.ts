import type { CatalogueField } from './field-types';
import { GENERATED_FIELD_CATALOGUE } from './fields-catalogue.generated';

export type { CatalogueField, FieldType } from './field-types';

/**
 * The catalogue of fields per event source: names, libsinsp types, list-ness and argument rules.
 * Generated from Falco 0.44.1's own field list and the plugins' documentation
 * (scripts/gen-field-catalogue.ts); plain data at run time.
 */

/** The sources the catalogue knows. */
export const KNOWN_SOURCES = Object.freeze(Object.keys(GENERATED_FIELD_CATALOGUE));

/** Fields whose argument may also follow a dot: `evt.arg.flags`, `evt.rawarg.res`, `evt.type.is.open`. */
const DOTTED_ARGUMENT_FIELDS: ReadonlySet<string> = new Set(['evt.arg', 'evt.rawarg', 'evt.type.is']);
/** `evt.abspath.src` and `evt.abspath.dst` are spelled out fields of their own in libsinsp. */
const ABSPATH_VARIANTS: ReadonlySet<string> = new Set(['evt.abspath.src', 'evt.abspath.dst']);

const INDEX = new Map<string, ReadonlyMap<string, CatalogueField>>(
  Object.entries(GENERATED_FIELD_CATALOGUE).map(([source, fields]) => [source, new Map(fields.map((f) => [f.name, f]))]),
);

/** A field name resolved against the catalogue. */
export interface FieldLookup {
  readonly field: CatalogueField;
  /** The argument given after a dot (`evt.arg.flags` gives `flags`). */
  readonly dottedArg?: string;
}

/** Whether the catalogue has fields for this source. */
export function isKnownSource(source: string): boolean {
  return INDEX.has(source);
}

/** All fields of a source, sorted by name (empty for an unknown source). */
export function fieldsOf(source: string): readonly CatalogueField[] {
  return GENERATED_FIELD_CATALOGUE[source] ?? [];
}

/** Looks a field name up for a source, handling `evt.arg.NAME`-style arguments. */
export function lookupField(source: string, name: string): FieldLookup | undefined {
  const fields = INDEX.get(source);
  if (!fields) return undefined;
  const exact = fields.get(name);
  if (exact) return { field: exact };
  if (ABSPATH_VARIANTS.has(name)) {
    const abspath = fields.get('evt.abspath');
    return abspath && { field: { ...abspath, name, arg: 'none' } };
  }
  for (const base of DOTTED_ARGUMENT_FIELDS) {
    if (name.startsWith(`${base}.`) && name.length > base.length + 1) {
      const field = fields.get(base);
      if (field) return { field, dottedArg: name.slice(base.length + 1) };
    }
  }
  return undefined;
}

/** Field names of a source close to a misspelt one, for "did you mean" hints. */
export function suggestFields(source: string, name: string, max = 3): string[] {
  const fields = INDEX.get(source);
  if (!fields) return [];
  const scored = [...fields.keys()]
    .map((candidate) => ({ candidate, distance: editDistance(candidate, name) }))
    .filter((s) => s.distance <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
