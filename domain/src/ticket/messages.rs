//! Ticket messages: their kinds, what each means for the SLA clock (P7), and the plan for a
//! new reply or note — who may send it, the status it leads to, whether it takes the ticket.
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{apply, Action, Actor, Status, TransitionContext, TransitionError};
use crate::api::LocalizedText;
use crate::validation::Lang;

/// Kind of a stored message (column `messages.kind`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A public message from the client (the first one is the description).
    Client,
    /// A public answer from staff.
    Reply,
    /// Staff only: an internal note, never shown to clients.
    Note,
    /// Staff asks the client something; the 48-hour wait starts (P17).
    AwaitingClient,
    /// Staff proposes the solution and asks for confirmation (P16).
    ResolvedConfirm,
    /// Written by the system (referrals, merges, warnings), in both languages.
    System,
}

/// What a message does to the SLA clock (P7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    /// A client message starts a new response target.
    StartsTarget,
    /// A public staff answer meets the running target.
    MeetsTarget,
    None,
}

impl MessageKind {
    pub const ALL: [MessageKind; 6] = [
        MessageKind::Client,
        MessageKind::Reply,
        MessageKind::Note,
        MessageKind::AwaitingClient,
        MessageKind::ResolvedConfirm,
        MessageKind::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Client => "client",
            MessageKind::Reply => "reply",
            MessageKind::Note => "note",
            MessageKind::AwaitingClient => "awaiting_client",
            MessageKind::ResolvedConfirm => "resolved_confirm",
            MessageKind::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// P7: client messages start a target, public staff answers meet it; internal
    /// messages never touch the clock.
    pub fn clock_effect(self, internal: bool) -> ClockEffect {
        if internal {
            return ClockEffect::None;
        }
        match self {
            MessageKind::Client => ClockEffect::StartsTarget,
            MessageKind::Reply | MessageKind::AwaitingClient | MessageKind::ResolvedConfirm => {
                ClockEffect::MeetsTarget
            }
            MessageKind::Note | MessageKind::System => ClockEffect::None,
        }
    }
}

/// The `kind` of `POST /api/tickets/{id}/messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyKind {
    #[default]
    Reply,
    AwaitingClient,
    ResolvedConfirm,
}

impl ReplyKind {
    pub fn parse(s: Option<&str>) -> Result<ReplyKind, ReplyError> {
        match s.map(str::trim).unwrap_or("reply") {
            "reply" => Ok(ReplyKind::Reply),
            "awaiting_client" => Ok(ReplyKind::AwaitingClient),
            "resolved_confirm" => Ok(ReplyKind::ResolvedConfirm),
            _ => Err(ReplyError::UnknownKind),
        }
    }
}

/// Why a reply or note is refused before looking at the ticket's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReplyError {
    #[error("unknown message kind")]
    UnknownKind,
    #[error("only staff may write internal notes")]
    NoteByClient,
    #[error("only staff may send this kind of message")]
    KindByClient,
    #[error("an internal note does not change the status")]
    NoteWithStatus,
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

impl ReplyError {
    pub fn code(&self) -> &'static str {
        match self {
            ReplyError::UnknownKind | ReplyError::NoteWithStatus => "invalid_kind",
            ReplyError::NoteByClient | ReplyError::KindByClient => "staff_only",
            ReplyError::Transition(e) => e.code(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (es, en) = match self {
            ReplyError::UnknownKind => (
                "El tipo debe ser reply, awaiting_client o resolved_confirm.",
                "Kind must be reply, awaiting_client or resolved_confirm.",
            ),
            ReplyError::NoteByClient => (
                "Solo el personal de soporte puede escribir notas internas.",
                "Only support staff can write internal notes.",
            ),
            ReplyError::KindByClient => (
                "Solo el personal de soporte puede enviar este tipo de mensaje.",
                "Only support staff can send this kind of message.",
            ),
            ReplyError::NoteWithStatus => (
                "Una nota interna no cambia el estado.",
                "An internal note does not change the status.",
            ),
            ReplyError::Transition(e) => return e.message(lang),
        };
        match lang {
            Lang::Es => es.into(),
            Lang::En => en.into(),
        }
    }

    pub fn text(&self) -> LocalizedText {
        LocalizedText::from_lang(|l| self.message(l))
    }
}

/// A new message as requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyRequest {
    pub kind: ReplyKind,
    pub internal: bool,
}

/// What the ticket looks like for the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplySnapshot {
    pub status: Status,
    pub assigned: bool,
}

/// What posting the message does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyPlan {
    pub message_kind: MessageKind,
    pub internal: bool,
    /// The status action it performs (none for notes).
    pub action: Option<Action>,
    /// The status after it.
    pub to: Status,
    /// "Waiting for your answer" again restarts the 48-hour countdown (P17).
    pub restart_wait: bool,
    /// The first public staff answer takes an unassigned ticket.
    pub take: bool,
}

/// Checks a request on its own (403/422 before any ticket state is looked at).
pub fn check_request(actor: Actor, req: ReplyRequest) -> Result<(), ReplyError> {
    let staff = actor.is_staff();
    if !staff && req.internal {
        return Err(ReplyError::NoteByClient);
    }
    if !staff && req.kind != ReplyKind::Reply {
        return Err(ReplyError::KindByClient);
    }
    if req.internal && req.kind != ReplyKind::Reply {
        return Err(ReplyError::NoteWithStatus);
    }
    Ok(())
}

