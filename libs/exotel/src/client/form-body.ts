import type { ExotelArrayEncoding } from '../options/exotel-module-options.interface';

/** A form field value: scalars are written once, arrays in the chosen array encoding. */
export type FormValue = string | number | boolean | readonly (string | number)[] | undefined | null;

/**
 * Writes v1 form parameters as `application/x-www-form-urlencoded`, leaving out empty values.
 * Arrays follow one of the three encodings Exotel accepts in working code:
 * `brackets` (`Key[]=a&Key[]=b`), `indexed` (`Key[0]=a&Key[1]=b`) or `repeat` (`Key=a&Key=b`).
 */
export function encodeForm(fields: Readonly<Record<string, FormValue>>, arrays: ExotelArrayEncoding): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => body.append(arrayKey(key, index, arrays), String(item)));
    } else {
      body.append(key, String(value));
    }
  }
  return body.toString();
}

function arrayKey(key: string, index: number, arrays: ExotelArrayEncoding): string {
  switch (arrays) {
    case 'brackets':
      return `${key}[]`;
    case 'indexed':
      return `${key}[${index}]`;
    case 'repeat':
      return key;
  }
}
