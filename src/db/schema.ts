// Row types of the tables. Times are ISO-8601 UTC text written by the application (never the
// database's CURRENT_TIMESTAMP), the same in both dialects, so they compare as strings.
import type { Generated, Selectable } from 'kysely';

export interface RegionTable {
  code: string;
  hcp_code: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  name_zgh: string | null;
  population_2024: number | null;
}

export interface ProvinceTable {
  code: string;
  region_code: string;
  type: 'province' | 'prefecture';
  name_ar: string;
  name_fr: string;
  name_en: string;
  name_zgh: string | null;
}

export interface SeedTable {
  name: string;
  applied_at: string;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  unique_key: string | null;
  status: 'pending' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface RateLimitTable {
  key: string;
  hits: number;
  reset_at: number;
}

export interface RateLimitSecretTable {
  day: string;
  secret: string;
}

export interface PageFeedbackTable {
  id: Generated<number>;
  path: string;
  locale: string;
  useful: number;
  day: string;
}

export interface DB {
  regions: RegionTable;
  provinces: ProvinceTable;
  seeds: SeedTable;
  jobs: JobTable;
  rate_limits: RateLimitTable;
  rate_limit_secrets: RateLimitSecretTable;
  page_feedback: PageFeedbackTable;
}

export type Job = Selectable<JobTable>;
