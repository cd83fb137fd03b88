//! JSON types of the public HTTP API (see shared/API.md), shared by the worker and the app.
use serde::{Deserialize, Serialize};

pub mod admin;
pub mod billing;
pub mod calendar;
pub mod kb;
pub mod live;
pub mod notifications;
pub mod ops;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Client,
    Agent,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "client" => Some(Role::Client),
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    /// Agents and admins are staff.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Agent | Role::Admin)
    }
}

/// The areas of the app that need a role: the SPA's route gates and the Worker's page
/// frames (`dist/frames.json`, where it is written in snake_case) follow the same rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// `/mis-tickets`, `/nuevo-ticket`, `/mi-poliza`
    Client,
    /// `/cola`
    Staff,
    /// `/admin`
    Admin,
    /// `/tickets/{id}`: any signed-in user (the API decides what each one may see)
    SignedIn,
}

impl Area {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Area::Client => role == Role::Client,
            Area::Staff => role.is_staff(),
            Area::Admin => role == Role::Admin,
            Area::SignedIn => true,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRef {
    pub id: String,
    pub name: String,
}

/// `GET /api/me` and the `user` of a login answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<CompanyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// When set, the person (or their company) is suspended (P27): they can sign in and
    /// read, but not open tickets or reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<admin::SuspensionView>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    pub user: Me,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// Body of every error answer: `{"error": {...}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    /// The message in es-MX (for integrators and logs).
    pub message: String,
    /// The same message in both languages of the product; the SPA shows the reader's.
    pub messages: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

// ---------------------------------------------------------------------------
// Tickets, services and pólizas (issue 5). Times are RFC 3339 in the office offset.

use crate::contract::{Category, Coverage};
use crate::sla::{PauseReason, Priority};
use crate::ticket::Status;

/// A user-facing text in both languages of the product.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    pub es: String,
    pub en: String,
}

impl LocalizedText {
    pub fn new(es: impl Into<String>, en: impl Into<String>) -> Self {
        LocalizedText {
            es: es.into(),
            en: en.into(),
        }
    }

    /// Both languages of a text that a domain type renders per language.
    pub fn from_lang<S: Into<String>>(f: impl Fn(crate::validation::Lang) -> S) -> Self {
        LocalizedText::new(
            f(crate::validation::Lang::Es),
            f(crate::validation::Lang::En),
        )
    }

    /// The text in `lang`.
    pub fn get(&self, lang: crate::validation::Lang) -> &str {
        match lang {
            crate::validation::Lang::Es => &self.es,
            crate::validation::Lang::En => &self.en,
        }
    }
}

impl From<(&str, &str)> for LocalizedText {
    fn from((es, en): (&str, &str)) -> Self {
        LocalizedText::new(es, en)
    }
}

impl From<(String, String)> for LocalizedText {
    fn from((es, en): (String, String)) -> Self {
        LocalizedText::new(es, en)
    }
}

/// `GET /api/services`: one service of a company, with whether tickets may be opened about it (P2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub id: String,
    pub company_id: String,
    /// hosting | email | domain | developed_system | web_site | softlik
    pub kind: String,
    pub name: String,
    /// active | ended | end_of_life
    pub status: String,
    pub eligible: bool,
    /// Code of the reason when not eligible (`service_ended`, `service_end_of_life`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_message: Option<LocalizedText>,
}

/// `GET /api/contract`: the company's póliza (P19, P21, P22).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractView {
    pub plan: String,
    pub plan_label: LocalizedText,
    pub hours_total: u32,
    pub hours_used: u32,
    pub hours_remaining: u32,
    pub starts_on: String,
    /// First day it no longer applies (one year after the start).
    pub expires_on: String,
    pub current: bool,
    /// Code when not current: contract_not_started | contract_expired | contract_hours_used_up | overdue_invoice
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_message: Option<LocalizedText>,
}

/// `GET /api/companies` (staff).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: String,
    pub name: String,
    pub suspended: bool,
    pub only_own_tickets: bool,
    pub has_overdue_invoice: bool,
    pub contract: Option<ContractView>,
    pub open_tickets: i64,
    /// Client messages flagged as abusive (P27); admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flagged_messages: Option<i64>,
}

