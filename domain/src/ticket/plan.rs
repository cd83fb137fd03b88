//! Ticket commands as pure plans (issue 10). Each planner takes a snapshot of the ticket
//! (with its SLA timeline), who acts, the input, `now` and the calendar, and returns the
//! [`Plan`]: the rows to insert, the ticket's new column values — **including the new due
//! time** — and the notices to emit. The Worker only loads the snapshot, translates the plan
//! into one guarded batch and answers from it.
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::commands::{self, Command, CommandContext};
use super::messages::{
    plan_reply, ClockEffect, MessageKind, ReplyError, ReplyRequest, ReplySnapshot,
};
use super::visibility::{merge_allowed, Visibility};
use super::{apply, Action, Actor, Status, TransitionContext, TransitionError};
use crate::accounts::{self, Suspension};
use crate::api::{EventData, LocalizedText, Role, TicketRef, UserRef};
use crate::calendar::BusinessCalendar;
use crate::contract::{self, Category, Coverage, Ineligible, RequestError, ServiceStatus};
use crate::notify::Kind as NoticeKind;
use crate::sla::{self, PauseReason, Priority, TimelineEvent};
use crate::validation::{FieldError, Lang};
use crate::workflow::{self, OutOfScope};

/// Kind of a stored event (column `events.kind`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Status,
    Assigned,
    MergedInto,
    MergedFrom,
    OutOfScope,
    MessageFlagged,
    AttachmentAdded,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::Created,
        EventKind::Status,
        EventKind::Assigned,
        EventKind::MergedInto,
        EventKind::MergedFrom,
        EventKind::OutOfScope,
        EventKind::MessageFlagged,
        EventKind::AttachmentAdded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Status => "status",
            EventKind::Assigned => "assigned",
            EventKind::MergedInto => "merged_into",
            EventKind::MergedFrom => "merged_from",
            EventKind::OutOfScope => "out_of_scope",
            EventKind::MessageFlagged => "message_flagged",
            EventKind::AttachmentAdded => "attachment_added",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why the domain refuses a command. One `From<DomainError> for ApiError` maps it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Reply(#[from] ReplyError),
    /// 422 on one field.
    #[error("{0:?}")]
    Field(FieldError),
    /// 403: a suspended client reads but does not write (P27).
    #[error("suspended")]
    Suspended(Suspension),
    /// 403: a staff-only command.
    #[error("staff only")]
    StaffOnly,
    /// 403: only clients open tickets.
    #[error("clients only")]
    ClientsOnly,
    /// 409 with its own code.
    #[error("{code}")]
    Conflict {
        code: &'static str,
        text: LocalizedText,
    },
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Field(e)
    }
}

/// Who performs the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Role,
    /// An active suspension (only refuses clients' writes).
    pub suspension: Option<&'a Suspension>,
}

impl Who<'_> {
    pub fn actor(&self) -> Actor {
        match self.role {
            Role::Client => Actor::Client,
            Role::Agent => Actor::Agent,
            Role::Admin => Actor::Admin,
        }
    }

    fn user_ref(&self) -> UserRef {
        UserRef {
            id: self.id.to_string(),
            name: self.name.to_string(),
            role: Some(self.role.as_str().into()),
        }
    }

    /// P27: a suspended client may read but not write.
    pub fn require_not_suspended(&self) -> Result<(), DomainError> {
        match self.suspension {
            Some(s) if self.role == Role::Client => Err(DomainError::Suspended(s.clone())),
            _ => Ok(()),
        }
    }

    pub fn require_staff(&self) -> Result<(), DomainError> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(DomainError::StaffOnly)
        }
    }
}

/// The ticket as a planner needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub status: Status,
    pub priority: Priority,
    pub requester_id: &'a str,
    pub assignee_id: Option<&'a str>,
    pub paused_since: Option<DateTime<Utc>>,
    pub auto_close_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub reopen_until: Option<DateTime<Utc>>,
    /// The SLA timeline so far (public messages and status changes).
    pub timeline: &'a [TimelineEvent],
}

