import type { SuggestDifficultyRequest } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

/**
 * Honoured once, clamped to [minDifficulty, maxDifficulty], fractions kept (public-pool honours
 * the first too; NerdMiner re-suggests every 30 s). Before the first job it just sets the starting
 * difficulty; after, the miner gets set_difficulty and a new job.
 */
export function handleSuggestDifficulty(session: PoolSession, req: SuggestDifficultyRequest): void {
  if (!session.suggestionHonoured) {
    session.suggestionHonoured = true;
    const { minDifficulty, maxDifficulty } = session.ctx.options;
    const difficulty = Math.min(maxDifficulty, Math.max(minDifficulty, req.params.difficulty));
    session.log.info({ suggested: req.params.difficulty, difficulty }, 'difficulty suggestion honoured');
    session.ctx.applyDifficulty([session], difficulty);
  }
  if (req.id !== null) session.reply(req.id, true);
}
