/**
 * Orders strings by UTF-16 code unit, the same on every machine. `localeCompare` would depend on
 * the host's locale and, the first time it runs, pages about 3 MB of ICU collation data into the
 * process: an ordering that only has to be stable (hashes, listings of identifiers) needs neither.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
