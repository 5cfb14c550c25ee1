/**
 * Exotel writes Indian numbers in responses and callbacks in `0`-prefixed national form
 * (`09812345678`) even when E.164 was sent. Other countries' numbers are left as given.
 */
export function toNationalForm(number: string): string {
  const trimmed = number.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.startsWith('+') && !trimmed.startsWith('+91')) return trimmed;
  if (digits.length === 12 && digits.startsWith('91')) return `0${digits.slice(2)}`;
  if (digits.length === 10) return `0${digits}`;
  if (digits.length === 11 && digits.startsWith('0')) return digits;
  return trimmed;
}

/** E.164 for an Indian number in any of the accepted forms (`+91` and 10 digits). */
export function toE164(number: string): string {
  const national = toNationalForm(number);
  return /^0\d{10}$/.test(national) ? `+91${national.slice(1)}` : national;
}

/** A key that matches the same Indian number written as E.164, `91…`, `0…` or 10 digits. */
export function numberKey(number: string): string {
  return toNationalForm(number);
}

/** Loosely a phone number: an optional `+`, then 8 to 15 digits (spaces and dashes allowed). */
export function looksLikePhoneNumber(value: string): boolean {
  return /^\+?\d{8,15}$/.test(value.replace(/[\s-]/g, ''));
}
