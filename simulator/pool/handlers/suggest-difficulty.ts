import type { SuggestDifficultyRequest } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

/**
 * As the profile's pool takes it. The default: honoured once (NerdMiner re-suggests every 30 s),
 * clamped to [minDifficulty, maxDifficulty], fractions kept, answered `true`; before the first job
 * it just sets the starting difficulty, after it the miner gets set_difficulty and a new job.
 * public-pool: the first one, any value, answered only by a set_difficulty (at once, even before
 * authorize), later ones not at all. ckpool: only after authorize and only integers, each new
 * value taken, no answer but set_difficulty.
 */
export function handleSuggestDifficulty(session: PoolSession, req: SuggestDifficultyRequest): void {
  const habits = session.ctx.profile.suggest;
  const suggested = req.params.difficulty;
  const ignored =
    (habits.accepted === 'authorized' && session.workers.size === 0) ||
    (habits.values === 'integer' && !Number.isInteger(suggested)) ||
    (habits.honoured === 'first' ? session.suggestionHonoured : session.lastSuggestion === suggested);
  if (ignored) {
    if (habits.answer === 'true' && req.id !== null) session.reply(req.id, true);
    return;
  }
  session.suggestionHonoured = true;
  session.lastSuggestion = suggested;
  const difficulty = session.ctx.poolDifficulty(clamp(session, suggested));
  session.log.info({ suggested, difficulty }, 'difficulty suggestion honoured');
  if (habits.newJob) {
    session.ctx.applyDifficulty([session], difficulty);
  } else if (difficulty !== session.difficulty || habits.answer === 'set-difficulty') {
    session.difficulty = difficulty;
    session.announceDifficulty();
  }
  if (habits.answer === 'true' && req.id !== null) session.reply(req.id, true);
}

function clamp(session: PoolSession, suggested: number): number {
  const { minDifficulty, maxDifficulty } = session.ctx.options;
  switch (session.ctx.profile.suggest.clamp) {
    case 'min-max':
      return Math.min(maxDifficulty, Math.max(minDifficulty, suggested));
    case 'min':
      return Math.max(minDifficulty, suggested);
    case 'none':
      return suggested;
  }
}
