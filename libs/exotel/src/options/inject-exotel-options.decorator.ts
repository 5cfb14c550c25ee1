import { Inject } from '@nestjs/common';
import { EXOTEL_OPTIONS } from '../exotel.constants';

/** Injects the resolved, validated and frozen `ResolvedExotelOptions`. */
export const InjectExotelOptions = (): ParameterDecorator & PropertyDecorator => Inject(EXOTEL_OPTIONS);
