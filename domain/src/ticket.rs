//! Ticket state machine (SPEC P9, P16, P17, P18, P23, P24).
//!
//! [`apply`] is a pure function `(status, action, actor, context) → new status`.
//! The transition table (✓ = allowed actor; "=" = status unchanged):
//!
//! | action | actors | from → to |
//! |---|---|---|
//! | `Take` | staff | `new` → `open` |
//! | `StaffReply` (public) | staff | `new` → `open`; any other non-closed status = |
//! | `ClientReply` | client | `waiting_client` → `open`; `resolved` → `open` (inside the warranty window, cancels the auto-close); `new`, `open`, `waiting_third_party`, `waiting_release`, `awaiting_authorization` = ; `closed` → error `ticket_closed` |
//! | `AskClient` ("awaiting your answer") | staff | active statuses → `waiting_client` |
//! | `WaitThirdParty` | staff | active statuses → `waiting_third_party` |
//! | `WaitRelease` | staff | active statuses → `waiting_release` |
//! | `RequestAuthorization` (quote / estimate sent) | staff | active statuses → `awaiting_authorization` |
//! | `Authorize` | client | `awaiting_authorization` → `open` |
//! | `Resume` | staff | `waiting_*`, `awaiting_authorization` → `open` (withdraws a quote) |
//! | `Resolve` ("resolved — please confirm") | staff | active statuses → `resolved` |
//! | `Close` (e.g. out of scope, duplicate) | staff | any but `closed` → `closed` |
//! | `ClientConfirm` | client | `resolved` → `closed` |
//! | `Reopen` | client inside the warranty window; staff always | `resolved`, `closed` → `open` |
//! | `AutoClose` | sweep only | `waiting_client` → `resolved`; `resolved` → `closed` |
//!
//! *Active statuses* are every status except `resolved` and `closed`; the
//! "wait" actions are idempotent on their own target status (sending a second
//! "awaiting your answer" restarts the worker's 48 h countdown). The sweep may
//! do nothing but `AutoClose`; clients can never put a ticket in a waiting
//! status. P17 choice: without a reply, `waiting_client` **resolves** after 48
//! working hours (its warranty window then starts), and `resolved` **closes**
//! 48 working hours after "resolved — please confirm".
//!
//! The warranty deadline (P18) is passed in [`TransitionContext::reopen_deadline`]
//! (compute it with [`crate::sla::reopen_deadline`] from the resolution time).
//! `None` means the ticket has no warranty window (e.g. it was closed without
//! being resolved), so the client cannot reopen it. The deadline is exclusive.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::sla::PauseReason;
use crate::validation::{FieldError, Lang};

/// Ticket status (`API.md`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Open,
    WaitingClient,
    WaitingThirdParty,
    WaitingRelease,
    AwaitingAuthorization,
    Resolved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::New,
        Status::Open,
        Status::WaitingClient,
        Status::WaitingThirdParty,
        Status::WaitingRelease,
        Status::AwaitingAuthorization,
        Status::Resolved,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::WaitingClient => "waiting_client",
            Status::WaitingThirdParty => "waiting_third_party",
            Status::WaitingRelease => "waiting_release",
            Status::AwaitingAuthorization => "awaiting_authorization",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// The SLA pause reason of a waiting status (P9), if any.
    pub fn is_paused(self) -> Option<PauseReason> {
        match self {
            // Waiting for the client's authorization of a quote or estimate (P23, P24).
            Status::WaitingClient | Status::AwaitingAuthorization => {
                Some(PauseReason::WaitingClient)
            }
            Status::WaitingThirdParty => Some(PauseReason::WaitingThirdParty),
            Status::WaitingRelease => Some(PauseReason::WaitingRelease),
            _ => None,
        }
    }

    /// Statuses in which nobody works on the ticket any more.
    pub const FINISHED: [Status; 2] = [Status::Resolved, Status::Closed];

    /// The FIFO line (P8): tickets waiting for staff, served in arrival order.
    pub const LINE: [Status; 2] = [Status::New, Status::Open];

    /// Not resolved and not closed (the ticket is still being worked on).
    pub fn is_open(self) -> bool {
        !Status::FINISHED.contains(&self)
    }

    /// In the FIFO line of tickets waiting for staff (P8).
    pub fn in_line(self) -> bool {
        Status::LINE.contains(&self)
    }

    /// `('a', 'b')`: a status list for SQL, so queries filter by the values decided here.
    pub fn sql_list(statuses: &[Status]) -> String {
        let quoted: Vec<String> = statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", quoted.join(", "))
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Es => match self {
                Status::New => "Nuevo",
                Status::Open => "En atención",
                Status::WaitingClient => "En espera de tu respuesta",
                Status::WaitingThirdParty => "En espera de un proveedor",
                Status::WaitingRelease => "En espera de una versión",
                Status::AwaitingAuthorization => "En espera de autorización",
                Status::Resolved => "Resuelto",
                Status::Closed => "Cerrado",
            },
            Lang::En => match self {
                Status::New => "New",
                Status::Open => "Open",
                Status::WaitingClient => "Waiting for your answer",
                Status::WaitingThirdParty => "Waiting for a provider",
                Status::WaitingRelease => "Waiting for a release",
                Status::AwaitingAuthorization => "Awaiting authorization",
                Status::Resolved => "Resolved",
                Status::Closed => "Closed",
            },
        }
    }
}

