/** libsinsp field types (as `falco --list --format json` names them). */
export type FieldType =
  | 'CHARBUF' | 'BYTEBUF' | 'BOOL' | 'DOUBLE' | 'DYNAMIC' | 'IPADDR' | 'IPNET' | 'PORT'
  | 'INT16' | 'INT32' | 'INT64' | 'UINT32' | 'UINT64' | 'RELTIME' | 'ABSTIME' | string;

export interface CatalogueField {
  readonly name: string;
  readonly type: FieldType;
  /** The field yields several values (`ka.req.pod.containers.image`, `fd.types`). */
  readonly isList: boolean;
  /** Whether the field takes an argument (`proc.aname[2]`, `ka.uri.param[name]`). */
  readonly arg: 'none' | 'optional' | 'required';
  /** Argument forms when documented: `index` (`[0]`), `key` (`[name]`). */
  readonly argForms?: readonly ('index' | 'key')[];
  /** Deprecated: accepted with a warning (e.g. `evt.dir`). */
  readonly deprecated?: boolean;
}
