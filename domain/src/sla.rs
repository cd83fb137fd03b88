//! SLA clock (SPEC P6, P7, P9, P17).
//!
//! # Model
//!
//! A ticket's timeline is a list of [`TimelineEvent`]s. [`compute`] replays it
//! (stably sorted by `at`; events after `now` are ignored) and keeps at most one
//! *running response target*:
//!
//! * [`TimelineEvent::ClientMessage`] — the first one is the opening message. A
//!   client message starts a new target at its instant **if none is running**
//!   (a second message while staff has not answered does not restart the clock).
//!   It also ends a `waiting_client` pause (the client answered), but not a
//!   third-party or release pause. Ignored while the ticket is resolved/closed.
//! * [`TimelineEvent::StaffReply`] — a *public* staff reply satisfies the running
//!   target (internal notes must not be passed in).
//! * [`TimelineEvent::Paused`] / [`TimelineEvent::Resumed`] — extenders (P9).
//!   Pausing with another reason while paused switches the reason. Pauses may
//!   start before a target (a client message arriving during a third-party
//!   pause starts its target already paused).
//! * [`TimelineEvent::Closed`] — resolved or closed: ends any pause and stops
//!   the clock; a running target is dropped (recorded as not answered).
//! * [`TimelineEvent::Reopened`] — the ticket is open again; a new target starts
//!   at that instant (a reopen is a client request waiting for staff).
//!
//! # Time accounting
//!
//! Everything is measured on the [`BusinessCalendar`] clock (working time, in
//! whole seconds internally). A target consumes *active* working time: working
//! time since its start minus the working time spent paused. Hence
//! `due = add_working(start, target + paused working time since start)`, which is
//! computed incrementally as `add_working(segment_start, target − consumed)`.
//! While paused, `due_at` is the projection "if the clock resumed now"
//! (`add_working(now, target − consumed)`), so it keeps moving later while the
//! pause lasts. Once the target has been reached, `due_at` is frozen at the
//! instant it was reached; a later pause never moves it.
//!
//! `remaining_minutes` is `floor((target − consumed) / 60)` (negative when
//! breached); `breached_by_minutes` is `ceil(overrun / 60)`, so when breached
//! `breached_by_minutes == -remaining_minutes`. `paused_minutes` are working
//! minutes per reason over the whole timeline, including an ongoing pause up to
//! `now`.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::validation::{FieldError, Lang};

/// Hours of the auto-close / auto-resolve wait (P17).
pub const AUTO_CLOSE_HOURS: i64 = 48;
/// Working days of the correction warranty (P18).
pub const REOPEN_WORKING_DAYS: u32 = 5;

/// Ticket priority (P6).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Medium, Priority::High];

    /// Maximum response time: Low 72 h, Medium 48 h, High 24 h.
    pub fn target_hours(self) -> i64 {
        match self {
            Priority::Low => 72,
            Priority::Medium => 48,
            Priority::High => 24,
        }
    }

    pub fn target_minutes(self) -> i64 {
        self.target_hours() * 60
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Priority::Low, Lang::Es) => "Baja",
            (Priority::Medium, Lang::Es) => "Media",
            (Priority::High, Lang::Es) => "Alta",
            (Priority::Low, Lang::En) => "Low",
            (Priority::Medium, Lang::En) => "Medium",
            (Priority::High, Lang::En) => "High",
        }
    }
}

impl FromStr for Priority {
    type Err = FieldError;
    /// Accepts `low`, `medium`, `high` (case-insensitive, trimmed).
    fn from_str(s: &str) -> Result<Self, FieldError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Priority::Low),
            "medium" => Ok(Priority::Medium),
            "high" => Ok(Priority::High),
            _ => Err(FieldError::new(
                "priority",
                "invalid_priority",
                "La prioridad debe ser baja (low), media (medium) o alta (high).",
                "The priority must be low, medium or high.",
            )),
        }
    }
}

impl core::fmt::Display for Priority {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the clock is paused (P9).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    WaitingClient,
    WaitingThirdParty,
    WaitingRelease,
}

impl PauseReason {
    pub const ALL: [PauseReason; 3] = [
        PauseReason::WaitingClient,
        PauseReason::WaitingThirdParty,
        PauseReason::WaitingRelease,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::WaitingClient => "waiting_client",
            PauseReason::WaitingThirdParty => "waiting_third_party",
            PauseReason::WaitingRelease => "waiting_release",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PauseReason::WaitingClient, Lang::Es) => "En espera de tu respuesta",
            (PauseReason::WaitingThirdParty, Lang::Es) => "En espera de un proveedor externo",
            (PauseReason::WaitingRelease, Lang::Es) => "En espera de una versión de software",
            (PauseReason::WaitingClient, Lang::En) => "Waiting for the client's answer",
            (PauseReason::WaitingThirdParty, Lang::En) => "Waiting for a third-party provider",
            (PauseReason::WaitingRelease, Lang::En) => "Waiting for a software release",
        }
    }
}

impl FromStr for PauseReason {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        PauseReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(())
    }
}

