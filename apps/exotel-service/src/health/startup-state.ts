import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';

/** Whether start-up (database connection, migrations, module initialisation) has finished. */
@Injectable()
export class StartupState implements OnApplicationBootstrap {
  private startedAt?: Date;

  onApplicationBootstrap(): void {
    this.startedAt = new Date();
  }

  /** When start-up finished, if it has. */
  get started(): Date | undefined {
    return this.startedAt;
  }
}
