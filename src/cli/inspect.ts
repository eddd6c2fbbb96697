/** `scaling-lens inspect` — placeholder until its layer lands. */
export async function runInspect(_args: string[]): Promise<number> {
  process.stderr.write('scaling-lens: inspect is not implemented yet\n');
  return 2;
}