/// The stored kind of a message `actor` posts with `req` (after `check_request`).
pub fn message_kind(actor: Actor, req: ReplyRequest) -> MessageKind {
    match (actor.is_staff(), req.internal, req.kind) {
        (false, _, _) => MessageKind::Client,
        (true, true, _) => MessageKind::Note,
        (true, false, ReplyKind::Reply) => MessageKind::Reply,
        (true, false, ReplyKind::AwaitingClient) => MessageKind::AwaitingClient,
        (true, false, ReplyKind::ResolvedConfirm) => MessageKind::ResolvedConfirm,
    }
}

/// The plan for posting a message on a ticket in `ticket`'s state.
pub fn plan_reply(
    ticket: ReplySnapshot,
    actor: Actor,
    req: ReplyRequest,
    ctx: &TransitionContext,
) -> Result<ReplyPlan, ReplyError> {
    check_request(actor, req)?;
    let staff = actor.is_staff();
    let message_kind = message_kind(actor, req);
    let action = match message_kind {
        MessageKind::Client => Some(Action::ClientReply),
        MessageKind::Reply => Some(Action::StaffReply),
        MessageKind::AwaitingClient => Some(Action::AskClient),
        MessageKind::ResolvedConfirm => Some(Action::Resolve),
        MessageKind::Note | MessageKind::System => None,
    };
    let to = match action {
        Some(a) => apply(ticket.status, a, actor, ctx)?,
        // Notes keep the record, even on a closed ticket.
        None => ticket.status,
    };
    Ok(ReplyPlan {
        message_kind,
        internal: req.internal,
        action,
        to,
        restart_wait: action == Some(Action::AskClient),
        take: staff && !req.internal && !ticket.assigned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn ctx() -> TransitionContext {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap();
        TransitionContext {
            now,
            reopen_deadline: Some(now + chrono::Duration::days(3)),
        }
    }
    const REPLY: ReplyRequest = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: false,
    };
    const NOTE: ReplyRequest = ReplyRequest {
        kind: ReplyKind::Reply,
        internal: true,
    };

    #[test]
    fn kinds_round_trip_and_drive_the_clock() {
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.as_str()), Some(k));
            assert_eq!(k.clock_effect(true), ClockEffect::None);
        }
        assert_eq!(
            MessageKind::Client.clock_effect(false),
            ClockEffect::StartsTarget
        );
        assert_eq!(
            MessageKind::AwaitingClient.clock_effect(false),
            ClockEffect::MeetsTarget
        );
        assert_eq!(MessageKind::Note.clock_effect(false), ClockEffect::None);
    }

    #[test]
    fn first_public_staff_answer_takes_the_ticket() {
        let t = ReplySnapshot {
            status: Status::New,
            assigned: false,
        };
        let p = plan_reply(t, Actor::Agent, REPLY, &ctx()).unwrap();
        assert!(p.take);
        assert_eq!(p.to, Status::Open);
        let n = plan_reply(t, Actor::Agent, NOTE, &ctx()).unwrap();
        assert!(!n.take && n.to == Status::New && n.message_kind == MessageKind::Note);
    }

    #[test]
    fn client_reply_ends_the_wait_and_clients_cannot_send_staff_kinds() {
        let t = ReplySnapshot {
            status: Status::WaitingClient,
            assigned: true,
        };
        let p = plan_reply(t, Actor::Client, REPLY, &ctx()).unwrap();
        assert_eq!((p.to, p.message_kind), (Status::Open, MessageKind::Client));
        assert_eq!(
            plan_reply(t, Actor::Client, NOTE, &ctx()),
            Err(ReplyError::NoteByClient)
        );
        let ask = ReplyRequest {
            kind: ReplyKind::AwaitingClient,
            internal: false,
        };
        assert_eq!(
            plan_reply(t, Actor::Client, ask, &ctx()),
            Err(ReplyError::KindByClient)
        );
        let p = plan_reply(t, Actor::Agent, ask, &ctx()).unwrap();
        assert!(p.restart_wait && p.to == Status::WaitingClient);
    }

    #[test]
    fn no_public_message_on_a_closed_ticket() {
        let t = ReplySnapshot {
            status: Status::Closed,
            assigned: true,
        };
        for actor in [Actor::Client, Actor::Agent] {
            assert_eq!(
                plan_reply(t, actor, REPLY, &ctx()),
                Err(ReplyError::Transition(TransitionError::TicketClosed))
            );
        }
        let note = plan_reply(t, Actor::Agent, NOTE, &ctx()).unwrap();
        assert_eq!(note.to, Status::Closed, "internal notes keep the record");
    }

    proptest! {
        /// A note never changes the status; a planned status is always one `apply` allows.
        #[test]
        fn notes_keep_the_status(st in proptest::sample::select(Status::ALL.to_vec()), assigned: bool) {
            let t = ReplySnapshot { status: st, assigned };
            if let Ok(p) = plan_reply(t, Actor::Admin, NOTE, &ctx()) {
                prop_assert_eq!(p.to, st);
                prop_assert!(p.internal && !p.take);
            }
            if let Ok(p) = plan_reply(t, Actor::Agent, REPLY, &ctx()) {
                prop_assert_eq!(apply(st, Action::StaffReply, Actor::Agent, &ctx()), Ok(p.to));
            }
        }
    }
}
