import { Logger } from '@nestjs/common';

// Nest's console logger is silenced in tests (set TEST_LOGS=1 to see it); suites that assert on
// logs install their own capturing logger.
if (!process.env.TEST_LOGS) Logger.overrideLogger(false);
