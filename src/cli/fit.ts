/** `scaling-lens fit` — placeholder until its layer lands. */
export async function runFit(_args: string[]): Promise<number> {
  process.stderr.write('scaling-lens: fit is not implemented yet\n');
  return 2;
}