/// One category the form may offer now, with its priorities and coverage (P3, P19).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOptionView {
    pub category: Category,
    pub label: LocalizedText,
    pub paid: bool,
    pub priorities: Vec<Priority>,
    pub available: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_message: Option<LocalizedText>,
}

/// An out-of-scope topic the form warns about and staff may close with (P10).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfScopeView {
    /// development | training | third_party | consulting
    pub reason: String,
    pub label: LocalizedText,
    pub warning: LocalizedText,
}

/// `GET /api/tickets/options`: what the ticket form may offer right now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketOptions {
    pub company_id: String,
    pub contract_current: bool,
    pub has_overdue_invoice: bool,
    pub categories: Vec<CategoryOptionView>,
    pub out_of_scope: Vec<OutOfScopeView>,
    pub max_attachments: usize,
    pub max_attachment_bytes: usize,
}

/// Submitter data the SPA collects (P13); stored with the IP, shown to staff only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// Set by the server (CF-Connecting-IP); ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Set by the server (User-Agent header); ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// Keeps at most 200 printable characters per field; drops server-set fields.
    pub fn sanitized(&self) -> ClientInfo {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(|s| {
                    s.chars()
                        .filter(|c| !c.is_control())
                        .take(200)
                        .collect::<String>()
                        .trim()
                        .to_string()
                })
                .filter(|s| !s.is_empty())
        };
        ClientInfo {
            browser: clean(&self.browser),
            os: clean(&self.os),
            language: clean(&self.language),
            time_zone: clean(&self.time_zone),
            screen: clean(&self.screen),
            app_version: clean(&self.app_version),
            ip: None,
            user_agent: None,
        }
    }
}

/// `POST /api/tickets`. Enum-like fields are strings so bad values answer 422 with `field`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateTicketRequest {
    pub service_id: String,
    /// low | medium | high
    pub priority: String,
    /// question | incident | support_case | remote_assistance | phone_advice
    pub category: String,
    pub subject: String,
    pub description: String,
    #[serde(default)]
    pub steps: Option<String>,
    #[serde(default)]
    pub client_info: Option<ClientInfo>,
    /// A previous ticket this one continues (after its warranty window, P18): id or number.
    #[serde(default)]
    pub linked_to: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: String,
    pub name: String,
    /// client | agent | admin
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRef {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRef {
    pub id: String,
    pub number: String,
}

/// The SLA clock is paused (P9): why and since when.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PausedView {
    pub reason: PauseReason,
    pub since: String,
    pub label: LocalizedText,
}

/// A ticket in a list (`GET /api/tickets`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: String,
    /// Display number, e.g. `T-2026-000123`.
    pub number: String,
    pub subject: String,
    pub status: Status,
    pub status_label: LocalizedText,
    pub priority: Priority,
    pub category: Category,
    pub coverage: Coverage,
    pub company: CompanyRef,
    pub service: ServiceRef,
    pub requester: UserRef,
    #[serde(default)]
    pub assignee: Option<UserRef>,
    pub created_at: String,
    pub updated_at: String,
    /// Due time of the running response target; `null` when staff has answered or the clock is paused.
    #[serde(default)]
    pub due_at: Option<String>,
    /// SLA target of the priority, in hours (P6).
    pub target_hours: i64,
    /// `null` unless the clock is paused.
    #[serde(default)]
    pub paused: Option<PausedView>,
    pub breached: bool,
    /// The SLA sweep's mark on the running target while the ticket is in the line:
    /// `at_risk` (75 %) or `breached` (the queue's badge and its `sla` filter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_flag: Option<crate::sla::breach::SlaFlag>,
    /// Place in the FIFO line (1 = next) while the ticket waits for staff (`new` or `open`).
    #[serde(default)]
    pub queue_position: Option<i64>,
    /// When the sweep will resolve (`waiting_client`) or close (`resolved`) it (P17).
    #[serde(default)]
    pub auto_close_at: Option<String>,
    /// Last instant (exclusive) a client may reopen it (P18).
    #[serde(default)]
    pub reopen_until: Option<String>,
    #[serde(default)]
    pub merged_into: Option<TicketRef>,
}

