//! Administration and accounts (issue 12): companies, services, pólizas, people,
//! suspensions (P27), the audit trail and the account endpoints.
use serde::{Deserialize, Serialize};

use super::{CompanyRef, ContractView, LocalizedText, UserRef};
use crate::accounts::SuspensionScope;

/// An active suspension: who (the person or the whole company), why and since when.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionView {
    pub scope: SuspensionScope,
    pub reason: String,
    /// RFC 3339, office offset.
    pub since: String,
    /// What the suspension means for the person, in both languages.
    pub message: LocalizedText,
}

// --- requests --------------------------------------------------------------------

/// `POST /api/admin/companies`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateCompanyRequest {
    pub name: String,
    /// RFC (optional).
    #[serde(default)]
    pub tax_id: Option<String>,
    /// Each client sees only their own tickets.
    #[serde(default)]
    pub only_own_tickets: Option<bool>,
}

/// `PATCH /api/admin/companies/{id}`: only the fields present change; `tax_id: ""` clears it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PatchCompanyRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub only_own_tickets: Option<bool>,
}

/// `POST /api/admin/companies/{id}/services`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateServiceRequest {
    /// hosting | email | domain | developed_system | web_site | softlik
    pub kind: String,
    pub name: String,
    /// active (default) | ended | end_of_life
    #[serde(default)]
    pub status: Option<String>,
    /// A special contract covers it even when ended / end of life (P2).
    #[serde(default)]
    pub special_contract: Option<bool>,
    /// Last day the special contract covers it (YYYY-MM-DD), optional.
    #[serde(default)]
    pub special_contract_until: Option<String>,
}

/// `PATCH /api/admin/services/{id}`: a status change is recorded as an event (who/when).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PatchServiceRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub special_contract: Option<bool>,
    /// `""` clears the end date.
    #[serde(default)]
    pub special_contract_until: Option<String>,
}

/// `POST /api/admin/companies/{id}/contracts`: a new póliza entry. A correction names the
/// entry it replaces (which stays as history); nothing is ever edited in place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateContractRequest {
    /// basica | basica_plus | empresarial | empresarial_plus
    pub plan: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    #[serde(default)]
    pub replaces_id: Option<String>,
}

/// `POST /api/admin/users`: sends an invitation with a one-time link (72 h).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateUserRequest {
    pub email: String,
    pub name: String,
    /// client | agent | admin
    pub role: String,
    /// Required for clients, absent for staff.
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// `PATCH /api/admin/users/{id}`: name, phone, role (with company for clients), or
/// `active: false` to deactivate (every session ends at once; history kept).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PatchUserRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// `POST /api/admin/users/{id}/suspend` and `/api/admin/companies/{id}/suspend`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SuspendRequest {
    pub reason: String,
}

/// `POST /api/auth/activate` and `POST /api/auth/reset`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TokenPasswordRequest {
    pub token: String,
    pub password: String,
}

/// `POST /api/auth/forgot`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ForgotRequest {
    pub email: String,
}

/// `POST /api/me/password`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    pub current: String,
    pub new: String,
}

/// `PATCH /api/me`: only the fields present change; `phone: ""` clears it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PatchMeRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// es | en (also the language of the person's notifications)
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The answer of forgot/activate/reset/change-password: a text to show.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMessage {
    pub message: LocalizedText,
}

// --- views -----------------------------------------------------------------------

/// A company in the admin list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCompanySummary {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub tax_id: Option<String>,
    pub only_own_tickets: bool,
    pub suspended: bool,
    pub people: i64,
    pub open_tickets: i64,
    pub created_at: String,
}

/// `GET /api/admin/companies?q=&page=`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCompanyList {
    pub companies: Vec<AdminCompanySummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A company's own fields.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCompany {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub tax_id: Option<String>,
    pub only_own_tickets: bool,
    #[serde(default)]
    pub suspension: Option<SuspensionView>,
    pub created_at: String,
}

/// A status change of a service (who/when).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEventView {
    #[serde(default)]
    pub from: Option<String>,
    pub to: String,
    #[serde(default)]
    pub actor: Option<UserRef>,
    pub at: String,
}

/// A service as admins manage it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminServiceView {
    pub id: String,
    pub company_id: String,
    pub kind: String,
    pub kind_label: LocalizedText,
    pub name: String,
    pub status: String,
    pub special_contract: bool,
    #[serde(default)]
    pub special_contract_until: Option<String>,
    pub events: Vec<ServiceEventView>,
}

/// A póliza entry. `counts` is false for an entry a correction replaced.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminContractView {
    pub id: String,
    #[serde(flatten)]
    pub contract: ContractView,
    #[serde(default)]
    pub replaces_id: Option<String>,
    #[serde(default)]
    pub replaced_by: Option<String>,
    pub counts: bool,
    pub created_at: String,
}

/// A person as admins manage them. `status`: invited | active | deactivated.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub company: Option<CompanyRef>,
    #[serde(default)]
    pub phone: Option<String>,
    pub status: String,
    /// The person's own suspension (a company suspension is on the company).
    #[serde(default)]
    pub suspension: Option<SuspensionView>,
    pub flagged_messages: i64,
    pub created_at: String,
}

