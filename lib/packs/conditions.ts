import type { PackContext } from './definition';
import type { Expr } from '../falco/language/ast';
import { and, eq, inList, neq, not, or, startsWith } from '../falco/language/build';

/**
 * Condition fragments shared by the pack rules. Each pack file is self-contained (no macro of
 * another rules file is assumed), so these are expanded inline rather than emitted as macros.
 */

/** A new process image: `execve`/`execveat` (Falco 0.44 sees exit events only). */
export function spawnedProcess(): Expr {
  return inList('evt.type', ['execve', 'execveat']);
}

/** The event happened in a container, not on the host. */
export function inContainer(): Expr {
  return neq('container.id', 'host');
}

/** The event happened in one of the product namespaces. */
export function inProductNamespace(ctx: PackContext): Expr {
  return inList('k8s.ns.name', ctx.namespaces);
}

/** A file opened for writing. */
export function openForWrite(): Expr {
  return and(inList('evt.type', ['open', 'openat', 'openat2']), eq('evt.is_open_write', 'true'));
}

/** An outbound IP connection that succeeded or is in progress (non-blocking sockets). */
export function outboundConnection(): Expr {
  return and(
    eq('evt.type', 'connect'),
    inList('evt.res', ['SUCCESS', 'EINPROGRESS']),
    eq('fd.sockfamily', 'ip'),
    not(inList('fd.snet', ['127.0.0.0/8'])),
  );
}

/** `field startswith a or field startswith b ...`. */
export function startsWithAny(fieldName: string, prefixes: readonly string[]): Expr {
  return or(...prefixes.map((p) => startsWith(fieldName, p)));
}

/** Exempts the trusted images, when any are given (an empty list would be a syntax error). */
export function unlessAllowedImage(ctx: PackContext): Expr[] {
  return ctx.allowedImages.length > 0 ? [not(inList('container.image.repository', ctx.allowedImages))] : [];
}

/** Exempts the expected binaries, when any are given. */
export function unlessAllowedBinary(ctx: PackContext): Expr[] {
  return ctx.allowedBinaries.length > 0 ? [not(inList('proc.name', ctx.allowedBinaries))] : [];
}

/** Exempts the trusted Kubernetes identities, when any are given. */
export function unlessTrustedIdentity(ctx: PackContext): Expr[] {
  return ctx.trustedIdentities.length > 0 ? [not(inList('ka.user.name', ctx.trustedIdentities))] : [];
}
