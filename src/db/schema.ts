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
  organisations: OrganisationTable;
  users: UserTable;
  user_roles: UserRoleTable;
  one_time_tokens: OneTimeTokenTable;
  sessions: SessionTable;
  organisation_keys: OrganisationKeyTable;
  organisation_key_grants: OrganisationKeyGrantTable;
  audit_log: AuditLogTable;
  institutions: InstitutionTable;
  offices: OfficeTable;
  office_coverage: OfficeCoverageTable;
  orientation_versions: OrientationVersionTable;
  orientation_counts: OrientationCountTable;
  channels: ChannelTable;
  reports: ReportTable;
  report_messages: ReportMessageTable;
  report_drafts: ReportDraftTable;
  reporter_sessions: ReporterSessionTable;
  movable_holidays: MovableHolidayTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  case_transfers: CaseTransferTable;
  case_notes: CaseNoteTable;
  custody_requests: CustodyRequestTable;
  protection_items: ProtectionItemTable;
  report_keys: ReportKeyTable;
  report_attachments: ReportAttachmentTable;
  questionnaire_versions: QuestionnaireVersionTable;
  case_holds: CaseHoldTable;
  purged_cases: PurgedCaseTable;
  purged_case_items: PurgedCaseItemTable;
}

export type Job = Selectable<JobTable>;

export interface OrganisationTable {
  id: Generated<number>;
  slug: string;
  kind: 'institution' | 'office' | 'ngo';
  parent_id: number | null;
  name_ar: string;
  name_fr: string;
  name_en: string;
  name_zgh: string | null;
  recovery_public_key: string;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  organisation_id: number | null;
  status: 'invited' | 'active' | 'deactivated';
  preferred_locale: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  public_key: string | null;
  private_key_by_password: string | null;
  recovery: string | null;
  created_at: string;
  updated_at: string;
  activated_at: string | null;
  deactivated_at: string | null;
}

export interface UserRoleTable { user_id: number; role: string }

export interface OneTimeTokenTable {
  token_hash: string;
  user_id: number;
  purpose: 'activation' | 'password-reset';
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_key_box: string | null;
}

export interface OrganisationKeyTable {
  id: Generated<number>;
  organisation_id: number;
  public_key: string;
  created_at: string;
  retired_at: string | null;
}

