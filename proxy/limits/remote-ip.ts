/**
 * The IP part of a remote address as the listeners format it (`1.2.3.4:5678`, `[::1]:5678`).
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes the IPv4 address, so a dual-stack listener counts
 * one host once.
 */
export function ipOfRemote(remote: string | undefined): string {
  if (!remote) return 'unknown';
  let ip = remote;
  if (ip.startsWith('[')) {
    const close = ip.indexOf(']');
    ip = close === -1 ? ip.slice(1) : ip.slice(1, close);
  } else {
    const colon = ip.lastIndexOf(':');
    if (colon !== -1 && ip.indexOf(':') === colon) ip = ip.slice(0, colon);
  }
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return (mapped ? mapped[1] : ip) ?? ip;
}