/// `GET /api/tickets`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketList {
    pub tickets: Vec<TicketSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A stored screenshot (metadata; the bytes are at `url`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    #[serde(default)]
    pub message_id: Option<String>,
    pub created_at: String,
    pub url: String,
}

/// A message of the timeline. `kind`: client | reply | awaiting_client | resolved_confirm | note | system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    /// Arrival order within the ticket (1, 2, …); says nothing about other tickets.
    pub seq: i64,
    pub kind: String,
    /// Internal note (never sent to clients).
    pub internal: bool,
    pub body: String,
    #[serde(default)]
    pub author: Option<UserRef>,
    pub created_at: String,
    /// Flagged as abusive by staff (P27): the client sees a warning.
    pub flagged: bool,
    pub attachments: Vec<AttachmentView>,
}

/// `POST /api/tickets/{id}/messages`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostMessageRequest {
    pub body: String,
    #[serde(default)]
    pub internal: Option<bool>,
    /// reply (default) | awaiting_client | resolved_confirm (the last two: staff only, P17)
    #[serde(default)]
    pub kind: Option<String>,
}

/// Data of a timeline event; which fields are present depends on `kind`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Status>,
    /// The state-machine action (`ticket::Action` as snake_case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<UserRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_messages: Option<i64>,
}

/// One entry of the event timeline (who, when, what).
/// `kind`: created | status | assigned | merged_into | merged_from | message_flagged | out_of_scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub kind: String,
    /// client | agent | admin | sweep
    pub actor_kind: String,
    #[serde(default)]
    pub actor: Option<UserRef>,
    pub data: EventData,
    pub created_at: String,
}

/// SLA details of a ticket at the time of the answer (P6, P7, P9).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaView {
    pub target_hours: i64,
    #[serde(default)]
    pub due_at: Option<String>,
    /// Working minutes left on the running target (negative once breached).
    #[serde(default)]
    pub remaining_minutes: Option<i64>,
    pub breached: bool,
    pub missed_targets: u32,
    pub paused_minutes_waiting_client: i64,
    pub paused_minutes_waiting_third_party: i64,
    pub paused_minutes_waiting_release: i64,
    /// Staff only: why the last breached target was missed (P9), once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breach_reason: Option<BreachReasonView>,
    /// Staff only: a target of this ticket was marked breached, so a reason may be recorded.
    #[serde(default)]
    pub breach_recordable: bool,
}

/// The reason recorded for a missed target (P9).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachReasonView {
    pub reason: crate::sla::breach::BreachReason,
    pub label: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/tickets/{id}/breach-reason` (staff): `reason` is one of `team_workload`,
/// `missing_information`, `complexity`, `third_party`, `internal_incident`, `other`
/// (`note` required for `other`, at most 500 characters).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BreachReasonRequest {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /api/tickets/{id}` (and the answer of every ticket action).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub summary: TicketSummary,
    pub description: String,
    #[serde(default)]
    pub steps: Option<String>,
    pub sla: SlaView,
    /// The caller (a client) may reopen it now.
    pub can_reopen: bool,
    /// What the caller may do now (`domain::ticket::commands::allowed_actions`): the SPA shows
    /// exactly these buttons.
    #[serde(default)]
    pub actions: Vec<crate::ticket::commands::Command>,
    #[serde(default)]
    pub linked_to: Option<TicketRef>,
    /// Staff only (P13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_info: Option<ClientInfo>,
    pub messages: Vec<MessageView>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
}

impl TicketDetail {
    /// Decodes a ticket's JSON as its summary and [`TicketDetailFields`], two plain passes
    /// over the text, instead of through `#[serde(flatten)]`, which buffers the whole object
    /// and compiles a second decoder for every field type (issue 14: the SPA decodes tickets
    /// only this way, so that code is not in its WASM). Same result as the derived decoder.
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        let summary: TicketSummary = serde_json::from_str(text)?;
        let f: TicketDetailFields = serde_json::from_str(text)?;
        Ok(TicketDetail {
            summary,
            description: f.description,
            steps: f.steps,
            sla: f.sla,
            can_reopen: f.can_reopen,
            actions: f.actions,
            linked_to: f.linked_to,
            client_info: f.client_info,
            messages: f.messages,
            events: f.events,
            attachments: f.attachments,
        })
    }
}

