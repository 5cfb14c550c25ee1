import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ExotelEventsConsumerOptions } from './exotel-events-consumer.options';

/** Token of the consumer options as given. */
export const EXOTEL_CONSUMER_MODULE_OPTIONS = 'EXOTEL_CONSUMER_MODULE_OPTIONS';

/** Token of the consumer options after validation and defaults. */
export const EXOTEL_CONSUMER_OPTIONS = 'EXOTEL_CONSUMER_OPTIONS';

export const { ConfigurableModuleClass: ExotelEventsConsumerConfigurableModule } =
  new ConfigurableModuleBuilder<ExotelEventsConsumerOptions>({
    optionsInjectionToken: EXOTEL_CONSUMER_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createExotelEventsConsumerOptions')
    .build();
