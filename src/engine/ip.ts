/** IPv4 and IPv6 addresses and CIDR ranges for IpAddress and NotIpAddress. */

export interface IpRange {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail = '';
  const double = text.indexOf('::');
  if (double >= 0) {
    if (text.indexOf('::', double + 1) >= 0) return undefined;
    head = text.slice(0, double);
    tail = text.slice(double + 2);
  }
  const groups = (part: string): string[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const last = items[items.length - 1] ?? '';
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      items.splice(items.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return items.every((item) => /^[0-9a-fA-F]{1,4}$/.test(item)) ? items : undefined;
  };
  const first = groups(head);
  const second = groups(tail);
  if (first === undefined || second === undefined) return undefined;
  const missing = 8 - first.length - second.length;
  if (double >= 0 ? missing < 1 : missing !== 0) return undefined;
  const all = [...first, ...Array<string>(double >= 0 ? missing : 0).fill('0'), ...second];
  return all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

export function parseIpAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** `203.0.113.0/24`, `2001:db8::/32` or a single address. */
export function parseIpRange(text: string): IpRange | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;
  const parsed = parseIpAddress(address);
  if (parsed === undefined) return undefined;
  const bits = parsed.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { family: parsed.family, network: parsed.value & mask, prefix };
}

export function ipInRange(address: string, range: IpRange): boolean {
  const parsed = parseIpAddress(address.trim());
  if (parsed === undefined || parsed.family !== range.family) return false;
  const bits = range.family === 4 ? 32 : 128;
  const mask = range.prefix === 0 ? 0n : ((1n << BigInt(range.prefix)) - 1n) << BigInt(bits - range.prefix);
  return (parsed.value & mask) === range.network;
}
