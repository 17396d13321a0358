// The order of everything surge sorts for people and for plans (actions, notices, listings): by UTF-16 code unit, as
// Array.prototype.sort orders strings by default and as the config hash sorts its keys. Not localeCompare: its order
// follows the user's locale (LANG), so one project could be planned in two orders on two machines, and its first
// call in a process loads ICU's collator, some 5 ms of every command's start (`node --cpu-prof` on a no-op `up`).

/** `a` before `b` by code unit: negative, zero or positive, for Array.prototype.sort. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
