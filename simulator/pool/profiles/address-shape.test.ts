import { describe, expect, it } from 'vitest';
import { isAddressUsername } from './address-shape.js';

describe('ADDRESS[.worker] usernames (public-pool)', () => {
  it('takes base58 and bech32 addresses of mainnet, testnet and regtest, with or without a worker', () => {
    for (const user of [
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.rig1',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.nerd-01',
      'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
      'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
      'bcrt1qs758ursh4q9z627kt3pp5yysm78ddny6txaqgw',
      'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn.w',
    ]) {
      expect(isAddressUsername(user), user).toBe(true);
    }
  });

  it('refuses names, mixed-case bech32, characters outside base58, and workers over 64 characters', () => {
    for (const user of [
      'alice.rig1',
      'karoo.upstream',
      '',
      'bc1Qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0',
      'bc1qb1ob',
      `1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.${'w'.repeat(65)}`,
    ]) {
      expect(isAddressUsername(user), user).toBe(false);
    }
  });
});
