/** A Falco plugin to load: one entry of `plugins` plus its name in `load_plugins`. */
export interface FalcoPluginPlan {
  /** Plugin name as Falco knows it (`container`, `k8saudit-eks`, ...). */
  readonly name: string;
  /** `library_path`: a file name is looked up in /usr/share/falco/plugins. */
  readonly libraryPath: string;
  /** `init_config`: an object (written as YAML) or a string. @default none */
  readonly initConfig?: Readonly<Record<string, unknown>> | string;
  /** `open_params` (source plugins). @default none */
  readonly openParams?: string;
}