impl Snapshot<'_> {
    fn transition(&self, now: DateTime<Utc>) -> TransitionContext {
        TransitionContext {
            now,
            reopen_deadline: self.reopen_until,
        }
    }

    fn command_context(&self, who: &Who<'_>, now: DateTime<Utc>) -> CommandContext {
        CommandContext {
            status: self.status,
            actor: who.actor(),
            assigned_to_caller: self.assignee_id == Some(who.id),
            transition: self.transition(now),
        }
    }

    fn this(&self) -> TicketRef {
        TicketRef {
            id: self.id.to_string(),
            number: self.number.to_string(),
        }
    }
}

/// A message to insert. `ticket: None` = the planned ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub ticket: Option<String>,
    pub kind: MessageKind,
    pub internal: bool,
    pub body: String,
    /// Written by the caller (system messages of a caller's command count as theirs).
    pub by_caller: bool,
}

/// An event to insert. `ticket: None` = the planned ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub ticket: Option<String>,
    pub kind: EventKind,
    pub data: EventData,
}

/// The ticket's mutable columns after the command (the whole row, not a diff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub status: Status,
    pub paused_reason: Option<PauseReason>,
    pub paused_since: Option<DateTime<Utc>>,
    pub auto_close_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub reopen_until: Option<DateTime<Utc>>,
    /// `None` = keep; `Some(None)` = unassign.
    pub assignee: Option<Option<UserRef>>,
    pub merged_into: Option<TicketRef>,
    /// The stored due time after the command (none while paused or finished).
    pub due_at: Option<DateTime<Utc>>,
}

/// A notification to emit in the same batch (issue 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// To the requester: the ticket was received, with its target and due time.
    Created {
        to: String,
        target_hours: i64,
        due: Option<DateTime<Utc>>,
    },
    /// To the author of a flagged message: the formal warning of their first flag (P27),
    /// a notice they cannot mute.
    ConductWarning { to: String },
    /// About message `message` (an index into `Plan::messages`) to `to`, never its author.
    Message {
        message: usize,
        kind: NoticeKind,
        to: String,
        except: String,
    },
}

/// Another ticket the command writes to (the survivor of a merge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherTicket {
    pub id: String,
    /// Its due time after the command.
    pub due_at: Option<DateTime<Utc>>,
}

/// What a command does, decided before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub from: Status,
    pub action: Option<Action>,
    pub messages: Vec<NewMessage>,
    pub events: Vec<NewEvent>,
    pub columns: Columns,
    /// A message to mark as flagged (P27).
    pub flag_message: Option<String>,
    /// Move every message and attachment to this ticket (merge, P12).
    pub move_content_to: Option<OtherTicket>,
    pub notices: Vec<Notice>,
}

impl Plan {
    /// Nothing to write (e.g. assigning to the current assignee, flagging twice).
    pub fn is_noop(&self) -> bool {
        self.action.is_none()
            && self.messages.is_empty()
            && self.events.is_empty()
            && self.flag_message.is_none()
            && self.columns.assignee.is_none()
    }

    /// Messages and events on the planned ticket itself.
    pub fn own_messages(&self) -> impl Iterator<Item = &NewMessage> {
        self.messages.iter().filter(|m| m.ticket.is_none())
    }

    pub fn own_events(&self) -> impl Iterator<Item = &NewEvent> {
        self.events.iter().filter(|e| e.ticket.is_none())
    }
}

/// What a message does to the SLA clock (P7), as a timeline event.
pub fn clock_event(kind: MessageKind, internal: bool, at: DateTime<Utc>) -> Option<TimelineEvent> {
    match kind.clock_effect(internal) {
        ClockEffect::StartsTarget => Some(TimelineEvent::ClientMessage { at }),
        ClockEffect::MeetsTarget => Some(TimelineEvent::StaffReply { at }),
        ClockEffect::None => None,
    }
}

/// The due time stored with a ticket: the running target's, none while the clock is paused.
pub fn stored_due(
    cal: &BusinessCalendar,
    priority: Priority,
    timeline: &[TimelineEvent],
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let state = sla::compute(cal, priority, timeline, at);
    if state.paused.is_some() {
        None
    } else {
        state.due_at
    }
}

