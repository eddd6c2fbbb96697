/**
 * Reinforcement-learning runs (PPO, GRPO, A2C…): their "losses" are the objectives of a policy that
 * makes its own data (a policy-gradient loss that goes negative, a value loss that follows the
 * returns, GRPO's β·KL that starts at 0 and grows), not a learning curve a scaling law describes;
 * their progress is the reward. Told from the log's column names, as the trainers write them.
 */

/** The last segment of a metric's name, lower case (`actor/pg_loss` → `pg_loss`). */
function leaf(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('.'));
  return name.slice(i + 1).toLowerCase();
}

const POLICY_LOSS = new Set(['pg_loss', 'policy_gradient_loss', 'policy_loss']);
const VALUE_LOSS = new Set(['vf_loss', 'value_loss', 'critic_loss']);

/**
 * What says a run is reinforcement learning, in words (`PPO's actor/pg_loss and critic/vf_loss`), or
 * undefined: a policy-gradient loss beside a value loss (verl, Stable-Baselines3, OpenRLHF), TRL's
 * PPO (`ppo/loss/policy`), or GRPO's `reward` beside `kl` (TRL's GRPOTrainer, Unsloth).
 */
export function rlRunOf(names: readonly string[]): string | undefined {
  const policy = names.find((n) => POLICY_LOSS.has(leaf(n)));
  const value = names.find((n) => VALUE_LOSS.has(leaf(n)));
  if (policy && value) return `a policy-gradient loss, "${policy}", beside a value loss, "${value}" (PPO, A2C)`;
  const trl = names.find((n) => n.toLowerCase() === 'ppo/loss/policy');
  if (trl) return `TRL's PPO ("${trl}")`;
  const reward = names.find((n) => leaf(n) === 'reward');
  const kl = names.find((n) => leaf(n) === 'kl');
  if (reward && kl) return `a reward, "${reward}", beside the KL to the reference model, "${kl}" (GRPO)`;
  return undefined;
}

/** The trust reason for a reinforcement-learning run (rlRunOf's words). */
export function rlReason(what: string): string {
  return `a reinforcement-learning run (${what}): its losses are the objectives of a policy that makes its own data (a policy-gradient loss can go negative, GRPO's β·KL starts at 0 and grows), not a learning curve a scaling law describes; its reward is its progress`;
}