/// One entry of a ticket timeline, as relevant to the SLA clock.
///
/// JSON: `{"type":"client_message","at":"…"}`, `{"type":"paused","at":"…","reason":"waiting_client"}`…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEvent {
    /// A public message from the client (the first one opens the ticket).
    ClientMessage { at: DateTime<Utc> },
    /// A public reply from staff (not an internal note).
    StaffReply { at: DateTime<Utc> },
    /// The ticket starts waiting (status `waiting_*`).
    Paused {
        at: DateTime<Utc>,
        reason: PauseReason,
    },
    /// The ticket stops waiting (back to `open`).
    Resumed { at: DateTime<Utc> },
    /// Resolved or closed: stops the clock.
    Closed { at: DateTime<Utc> },
    /// Reopened: a new target starts.
    Reopened { at: DateTime<Utc> },
}

/// An SLA breach (P7): the ticket is still worked on, its clock runs, and the due time has passed.
pub fn is_breached(
    open: bool,
    paused: bool,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    open && !paused && due.is_some_and(|d| d < now)
}

impl TimelineEvent {
    pub fn at(&self) -> DateTime<Utc> {
        match *self {
            TimelineEvent::ClientMessage { at }
            | TimelineEvent::StaffReply { at }
            | TimelineEvent::Paused { at, .. }
            | TimelineEvent::Resumed { at }
            | TimelineEvent::Closed { at }
            | TimelineEvent::Reopened { at } => at,
        }
    }
}

/// One response target of the timeline (finished or running).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRecord {
    pub started_at: DateTime<Utc>,
    /// Due time as of the end of the target (or `now` for the running one).
    pub due_at: DateTime<Utc>,
    /// When it ended (staff reply or close); `None` while running.
    pub ended_at: Option<DateTime<Utc>>,
    /// Ended by a public staff reply (as opposed to a close, or still running).
    pub answered: bool,
    /// Working minutes of active time beyond the target (0 if met).
    pub breached_by_minutes: i64,
}

/// SLA situation of a ticket at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaState {
    pub priority: Priority,
    pub target_minutes: i64,
    /// Start of the running target, if any.
    pub started_at: Option<DateTime<Utc>>,
    /// Due time of the running target (`None` when no target is running).
    pub due_at: Option<DateTime<Utc>>,
    /// Working minutes left (negative once breached); `None` when nothing runs.
    pub remaining_minutes: Option<i64>,
    /// Current pause: reason and since when.
    pub paused: Option<(PauseReason, DateTime<Utc>)>,
    /// The running target is past due.
    pub breached: bool,
    /// How far past due the running target is, in working minutes (0 if not).
    pub breached_by_minutes: i64,
    /// Total paused working minutes per reason (all three reasons present).
    pub paused_minutes: BTreeMap<PauseReason, i64>,
    /// Finished targets answered or closed after their due time.
    pub missed_targets: u32,
    /// Every target of the timeline in order (the running one last).
    pub targets: Vec<TargetRecord>,
}

/// Due time of a new request of `priority` submitted at `from` (form preview, P7).
pub fn due_at(cal: &BusinessCalendar, priority: Priority, from: DateTime<Utc>) -> DateTime<Utc> {
    cal.add_working_hours(from, priority.target_hours())
}

/// When an "awaiting your answer" / "resolved — please confirm" message sent at
/// `sent_at` expires: 48 working hours on the SLA clock (P17).
pub fn auto_close_deadline(cal: &BusinessCalendar, sent_at: DateTime<Utc>) -> DateTime<Utc> {
    cal.add_working_hours(sent_at, AUTO_CLOSE_HOURS)
}

/// End of the correction warranty (P18): 24:00 of the 5th working day after
/// the resolution date (exclusive).
pub fn reopen_deadline(cal: &BusinessCalendar, resolved_at: DateTime<Utc>) -> DateTime<Utc> {
    cal.reopen_deadline(resolved_at, REOPEN_WORKING_DAYS)
}

struct Running {
    start: DateTime<Utc>,
    /// Active working seconds consumed before `seg_start` (or in total while paused).
    consumed: i64,
    /// Start of the current active segment; `None` while paused.
    seg_start: Option<DateTime<Utc>>,
    /// The instant the target was reached, once known.
    reached: Option<DateTime<Utc>>,
}

impl Running {
    fn consumed_at(&self, cal: &BusinessCalendar, at: DateTime<Utc>) -> i64 {
        match self.seg_start {
            Some(s) => self.consumed + cal.working_seconds_between(s, at),
            None => self.consumed,
        }
    }

    fn due(&self, cal: &BusinessCalendar, target: i64, at: DateTime<Utc>) -> DateTime<Utc> {
        if let Some(r) = self.reached {
            return r;
        }
        let left = target - self.consumed;
        match self.seg_start {
            Some(s) => cal.add_working_seconds(s, left),
            None => cal.add_working_seconds(at, left),
        }
    }

    /// Close the active segment at `at` (pause or end).
    fn stop(&mut self, cal: &BusinessCalendar, target: i64, at: DateTime<Utc>) {
        if let Some(s) = self.seg_start.take() {
            let seg = cal.working_seconds_between(s, at);
            if self.reached.is_none() && self.consumed + seg >= target {
                self.reached = Some(cal.add_working_seconds(s, target - self.consumed));
            }
            self.consumed += seg;
        }
    }

