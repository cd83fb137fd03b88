//! Notifications, preferences and the dev-only mailbox and clock (issue 11).
use serde::{Deserialize, Serialize};

/// One message the dev mail transport received (`GET /api/dev/mailbox`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMail {
    /// `queue` (the outbox queue's consumer) or `drain` (no queue bound).
    #[serde(default)]
    pub via: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub created_at: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailbox {
    /// Newest first.
    pub messages: Vec<DevMail>,
}

/// `POST /api/dev/mailbox/failures`: the dev transport fails its next `count` sends.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailFailures {
    pub count: i64,
    /// The next `stall_drains` drains stop right after claiming their rows, as a Worker
    /// killed mid-drain would (the rows stay leased until the lease ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall_drains: Option<i64>,
}

/// `POST /api/dev/clock`: either an absolute instant or hours to move forward.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DevClockRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance_hours: Option<f64>,
}

/// The server's "now" after a dev clock change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevClock {
    /// RFC 3339, office offset.
    pub now: String,
    pub offset_ms: i64,
}

/// `POST /api/dev/mail`: enqueue one test e-mail through the outbox.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailRequest {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Same key twice → one e-mail.
    pub dedupe_key: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailQueued {
    pub queued: String,
}

/// One in-app notification.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: crate::notify::Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<String>,
    pub title: String,
    pub body: String,
    /// SPA path, e.g. `/tickets/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

/// `GET /api/notifications`: own, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationList {
    pub notifications: Vec<NotificationView>,
    pub unread: i64,
    /// Pass as `before` for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}

/// `POST /api/notifications/read`: `{"ids":[…]}` or `{"all":true}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MarkReadRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkReadResult {
    pub marked: i64,
    pub unread: i64,
}

/// One kind on the preferences page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindPreference {
    pub kind: crate::notify::Kind,
    pub label: String,
    /// E-mail muted (in-app notices always arrive).
    pub muted: bool,
    /// Cannot be muted (creation, resolution/close, warranty end).
    pub mandatory: bool,
}

/// `GET /api/me/preferences`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// `es` (default) or `en`: the language of e-mails and notices.
    pub lang: String,
    pub kinds: Vec<KindPreference>,
}

/// `PUT /api/me/preferences`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PreferencesUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Kinds whose e-mail is muted (replaces the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<Vec<String>>,
}

/// `POST /api/dev/contract-hours` (dev only): sets a póliza's consumed hours, standing in for
/// the hours ledger of the billing issue in tests and demos.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevContractHours {
    pub contract_id: String,
    pub hours_used: i64,
}

/// `POST /api/dev/invoices` (dev only): an invoice for work delivered on `delivered_on`
/// (`YYYY-MM-DD`), due 6 calendar days later (P26).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevInvoiceRequest {
    pub company_id: String,
    pub amount_cents: i64,
    pub delivered_on: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevInvoice {
    pub id: String,
    pub due_on: String,
}
