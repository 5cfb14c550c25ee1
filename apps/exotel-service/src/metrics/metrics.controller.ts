import { ExotelMetrics } from 'nestjs-exotel';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Prometheus metrics: the process's own and the library's `exotel_*` metrics. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly process = new Registry();

  constructor(private readonly exotel: ExotelMetrics) {
    collectDefaultMetrics({ register: this.process });
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response): Promise<void> {
    const merged = Registry.merge([this.process, this.exotel.registry]);
    response.setHeader('Content-Type', merged.contentType);
    response.send(await merged.metrics());
  }
}