/// The parts of a command before the common steps (transition, deadlines, due, notices).
#[derive(Default)]
struct Draft {
    action: Option<Action>,
    restart: bool,
    reason: Option<String>,
    messages: Vec<NewMessage>,
    events: Vec<NewEvent>,
    assignee: Option<Option<UserRef>>,
    merged_into: Option<TicketRef>,
    flag_message: Option<String>,
    move_content_to: Option<OtherTicket>,
}

impl Draft {
    fn system(&mut self, ticket: Option<String>, es: &str, en: &str) {
        self.messages.push(NewMessage {
            ticket,
            kind: MessageKind::System,
            internal: false,
            body: workflow::bilingual(es, en),
            by_caller: true,
        });
    }
    fn event(&mut self, kind: EventKind, data: EventData) {
        self.events.push(NewEvent {
            ticket: None,
            kind,
            data,
        });
    }
}

/// The common steps: the status the action leads to, the deadlines it sets, the status
/// event, the new due time over the timeline with this command's entries, the notices.
fn finish(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    d: Draft,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    let from = snap.status;
    let to = match d.action {
        Some(a) => apply(from, a, who.actor(), &snap.transition(now))?,
        None => from,
    };
    let dl = workflow::deadlines(cal, from, to, now, d.restart);
    let mut events = d.events;
    if from != to {
        events.push(NewEvent {
            ticket: None,
            kind: EventKind::Status,
            data: EventData {
                from: Some(from),
                to: Some(to),
                action: d.action.map(|a| a.as_str().to_string()),
                reason: d.reason,
                ..Default::default()
            },
        });
    }
    let mut timeline = snap.timeline.to_vec();
    timeline.extend(
        d.messages
            .iter()
            .filter(|m| m.ticket.is_none())
            .filter_map(|m| clock_event(m.kind, m.internal, now)),
    );
    timeline.extend(workflow::status_timeline(from, to, now));
    let columns = Columns {
        status: to,
        paused_reason: to.is_paused(),
        paused_since: dl.paused_since.apply(snap.paused_since),
        auto_close_at: dl.auto_close_at.apply(snap.auto_close_at),
        resolved_at: dl.resolved_at.apply(snap.resolved_at),
        reopen_until: dl.reopen_until.apply(snap.reopen_until),
        assignee: d.assignee,
        merged_into: d.merged_into,
        due_at: stored_due(cal, snap.priority, &timeline, now),
    };
    let assignee = match &columns.assignee {
        Some(a) => a.as_ref().map(|u| u.id.as_str()),
        None => snap.assignee_id,
    };
    let notices = message_notices(&d.messages, who, snap.requester_id, assignee);
    Ok(Plan {
        from,
        action: d.action,
        messages: d.messages,
        events,
        columns,
        flag_message: d.flag_message,
        move_content_to: d.move_content_to,
        notices,
    })
}

