// The gateway's canonical JSON (docs/receipts.md, "The action's hash"): keys
// sorted by UTF-8 byte value at every level, no whitespace, minimal string
// escapes, numbers as the gateway's encoder writes them. The receipt's
// action_sha256 is over these bytes, so they must match the C++ encoder
// (src/codec/json_util.cc, json_string.cc) byte for byte.

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return canonicalNumber(value);
    case 'string':
      return canonicalString(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
      return '{' + entries.map(([k, v]) => canonicalString(k) + ':' + canonicalJson(v)).join(',') + '}';
    }
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  }
}

// Control characters get short escapes where JSON has them, else \u00xx in
// lower-case hex; everything else (DEL and non-ASCII included) is written as is.
function canonicalString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c >= 0x20) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else out += '\\u' + c.toString(16).padStart(4, '0');
  }
  return out + '"';
}

// The gateway reads integers as 64-bit integers and writes them as digits, and
// other numbers as the shortest decimal that reads back as the same double in
// {fmt}'s layout: plain digits for decimal exponents -4..15, else d.ddde±XX
// (at least two exponent digits). JavaScript has one number type, so an
// integral value is written as digits (as the gateway writes an integer
// parameter); see docs/clients/typescript.md for the one ambiguity this leaves
// (integral amounts of 1e16 and more).
function canonicalNumber(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
  const [digits, exponent] = shortestDigits(v);
  const sign = v < 0 ? '-' : '';
  const sci = exponent; // position of the decimal point after the first digit
  if (sci < -4 || sci >= 16) {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(sci).toString().padStart(2, '0');
    return `${sign}${mantissa}e${sci < 0 ? '-' : '+'}${e}`;
  }
  if (sci < 0) return `${sign}0.${'0'.repeat(-sci - 1)}${digits}`;
  if (digits.length <= sci + 1) return sign + digits + '0'.repeat(sci + 1 - digits.length);
  return `${sign}${digits.slice(0, sci + 1)}.${digits.slice(sci + 1)}`;
}

// JavaScript's own number formatting already yields the shortest round-trip
// digits; toExponential without an argument exposes them with the exponent.
function shortestDigits(v: number): [string, number] {
  const [mantissa, exp] = Math.abs(v).toExponential().split('e');
  return [mantissa.replace('.', ''), Number(exp)];
}