export interface OrganisationKeyGrantTable {
  id: Generated<number>;
  key_id: number;
  kind: 'member' | 'recovery';
  user_id: number | null;
  sealed_private_key: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  organisation: string;
  action: string;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface InstitutionTable {
  id: Generated<number>;
  slug: string;
  organisation_id: number | null;
  receives_reports: number;
  website: string | null;
  profile: string;
  sort_order: number;
  updated_at: string;
}

export interface OfficeTable {
  id: Generated<number>;
  slug: string;
  institution_id: number;
  supervisor_office_id: number | null;
  organisation_id: number | null;
  profile: string;
  updated_at: string;
}

export interface OfficeCoverageTable { office_id: number; region_code: string | null; province_code: string | null }

export interface OrientationVersionTable {
  id: Generated<number>;
  status: 'draft' | 'published' | 'retired';
  graph: string;
  note: string;
  created_by: string;
  created_at: string;
  published_at: string | null;
}

export interface OrientationCountTable { version_id: number; outcome: string; day: string; count: number }

export interface ChannelTable {
  id: Generated<number>;
  slug: string;
  organisation_id: number;
  kind: string;
  profile: string;
  questionnaire: string;
  asks_identity: number;
  ack_days: number;
  retention_days: number;
  active: number;
  ack_message: string | null;
  deadlines: string | null;
  /** 1: keep the untouched original of a file whose metadata was removed, sealed (off by default). */
  keep_originals: number;
}

/** One version of a channel's questionnaire: a draft (no number yet) or a published version, kept for good. */
export interface QuestionnaireVersionTable {
  id: Generated<number>;
  channel_id: number;
  version: number | null;
  status: 'draft' | 'published';
  questionnaire: string;
  note: string;
  created_by: string;
  created_at: string;
  published_by: string | null;
  published_at: string | null;
}

export interface ReportTable {
  id: Generated<number>;
  lookup: string;
  channel_id: number;
  organisation_id: number;
  organisation_key_id: number;
  status: string;
  public_key: string;
  key_for_organisation: string;
  key_for_receipt: string;
  receipt_hash: string;
  content: string;
  identity: string | null;
  notice_address: string | null;
  submission_key: string | null;
  created_day: string;
  updated_day: string;
}

/** `notice` messages are portal notices (a translation key and values), rendered in the reader's language. */
export interface ReportMessageTable { id: Generated<number>; report_id: number; author: 'reporter' | 'staff' | 'notice'; body: string; created_day: string }
export interface ReportDraftTable { id_hash: string; box: string; expires_at: string }
export interface ReporterSessionTable { id_hash: string; report_id: number; key_box: string; expires_at: string }

/** Islamic holidays by day, set from the announced moon sighting; fixed holidays live in code. */
export interface MovableHolidayTable {
  day: string;
  name_ar: string;
  name_fr: string;
  name_en: string;
  name_zgh: string | null;
  provisional: number;
  updated_at: string;
}
export interface CaseTable {
  report_id: number;
  organisation_id: number;
  office_id: number | null;
  handler_id: number | null;
  channel_id: number;
  status: string;
  outcome: string | null;
  labels: string;
  region: string | null;
  received_day: string;
  ack_due_day: string;
  feedback_due_day: string;
  acknowledged_day: string | null;
  closed_day: string | null;
  updated_day: string;
  other_deadlines: Generated<string>;
  other_due_day: string | null;
  /** 1 while a legal hold suspends deletion at the end of retention. */
  legal_hold: Generated<number>;
  /** The day the case will be deleted, set when its institution is warned (30 days ahead). */
  deletion_day: Generated<string | null>;
}
/** A legal hold placed or lifted; the reason is sealed to the report key. */
export interface CaseHoldTable { id: Generated<number>; report_id: number; action: 'placed' | 'released'; reason: string; actor_id: number | null; day: string }
/** What statistics keep of a case deleted at the end of its retention: no report id, no content. */
export interface PurgedCaseTable {
  id: Generated<number>;
  organisation_id: number;
  office_id: number | null;
  channel_id: number;
  region: string | null;
  outcome: string | null;
  received_day: string;
  ack_due_day: string;
  feedback_due_day: string;
  acknowledged_day: string | null;
  closed_day: string | null;
  transfers: number;
}
/** A dated fact of a purged case that statistics count: a transfer, a protection request, a reprisal, an identity request. */
export interface PurgedCaseItemTable {
  id: Generated<number>;
  purged_case_id: number;
  kind: 'transfer' | 'protection' | 'reprisal' | 'custody';
  /** For identity requests: where the request stood. */
  status: string | null;
  from_organisation_id: number | null;
  to_organisation_id: number | null;
  day: string;
}
export interface CaseEventTable { id: Generated<number>; report_id: number; organisation_id: number; actor_id: number | null; kind: string; details: string; day: string }
export interface CaseTransferTable { id: Generated<number>; report_id: number; from_organisation_id: number; to_organisation_id: number; actor_id: number | null; day: string }
export interface CaseNoteTable { id: Generated<number>; report_id: number; author_id: number | null; body: string; day: string }
export interface CustodyRequestTable {
  id: Generated<number>;
  report_id: number;
  requester_id: number;
  reason: string;
  status: 'pending' | 'approved' | 'refused' | 'disclosed';
  custodian_id: number | null;
  decision: string | null;
  legal_exception: number;
  requested_day: string;
  decided_day: string | null;
}
export interface ProtectionItemTable { id: Generated<number>; report_id: number; kind: 'protection' | 'reprisal' | 'measure'; body: string; status: string; follow_up_day: string | null; day: string }
export interface ReportKeyTable { report_id: number; organisation_id: number; organisation_key_id: number; sealed_key: string }
/** file_key and metadata are sealed to the report key; stored_bytes is the encrypted object's size. */
export interface ReportAttachmentTable {
  id: Generated<number>;
  report_id: number;
  storage_key: string;
  file_key: string;
  metadata: string;
  stored_bytes: number;
  author: 'reporter' | 'staff';
  created_day: string;
  /** The untouched original, when the channel keeps originals and metadata removal changed the file. */
  original_storage_key: string | null;
  original_file_key: string | null;
  original_stored_bytes: number | null;
}