/// Issue 11: a public staff message notifies the requester, a client message the assignee;
/// internal notes and system messages notify nobody.
fn message_notices(
    messages: &[NewMessage],
    who: &Who<'_>,
    requester: &str,
    assignee: Option<&str>,
) -> Vec<Notice> {
    let staff = who.role.is_staff();
    messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.ticket.is_none() && m.by_caller && !m.internal)
        .filter_map(|(i, m)| {
            let (kind, to) = match (staff, m.kind) {
                (
                    true,
                    MessageKind::Reply | MessageKind::AwaitingClient | MessageKind::ResolvedConfirm,
                ) => (NoticeKind::StaffReply, Some(requester)),
                (false, MessageKind::Client) => (NoticeKind::ClientReply, assignee),
                _ => return None,
            };
            Some(Notice::Message {
                message: i,
                kind,
                to: to?.to_string(),
                except: who.id.to_string(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The planners

/// `POST …/messages`: a reply, an internal note or a special message (P7, P16, P17).
pub fn plan_message(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    body: String,
    req: ReplyRequest,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_not_suspended()?;
    let reply = plan_reply(
        ReplySnapshot {
            status: snap.status,
            assigned: snap.assignee_id.is_some(),
        },
        who.actor(),
        req,
        &snap.transition(now),
    )?;
    let mut d = Draft {
        action: reply.action,
        restart: reply.restart_wait,
        ..Default::default()
    };
    if reply.take {
        d.assignee = Some(Some(who.user_ref()));
        d.event(
            EventKind::Assigned,
            EventData {
                assignee: Some(who.user_ref()),
                ..Default::default()
            },
        );
    }
    d.messages.push(NewMessage {
        ticket: None,
        kind: reply.message_kind,
        internal: reply.internal,
        body,
        by_caller: true,
    });
    finish(snap, who, d, cal, now)
}

/// `POST …/status`: staff move the ticket to `to` (pauses with `reason`, P9).
pub fn plan_status(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    to: Status,
    reason: Option<String>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    let from = snap.status;
    let action = Action::for_target(from, to).ok_or(TransitionError::InvalidTransition {
        from,
        action: Action::Resume,
    })?;
    let d = Draft {
        action: Some(action),
        restart: from == to,
        reason,
        ..Default::default()
    };
    finish(snap, who, d, cal, now)
}

/// Issue 13: a paid-service step recorded as a system message in both languages — staff
/// sending a quote or an estimate (`RequestAuthorization`; a new one restarts the wait), the
/// client deciding (`Authorize`). The other side is told: the requester of an offer, the
/// assignee of a decision.
pub fn plan_paid_step(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    action: Action,
    text: (&str, &str),
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_not_suspended()?;
    let mut d = Draft {
        action: Some(action),
        restart: snap.status == Status::AwaitingAuthorization,
        ..Default::default()
    };
    d.system(None, text.0, text.1);
    let mut plan = finish(snap, who, d, cal, now)?;
    let (kind, to) = if who.role.is_staff() {
        (NoticeKind::StaffReply, Some(snap.requester_id))
    } else {
        (NoticeKind::ClientReply, snap.assignee_id)
    };
    if let Some(to) = to.filter(|t| *t != who.id) {
        plan.notices.push(Notice::Message {
            message: 0,
            kind,
            to: to.to_string(),
            except: who.id.to_string(),
        });
    }
    Ok(plan)
}

/// Issue 13: completing paid work (P26) — the staff's summary as "resolved — please confirm"
/// (the warranty starts) followed by the charges as a system message in both languages.
pub fn plan_completion(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    summary: String,
    charges: (&str, &str),
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    let req = ReplyRequest {
        kind: super::messages::ReplyKind::ResolvedConfirm,
        internal: false,
    };
    let mut plan = plan_message(snap, who, summary, req, cal, now)?;
    plan.messages.push(NewMessage {
        ticket: None,
        kind: MessageKind::System,
        internal: false,
        body: workflow::bilingual(charges.0, charges.1),
        by_caller: true,
    });
    Ok(plan)
}

/// `POST …/reopen`: a client inside the warranty (P18), staff at any time.
pub fn plan_reopen(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_not_suspended()?;
    let d = Draft {
        action: Some(Action::Reopen),
        ..Default::default()
    };
    finish(snap, who, d, cal, now)
}

/// `POST …/close`: the client confirms the solution (P16); staff close directly.
pub fn plan_close(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    let action = if who.role.is_staff() {
        Action::Close
    } else {
        Action::ClientConfirm
    };
    let d = Draft {
        action: Some(action),
        ..Default::default()
    };
    finish(snap, who, d, cal, now)
}

/// `POST …/assign`: to a staff member (`None` = unassign). Taking a new ticket opens it;
/// assigning to the current assignee changes nothing.
pub fn plan_assign(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    assignee: Option<UserRef>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    let mut d = Draft::default();
    if snap.assignee_id != assignee.as_ref().map(|a| a.id.as_str()) {
        commands::check(&snap.command_context(who, now), Command::Assign)?;
        if snap.status == Status::New && assignee.as_ref().is_some_and(|a| a.id == who.id) {
            d.action = Some(Action::Take);
        }
        d.event(
            EventKind::Assigned,
            EventData {
                assignee: assignee.clone(),
                ..Default::default()
            },
        );
        d.assignee = Some(assignee);
    }
    finish(snap, who, d, cal, now)
}

/// The survivor of a merge, as the merge planner needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Survivor<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub status: Status,
    pub priority: Priority,
    pub audience: Visibility<'a>,
    /// Its SLA timeline so far.
    pub timeline: &'a [TimelineEvent],
}

/// The duplicate's moved messages as timeline entries for the survivor: (kind, internal, at).
pub type MovedMessage = (MessageKind, bool, DateTime<Utc>);

/// `POST …/merge`: close `snap` as a duplicate of `survivor` and move its content (P12).
#[allow(clippy::too_many_arguments)]
pub fn plan_merge(
    snap: &Snapshot<'_>,
    audience: Visibility<'_>,
    survivor: Option<&Survivor<'_>>,
    moved: &[MovedMessage],
    who: &Who<'_>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    let survivor = survivor.ok_or_else(|| {
        FieldError::new(
            "into",
            "unknown_ticket",
            "El ticket destino no existe.",
            "The target ticket does not exist.",
        )
    })?;
    if survivor.id == snap.id {
        return Err(FieldError::new(
            "into",
            "same_ticket",
            "Un ticket no puede unirse consigo mismo.",
            "A ticket cannot be merged into itself.",
        )
        .into());
    }
    // Same company, and the same requester where clients see only their own tickets.
    merge_allowed(audience, survivor.audience)?;
    if survivor.status == Status::Closed {
        return Err(DomainError::Conflict {
            code: "merge_target_closed",
            text: LocalizedText::new(
                "El ticket destino está cerrado.",
                "The target ticket is closed.",
            ),
        });
    }
    let into = TicketRef {
        id: survivor.id.to_string(),
        number: survivor.number.to_string(),
    };
    // The survivor's clock after the move: its own timeline plus the moved messages.
    let mut after = survivor.timeline.to_vec();
    after.extend(
        moved
            .iter()
            .filter_map(|(k, i, at)| clock_event(*k, *i, *at)),
    );
    let mut d = Draft {
        action: Some(Action::Close),
        reason: Some("duplicate".into()),
        merged_into: Some(into.clone()),
        move_content_to: Some(OtherTicket {
            id: into.id.clone(),
            due_at: stored_due(cal, survivor.priority, &after, now),
        }),
        ..Default::default()
    };
    d.system(
        None,
        &format!(
            "Este ticket era un duplicado y se unió al {}; la conversación continúa allí.",
            into.number
        ),
        &format!(
            "This ticket was a duplicate and was merged into {}; the conversation continues there.",
            into.number
        ),
    );
    d.system(
        Some(into.id.clone()),
        &format!(
            "Se unió el ticket duplicado {} con sus mensajes y archivos.",
            snap.number
        ),
        &format!(
            "The duplicate ticket {} was merged here with its messages and files.",
            snap.number
        ),
    );
    d.event(
        EventKind::MergedInto,
        EventData {
            ticket: Some(into.clone()),
            ..Default::default()
        },
    );
    d.events.push(NewEvent {
        ticket: Some(into.id.clone()),
        kind: EventKind::MergedFrom,
        data: EventData {
            ticket: Some(snap.this()),
            ..Default::default()
        },
    });
    finish(snap, who, d, cal, now)
}

/// `POST …/out-of-scope`: close with the referral message of the reason (P10).
pub fn plan_out_of_scope(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    reason: OutOfScope,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    let mut d = Draft {
        action: Some(Action::Close),
        reason: Some(format!("out_of_scope:{}", reason.as_str())),
        ..Default::default()
    };
    d.system(None, reason.referral(Lang::Es), reason.referral(Lang::En));
    d.event(
        EventKind::OutOfScope,
        EventData {
            reason: Some(reason.as_str().into()),
            ..Default::default()
        },
    );
    finish(snap, who, d, cal, now)
}

/// The message a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flagged<'a> {
    pub id: &'a str,
    pub kind: MessageKind,
    pub flagged: bool,
    /// Its author (a client), when the account still exists.
    pub author: Option<&'a str>,
    /// The author's messages flagged before this one (P27: the first flag is the formal
    /// warning, later ones a reminder).
    pub author_flags_before: i64,
}

/// `POST …/messages/{mid}/flag`: mark a client message and warn the client (P27).
/// Flagging twice plans nothing (idempotent).
pub fn plan_flag(
    snap: &Snapshot<'_>,
    who: &Who<'_>,
    message: Flagged<'_>,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<Plan, DomainError> {
    who.require_staff()?;
    if message.kind != MessageKind::Client {
        return Err(FieldError::new(
            "message_id",
            "not_a_client_message",
            "Solo se marcan mensajes de clientes.",
            "Only client messages can be flagged.",
        )
        .into());
    }
    let mut d = Draft::default();
    if !message.flagged {
        d.flag_message = Some(message.id.to_string());
        let step = accounts::conduct_step(message.author_flags_before);
        d.system(
            None,
            accounts::conduct_message(step, Lang::Es),
            accounts::conduct_message(step, Lang::En),
        );
        d.event(
            EventKind::MessageFlagged,
            EventData {
                message_id: Some(message.id.to_string()),
                ..Default::default()
            },
        );
        let mut plan = finish(snap, who, d, cal, now)?;
        if let (accounts::ConductStep::FormalWarning, Some(to)) = (step, message.author) {
            plan.notices
                .push(Notice::ConductWarning { to: to.to_string() });
        }
        return Ok(plan);
    }
    finish(snap, who, d, cal, now)
}

// ---------------------------------------------------------------------------
// Create

/// A new ticket's input, each field already validated on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateInput {
    pub subject: String,
    pub description: String,
    pub steps: Option<String>,
    pub priority: Priority,
    pub category: Category,
    /// The linked earlier ticket, if the caller may see it (else the request names none).
    pub linked_to: Option<String>,
}