/// `GET /api/admin/users?q=&role=&company_id=&page=`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserList {
    pub users: Vec<AdminUserView>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// An unpaid or paid invoice of a company.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInvoiceView {
    pub id: String,
    pub amount_cents: i64,
    pub delivered_on: String,
    pub due_on: String,
    #[serde(default)]
    pub paid_on: Option<String>,
    pub overdue: bool,
}

/// An open ticket of a company.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTicketLine {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub created_at: String,
}

/// A flagged message of a person (P27).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedMessageView {
    pub id: String,
    pub ticket_id: String,
    pub ticket_number: String,
    pub body: String,
    pub created_at: String,
}

/// The flags of one person, with the messages and whether to suggest a suspension.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFlags {
    pub user: UserRef,
    pub count: i64,
    pub suggest_suspension: bool,
    pub messages: Vec<FlaggedMessageView>,
}

/// `GET /api/admin/companies/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCompanyDetail {
    pub company: AdminCompany,
    pub has_overdue_invoice: bool,
    pub people: Vec<AdminUserView>,
    pub services: Vec<AdminServiceView>,
    /// Newest first, replaced entries included.
    pub contracts: Vec<AdminContractView>,
    pub invoices: Vec<AdminInvoiceView>,
    pub open_tickets: Vec<AdminTicketLine>,
    pub flags: Vec<PersonFlags>,
    /// Flags after which the admin is prompted to suspend (P27).
    pub flag_threshold: i64,
}

/// One row of the audit trail.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(default)]
    pub actor_id: Option<String>,
    #[serde(default)]
    pub actor_email: Option<String>,
    /// e.g. company.create, service.update, contract.create, user.deactivate, user.suspend…
    pub action: String,
    /// company | service | contract | user | import
    pub entity: String,
    #[serde(default)]
    pub entity_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Value>))]
    pub before: Option<serde_json::Value>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Value>))]
    pub after: Option<serde_json::Value>,
    #[serde(default)]
    pub ip: Option<String>,
    pub at: String,
}

/// `GET /api/admin/audit?entity=&entity_id=&actor_id=&action=&before_id=`: newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before_id` for the next page; absent on the last page.
    #[serde(default)]
    pub next_before_id: Option<i64>,
}

// --- CSV import --------------------------------------------------------------------

/// A problem with one row of an imported file.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRowError {
    /// Line of the file where the row starts (the header is line 1).
    pub line: usize,
    /// The column at fault (`email`, `kind`, `company`…).
    pub column: String,
    /// invalid_email | invalid_kind | invalid_role | invalid_status | duplicate | unknown_company | unknown_type | required…
    pub code: String,
    pub message: LocalizedText,
}

/// A row that would be (or was) created.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRowView {
    pub line: usize,
    /// company | person | service
    #[serde(rename = "type")]
    pub kind: String,
    /// The company's, person's or service's name.
    pub name: String,
    /// The person's e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// The company the person or service belongs to, and whether the file creates it.
    #[serde(default)]
    pub company: Option<String>,
    /// Role of a person; kind of a service.
    #[serde(default)]
    pub detail: Option<String>,
    /// Id of what was created (absent in a dry run).
    #[serde(default)]
    pub id: Option<String>,
}

/// Created (or, in a dry run, would be created) per type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub companies: usize,
    pub people: usize,
    pub services: usize,
}

/// `POST /api/admin/import[?dry_run=1]`: the preview or the result. With errors nothing is
/// created (`applied: false`); the answer is 200 for a dry run and 422 (with `error`) otherwise.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub applied: bool,
    pub counts: ImportCounts,
    pub rows: Vec<ImportRowView>,
    pub errors: Vec<ImportRowError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<super::ErrorDetail>,
}

/// `GET/PUT /api/admin/settings/conduct` (P27).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConductSettingsView {
    /// Flagged messages of a person after which the admin is prompted to suspend (1–20, default 3).
    pub flag_threshold: i64,
}

// --- price list (issue 13, P20) -------------------------------------------------------

/// `GET /api/price-list`: the current price of every item still offered, by name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub items: Vec<crate::billing::PriceItem>,
}

/// `POST /api/admin/price-list`: a new item with its first price.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceItemRequest {
    /// 1–120 characters.
    pub name: String,
    /// 1–1000.
    pub standard_hours: i64,
    /// Integer MXN cents, 0–100,000,000.
    pub standard_cents: i64,
    /// Integer MXN cents, never above `standard_cents` (the póliza's price, P20).
    pub preferential_cents: i64,
}

/// `PATCH /api/admin/price-list/{id}`: what changes (absent fields keep their value). A new
/// price is a new version (the earlier stays in `history`); a name or `active` change is not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceItemPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_hours: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_cents: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferential_cents: Option<i64>,
    /// `false`: no longer offered (kept for the quotes that name it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// One price of an item, in force from `valid_from` until the next one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceVersionView {
    pub standard_hours: u32,
    pub standard_cents: i64,
    pub preferential_cents: i64,
    /// Office time.
    pub valid_from: String,
    /// Who set it (absent for the seeded list).
    #[serde(default)]
    pub created_by: Option<String>,
}

/// An item as admins see it: the current price and every earlier one, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPriceItem {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub standard_hours: u32,
    pub standard_cents: i64,
    pub preferential_cents: i64,
    pub history: Vec<PriceVersionView>,
}

/// `GET /api/admin/price-list`: every item, offered or not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPriceList {
    pub items: Vec<AdminPriceItem>,
}
