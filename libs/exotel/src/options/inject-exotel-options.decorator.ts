import { Inject } from '@nestjs/common';
import { EXOTEL_OPTIONS } from '../exotel.constants';
import type { ResolvedExotelOptions } from './exotel-module-options.interface';

/** Token of one top-level group of the resolved options (`EXOTEL_OPTIONS.calls`, ...). */
export const exotelOptionsSliceToken = (slice: keyof ResolvedExotelOptions): string =>
  `${EXOTEL_OPTIONS}.${slice}`;

/**
 * Injects the resolved, validated and frozen `ResolvedExotelOptions`, or with `slice` only that
 * top-level group of them, so a class says which options it reads:
 *
 * ```ts
 * constructor(@InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls']) {}
 * ```
 */
export const InjectExotelOptions = (
  slice?: keyof ResolvedExotelOptions,
): ParameterDecorator & PropertyDecorator =>
  Inject(slice === undefined ? EXOTEL_OPTIONS : exotelOptionsSliceToken(slice));
