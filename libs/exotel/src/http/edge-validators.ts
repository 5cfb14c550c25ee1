import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { realInstant } from './edge-values';

// class-validator decorators for the management API's DTOs, on the same predicates as the
// webhooks' zod pieces (edge-schemas.ts): one meaning of "a real instant" everywhere.

/**
 * An ISO 8601 instant with its offset (`Z` or `+05:30`) that is a real date: February 30, hour 25
 * and years before 2000 are refused, not rolled over.
 */
export function IsRealInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRealInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && realInstant(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a real ISO 8601 instant with its offset, such as 2026-06-01T10:00:00+05:30`,
      },
    },
    options,
  );
}

/**
 * Like `@IsOptional()`, but only an absent field is skipped: `null` is validated (and refused by
 * the field's other rules), never read as "not given" nor as 1970.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