/// The fields of [`TicketDetail`] beyond its summary (see [`TicketDetail::from_json`]).
#[derive(Deserialize)]
struct TicketDetailFields {
    description: String,
    #[serde(default)]
    steps: Option<String>,
    sla: SlaView,
    can_reopen: bool,
    #[serde(default)]
    actions: Vec<crate::ticket::commands::Command>,
    #[serde(default)]
    linked_to: Option<TicketRef>,
    #[serde(default)]
    client_info: Option<ClientInfo>,
    messages: Vec<MessageView>,
    events: Vec<EventView>,
    attachments: Vec<AttachmentView>,
}

/// `POST /api/tickets/{id}/status` (staff).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusRequest {
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/tickets/{id}/assign` (staff). No `assignee_id` = take it yourself; `null` explicit = unassign.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssignRequest {
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub unassign: Option<bool>,
}

/// `POST /api/tickets/{id}/merge` (staff): `into` = id or number of the surviving ticket.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergeRequest {
    pub into: String,
}

/// `POST /api/tickets/{id}/out-of-scope` (staff): development | training | third_party | consulting.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutOfScopeRequest {
    pub reason: String,
}

/// `GET /api/tickets/similar`: the caller's open tickets on the same service with a similar subject (P12).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarTicket {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub status: Status,
    pub created_at: String,
    pub score: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarTickets {
    pub tickets: Vec<SimilarTicket>,
}

/// `GET /api/admin/flags`: flagged client messages per user (P27).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagCount {
    pub user: UserRef,
    pub email: String,
    pub company: CompanyRef,
    pub flagged_messages: i64,
    pub last_flagged_at: String,
    pub suspended: bool,
}

#[cfg(test)]
mod ticket_detail_tests {
    use super::TicketDetail;

    /// A ticket as `GET /api/tickets/{id}` answered it (staff's view: with `client_info`).
    const FIXTURE: &str = include_str!("fixtures/ticket_detail.json");

    #[test]
    fn from_json_decodes_as_the_derived_decoder() {
        let derived: TicketDetail = serde_json::from_str(FIXTURE).unwrap();
        assert_eq!(TicketDetail::from_json(FIXTURE).unwrap(), derived);
        // And the fields that the fixture leaves empty, filled in.
        let mut v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        v["steps"] = "1. Abrir el correo".into();
        v["linked_to"] = serde_json::json!({ "id": "t1", "number": "T-2026-000009" });
        v["actions"] = serde_json::json!([]);
        let text = v.to_string();
        let derived: TicketDetail = serde_json::from_str(&text).unwrap();
        let ours = TicketDetail::from_json(&text).unwrap();
        assert_eq!(ours, derived);
        assert_eq!(ours.steps.as_deref(), Some("1. Abrir el correo"));
        assert!(ours.linked_to.is_some());
    }

    #[test]
    fn from_json_fails_where_the_derived_decoder_fails() {
        let mut v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        v.as_object_mut().unwrap().remove("messages");
        let text = v.to_string();
        assert!(serde_json::from_str::<TicketDetail>(&text).is_err());
        assert!(TicketDetail::from_json(&text).is_err());
        let mut v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        v.as_object_mut().unwrap().remove("number");
        let text = v.to_string();
        assert!(serde_json::from_str::<TicketDetail>(&text).is_err());
        assert!(TicketDetail::from_json(&text).is_err());
    }
}

#[cfg(test)]
mod area_tests {
    use super::{Area, Role};

    #[test]
    fn who_may_enter_each_area() {
        let roles = [Role::Client, Role::Agent, Role::Admin];
        let may = |area: Area| roles.map(|r| area.allows(r));
        assert_eq!(may(Area::Client), [true, false, false]);
        assert_eq!(may(Area::Staff), [false, true, true]);
        assert_eq!(may(Area::Admin), [false, false, true]);
        assert_eq!(may(Area::SignedIn), [true, true, true]);
    }
}
