import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+919876543210`), or null when it is not a valid number. National forms
 * are read as Indian by default: `09876543210`, `9876543210` and `+91 98765 43210` all give
 * `+919876543210`, as do Exotel's `0`-prefixed numbers in responses and callbacks. Validation is
 * libphonenumber-js's, with its metadata of number lengths and prefixes.
 */
export function toE164(input: string | null | undefined, defaultCountry: CountryCode = 'IN'): string | null {
  if (typeof input !== 'string' || input.trim() === '') return null;
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}
