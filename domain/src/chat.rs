//! Live chat inside a ticket (issue 15, P3/P4): when chat is offered, the per-connection
//! send limit, and the subject a chat started from the portal gets. Pure; callers pass `now`.
use chrono::{DateTime, Utc};

use crate::calendar::BusinessCalendar;
use crate::validation::SUBJECT_MAX;

/// Sockets one person may hold open on one ticket (tabs, phone and desktop).
pub const MAX_SOCKETS_PER_USER: usize = 6;
/// Sockets one person may hold open in all: tickets, the staff lobby and their own socket
/// (the bell), across every tab and device.
pub const MAX_SOCKETS_PER_PERSON: usize = 16;
/// Messages one socket may send in a burst, then one every `SEND_REFILL_MS`.
pub const SEND_BURST: f64 = 30.0;
pub const SEND_REFILL_MS: f64 = 2_000.0;
/// Typing frames are relayed at most this often per socket.
pub const TYPING_EVERY_MS: f64 = 1_500.0;
/// Largest frame a socket accepts (a message is at most 20,000 characters, 4 bytes each).
pub const FRAME_MAX_BYTES: usize = 90_000;

/// Whether a chat can start now, and if not why and when office hours open again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Open,
    /// Outside office hours (P4): the next opening.
    Closed {
        next_opening: DateTime<Utc>,
    },
    /// In office hours, but no agent has marked themselves available.
    NoAgents,
}

pub fn availability(cal: &BusinessCalendar, at: DateTime<Utc>, agents: u32) -> Availability {
    if !cal.is_open(at) {
        Availability::Closed {
            next_opening: cal.next_opening(at),
        }
    } else if agents == 0 {
        Availability::NoAgents
    } else {
        Availability::Open
    }
}

impl Availability {
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Availability::Open => None,
            Availability::Closed { .. } => Some("closed"),
            Availability::NoAgents => Some("no_agents"),
        }
    }
}

/// A token bucket: `SEND_BURST` sends, refilled one per `SEND_REFILL_MS`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SendBucket {
    pub tokens: f64,
    pub at_ms: f64,
}

impl SendBucket {
    pub fn new(now_ms: f64) -> Self {
        SendBucket {
            tokens: SEND_BURST,
            at_ms: now_ms,
        }
    }

    /// Takes one send; `false` (and nothing taken) when the bucket is empty.
    pub fn take(&mut self, now_ms: f64) -> bool {
        let elapsed = (now_ms - self.at_ms).max(0.0);
        self.tokens = (self.tokens + elapsed / SEND_REFILL_MS).min(SEND_BURST);
        self.at_ms = now_ms;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Milliseconds until the next send is allowed.
    pub fn retry_after_ms(&self) -> f64 {
        ((1.0 - self.tokens).max(0.0) * SEND_REFILL_MS).ceil()
    }
}

/// The subject of a chat started from the portal: its first non-empty line, cut at a
/// word boundary to fit a subject (an ellipsis marks the cut).
pub fn subject_from_first_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    if line.chars().count() <= SUBJECT_MAX {
        return Some(line);
    }
    let cut: String = line.chars().take(SUBJECT_MAX - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > SUBJECT_MAX / 2 => cut[..i].trim_end().to_string(),
        _ => cut,
    };
    Some(format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSettings;
    use chrono::TimeZone;

    fn cal() -> BusinessCalendar {
        BusinessCalendar::new(CalendarSettings::default())
    }

    #[test]
    fn chat_follows_office_hours_and_agents() {
        // Friday 2026-12-04 10:00 −06:00 = 16:00 UTC: open.
        let fri = Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap();
        assert_eq!(availability(&cal(), fri, 1), Availability::Open);
        assert_eq!(availability(&cal(), fri, 0), Availability::NoAgents);
        // Saturday: closed until Monday 09:00 −06:00.
        let sat = Utc.with_ymd_and_hms(2026, 12, 5, 16, 0, 0).unwrap();
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 15, 0, 0).unwrap();
        assert_eq!(
            availability(&cal(), sat, 3),
            Availability::Closed {
                next_opening: monday
            }
        );
        assert_eq!(availability(&cal(), sat, 3).reason(), Some("closed"));
    }

    #[test]
    fn bucket_allows_a_burst_then_refills() {
        let mut b = SendBucket::new(0.0);
        for _ in 0..SEND_BURST as usize {
            assert!(b.take(0.0));
        }
        assert!(!b.take(10.0));
        assert!(b.retry_after_ms() > 0.0);
        assert!(b.take(10.0 + SEND_REFILL_MS));
        assert!(!b.take(10.0 + SEND_REFILL_MS));
    }

    #[test]
    fn subject_is_the_first_line_cut_to_fit() {
        assert_eq!(
            subject_from_first_line("\n  Hola, no llega el correo \nmás texto").as_deref(),
            Some("Hola, no llega el correo")
        );
        assert_eq!(subject_from_first_line("  \n "), None);
        let long = "palabra ".repeat(60);
        let s = subject_from_first_line(&long).unwrap();
        assert!(s.chars().count() <= SUBJECT_MAX);
        assert!(s.ends_with('…'));
        assert!(crate::validation::subject(&s).is_ok());
    }
}
