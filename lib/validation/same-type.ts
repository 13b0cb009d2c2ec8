// A compile-time proof that a schema accepts exactly the documented props interface: the interface (with its
// JSDoc) is the reference users read, the schema is what runs, and neither can drift from the other.

type Plain<T> = T extends (...args: never[]) => unknown ? T
  : T extends readonly (infer U)[] ? Plain<U>[]
    : T extends object ? { -readonly [K in keyof T]: Plain<T[K]> }
      : T;

/** `true` when A and B are the same type once `readonly` is ignored. */
export type SameType<A, B> =
  (<X>() => X extends Plain<A> ? 1 : 2) extends (<X>() => X extends Plain<B> ? 1 : 2) ? true : false;

/** Fails to compile unless its type argument is `true`. */
export function assertSameType<T extends true>(): T | undefined {
  return undefined;
}
