import { Injectable } from '@nestjs/common';
import { NoPersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';

/** Retention runs record counts per kind, about nobody. */
@Injectable()
export class RetentionPersonalData extends NoPersonalData {
  readonly feature = 'retention';
  readonly tables = new Map([['retention_runs', 'no personal data (when each run ran and how many rows of each kind it deleted)']]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }
}
