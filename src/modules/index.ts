import { HealthModule } from './health/health.module';

/** Every feature module, in one list for the app module. */
export const FEATURE_MODULES = [HealthModule];
