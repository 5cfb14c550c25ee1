// OpenAPI decorators for the module's controllers and DTOs. @nestjs/swagger is an optional peer:
// when the host has it, these are its decorators and the routes show in the host's document; when
// it does not, they do nothing, so a host without Swagger never has to install it.

type Swagger = typeof import('@nestjs/swagger');

function loadSwagger(): Swagger | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded if present
    return require('@nestjs/swagger') as Swagger;
  } catch {
    return undefined;
  }
}

const swagger = loadSwagger();
const inert = (): ClassDecorator & MethodDecorator & PropertyDecorator => () => undefined;

/** `@nestjs/swagger`'s decorator of that name, or one that does nothing without Swagger. */
function decorator<K extends keyof Swagger>(name: K): Swagger[K] {
  return (swagger?.[name] ?? inert) as Swagger[K];
}

export const ApiAcceptedResponse = decorator('ApiAcceptedResponse');
export const ApiBadRequestResponse = decorator('ApiBadRequestResponse');
export const ApiBearerAuth = decorator('ApiBearerAuth');
export const ApiBody = decorator('ApiBody');
export const ApiConflictResponse = decorator('ApiConflictResponse');
export const ApiConsumes = decorator('ApiConsumes');
export const ApiCreatedResponse = decorator('ApiCreatedResponse');
export const ApiExcludeController = decorator('ApiExcludeController');
export const ApiFoundResponse = decorator('ApiFoundResponse');
export const ApiHeader = decorator('ApiHeader');
export const ApiNotFoundResponse = decorator('ApiNotFoundResponse');
export const ApiOkResponse = decorator('ApiOkResponse');
export const ApiOperation = decorator('ApiOperation');
export const ApiPayloadTooLargeResponse = decorator('ApiPayloadTooLargeResponse');
export const ApiProperty = decorator('ApiProperty');
export const ApiPropertyOptional = decorator('ApiPropertyOptional');
export const ApiQuery = decorator('ApiQuery');
export const ApiSecurity = decorator('ApiSecurity');
export const ApiServiceUnavailableResponse = decorator('ApiServiceUnavailableResponse');
export const ApiTags = decorator('ApiTags');
export const ApiUnauthorizedResponse = decorator('ApiUnauthorizedResponse');
export const ApiUnprocessableEntityResponse = decorator('ApiUnprocessableEntityResponse');