impl FromStr for Status {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "status",
                    "invalid_status",
                    "El estado indicado no existe.",
                    "Unknown status.",
                )
            })
    }
}

impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who performs an action.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Client,
    Agent,
    Admin,
    /// The scheduled sweep (cron).
    Sweep,
}

impl Actor {
    pub const ALL: [Actor; 4] = [Actor::Client, Actor::Agent, Actor::Admin, Actor::Sweep];

    pub fn is_staff(self) -> bool {
        matches!(self, Actor::Agent | Actor::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Client => "client",
            Actor::Agent => "agent",
            Actor::Admin => "admin",
            Actor::Sweep => "sweep",
        }
    }
}

/// Something that changes (or may change) a ticket's status. See the module table.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Take,
    StaffReply,
    ClientReply,
    AskClient,
    WaitThirdParty,
    WaitRelease,
    RequestAuthorization,
    Authorize,
    Resume,
    Resolve,
    Close,
    ClientConfirm,
    Reopen,
    AutoClose,
}

/// Which actors may attempt an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Staff,
    Client,
    ClientOrStaff,
    Sweep,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::Take,
        Action::StaffReply,
        Action::ClientReply,
        Action::AskClient,
        Action::WaitThirdParty,
        Action::WaitRelease,
        Action::RequestAuthorization,
        Action::Authorize,
        Action::Resume,
        Action::Resolve,
        Action::Close,
        Action::ClientConfirm,
        Action::Reopen,
        Action::AutoClose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Take => "take",
            Action::StaffReply => "staff_reply",
            Action::ClientReply => "client_reply",
            Action::AskClient => "ask_client",
            Action::WaitThirdParty => "wait_third_party",
            Action::WaitRelease => "wait_release",
            Action::RequestAuthorization => "request_authorization",
            Action::Authorize => "authorize",
            Action::Resume => "resume",
            Action::Resolve => "resolve",
            Action::Close => "close",
            Action::ClientConfirm => "client_confirm",
            Action::Reopen => "reopen",
            Action::AutoClose => "auto_close",
        }
    }

    fn who(self) -> Who {
        match self {
            Action::ClientReply | Action::Authorize | Action::ClientConfirm => Who::Client,
            Action::Reopen => Who::ClientOrStaff,
            Action::AutoClose => Who::Sweep,
            _ => Who::Staff,
        }
    }

    /// May `actor` attempt this action at all (regardless of status)?
    pub fn allowed_to(self, actor: Actor) -> bool {
        match self.who() {
            Who::Staff => actor.is_staff(),
            Who::Client => actor == Actor::Client,
            Who::ClientOrStaff => actor == Actor::Client || actor.is_staff(),
            Who::Sweep => actor == Actor::Sweep,
        }
    }

    /// The staff action that moves a ticket from `from` to `to` (for the
    /// `POST /tickets/{id}/status` endpoint), if there is one.
    pub fn for_target(from: Status, to: Status) -> Option<Action> {
        Some(match to {
            Status::New => return None,
            Status::Open => match from {
                Status::New => Action::Take,
                Status::Resolved | Status::Closed => Action::Reopen,
                _ => Action::Resume,
            },
            Status::WaitingClient => Action::AskClient,
            Status::WaitingThirdParty => Action::WaitThirdParty,
            Status::WaitingRelease => Action::WaitRelease,
            Status::AwaitingAuthorization => Action::RequestAuthorization,
            Status::Resolved => Action::Resolve,
            Status::Closed => Action::Close,
        })
    }
}

impl FromStr for Action {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Action::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// Facts a transition depends on, supplied by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionContext {
    pub now: DateTime<Utc>,
    /// End of the correction warranty (exclusive); `None` = no window.
    pub reopen_deadline: Option<DateTime<Utc>>,
}

/// Why a transition was refused. The API answers 409 (403 for `forbidden_actor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("action {action:?} is not possible from status {from:?}")]
    InvalidTransition { from: Status, action: Action },
    #[error("{actor:?} may not perform {action:?}")]
    ForbiddenActor { actor: Actor, action: Action },
    #[error("the correction warranty window has ended")]
    WarrantyExpired { deadline: Option<DateTime<Utc>> },
    #[error("the ticket is closed")]
    TicketClosed,
}

