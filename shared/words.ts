/** Counts in words, for every host and the UI: "1 message", "1,204 messages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
