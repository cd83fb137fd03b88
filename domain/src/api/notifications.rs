//! Notifications, preferences and the dev-only mailbox and clock (issue 11).
use serde::{Deserialize, Serialize};

/// One message the dev mail transport received (`GET /api/dev/mailbox`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMail {
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