impl TransitionError {
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::InvalidTransition { .. } => "invalid_transition",
            TransitionError::ForbiddenActor { .. } => "forbidden_actor",
            TransitionError::WarrantyExpired { .. } => "warranty_expired",
            TransitionError::TicketClosed => "ticket_closed",
        }
    }

    /// Suggested HTTP status.
    pub fn http_status(&self) -> u16 {
        match self {
            TransitionError::ForbiddenActor { .. } => 403,
            _ => 409,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Es => self.message_es(),
            Lang::En => self.message_en(),
        }
    }

    pub fn message_es(&self) -> String {
        match self {
            TransitionError::InvalidTransition { from, .. } => format!(
                "Esta acción no es posible mientras el ticket está «{}».",
                from.label(Lang::Es)
            ),
            TransitionError::ForbiddenActor { .. } => {
                "Tu perfil no tiene permiso para realizar esta acción.".into()
            }
            TransitionError::WarrantyExpired { .. } => {
                "El plazo de garantía para reabrir este ticket (5 días hábiles después de su solución) ya terminó. Abre un ticket nuevo; quedará vinculado a este.".into()
            }
            TransitionError::TicketClosed => {
                "Este ticket está cerrado. Si el problema sigue, reábrelo o abre un ticket nuevo.".into()
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            TransitionError::InvalidTransition { from, .. } => format!(
                "This action is not possible while the ticket is “{}”.",
                from.label(Lang::En)
            ),
            TransitionError::ForbiddenActor { .. } => {
                "Your role is not allowed to perform this action.".into()
            }
            TransitionError::WarrantyExpired { .. } => {
                "The warranty period to reopen this ticket (5 working days after its resolution) has ended. Please open a new ticket; it will be linked to this one.".into()
            }
            TransitionError::TicketClosed => {
                "This ticket is closed. If the problem persists, reopen it or open a new ticket.".into()
            }
        }
    }
}

fn within_warranty(ctx: &TransitionContext) -> Result<(), TransitionError> {
    match ctx.reopen_deadline {
        Some(deadline) if ctx.now < deadline => Ok(()),
        deadline => Err(TransitionError::WarrantyExpired { deadline }),
    }
}

/// Apply `action` by `actor` to a ticket in `status`. Pure; see the module table.
pub fn apply(
    status: Status,
    action: Action,
    actor: Actor,
    ctx: &TransitionContext,
) -> Result<Status, TransitionError> {
    use Status::*;
    if !action.allowed_to(actor) {
        return Err(TransitionError::ForbiddenActor { actor, action });
    }
    let invalid = Err(TransitionError::InvalidTransition {
        from: status,
        action,
    });
    let active = status.is_open();
    match action {
        Action::Take => match status {
            New => Ok(Open),
            _ => invalid,
        },
        Action::StaffReply => match status {
            New => Ok(Open),
            Closed => Err(TransitionError::TicketClosed),
            s => Ok(s),
        },
        Action::ClientReply => match status {
            WaitingClient => Ok(Open),
            Resolved => within_warranty(ctx).map(|()| Open),
            Closed => Err(TransitionError::TicketClosed),
            s => Ok(s),
        },
        Action::AskClient if active => Ok(WaitingClient),
        Action::WaitThirdParty if active => Ok(WaitingThirdParty),
        Action::WaitRelease if active => Ok(WaitingRelease),
        Action::RequestAuthorization if active => Ok(AwaitingAuthorization),
        Action::Resolve if active => Ok(Resolved),
        Action::Authorize => match status {
            AwaitingAuthorization => Ok(Open),
            _ => invalid,
        },
        Action::Resume => match status {
            WaitingClient | WaitingThirdParty | WaitingRelease | AwaitingAuthorization => Ok(Open),
            _ => invalid,
        },
        Action::Close => match status {
            Closed => invalid,
            _ => Ok(Closed),
        },
        Action::ClientConfirm => match status {
            Resolved => Ok(Closed),
            _ => invalid,
        },
        Action::Reopen => match status {
            Resolved | Closed if actor.is_staff() => Ok(Open),
            Resolved | Closed => within_warranty(ctx).map(|()| Open),
            _ => invalid,
        },
        Action::AutoClose => match status {
            WaitingClient => Ok(Resolved),
            Resolved => Ok(Closed),
            _ => invalid,
        },
        Action::AskClient
        | Action::WaitThirdParty
        | Action::WaitRelease
        | Action::RequestAuthorization
        | Action::Resolve => invalid,
    }
}

pub mod commands;
pub mod messages;
pub mod plan;
pub mod visibility;

#[cfg(test)]
mod tests;
