// Owned by the Tetragon layer.

/** Tetragon sensor. */
export interface TetragonSensorProps {
  readonly _placeholder?: never;
}

/** Which sensor owns which detection when Falco and Tetragon run together. */
export interface SensorOwnershipProps {
  readonly _placeholder?: never;
}
