/** The roles an eval table's column can take (its own module: the extension host needs the list, not the reader). */
export type EvalRole =
  | 'problem' | 'attempt' | 'correct' | 'score' | 'n' | 'c' | 'model' | 'params' | 'budget' | 'prompt'
  | 'accuracy' | 'train_tokens' | 'other' | 'ignore';

export const EVAL_ROLES: readonly EvalRole[] = [
  'problem', 'attempt', 'correct', 'score', 'n', 'c', 'model', 'params', 'budget', 'prompt', 'accuracy', 'train_tokens', 'other', 'ignore',
];
