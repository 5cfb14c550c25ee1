import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from '../errors/http-request.errors';
import { unsafeTextIn } from './edge-values';

/**
 * The validation pipe used on every DTO: unknown fields are refused, values are converted to the
 * DTO's types, and failures become `VALIDATION_FAILED` naming each bad field. Before any of that,
 * every body, query and route parameter (typed or not) is refused when any text in it is one the
 * database would refuse (a NUL, a lone UTF-16 surrogate), so no handler ever sees one.
 */
export function createExotelValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}

class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const unsafe = unsafeTextIn(value, metadata.data ?? `(${metadata.type})`);
      if (unsafe) throw new ValidationFailedError([unsafe]);
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
