import { describe, expect, it } from 'vitest';
import type { ProxyEvent } from '../../proxy/api/proxy-event.js';
import { describeEvent } from './event-text.js';

const share = (o: Partial<Extract<ProxyEvent, { type: 'share' }>>): ProxyEvent => ({
  type: 'share',
  at: 1,
  worker: 'rack.nerd-01',
  accepted: true,
  reason: null,
  code: null,
  difficulty: 0.001,
  share_difficulty: 3.2,
  forwarded: false,
  block_candidate: false,
  job_id: '1',
  ...o,
});

describe('describeEvent: shares in the feed', () => {
  it('marks a block candidate, accepted shares otherwise stay out of the feed', () => {
    expect(describeEvent(share({ block_candidate: true, forwarded: true }))).toEqual({
      kind: 'block',
      worker: 'rack.nerd-01',
      text: 'BLOCK candidate from rack.nerd-01: share difficulty 3.2, sent to the pool',
    });
    expect(describeEvent(share({}))).toBeUndefined();
    expect(describeEvent(share({ accepted: false, reason: 'duplicate', code: 22 }))?.kind).toBe('reject');
  });
});
