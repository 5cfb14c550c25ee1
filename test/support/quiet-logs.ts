import { Logger, type LoggerService } from '@nestjs/common';
import { TestingModuleBuilder } from '@nestjs/testing';

// Tests exercise failures on purpose, and Nest's testing logger prints every error they log.
// Unless TEST_LOGS=1, testing modules get a silent logger; suites that assert on logs install
// their own capturing logger with useLogger().
if (!process.env.TEST_LOGS) {
  const silent: LoggerService = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };
  Logger.overrideLogger(silent);
  const compile = TestingModuleBuilder.prototype.compile;
  TestingModuleBuilder.prototype.compile = function (this: TestingModuleBuilder, ...args) {
    if (!(this as unknown as { testingLogger?: LoggerService }).testingLogger) this.setLogger(silent);
    return compile.apply(this, args);
  };
}