/// The service the ticket is about, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceFacts<'a> {
    pub id: &'a str,
    pub company_id: &'a str,
    pub status: ServiceStatus,
    pub special_contract: bool,
}

/// The company's standing (P19, P24).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub contract_current: bool,
    pub overdue: bool,
}

/// What opening a ticket writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePlan {
    /// `T-2026-`: completed in SQL from `counter`, taken in the same batch.
    pub number_prefix: String,
    pub counter: String,
    pub coverage: Coverage,
    pub status: Status,
    pub due_at: Option<DateTime<Utc>>,
    /// The description as the first client message.
    pub messages: Vec<NewMessage>,
    pub events: Vec<NewEvent>,
    pub notices: Vec<Notice>,
}

/// `POST /api/tickets`: a client opens a ticket about one of their company's services.
pub fn plan_create(
    who: &Who<'_>,
    company_id: Option<&str>,
    service: Option<ServiceFacts<'_>>,
    standing: Standing,
    input: &CreateInput,
    cal: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<CreatePlan, DomainError> {
    let company_id = company_id.ok_or(DomainError::ClientsOnly)?;
    who.require_not_suspended()?;
    let service = service
        .filter(|s| s.company_id == company_id)
        .ok_or_else(|| {
            FieldError::new(
                "service_id",
                "unknown_service",
                "Elige uno de los servicios de tu empresa.",
                "Choose one of your company's services.",
            )
        })?;
    contract::eligibility(
        service.status,
        service.special_contract,
        standing.contract_current,
    )
    .map_err(ineligible)?;
    let coverage = contract::check_request(
        input.category,
        input.priority,
        standing.contract_current,
        standing.overdue,
    )
    .map_err(|e: RequestError| e.to_field_error())?;
    let due_at = sla::compute(
        cal,
        input.priority,
        &[TimelineEvent::ClientMessage { at: now }],
        now,
    )
    .due_at;
    let year = cal.local_date(now).year();
    Ok(CreatePlan {
        number_prefix: workflow::ticket_number_prefix(year),
        counter: workflow::ticket_counter(year),
        coverage,
        status: Status::New,
        due_at,
        messages: vec![NewMessage {
            ticket: None,
            kind: MessageKind::Client,
            internal: false,
            body: input.description.clone(),
            by_caller: true,
        }],
        events: vec![NewEvent {
            ticket: None,
            kind: EventKind::Created,
            data: EventData {
                to: Some(Status::New),
                ticket: input.linked_to.as_ref().map(|l| TicketRef {
                    id: l.clone(),
                    number: String::new(),
                }),
                ..Default::default()
            },
        }],
        notices: vec![Notice::Created {
            to: who.id.to_string(),
            target_hours: input.priority.target_hours(),
            due: due_at,
        }],
    })
}

fn ineligible(e: Ineligible) -> FieldError {
    FieldError::new(
        "service_id",
        e.code(),
        e.message(Lang::Es),
        e.message(Lang::En),
    )
}

#[cfg(test)]
mod tests;
