// `a.push(...b)` passes every element of b as an argument: past ~120,000 elements (a package of
// 130,000 files) that overflows the stack and the scan dies. Lists whose length the scanned tree
// decides are appended with this instead.
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
