// Owned by the Falco sensor layer.

/** Falco sensor. */
export interface FalcoSensorProps {
  readonly _placeholder?: never;
}
