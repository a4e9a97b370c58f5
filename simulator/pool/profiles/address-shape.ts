const BASE58 = /^[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const BECH32 = /^(bc|tb|bcrt)1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,87}$/;

/**
 * Whether `user` is `ADDRESS[.worker]` with something shaped like a Bitcoin address (base58
 * P2PKH/P2SH or bech32/bech32m, mainnet, testnet or regtest). A shape, not a checksum:
 * public-pool checks the address for its one configured network with bitcoin-address-validation;
 * the simulator serves no network, so it only refuses what no network would take.
 */
export function isAddressUsername(user: string): boolean {
  const [address = '', worker] = user.split('.');
  if (worker !== undefined && worker.length > 64) return false;
  if (BASE58.test(address)) return true;
  const lower = address.toLowerCase();
  // bech32 is one case or the other, never mixed.
  return (address === lower || address === address.toUpperCase()) && BECH32.test(lower);
}
