/**
 * Set on `globalThis` by a caller that runs a cdk8s app to read its plans (`detection-stack report`): `synthApp` then
 * throws a definition error to that caller, which reports it once, instead of printing it and letting the caller add a
 * second "no stack" error. A global symbol, as the app may load its own copy of the library.
 */
export const CAPTURE_DEFINITION_ERRORS = Symbol.for('detection-stack.capture-definition-errors');

/** Whether the running app's definition errors go to the caller that runs it. */
export function capturesDefinitionErrors(): boolean {
  return (globalThis as Record<symbol, unknown>)[CAPTURE_DEFINITION_ERRORS] === true;
}