    fn record(
        &self,
        cal: &BusinessCalendar,
        target: i64,
        at: DateTime<Utc>,
        ended: bool,
        answered: bool,
    ) -> TargetRecord {
        let consumed = self.consumed_at(cal, at);
        TargetRecord {
            started_at: self.start,
            due_at: self.due(cal, target, at),
            ended_at: ended.then_some(at),
            answered,
            breached_by_minutes: ceil_minutes((consumed - target).max(0)),
        }
    }
}

fn ceil_minutes(secs: i64) -> i64 {
    (secs + 59).div_euclid(60)
}

/// Replay `events` and report the SLA state at `now`. See the module docs.
pub fn compute(
    cal: &BusinessCalendar,
    priority: Priority,
    events: &[TimelineEvent],
    now: DateTime<Utc>,
) -> SlaState {
    let target = priority.target_minutes() * 60;
    let mut order: Vec<&TimelineEvent> = events.iter().filter(|e| e.at() <= now).collect();
    order.sort_by_key(|e| e.at());

    let mut running: Option<Running> = None;
    let mut pause: Option<(PauseReason, DateTime<Utc>)> = None;
    let mut closed = false;
    let mut paused_secs = [0i64; 3];
    let mut targets: Vec<TargetRecord> = Vec::new();

    // Ends the current pause at `at`, crediting its working time.
    let end_pause = |pause: &mut Option<(PauseReason, DateTime<Utc>)>,
                     running: &mut Option<Running>,
                     paused_secs: &mut [i64; 3],
                     at: DateTime<Utc>| {
        if let Some((reason, since)) = pause.take() {
            paused_secs[reason as usize] += cal.working_seconds_between(since, at);
            if let Some(r) = running.as_mut() {
                if r.seg_start.is_none() {
                    r.seg_start = Some(at);
                }
            }
        }
    };
    let start_target = |pause: &Option<(PauseReason, DateTime<Utc>)>, at| Running {
        start: at,
        consumed: 0,
        seg_start: if pause.is_some() { None } else { Some(at) },
        reached: None,
    };

    for ev in order {
        match *ev {
            TimelineEvent::ClientMessage { at } => {
                if closed {
                    continue;
                }
                if matches!(pause, Some((PauseReason::WaitingClient, _))) {
                    end_pause(&mut pause, &mut running, &mut paused_secs, at);
                }
                if running.is_none() {
                    running = Some(start_target(&pause, at));
                }
            }
            TimelineEvent::StaffReply { at } => {
                if let Some(mut r) = running.take() {
                    r.stop(cal, target, at);
                    targets.push(r.record(cal, target, at, true, true));
                }
            }
            TimelineEvent::Paused { at, reason } => {
                if closed {
                    continue;
                }
                match pause {
                    Some((current, _)) if current == reason => {}
                    Some(_) => {
                        end_pause(&mut pause, &mut running, &mut paused_secs, at);
                        if let Some(r) = running.as_mut() {
                            r.stop(cal, target, at);
                        }
                        pause = Some((reason, at));
                    }
                    None => {
                        if let Some(r) = running.as_mut() {
                            r.stop(cal, target, at);
                        }
                        pause = Some((reason, at));
                    }
                }
            }
            TimelineEvent::Resumed { at } => {
                end_pause(&mut pause, &mut running, &mut paused_secs, at);
            }
            TimelineEvent::Closed { at } => {
                end_pause(&mut pause, &mut running, &mut paused_secs, at);
                if let Some(mut r) = running.take() {
                    r.stop(cal, target, at);
                    targets.push(r.record(cal, target, at, true, false));
                }
                closed = true;
            }
            TimelineEvent::Reopened { at } => {
                closed = false;
                if running.is_none() {
                    running = Some(start_target(&pause, at));
                }
            }
        }
    }

    let missed_targets = targets.iter().filter(|t| t.breached_by_minutes > 0).count() as u32;

    if let Some((reason, since)) = pause {
        paused_secs[reason as usize] += cal.working_seconds_between(since, now);
    }
    let paused_minutes: BTreeMap<PauseReason, i64> = PauseReason::ALL
        .into_iter()
        .map(|r| (r, paused_secs[r as usize].div_euclid(60)))
        .collect();

    let mut state = SlaState {
        priority,
        target_minutes: priority.target_minutes(),
        started_at: None,
        due_at: None,
        remaining_minutes: None,
        paused: pause,
        breached: false,
        breached_by_minutes: 0,
        paused_minutes,
        missed_targets,
        targets,
    };

    if let Some(r) = running {
        let consumed = r.consumed_at(cal, now);
        let left = target - consumed;
        let record = r.record(cal, target, now, false, false);
        state.started_at = Some(r.start);
        state.due_at = Some(record.due_at);
        state.remaining_minutes = Some(left.div_euclid(60));
        state.breached = left < 0;
        state.breached_by_minutes = record.breached_by_minutes;
        state.targets.push(record);
    }
    state
}

pub mod breach;
#[cfg(test)]
mod tests;
