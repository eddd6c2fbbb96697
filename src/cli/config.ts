/** `scaling-lens config` — placeholder until its layer lands. */
export async function runConfig(_args: string[]): Promise<number> {
  process.stderr.write('scaling-lens: config is not implemented yet\n');
  return 2;
}
