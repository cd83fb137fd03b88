//! Paid service in the ticket, the client's póliza and invoices (issue 13; P15, P19–P26).
//! Money in integer MXN cents; charged time in whole hours; recorded time in minutes.
use serde::{Deserialize, Serialize};

use super::{ContractView, LocalizedText, UserRef};
use crate::billing::{Decision, LedgerKind, OfferState, QuoteLine, RemoteChecklist};

/// One price-list item and how many of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferItemRequest {
    pub price_item_id: String,
    pub quantity: i64,
}

/// `POST /api/tickets/{id}/quotes` (staff): a per-event quote (P23).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequest {
    pub items: Vec<OfferItemRequest>,
    pub payment_terms: String,
    /// Who the invoice is made out to (RFC, business name, CFDI use…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoicing_data: Option<String>,
}

/// `POST /api/tickets/{id}/estimates` (staff): whole hours to deduct from the póliza (P24),
/// optionally with the price-list items it is based on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateRequest {
    pub hours: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<OfferItemRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/tickets/{id}/authorizations` (the client).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub offer_id: String,
    pub decision: Decision,
    #[serde(default)]
    pub accept_terms: bool,
}

/// `POST /api/tickets/{id}/time` (staff).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRequest {
    pub minutes: i64,
    pub note: String,
}

/// `POST /api/tickets/{id}/complete` (staff).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompleteRequest {
    pub summary: String,
}

/// `POST /api/tickets/{id}/credentials` (the client or staff).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRequest {
    pub label: String,
    pub username: String,
    pub secret: String,
}

/// A credential as listed: never its username or secret.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub id: String,
    pub label: String,
    pub created_at: String,
    /// Erased when the ticket was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged_at: Option<String>,
    /// How many times staff revealed it (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveals: Option<i64>,
}

/// `POST /api/tickets/{id}/credentials/{cid}/reveal` (staff): the one place the secret leaves.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedCredential {
    pub id: String,
    pub label: String,
    pub username: String,
    pub secret: String,
}

/// The client's decision on an offer, as recorded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub decision: Decision,
    pub by: UserRef,
    pub at: String,
    pub terms_accepted: bool,
    /// The address it came from (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// Per-event work priced by the list (P23).
    Quote,
    /// Póliza hours (P24).
    Estimate,
}

impl OfferKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Quote => "quote",
            OfferKind::Estimate => "estimate",
        }
    }
    pub fn parse(s: &str) -> Option<OfferKind> {
        match s {
            "quote" => Some(OfferKind::Quote),
            "estimate" => Some(OfferKind::Estimate),
            _ => None,
        }
    }
}

/// A quote or an estimate, with the prices it was made with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    pub id: String,
    pub kind: OfferKind,
    pub state: OfferState,
    pub lines: Vec<QuoteLine>,
    pub hours: u32,
    pub total_cents: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoicing_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_by: UserRef,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionView>,
}

/// One time entry: a service report charged in whole hours (P22).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeEntryView {
    pub id: String,
    pub by: UserRef,
    pub minutes: u32,
    /// Whole hours deducted from the póliza (0 on per-event work and under the warranty).
    pub charged_hours: u32,
    /// Recorded after a reopening inside the warranty: charges nothing (P18).
    pub warranty: bool,
    pub note: String,
    pub created_at: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Pending,
    Overdue,
    Paid,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_number: Option<String>,
    pub amount_cents: i64,
    pub delivered_on: String,
    pub due_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_reference: Option<String>,
    pub status: InvoiceStatus,
}

/// `GET /api/invoices` (the client's company) and `GET /api/admin/invoices`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceView>,
    /// Some invoice is overdue: the company is "with debts" (P19, P26).
    pub with_debts: bool,
}

/// `POST /api/admin/invoices/{id}/paid`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePaidRequest {
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<String>,
    pub reference: String,
}

/// The work summary sent when the service ends (P26).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionView {
    pub summary: String,
    pub hours_charged: u32,
    pub amount_cents: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceView>,
}

/// `GET /api/tickets/{id}/billing`: everything paid about one ticket, for whoever sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingView {
    pub ticket_id: String,
    /// free | contract | per_event (the ticket's coverage when it was opened).
    pub coverage: String,
    /// Whether paid work is possible on this ticket at all (not a free category).
    pub paid: bool,
    /// Newest first.
    pub offers: Vec<OfferView>,
    /// The latest offer is accepted: time may be recorded (P23, P24).
    pub work_allowed: bool,
    /// Hours of accepted estimates and how many of them are charged so far.
    pub authorized_hours: u32,
    pub charged_hours: u32,
    /// The company's póliza now (its remaining hours bound an estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<RemoteChecklist>,
    /// The checklist's missing items (field names); empty = ready to schedule.
    pub checklist_missing: Vec<String>,
    pub credentials: Vec<CredentialView>,
    /// Newest first.
    pub time: Vec<TimeEntryView>,
    /// The ticket was completed and reopened inside the warranty: more work is free (P18).
    pub warranty: bool,
    /// Newest first.
    pub invoices: Vec<InvoiceView>,
}

/// One ledger movement with the balance after it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntryView {
    pub id: i64,
    pub kind: LedgerKind,
    /// Signed whole hours: + grant or correction in the client's favour, − charge.
    pub hours: i64,
    pub balance_after: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub created_at: String,
}

/// `GET /api/contract/ledger` (a client: their company's current póliza; staff:
/// `?company_id=`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractView>,
    /// Oldest first.
    pub entries: Vec<LedgerEntryView>,
    /// Notices about the póliza now: 80 % of its hours used, 30 days before expiry (P19, P22).
    pub notices: Vec<LocalizedText>,
}

/// `POST /api/admin/contracts/{id}/corrections` (admin): a compensating entry (P26).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub hours: i64,
    pub reason: String,
}
